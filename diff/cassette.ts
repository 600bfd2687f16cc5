// A cassette: what `ovc run --record DIR` wrote about one target (docs/diff.md).
//   meta.json        the run: format, seed, runs, strict, target, prefix, buckets, account, region
//   exchanges.jsonl  one HTTP exchange of a case per line, redacted: {caseId, seq, role, op, exchange}
//   results.jsonl    the run's case records (CaseResult lines)
// Reading checks the shape and says which file and line is wrong; `ovc diff` turns that into exit 2.
import { INPUT_BOUNDS, makeFolder, PathRefused, readTextBounded, writeFileAtomic } from '../files/gate.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ReportInputError } from '../reports/errors.ts';
import { parseJsonl, toJsonLine } from '../reports/jsonl.ts';
import type { CaseResult, Exchange } from '../reports/model.ts';
import { collectSecrets, redactText, redactValue } from '../reports/redact.ts';

export const CASSETTE_FORMAT = 'ovc-cassette/1';
export const CASSETTE_FILES = { meta: 'meta.json', exchanges: 'exchanges.jsonl', results: 'results.jsonl' } as const;

export interface CassetteMeta {
  format: typeof CASSETTE_FORMAT;
  seed: number;
  runs: number;
  strict: boolean;
  target: string;
  /** The run prefix (`ovc` + run id) every name the run created starts with. */
  prefix: string;
  bucket: string;
  otherBucket: string | null;
  absentBucket: string;
  accountId: string;
  region: string;
  createdAt: string;
  /** The --tags expression of the run (null: all cases); `ovc diff` runs the other side with it. */
  tags?: string | null;
  /** The ovc version that recorded it. */
  ovcVersion?: string;
  addressing?: string;
  settleMs?: number;
  /** The run's other flags that shape its cases and timing (no endpoint, no credentials). */
  flags?: Record<string, string | number | boolean | null>;
}

/** What `ovc run --record` knows about its run; the cassette's meta.json is made from it. */
export interface RunRecord {
  target: { name: string; bucket: string; otherBucket: string | null; accountId: string; region: string; addressing: string };
  run: { seed: number; runs: number; strict: boolean; prefix: string; absentBucket: string; settleMs: number; workDir: string };
  tags: string | null;
  ovcVersion: string;
  flags: Record<string, string | number | boolean | null | undefined>;
}

/** The meta.json of a recorded run. */
export function runCassetteMeta(r: RunRecord, createdAt: Date = new Date()): CassetteMeta {
  const flags: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(r.flags)) if (v !== undefined) flags[k] = v;
  return {
    format: CASSETTE_FORMAT, seed: r.run.seed, runs: r.run.runs, strict: r.run.strict, target: r.target.name, prefix: r.run.prefix,
    bucket: r.target.bucket, otherBucket: r.target.otherBucket, absentBucket: r.run.absentBucket, accountId: r.target.accountId,
    region: r.target.region, createdAt: createdAt.toISOString(), tags: r.tags, ovcVersion: r.ovcVersion,
    addressing: r.target.addressing, settleMs: r.run.settleMs, flags,
  };
}

/**
 * The cassette of `ovc run --record DIR` (docs/diff.md): the exchanges the suite workers appended to
 * the run's work folder (exchanges-*.jsonl), the results, and meta.json — through writeCassette.
 */
export function writeRunCassette(dir: string, r: RunRecord, exchangeLines: readonly string[], results: readonly CaseResult[]): void {
  const exchanges = [...parseExchanges(exchangeLines.map((l) => `${l}\n`).join(''), 'the run\'s recorded exchanges').values()].flat();
  writeCassette(dir, runCassetteMeta(r), exchanges, results);
}

export type ExchangeRole = 'given' | 'when' | 'then' | 'cleanup';

export interface RecordedExchange {
  caseId: string;
  /** Orders the exchanges of one case. */
  seq: number;
  role: ExchangeRole;
  op: string | null;
  exchange: Exchange;
}

export interface Cassette {
  dir: string;
  meta: CassetteMeta;
  /** Exchanges per case id, in seq order. */
  exchanges: Map<string, RecordedExchange[]>;
  results: CaseResult[];
}

const ROLES: readonly ExchangeRole[] = ['given', 'when', 'then', 'cleanup'];

export function isCassetteDir(dir: string): boolean {
  return existsSync(join(dir, CASSETTE_FILES.meta));
}

function readText(dir: string, name: string): string {
  const path = join(dir, name);
  try { return readTextBounded(path, name === CASSETTE_FILES.meta ? INPUT_BOUNDS.runMeta : INPUT_BOUNDS.runRecords, 'cassette file'); } catch (e) {
    throw new ReportInputError(`cannot read cassette file ${path}: ${e instanceof PathRefused ? e.message : (e as Error).message}`);
  }
}

