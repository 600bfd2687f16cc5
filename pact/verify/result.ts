// Reading the verifier's result: pact-core's JSON (what `verifyProvider` resolves or rejects with)
// turned into one outcome per interaction of the pact, the exit code and the summary text.
// Tested on recorded verifier output (test/pact/fixtures/verifier-*.json).
import { basename } from 'node:path';
import { NEEDS_HOOK } from '../../scenario/states.ts';
import type { PactJson } from './source.ts';

export type InteractionOutcome = 'pass' | 'fail' | 'skip' | 'error';

export interface InteractionResult {
  description: string;
  outcome: InteractionOutcome;
  /** Why it was skipped or errored. */
  reason: string | null;
  /** The verifier's mismatch text for a failure. */
  mismatches: string[];
}

interface Mismatch { type?: string; description?: string; mismatch?: string; path?: string; key?: string; expected?: unknown; actual?: unknown; actualBody?: unknown }
interface VerifierError { interaction?: string; mismatch?: { type?: string; message?: string; mismatches?: Mismatch[] } }

export interface VerifierOutput {
  result?: boolean;
  errors?: VerifierError[];
  pendingErrors?: unknown[];
  interactionResults?: Array<{ description?: string; result?: string }>;
  output?: string[];
}

/** The verifier's JSON, or null when `text` is not that (a crash message, nothing at all). */
export function parseVerifierOutput(text: unknown): VerifierOutput | null {
  if (typeof text !== 'string') return null;
  try {
    const v = JSON.parse(text) as VerifierOutput;
    return v && typeof v === 'object' ? v : null;
  } catch { return null; }
}

function mismatchLines(e: VerifierError): string[] {
  const m = e.mismatch;
  if (!m) return ['(no detail)'];
  const lines = (m.mismatches ?? []).map((x) => x.mismatch ?? x.description ?? JSON.stringify(x));
  if (m.message) lines.unshift(m.message);
  return lines.length ? lines : [JSON.stringify(m)];
}

/**
 * An interaction the verifier itself reports as an error (`mismatch.type` 'error', no comparison
 * made): a state set-up that failed (the state-change call answered other than 2xx), or a request that got no
 * answer. Its reason is the verifier's message.
 */
function verifierError(errs: readonly VerifierError[]): { reason: string } | null {
  const e = errs.find((x) => x.mismatch?.type === 'error');
  if (!e) return null;
  const message = e.mismatch?.message ?? 'the verifier reported an error';
  return { reason: /state change/i.test(message) ? `provider state setup failed (${message})` : message };
}

/** One result per interaction of `pact`, in its order; `skipped` were left out of the replay. */
export function interactionResults(pact: PactJson, skipped: readonly string[], out: VerifierOutput | null): InteractionResult[] {
  const errors = out?.errors ?? [];
  return (pact.interactions ?? []).map((i): InteractionResult => {
    const result = (outcome: InteractionOutcome, reason: string | null, mismatches: string[] = []): InteractionResult => ({ description: i.description, outcome, reason, mismatches });
    if (skipped.includes(i.description)) return result('skip', NEEDS_HOOK);
    if (!out) return result('error', 'the verifier did not run');
    const errs = errors.filter((e) => e.interaction === i.description || e.interaction?.endsWith(` - ${i.description}`));
    const verdict = out.interactionResults?.find((r) => r.description === i.description)?.result;
    if (verdict === undefined && !errs.length) return result('error', 'the verifier did not report this interaction');
    if (!errs.length && verdict === 'OK') return result('pass', null);
    const mismatches = errs.length ? errs.flatMap(mismatchLines) : [`verifier result: ${verdict}`];
    const error = verifierError(errs);
    return error ? result('error', error.reason, mismatches) : result('fail', null, mismatches);
  });
}

/**
 * 0 every interaction passed (or was skipped), 1 a mismatch, 2 could not run. `problem`: the target
 * was unreachable, or the verifier crashed.
 */
export function exitCodeOf(results: readonly InteractionResult[], problem: { unreachable: boolean; crashed: boolean }): 0 | 1 | 2 {
  const has = (k: InteractionOutcome): boolean => results.some((r) => r.outcome === k);
  if (problem.unreachable && !has('pass')) return 2;
  if (has('fail')) return 1;
  return problem.unreachable || problem.crashed || has('error') ? 2 : 0;
}

export function summaryText(target: string, file: string, results: readonly InteractionResult[], problem: string | null, cleanupFailures: readonly string[]): string {
  const mark = { pass: '✓', fail: '✗', skip: '-', error: '!' } as const;
  const lines = [`ovc pact verify: ${basename(file)} against ${target}`];
  for (const r of results) {
    lines.push(`  ${mark[r.outcome]} ${r.description}${r.outcome === 'skip' || r.outcome === 'error' ? ` (${r.outcome}: ${r.reason})` : ''}`);
    if (r.outcome === 'fail') for (const m of r.mismatches) lines.push(`      ${m.replace(/\n/g, '\n      ')}`);
  }
  const n = (k: InteractionOutcome): number => results.filter((r) => r.outcome === k).length;
  lines.push(`${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped, ${n('error')} errors`);
  const failed = results.filter((r) => r.outcome === 'fail');
  if (failed.length) lines.push(`FAILED: ${failed.map((r) => `"${r.description}"`).join(', ')}`);
  if (problem) lines.push(`problem: ${problem}`);
  if (cleanupFailures.length) lines.push(`cleanup could not delete: ${cleanupFailures.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
