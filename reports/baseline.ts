// Per-target baselines: the known deviations of one target, kept outside the code (docs/design.md,
// lessons from ceph/s3-tests). The gate fails on regressions (a fail or error case no entry
// lists) and on stale entries (an entry whose cases now pass), never on a known deviation.
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { createRequire } from 'node:module';
import { isBad } from './cases.ts';
import { ReportInputError } from './errors.ts';
import type { CaseResult } from './model.ts';

/** The YAML library, loaded when a baseline is read or written as YAML, not with every command (~45 ms of CPU at start-up). */
export const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export interface BaselineEntry {
  /** A case id, or a prefix of ids ending in `*`. */
  id: string;
  reason: string;
  link?: string;
}

export interface Baseline {
  /** The target the deviations were seen on (RunSummary.target); informative. */
  target?: string;
  deviations: BaselineEntry[];
}

export interface GateResult {
  /**
   * 1 when a regression or a stale entry exists, 0 otherwise. Error cases count as regressions;
   * a run in which every case errored is "could not run", which the run command maps to 2.
   */
  exitCode: 0 | 1;
  /** Fail and error cases no entry lists. */
  regressions: CaseResult[];
  /** Entries whose cases ran and all passed: the deviation is gone, remove the entry. */
  stale: BaselineEntry[];
  /** Fail and error cases an entry lists (shown apart, not gating). */
  known: CaseResult[];
  /** Entries that matched no case of this run (other shard, --tags): neither known nor stale. */
  unmatched: BaselineEntry[];
}

export function entryMatches(entry: BaselineEntry, id: string): boolean {
  return entry.id.endsWith('*') ? id.startsWith(entry.id.slice(0, -1)) : id === entry.id;
}

/**
 * Marks every fail/error case an entry lists with `baseline` (in place: the caller's results then
 * say which failures are known) and returns the verdict. Without a baseline every fail or error
 * case is a regression.
 */
export function applyBaseline(results: CaseResult[], baseline: Baseline | null | undefined): GateResult {
  const entries = baseline?.deviations ?? [];
  const regressions: CaseResult[] = [];
  const known: CaseResult[] = [];
  const hits = entries.map(() => ({ bad: 0, pass: 0 }));
  for (const r of results) {
    delete r.baseline;
    // An exact id wins over a prefix; among prefixes the longest wins.
    let best = -1;
    entries.forEach((e, i) => {
      if (!entryMatches(e, r.id)) return;
      if (best < 0 || specificity(e) > specificity(entries[best]!)) best = i;
    });
    if (best >= 0) {
      if (isBad(r)) hits[best]!.bad++;
      else if (r.outcome === 'pass') hits[best]!.pass++;
    }
    if (!isBad(r)) continue;
    if (best < 0) { regressions.push(r); continue; }
    const e = entries[best]!;
    r.baseline = e.link ? { reason: e.reason, link: e.link } : { reason: e.reason };
    known.push(r);
  }
  const stale = entries.filter((_, i) => hits[i]!.bad === 0 && hits[i]!.pass > 0);
  const unmatched = entries.filter((_, i) => hits[i]!.bad === 0 && hits[i]!.pass === 0);
  return { exitCode: regressions.length > 0 || stale.length > 0 ? 1 : 0, regressions, stale, known, unmatched };
}

const specificity = (e: BaselineEntry): number => (e.id.endsWith('*') ? e.id.length - 1 : Number.MAX_SAFE_INTEGER);

/** A baseline listing every fail and error case of a run (for `ovc report baseline`). */
export function baselineFromResults(results: readonly CaseResult[], reason: string, target?: string): Baseline {
  const ids = [...new Set(results.filter(isBad).map((r) => r.id))].sort();
  return { ...(target ? { target } : {}), deviations: ids.map((id) => ({ id, reason })) };
}

export function formatBaseline(baseline: Baseline, format: 'yaml' | 'json'): string {
  const plain = { ...(baseline.target ? { target: baseline.target } : {}), deviations: baseline.deviations.map((d) => ({ id: d.id, reason: d.reason, ...(d.link ? { link: d.link } : {}) })) };
  return format === 'json' ? `${JSON.stringify(plain, null, 2)}\n` : yaml().stringify(plain, { lineWidth: 0 });
}

/** Reads a baseline file: JSON when the name ends in .json or the text starts with `{`, YAML otherwise. */
export function loadBaseline(path: string): Baseline {
  // Bounded (files/read.ts): a missing, special or oversized file is refused in one sentence.
  return parseBaseline(readTextBounded(path, INPUT_BOUNDS.baseline, 'baseline'), path);
}

export function parseBaseline(text: string, source = 'baseline'): Baseline {
  const asJson = /\.json$/i.test(source) || text.trimStart().startsWith('{');
  let value: unknown;
  try { value = asJson ? JSON.parse(text) : yaml().parse(text); } catch (e) {
    throw new ReportInputError(`baseline ${source} is not valid ${asJson ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateBaseline(value, source);
}

function validateBaseline(value: unknown, source: string): Baseline {
  const fail = (why: string): never => { throw new ReportInputError(`baseline ${source}: ${why}`); };
  if (value === null || value === undefined) return { deviations: [] };
  if (typeof value !== 'object' || Array.isArray(value)) fail('must be a mapping with a `deviations` list');
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (k !== 'target' && k !== 'deviations') fail(`unknown key '${k}' (allowed: target, deviations)`);
  if (v.target !== undefined && typeof v.target !== 'string') fail('`target` must be a string');
  const list = v.deviations ?? [];
  if (!Array.isArray(list)) fail('`deviations` must be a list');
  const seen = new Set<string>();
  const deviations = (list as unknown[]).map((d, i): BaselineEntry => {
    const where = `deviations[${i}]`;
    if (!d || typeof d !== 'object' || Array.isArray(d)) return fail(`${where} must be a mapping with id and reason`);
    const e = d as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!['id', 'reason', 'link'].includes(k)) fail(`${where}: unknown key '${k}' (allowed: id, reason, link)`);
    if (typeof e.id !== 'string' || e.id.trim() === '') fail(`${where}.id must be a case id or a prefix ending in '*'`);
    const id = (e.id as string).trim();
    if (id.slice(0, -1).includes('*')) fail(`${where}.id '${id}': '*' is allowed only at the end`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') fail(`${where}.reason must say why the deviation is accepted`);
    if (e.link !== undefined && typeof e.link !== 'string') fail(`${where}.link must be a string`);
    if (seen.has(id)) fail(`${where}.id '${id}' is listed twice`);
    seen.add(id);
    return { id, reason: (e.reason as string).trim(), ...(typeof e.link === 'string' ? { link: e.link } : {}) };
  });
  return { ...(typeof v.target === 'string' ? { target: v.target } : {}), deviations };
}
