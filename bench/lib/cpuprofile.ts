// Reading a V8 .cpuprofile (node --cpu-prof): self time per frame and inclusive time of named
// functions (each sample counted once per function on its stack).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface Frame { frame: string; selfPct: number; selfMs: number }
export interface ProfileSummary { totalMs: number; samples: number; idlePct: number; top: Frame[]; inclusive: Record<string, number> }

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  return url.replace(/^file:\/\//, '').replace(root, '').replace(/^.*node_modules\//, 'node_modules/');
}

export function frameName(n: ProfileNode, root: string): string {
  const f = n.callFrame;
  const where = shortUrl(f.url, root);
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}:${f.lineNumber + 1}` : ''}`;
}

/** Microseconds on the clock V8 stamps profiles with (CLOCK_MONOTONIC on Linux, shared by all processes). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Summarises a profile: the `topN` frames by self time (idle excluded from the percentages) and
 * inclusive % of `fns` (function names). With `window` ([from, to] in monotonicUs()), only the
 * samples taken in it count (the load, not start-up and warm-up).
 */
export function summarizeProfile(file: string, root: string, fns: readonly string[], topN = 20, window?: [number, number]): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  if (window) {
    let t = p.startTime;
    const samples: number[] = [];
    const deltas: number[] = [];
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      if (t >= window[0] && t <= window[1]) { samples.push(p.samples[i]!); deltas.push(p.timeDeltas[i] ?? 0); }
    }
    p.samples = samples;
    p.timeDeltas = deltas;
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  let idle = 0;
  let total = 0;
  const frames = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    total += us;
    if (n.callFrame.functionName === '(idle)') { idle += us; continue; }
    const key = frameName(n, root);
    frames.set(key, (frames.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const top = [...frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, topN)
    .map(([frame, us]) => ({ frame, selfMs: Math.round(us / 1000), selfPct: Math.round((1000 * us) / busy) / 10 }));
  // Inclusive: walk each sampled node's stack once.
  const incl = new Map<string, number>(fns.map((f) => [f, 0]));
  const stackFns = new Map<number, Set<string>>();
  const fnsOn = (id: number): Set<string> => {
    let s = stackFns.get(id);
    if (s) return s;
    s = new Set();
    const name = byId.get(id)!.callFrame.functionName;
    if (incl.has(name)) s.add(name);
    const up = parent.get(id);
    if (up !== undefined) for (const x of fnsOn(up)) s.add(x);
    stackFns.set(id, s);
    return s;
  };
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    for (const f of fnsOn(id)) incl.set(f, incl.get(f)! + us);
  }
  return {
    totalMs: Math.round(total / 1000), samples: p.samples.length, idlePct: Math.round((1000 * idle) / total) / 10, top,
    inclusive: Object.fromEntries([...incl].map(([f, us]) => [f, Math.round((1000 * us) / busy) / 10])),
  };
}
