// The run's time-awareness figures (DESIGN rule 5) as one sentence, for the terminal, summary.md
// and report.html alike: settle times seen (median, max), the bound, throttling and retries, and
// the bodies not kept as evidence once the run's bound was spent (run/evidence.ts, bounds in reports/evidence.ts).
import { EVIDENCE_BODY_BYTES, EVIDENCE_RUN_BYTES, mib, type EvidenceNotKept } from './evidence.ts';
import type { RunTiming, SettleFigures } from './model.ts';

function figures(x: SettleFigures): string {
  return x.count ? `median ${x.medianMs} ms, max ${x.maxMs} ms over ${x.count}` : 'none seen';
}

export function timingText(t: RunTiming): string {
  return `enable after create ${figures(t.enable)}; gone after delete ${figures(t.gone)} (settle bound ${t.settleBoundMs} ms); ${t.requests} requests, ${t.throttled} throttled (503/429), ${t.retries} retried, ${t.gaveUp} given up; at most ${t.peakIndexes} live index(es) per worker${t.evidenceNotKept?.bodies ? `; ${notKeptText(t.evidenceNotKept)}` : ''}`;
}

/** "12 more bodies, 9.8 MiB, not kept as evidence (…)". */
export function notKeptText(n: EvidenceNotKept): string {
  return `${n.bodies} more bod${n.bodies === 1 ? 'y' : 'ies'}, ${mib(n.bytes)}, not kept as evidence (a run keeps at most ${mib(EVIDENCE_RUN_BYTES)} of bodies, ${EVIDENCE_BODY_BYTES / 1024} KiB of each)`;
}
