// What every suite shares, in one place to import from: the worker's context and fixtures
// (context.ts), the documented-response checks (checks.ts), and — here — running one case with its
// four outcomes and turning outcomes into the vitest verdict; the records go out through
// recorder.ts and the work folder. The helpers take the suite's context as their first argument.
import type { CaseResult, Outcome } from '../reports/model.ts';
import { BudgetError } from '../safety/budget.ts';
import { codeOf } from '../client/client.ts';
import { TransportError } from '../client/http.ts';
import { ThrottledError } from '../client/pacing.ts';
import { CaseRecord, Scenario } from '../scenario/scenario.ts';
import { SetupError, Skip } from '../scenario/states.ts';
import { StateHookError } from '../scenario/hookClient.ts';
import { Checks } from './checks.ts';
import type { SuiteContext } from './context.ts';
import { flushCaseRecords, recordCase, redactedExchange } from '../run/recorder.ts';
import { curlLine, replayCommand } from './reproduce.ts';

export { SetupError, Skip };
export { Checks } from './checks.ts';
export { createIndex, deleteIndex, freshName, initContext, suiteContext, vectorsFor, type SuiteContext } from './context.ts';
export { flushCaseRecords, redactedExchange, EVIDENCE_BODY_BYTES } from '../run/recorder.ts';

export interface CaseSpec {
  id: string;
  /** Label of the matrix row (documented response label or behaviour row). */
  response: string;
  labels: readonly string[];
  expected: { status: number; code: string | null; codes?: string[] } | null;
  cites?: string;
  unknown?: boolean;
  /** The case records what the target did and asserts no documented response (races, precedence). */
  observation?: boolean;
  /** Deterministic coverage phase or random property phase. */
  phase?: 'coverage' | 'property';
  tags?: string;
}

/** A case's own scenario: its given → when → expect, and its recording client. */
export type CaseBody = (check: Checks, scenario: Scenario) => Promise<unknown>;

/** Runs one case, records it (one results.jsonl line) and returns it. Never throws for the case's own failures. */
export async function runCase(c: Pick<SuiteContext, 'target' | 'run' | 'env' | 'secrets'>, spec: CaseSpec, body: CaseBody): Promise<CaseResult> {
  const check = new Checks(c.run.strict);
  const record = new CaseRecord();
  const started = performance.now();
  let outcome: Outcome = 'pass';
  let reason: string | null = null;
  try {
    await body(check, new Scenario(c.env, record));
    serverErrors(record, check);
    if (check.problems.length > 0) { outcome = 'fail'; reason = check.problems.join('; '); }
    else if (!record.exchanges.some((x) => x.role === 'when')) { outcome = 'error'; reason = 'the case sent no request under test, so it shows nothing about the target'; }
  } catch (e) {
    serverErrors(record, check);
    if (e instanceof Skip) { outcome = 'skip'; reason = e.message; }
    else if (e instanceof TransportError || e instanceof SetupError || e instanceof StateHookError || e instanceof ThrottledError || e instanceof BudgetError) {
      outcome = 'error'; reason = e.message;
    } else if (check.problems.length > 0) { outcome = 'fail'; reason = [...check.problems, (e as Error).message].join('; '); }
    else { outcome = 'error'; reason = `unexpected: ${(e as Error)?.stack ?? e}`; }
  }
  // A case that only records what it saw asserts nothing documented: it never counts as a pass.
  const observation = spec.observation || check.observation || undefined;
  const result: CaseResult = {
    id: spec.id, response: spec.response, outcome, expected: spec.expected, actual: check.actual,
    labels: [...spec.labels], reason, seed: c.run.seed, durationMs: Math.round((performance.now() - started) * 100) / 100,
    ...(spec.cites ? { cites: spec.cites } : {}),
    ...(spec.unknown ? { unknown: true } : {}),
    ...(observation ? { observation: true as const } : {}),
    ...(check.observed ? { observed: check.observed } : {}),
    ...(spec.phase ? { phase: spec.phase } : {}),
    ...(check.precedence ? { precedence: check.precedence } : {}),
    ...(record.settles.length ? { settle: record.settles.map((x) => ({ kind: x.kind, ms: x.ms, reached: x.reached })) } : {}),
    ...(record.cleanupProblems.length ? { cleanup: record.cleanupProblems } : {}),
    target: c.target.name,
  };
  const evidence = record.evidence();
  if (outcome === 'fail' || outcome === 'error') {
    result.replay = replayCommand(c.target, c.run, spec.tags);
    if (evidence) {
      result.curl = curlLine(c.target, evidence.request);
      result.exchange = redactedExchange(evidence, c.secrets);
    }
  }
  recordCase(`${JSON.stringify(result)}\n`, c.run.recordDir
    ? record.exchanges.map((x, seq) => `${JSON.stringify({ caseId: spec.id, seq, role: x.role, op: x.op, exchange: redactedExchange(x, c.secrets, 'recording') })}\n`)
    : []);
  return result;
}

/**
 * No verdict from a server error (DESIGN rule 6): a 5xx answer to a request under test is a
 * failure wherever it occurs — throttling (503/429) never reaches here, it is retried and then an
 * `error` of its own. Set-up's and cleanup's answers are judged where they are made.
 */
function serverErrors(record: CaseRecord, check: Checks): void {
  for (const x of record.exchanges) {
    if ((x.role === 'when' || x.role === 'then') && x.response.status >= 500) {
      check.problems.push(`the target answered ${x.response.status}${codeOf(x.response) ? ` ${codeOf(x.response)}` : ''} to ${x.op ?? x.request.method} (a request under test); a server error is never a documented answer`);
      return;
    }
  }
}

/** Turns recorded outcomes into the vitest verdict of the enclosing test. */
export function verdict(results: readonly CaseResult[], skip?: (reason: string) => void): void {
  flushCaseRecords();
  const bad = results.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  if (bad.length > 0) {
    const lines = bad.slice(0, 5).map((r) => `${r.outcome.toUpperCase()} ${r.id}: ${r.reason}\n    seed ${r.seed}; replay: ${r.replay ?? ''}${r.curl ? `\n    ${r.curl}` : ''}`);
    throw new Error(`${bad.length} of ${results.length} case(s) did not hold:\n  ${lines.join('\n  ')}${bad.length > 5 ? `\n  … and ${bad.length - 5} more (see results.jsonl)` : ''}`);
  }
  if (skip && results.length > 0 && results.every((r) => r.outcome === 'skip')) skip(results[0]!.reason ?? 'skipped');
}

/**
 * Independent cases (each its own names, nothing ordering them) run side by side, at most `limit`
 * at once (usually the run's cases in flight, the bound the properties use); results come back in
 * the items' order.
 */
export async function sideBySide<T>(items: readonly T[], one: (item: T, i: number) => Promise<CaseResult>, limit: number): Promise<CaseResult[]> {
  limit = Math.max(1, limit);
  const results: CaseResult[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await one(items[i]!, i);
  }));
  return results;
}
