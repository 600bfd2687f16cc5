// Accepted differences of `ovc diff --baseline FILE`: a JSON or YAML list of {id, kind, reason}
// (or a mapping with such a list under `accepted`). `id` is a case id, or a prefix ending in `*`.
// An accepted case does not fail the diff; an entry that accepted nothing is stale and reported.
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { yaml } from '../reports/baseline.ts';
import { ReportInputError } from '../reports/errors.ts';
import type { CaseDiff, Kind } from './classify.ts';

export interface DiffBaselineEntry { id: string; kind: Exclude<Kind, 'same'>; reason: string }

export interface DiffGate {
  exitCode: 0 | 1;
  /** Cases that fail the diff: `differs` (and `open` under --strict) no entry accepts. */
  failing: CaseDiff[];
  accepted: CaseDiff[];
  stale: DiffBaselineEntry[];
}

export function parseDiffBaseline(text: string, source = 'diff baseline'): DiffBaselineEntry[] {
  const asJson = /\.json$/i.test(source) || /^\s*[[{]/.test(text);
  let v: unknown;
  try { v = asJson ? JSON.parse(text) : yaml().parse(text); } catch (e) {
    throw new ReportInputError(`${source} is not valid ${asJson ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
  }
  const fail = (why: string): never => { throw new ReportInputError(`${source}: ${why}`); };
  if (v === null || v === undefined) return [];
  const list = Array.isArray(v) ? v : (typeof v === 'object' ? (v as Record<string, unknown>).accepted : undefined);
  if (!Array.isArray(list)) return fail('must be a list of {id, kind, reason} (or a mapping with that list under `accepted`)');
  const seen = new Set<string>();
  return list.map((e, i): DiffBaselineEntry => {
    const where = `entry ${i + 1}`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) return fail(`${where} must be a mapping with id, kind and reason`);
    const x = e as Record<string, unknown>;
    for (const k of Object.keys(x)) if (!['id', 'kind', 'reason'].includes(k)) fail(`${where}: unknown key '${k}' (allowed: id, kind, reason)`);
    if (typeof x.id !== 'string' || x.id.trim() === '') fail(`${where}: id must be a case id or a prefix ending in '*'`);
    const id = (x.id as string).trim();
    if (id.slice(0, -1).includes('*')) fail(`${where}: '*' is allowed only at the end of id '${id}'`);
    if (x.kind !== 'open' && x.kind !== 'differs') fail(`${where}: kind must be 'open' or 'differs'`);
    if (typeof x.reason !== 'string' || x.reason.trim() === '') fail(`${where}: reason must say why the difference is accepted`);
    const key = `${id} ${x.kind as string}`;
    if (seen.has(key)) fail(`${where}: '${id}' (${x.kind as string}) is listed twice`);
    seen.add(key);
    return { id, kind: x.kind as DiffBaselineEntry['kind'], reason: (x.reason as string).trim() };
  });
}

export function loadDiffBaseline(path: string): DiffBaselineEntry[] {
  return parseDiffBaseline(readTextBounded(path, INPUT_BOUNDS.baseline, 'diff baseline'), path);
}

const matches = (e: DiffBaselineEntry, id: string): boolean => (e.id.endsWith('*') ? id.startsWith(e.id.slice(0, -1)) : e.id === id);
const specificity = (e: DiffBaselineEntry): number => (e.id.endsWith('*') ? e.id.length - 1 : Number.MAX_SAFE_INTEGER);

/** Marks accepted cases (in place) and returns the verdict: 1 when a case fails the diff. */
export function applyDiffBaseline(cases: CaseDiff[], entries: readonly DiffBaselineEntry[], strict: boolean): DiffGate {
  const used = entries.map(() => false);
  const failing: CaseDiff[] = [];
  const accepted: CaseDiff[] = [];
  for (const c of cases) {
    delete c.accepted;
    if (c.kind === 'same') continue;
    let best = -1;
    entries.forEach((e, i) => {
      if (e.kind !== c.kind || !matches(e, c.id)) return;
      if (best < 0 || specificity(e) > specificity(entries[best]!)) best = i;
    });
    if (best >= 0) {
      used[best] = true;
      c.accepted = { reason: entries[best]!.reason };
      accepted.push(c);
    } else if (c.kind === 'differs' || strict) failing.push(c);
  }
  return { exitCode: failing.length > 0 ? 1 : 0, failing, accepted, stale: entries.filter((_, i) => !used[i]) };
}
