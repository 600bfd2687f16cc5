// The documented-response checks of one case (DESIGN rule 3): status, Error.Code, envelope shape,
// exact Content-Type, request id, x-oss-ec, Date; response bodies against the contracts' schemas.
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import { LIMITS } from '../contracts/limits.ts';
import type { OperationName } from '../contracts/operations.ts';
import { JSON_CONTENT_TYPE } from '../protocol/envelope.ts';
import { codeOf, type WireResponse } from '../client/client.ts';
import { responseSchemaProblems } from '../client/schemas.ts';

/** Problems found by the checks of one case; empty means the case holds. */
export class Checks {
  readonly problems: string[] = [];
  /** --strict: also assert the emulator's decisions on the spec's unknowns (docs/emulator.md). */
  constructor(readonly strict = false) {}
  actual: { status: number; code: string | null; requestId: string | null } | null = null;
  precedence: string | undefined;
  /** Set when the case turned out to record an observation only (e.g. a race that decided nothing). */
  observation = false;
  /** What was seen, for observation cases (e.g. `409 VectorIndexOperationConflict`). */
  observed: string | undefined;

  /** Marks the case an observation of `what` (asserts no documented response). */
  recordOnly(what: string): void {
    this.observation = true;
    this.observed = what;
  }

  that(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  observe(res: WireResponse): void {
    this.actual = { status: res.status, code: codeOf(res), requestId: res.headers['x-oss-request-id'] ?? null };
  }

  /** A 200 answer's body conforms to the operation's response schema (contracts/operations.ts). */
  schema(op: OperationName, res: WireResponse): void {
    if (res.status !== 200) return;
    this.that(res.headers['content-type'] === JSON_CONTENT_TYPE, `${op} answered 200 with Content-Type ${JSON.stringify(res.headers['content-type'] ?? null)}, not '${JSON_CONTENT_TYPE}'`);
    for (const p of responseSchemaProblems(op, res.json)) this.problems.push(p);
  }

  /** Headers every answer carries (DESIGN rule 3): a 24-character x-oss-request-id and a Date. */
  common(res: WireResponse): void {
    const rid = res.headers['x-oss-request-id'];
    this.that(typeof rid === 'string' && rid.length === LIMITS.requestIdLength, `x-oss-request-id must be ${LIMITS.requestIdLength} characters, got ${rid === undefined ? 'none' : JSON.stringify(rid)}`);
    const date = res.headers.date;
    this.that(!!date && !Number.isNaN(Date.parse(date)), `Date header must be an HTTP date, got ${date === undefined ? 'none' : JSON.stringify(date)}`);
  }

  /** 204 No Content with an empty body (D-DelIdx sample response). */
  noContent(res: WireResponse): void {
    this.observe(res);
    this.that(res.status === 204, `expected 204 No Content, got ${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`);
    const declared = Number(res.headers['content-length'] ?? '0');
    this.that(res.body.length === 0 && !(declared > 0), `a 204 answer must have an empty body, got ${Math.max(res.body.length, declared || 0)} bytes${declared > 0 ? ` (Content-Length: ${declared})` : ''}`);
    this.common(res);
  }

  /**
   * One of several allowed codes (multi-fault requests). Non-strict: the status must be that of
   * the code the target chose, and the choice is recorded as observed precedence (an observation:
   * it reaches no documented response). --strict: the first fault in the U2 order of checks
   * (docs/emulator.md) decides, so exactly `codes[0]` (the oracle sorts them in that order).
   */
  oneOf(res: WireResponse, codes: readonly string[], strict = false): void {
    if (codes.length === 0) return this.noContent(res);
    if (codes.length > 1 && strict) {
      this.error(res, ERROR_CODES[codes[0] as ErrorCode]?.status ?? 400, [codes[0]!]);
      this.precedence = codeOf(res) ?? String(res.status);
      return;
    }
    const chosen = codeOf(res);
    const status = chosen && codes.includes(chosen) ? ERROR_CODES[chosen as ErrorCode]?.status ?? res.status : ERROR_CODES[codes[0] as ErrorCode]?.status ?? 400;
    this.error(res, status, codes);
    if (chosen && codes.includes(chosen)) this.precedence = chosen;
    if (codes.length > 1) this.recordOnly(`${res.status}${chosen ? ` ${chosen}` : ''} (of ${codes.join(', ')})`);
  }

  /** A documented error: status, Error.Code (one of `codes`), envelope shape, exact Content-Type, request id, x-oss-ec, Date. */
  error(res: WireResponse, status: number, codes: readonly string[]): void {
    this.observe(res);
    const code = codeOf(res);
    this.that(res.status === status, `expected HTTP ${status}, got ${res.status}`);
    this.that(res.headers['content-type'] === JSON_CONTENT_TYPE, `error Content-Type must be exactly '${JSON_CONTENT_TYPE}', got ${JSON.stringify(res.headers['content-type'] ?? null)}`);
    if (res.error === null) this.problems.push(`error body must be a JSON envelope {"Error":{"Code","Message","RequestId",…}}, got ${JSON.stringify(res.text.slice(0, 120))}`);
    else {
      this.that(codes.includes(code ?? ''), `expected Error.Code ${codes.join(' or ')}, got ${code ?? 'none'}`);
      this.that(typeof res.error.RequestId === 'string' && res.error.RequestId.length > 0, 'Error.RequestId must be present');
      // The rest of the envelope's shape, as the contract's schema states it (contracts/envelope.ts).
      for (const p of res.envelopeProblems) this.problems.push(p);
      if (this.strict) this.that(res.error.RequestId === res.headers['x-oss-request-id'], `--strict: Error.RequestId (${JSON.stringify(res.error.RequestId)}) must equal the x-oss-request-id header (${JSON.stringify(res.headers['x-oss-request-id'] ?? null)})`);
    }
    this.that(typeof res.headers['x-oss-ec'] === 'string' && res.headers['x-oss-ec'].length > 0, 'error answers must carry an x-oss-ec header');
    this.common(res);
    if (codes.length > 1 && code && codes.includes(code)) this.precedence = code;
  }
}

