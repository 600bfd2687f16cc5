// The run's time-awareness figures (DESIGN rule 5) as one sentence, for the terminal, summary.md
// and report.html alike: settle times seen (median, max), the bound, throttling and retries.
import type { RunTiming, SettleFigures } from './model.ts';

function figures(x: SettleFigures): string {
  return x.count ? `median ${x.medianMs} ms, max ${x.maxMs} ms over ${x.count}` : 'none seen';
}

export function timingText(t: RunTiming): string {
  return `enable after create ${figures(t.enable)}; gone after delete ${figures(t.gone)} (settle bound ${t.settleBoundMs} ms); ${t.requests} requests, ${t.throttled} throttled (503/429), ${t.retries} retried, ${t.gaveUp} given up; at most ${t.peakIndexes} live index(es) per worker`;
}
