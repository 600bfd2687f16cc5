// What every writer says about a case the same way: their order (by id, numbers compared as numbers,
// so `#2` comes before `#10` and reports of one seed are identical whatever order the workers
// finished in), which outcomes are bad, and how expected and actual read.
import type { CaseResult } from './model.ts';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export function compareIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function byId<T extends Pick<CaseResult, 'id'>>(results: readonly T[]): T[] {
  return [...results].sort((a, b) => compareIds(a.id, b.id));
}

export function isBad(r: Pick<CaseResult, 'outcome'>): boolean {
  return r.outcome === 'fail' || r.outcome === 'error';
}

/** A fail or error case no baseline entry explains. */
export function isRegression(r: Pick<CaseResult, 'outcome' | 'baseline'>): boolean {
  return isBad(r) && !r.baseline;
}

/** `404 NoSuchVectorIndex`, `204`, or `204 (or NoSuchVectorIndex, VectorIndexOperationConflict)`. */
export function expectedText(r: Pick<CaseResult, 'expected'>): string {
  const e = r.expected;
  if (!e) return 'no single response (behaviour check)';
  const head = e.code ? `${e.status} ${e.code}` : String(e.status);
  const others = (e.codes ?? []).filter((c) => c !== e.code);
  return others.length ? `${head} (allowed codes: ${others.join(', ')})` : head;
}

export function actualText(r: Pick<CaseResult, 'actual'>): string {
  const a = r.actual;
  if (!a) return 'no response';
  return a.code ? `${a.status} ${a.code}` : String(a.status);
}
