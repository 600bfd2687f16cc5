// Peak memory of a process tree, as the kernel counts it: the sum of VmRSS over a process and all
// its descendants (from /proc), sampled every few milliseconds. Used by the hostile-target tests
// and bench/hostile-targets.ts to hold a run (parent, suite child, cleaner) to one memory bound.
import { readFileSync } from 'node:fs';
import { descendants } from './processes.ts';

/** Kernel RSS (KiB) of a process and all its descendants, now. */
export function treeRssKiB(pid: number): number {
  let sum = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try { sum += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch { /* ended meanwhile */ }
  }
  return sum;
}

export interface TreeSampler {
  /** The largest sum seen so far, in MiB. */
  peakMiB(): number;
  /** Stops sampling; returns the peak in MiB. */
  stop(): number;
}

/** Samples the tree of `pid` every `everyMs` until stopped. */
export function sampleTree(pid: number, everyMs = 100): TreeSampler {
  let peak = 0;
  const take = (): void => { peak = Math.max(peak, treeRssKiB(pid)); };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    peakMiB: () => Math.round(peak / 1024),
    stop: () => { clearInterval(timer); take(); return Math.round(peak / 1024); },
  };
}
