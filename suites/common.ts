// Small helpers shared by the per-response suites.
import { responseByKey, type DocumentedResponse } from '../contracts/responses.ts';
import type { Expectation } from '../generators/oracle.ts';
import { codeOf, type TargetClient, type WireResponse } from '../client/client.ts';
import type { IndexStateCase } from '../generators/indexState.ts';
import type { Then } from '../scenario/scenario.ts';
import { settleProblem } from '../scenario/settle.ts';
import type { State } from '../scenario/states.ts';
import { createIndex, SetupError, type CaseSpec, type Checks, type SuiteContext } from './harness.ts';

export function caseSpec(responseKey: string, behaviour: string, labels: readonly string[], extra: Partial<CaseSpec> = {}): CaseSpec {
  const r: DocumentedResponse = responseByKey(responseKey);
  return {
    id: `delete-vector-index/${r.key}/${behaviour}`,
    response: r.label,
    labels,
    expected: { status: r.status, code: r.code },
    cites: r.doc.says,
    tags: r.key,
    ...extra,
  };
}

/** Creates an index through the public API (SetupError unless 200); callers wait for `enable` with the scenario layer. */
export async function mustCreate(ctx: Pick<SuiteContext, 'budget'>, name: string, dimension: number, client: TargetClient, bucket?: string): Promise<void> {
  const res = await createIndex(ctx, name, dimension, bucket, client);
  if (res.status !== 200) throw new SetupError(`could not create index ${name}: ${res.status} ${codeOf(res) ?? ''}`);
}

/**
 * Asserts what the oracle expects. An expectation resting on a spec §12 unknown is asserted only
 * under --strict; otherwise the answer must still be a documented form (204 empty, or a 4xx with
 * a well-formed envelope), the code the target chose is recorded, and the case is an observation
 * (it never counts as reaching a documented response).
 */
export function expectOracle(check: Checks, res: WireResponse, exp: Expectation, strict: boolean): void {
  if (exp.strictOnly && !strict) {
    check.that(res.status < 500, `the answer must not be a server error, got ${res.status}`);
    if (res.status === 204) check.noContent(res);
    else check.error(res, res.status, [codeOf(res) ?? '(no code)']);
    check.precedence = codeOf(res) ?? String(res.status);
    check.recordOnly(`${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`);
    return;
  }
  check.oneOf(res, exp.codes, strict);
}

/** The case spec of a generated case, from the oracle's expectation. */
export function oracleSpec(id: string, labels: readonly string[], exp: Expectation, extra: Partial<CaseSpec> = {}): CaseSpec {
  const r = responseByKey(exp.response);
  return {
    id, response: r.label, labels,
    expected: { status: exp.status, code: exp.codes.length === 1 ? exp.codes[0]! : null, ...(exp.codes.length > 1 ? { codes: exp.codes } : {}) },
    cites: r.doc.says, unknown: exp.strictOnly || undefined, tags: r.key, ...extra,
  };
}

/** The scenario states of a generated index state (what `given` sets up for it). */
export function statesFor(ctx: Pick<SuiteContext, 'run'>, c: IndexStateCase, name: string): State[] {
  switch (c.kind) {
    case 'bucket-absent': return [{ state: 'no-bucket', bucket: ctx.run.absentBucket }];
    case 'absent': return [{ state: 'no-index', indexName: name }];
    case 'deleted': return [{ state: 'deleted-index', indexName: name }];
    case 'creating':
    case 'deleting': return [{ state: 'index', indexName: name, status: c.kind, dimension: c.dimension, distanceMetric: c.distanceMetric, vectorCount: c.kind === 'deleting' ? c.vectorCount : 0 }];
    case 'enable': return [{ state: 'index', indexName: name, dimension: c.dimension, distanceMetric: c.distanceMetric, vectorCount: c.vectorCount }];
  }
}

/**
 * Waits until a deleted index is gone (`deleting` allowed on the way, within --settle-ms); anything
 * else is a problem of the case. True when it is gone.
 */
export async function settledGone(ctx: Pick<SuiteContext, 'run'>, check: Checks, then: Then, name: string, bucket?: string): Promise<boolean> {
  const problem = settleProblem('gone', await then.awaitGone(name, bucket), ctx.run.settleMs);
  if (problem) check.that(false, problem);
  return problem === null;
}

/** Waits until a created index is `enable` (`creating` allowed on the way); `what` names it in the problem. */
export async function settledEnable(ctx: Pick<SuiteContext, 'run'>, check: Checks, then: Then, name: string, what = ''): Promise<boolean> {
  const problem = settleProblem('enable', await then.awaitEnable(name), ctx.run.settleMs);
  if (problem) check.that(false, `${what}${problem}`);
  return problem === null;
}