export function parseMeta(text: string, source: string = CASSETTE_FILES.meta): CassetteMeta {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw new ReportInputError(`${source} is not JSON: ${(e as Error).message}`); }
  const fail = (why: string): never => { throw new ReportInputError(`${source}: ${why}`); };
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail('must be an object');
  const m = v as Record<string, unknown>;
  if (m.format !== CASSETTE_FORMAT) fail(`format must be '${CASSETTE_FORMAT}', got ${JSON.stringify(m.format)}`);
  for (const k of ['seed', 'runs'] as const) if (typeof m[k] !== 'number' || !Number.isInteger(m[k])) fail(`${k} must be a whole number`);
  if (typeof m.strict !== 'boolean') fail('strict must be true or false');
  for (const k of ['target', 'prefix', 'bucket', 'absentBucket', 'accountId', 'region', 'createdAt'] as const) if (typeof m[k] !== 'string') fail(`${k} must be a string`);
  if ((m.prefix as string).length < 3) fail('prefix must be the run prefix (ovc + run id)');
  if (m.otherBucket !== null && m.otherBucket !== undefined && typeof m.otherBucket !== 'string') fail('otherBucket must be null or a string');
  if (m.tags !== null && m.tags !== undefined && typeof m.tags !== 'string') fail('tags must be null or a string');
  return { ...(m as unknown as CassetteMeta), otherBucket: (m.otherBucket as string | null | undefined) ?? null };
}

export function parseExchanges(text: string, source: string = CASSETTE_FILES.exchanges): Map<string, RecordedExchange[]> {
  const byCase = new Map<string, RecordedExchange[]>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source} line ${i + 1}`;
    let v: unknown;
    try { v = JSON.parse(line); } catch (e) { throw new ReportInputError(`${where} is not JSON: ${(e as Error).message}`); }
    const problem = exchangeProblem(v);
    if (problem) throw new ReportInputError(`${where} is not a recorded exchange: ${problem}`);
    const r = v as RecordedExchange;
    const list = byCase.get(r.caseId) ?? [];
    list.push(r);
    byCase.set(r.caseId, list);
  });
  for (const list of byCase.values()) list.sort((a, b) => a.seq - b.seq);
  return byCase;
}

function exchangeProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  if (typeof r.caseId !== 'string' || r.caseId === '') return 'caseId must be a non-empty string';
  if (typeof r.seq !== 'number') return 'seq must be a number';
  if (!ROLES.includes(r.role as ExchangeRole)) return `role must be one of ${ROLES.join(', ')}`;
  if (r.op !== null && typeof r.op !== 'string') return 'op must be null or a string';
  const x = r.exchange as Record<string, unknown> | undefined;
  if (!x || typeof x !== 'object') return 'exchange must be an object';
  const req = x.request as Record<string, unknown> | undefined;
  if (!req || typeof req.method !== 'string' || typeof req.url !== 'string') return 'exchange.request must have method and url';
  const res = x.response as Record<string, unknown> | null | undefined;
  if (res !== null && (!res || typeof res.status !== 'number' || typeof res.headers !== 'object' || typeof res.body !== 'string')) return 'exchange.response must be null or {status, headers, body}';
  return null;
}

/** Reads a cassette folder; a missing or malformed file is a ReportInputError. */
export function readCassette(dir: string): Cassette {
  if (!isCassetteDir(dir)) throw new ReportInputError(`${dir} is not a cassette (no ${CASSETTE_FILES.meta})`);
  const meta = parseMeta(readText(dir, CASSETTE_FILES.meta), join(dir, CASSETTE_FILES.meta));
  const exchanges = parseExchanges(readText(dir, CASSETTE_FILES.exchanges), join(dir, CASSETTE_FILES.exchanges));
  const results = parseJsonl(readText(dir, CASSETTE_FILES.results), join(dir, CASSETTE_FILES.results));
  return { dir, meta, exchanges, results };
}

/**
 * Writes a cassette folder, redacted (the data, then the text): what the recorder of `ovc run
 * --record` may use, and what the tests build their synthetic cassettes with.
 */
export function writeCassette(dir: string, meta: CassetteMeta, exchanges: readonly RecordedExchange[], results: readonly CaseResult[], secrets: readonly string[] = collectSecrets()): void {
  makeFolder(dir);
  const text = (s: string): string => redactText(s, secrets);
  // Each file replaced whole (files/write.ts): a stopped run leaves the earlier cassette intact.
  writeFileAtomic(join(dir, CASSETTE_FILES.meta), text(`${JSON.stringify(meta, null, 2)}\n`));
  writeFileAtomic(join(dir, CASSETTE_FILES.exchanges), text(exchanges.map((x) => `${JSON.stringify(redactValue(x, secrets))}\n`).join('')));
  writeFileAtomic(join(dir, CASSETTE_FILES.results), text(results.map((r) => `${toJsonLine(redactValue(r, secrets))}\n`).join('')));
}
