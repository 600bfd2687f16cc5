// The run's work folder: the one channel by which what the suite workers find reaches `ovc run`.
// Workers (threads of the suite child, suites/harness.ts) append their case records, the exchanges
// of a recorded run and their pacing counters; the child leaves its status; the parent reads them
// all back after the child ended (`readWorkFolder`, for run/session.ts alone). Files, not messages, because they
// survive what ends the child: a run stopped by a signal or a kill still reports every case a
// worker finished (records are flushed at least twice a second). Every name is made and read here.
//
//   cases-<pid>-<thread>.jsonl       one CaseResult a line (reports/model.ts)
//   exchanges-<pid>-<thread>.jsonl   one recorded exchange a line (only with --record)
//   stats-<pid>-<thread>.json        the worker's PacingStats + peak live indexes
//   suite-status.json                whether vitest could run the suites at all
//
// The folder is a fresh temporary one (`ovc-run-<pid>-<run id>-*` in the system's temp folder,
// files/write.ts makeWorkFolder), removed when the run ends; one whose owning process is gone is
// removed by the next run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendText, makeFolder, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { join } from 'node:path';
import type { PacingStats } from '../client/pacing.ts';
import type { EvidenceNotKept } from './evidence.ts';
import type { CaseResult } from '../reports/model.ts';

export interface WorkerStats extends PacingStats { peakIndexes: number; evidenceNotKept?: EvidenceNotKept }

/** What the child passes back besides the case records. */
export interface SuiteStatus {
  broken: string | null;
  /** Requests the suite workers sent, counted as they left (client/gauges.ts); absent from a killed child. */
  sent?: number;
}

/** Everything the work folder holds at the end of the suites, read once. */
export interface WorkFolderContents {
  cases: CaseResult[];
  stats: WorkerStats;
  /** The recorded exchanges (`--record`), one JSON text a line. */
  exchanges: string[];
  /** The child's last word, or null when it was killed before it could write one. */
  status: SuiteStatus | null;
}

/** The whole work folder, read once by the run session when the suite child has ended. */
export function readWorkFolder(dir: string, withExchanges: boolean): WorkFolderContents {
  return { cases: readCaseRecords(dir), stats: readWorkerStats(dir), exchanges: withExchanges ? readExchangeLines(dir) : [], status: readSuiteStatus(dir) };
}

const STATUS_FILE = 'suite-status.json';
export function removeWorkFolder(dir: string): void {
  removeOurs(dir);
}

/** The writing end of one worker thread. */
export class WorkerChannel {
  private readonly cases: string;
  private readonly exchanges: string;
  private readonly stats: string;
  constructor(readonly dir: string, pid: number, thread: number) {
    makeFolder(dir);
    this.cases = join(dir, `cases-${pid}-${thread}.jsonl`);
    this.exchanges = join(dir, `exchanges-${pid}-${thread}.jsonl`);
    this.stats = join(dir, `stats-${pid}-${thread}.json`);
  }

  /** Appends already serialised lines (each ends in a newline). */
  appendCases(lines: readonly string[]): void { if (lines.length) appendText(this.cases, lines.join('')); }
  appendExchanges(lines: readonly string[]): void { if (lines.length) appendText(this.exchanges, lines.join('')); }
  writeStats(s: WorkerStats): void { writeFileAtomic(this.stats, JSON.stringify(s)); }
}

/** The child's last word: written when vitest returned (a killed child writes none). */
export function writeSuiteStatus(dir: string, status: SuiteStatus): void {
  writeFileAtomic(join(dir, STATUS_FILE), JSON.stringify(status));
}

export function readSuiteStatus(dir: string): SuiteStatus | null {
  const f = join(dir, STATUS_FILE);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) as SuiteStatus : null;
}

function linesOf(dir: string, prefix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.startsWith(prefix)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) out.push(line);
  }
  return out;
}

/** Every case record the workers wrote, sorted by id. A line cut by a kill is dropped. */
export function readCaseRecords(dir: string): CaseResult[] {
  const out: CaseResult[] = [];
  for (const line of linesOf(dir, 'cases-')) {
    try { out.push(JSON.parse(line) as CaseResult); } catch { /* the last line of a killed worker */ }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The recorded exchanges (`--record`), one JSON text a line, in the workers' order. */
export function readExchangeLines(dir: string): string[] {
  return linesOf(dir, 'exchanges-').filter((l) => { try { JSON.parse(l); return true; } catch { return false; } });
}

/** The workers' pacing counters, summed (peak: the largest of any worker). */
export function readWorkerStats(dir: string): WorkerStats {
  const sum: WorkerStats = { requests: 0, throttled: 0, retries: 0, gaveUp: 0, peakIndexes: 0, evidenceNotKept: { bodies: 0, bytes: 0 } };
  if (!existsSync(dir)) return sum;
  for (const f of readdirSync(dir).filter((n) => n.startsWith('stats-'))) {
    let s: WorkerStats;
    try { s = JSON.parse(readFileSync(join(dir, f), 'utf8')) as WorkerStats; } catch { continue; }
    sum.requests += s.requests; sum.throttled += s.throttled; sum.retries += s.retries; sum.gaveUp += s.gaveUp;
    sum.peakIndexes = Math.max(sum.peakIndexes, s.peakIndexes);
    sum.evidenceNotKept!.bodies += s.evidenceNotKept?.bodies ?? 0;
    sum.evidenceNotKept!.bytes += s.evidenceNotKept?.bytes ?? 0;
  }
  return sum;
}
