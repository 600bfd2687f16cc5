// Peak memory of a process tree, as the kernel counts it: the sum of VmRSS over a process and all
// its descendants (from /proc), sampled every few milliseconds. Used by the hostile-target tests
// and bench/hostile-targets.ts to hold a run (parent, suite child, cleaner) to one memory bound.
import { readFileSync } from 'node:fs';
import { descendants } from './processes.ts';

/** Kernel RSS (KiB) of each process of the tree of `pid`, now. */
export function treeRss(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of [pid, ...descendants(pid)]) {
    try { out.set(p, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)); } catch { /* ended meanwhile */ }
  }
  return out;
}

/** Kernel RSS (KiB) of a process and all its descendants, now. */
export function treeRssKiB(pid: number): number {
  let sum = 0;
  for (const kib of treeRss(pid).values()) sum += kib;
  return sum;
}

export interface TreeSampler {
  /** The largest sum seen so far, in MiB. */
  peakMiB(): number;
  /** Stops sampling; returns the peak in MiB. */
  stop(): number;
  /** Each process's own peak, MiB (the root first). */
  peaksByProcess(): number[];
}

/** Samples the tree of `pid` every `everyMs` until stopped. */
export function sampleTree(pid: number, everyMs = 100): TreeSampler {
  let peak = 0;
  const each = new Map<number, number>();
  const take = (): void => {
    let sum = 0;
    for (const [p, kib] of treeRss(pid)) { sum += kib; each.set(p, Math.max(each.get(p) ?? 0, kib)); }
    peak = Math.max(peak, sum);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    peakMiB: () => Math.round(peak / 1024),
    stop: () => { clearInterval(timer); take(); return Math.round(peak / 1024); },
    peaksByProcess: () => [...each.values()].map((k) => Math.round(k / 1024)),
  };
}
