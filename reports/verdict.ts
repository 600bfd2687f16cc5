// The one-line verdict every human-facing writer leads with.
import type { GateResult } from './baseline.ts';
import type { Matrix } from './matrix.ts';
import type { RunSummary } from './model.ts';

export type VerdictKind = 'conformant' | 'known-only' | 'not-conformant' | 'could-not-run' | 'empty';

export interface Verdict { kind: VerdictKind; ok: boolean; title: string; detail: string }

/**
 * The verdict. With the run's matrix, the counts are the matrix's: observation cases that passed
 * are said as observed, not passed (summary.counts counts outcomes only).
 */
export function verdictOf(summary: RunSummary, gate: GateResult, matrix?: Pick<Matrix, 'totals' | 'observed'>): Verdict {
  const c = summary.counts;
  const total = c.pass + c.fail + c.skip + c.error;
  const observed = matrix?.observed ?? 0;
  const passed = matrix ? matrix.totals.pass : c.pass;
  const counts = `${total} cases: ${passed} passed, ${c.fail} failed, ${c.skip} skipped, ${c.error} errors${observed ? `, ${observed} observed` : ''}`;
  if (total === 0) return { kind: 'empty', ok: false, title: 'No case ran', detail: 'check --tags and --shard' };
  if (c.error === total) return { kind: 'could-not-run', ok: false, title: 'Could not run', detail: `every case errored (${total}); the target or its set-up is unusable` };
  if (gate.exitCode === 1) {
    const parts: string[] = [];
    const n = gate.regressions.length;
    if (n) parts.push(`${n} ${gate.known.length || gate.stale.length ? (n === 1 ? 'regression' : 'regressions') : (n === 1 ? 'failing case' : 'failing cases')}`);
    if (gate.stale.length) parts.push(`${gate.stale.length} stale baseline ${gate.stale.length === 1 ? 'entry' : 'entries'}`);
    return { kind: 'not-conformant', ok: false, title: 'Not conformant', detail: `${parts.join(' and ')} — ${counts}` };
  }
  if (gate.known.length) return { kind: 'known-only', ok: true, title: 'No regression against the baseline', detail: `${gate.known.length} known deviations — ${counts}` };
  return { kind: 'conformant', ok: true, title: 'Conformant', detail: counts };
}

export const percent = (rate: number | null): string => (rate === null ? '–' : `${(Math.floor(rate * 1000) / 10).toFixed(1)} %`);
