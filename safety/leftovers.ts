// Ledgers that outlive their run (DESIGN rule 6). Against a remote target each run keeps its ledger
// in the state folder — `$OVC_STATE_DIR`, else `$XDG_STATE_HOME/ovc`, else `~/.local/state/ovc`,
// or `--state-dir` — under one folder per target (endpoint + bucket):
//
//   <state>/<target key>/<run id>/owner.json     who the run is: pid, host, start, prefix
//   <state>/<target key>/<run id>/ledger.jsonl   what it created (intents first), what it deleted
//
//   <state>/<target key>/<run id>/lease         refreshed every 10 s while the run is alive
//
// A run whose folder is still there after it ended was stopped before its cleanup (kill -9, a
// crash, a CI timeout). The next run against the same target removes what that ledger holds and
// says so; a run whose owner is still alive — on this machine by its pid, elsewhere by its lease —
// is never touched. A ledger that does not check out against its own run id (safety/deleteGate.ts)
// is reported and ignored, never obeyed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { makeFolder, pidIsOvc, pidNamespace, pidVisibleHere, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { TargetClient } from '../client/client.ts';
import type { RunSpec, TargetSpec } from '../client/config.ts';
import { cleanup, type CleanupReport } from './removeCreated.ts';
import { leaseAge, LEASE_FRESH_MS, Ledger } from './ledger.ts';
import { ledgerFolderProblem, OWNER_FILE, RUN_ID } from './deleteGate.ts';
import type { StateHook } from '../scenario/hookClient.ts';
import { defaultStateDir } from './runLimits.ts';

export { OWNER_FILE };

export interface RunOwner {
  runId: string;
  prefix: string;
  pid: number;
  host: string;
  startedAt: string;
  endpoint: string;
  bucket: string;
  otherBucket: string | null;
  /** The pid namespace the pid belongs to (two containers may share a host name): absent in older ledgers. */
  pidNs?: string | null;
}

/** A ledger left on another host is taken for stale only after this long (its pid cannot be checked from here). */
const OTHER_HOST_STALE_MS = 24 * 3600_000;

export { defaultStateDir };

/** One folder name per target: readable host and bucket, and a hash of the exact endpoint and bucket. */
export function targetKey(t: Pick<TargetSpec, 'endpoint' | 'bucket'>): string {
  let host = 'endpoint';
  try { host = new URL(t.endpoint).host.replace(/[^A-Za-z0-9.-]+/g, '_'); } catch { /* keep the generic name */ }
  const hash = createHash('sha256').update(`${t.endpoint}\n${t.bucket}`).digest('hex').slice(0, 12);
  return `${host}-${t.bucket}-${hash}`.slice(0, 120);
}

export function targetStateDir(stateDir: string, t: Pick<TargetSpec, 'endpoint' | 'bucket'>): string {
  return join(stateDir, targetKey(t));
}

/** Where this run's ledger goes (created with its owner file by `openRunLedger`). */
export function runLedgerDir(stateDir: string, t: Pick<TargetSpec, 'endpoint' | 'bucket'>, runId: string): string {
  return join(targetStateDir(stateDir, t), runId);
}

/** Creates the run's ledger folder and writes who owns it, before anything is created. */
export function openRunLedger(target: TargetSpec, run: Pick<RunSpec, 'runId' | 'prefix' | 'ledgerDir'>): Ledger {
  makeFolder(run.ledgerDir);
  const owner: RunOwner = {
    runId: run.runId, prefix: run.prefix, pid: process.pid, host: hostname(), startedAt: new Date().toISOString(),
    endpoint: target.endpoint, bucket: target.bucket, otherBucket: target.otherBucket, pidNs: pidNamespace(),
  };
  writeFileAtomic(join(run.ledgerDir, OWNER_FILE), `${JSON.stringify(owner, null, 2)}\n`);
  const ledger = new Ledger(run.ledgerDir, run.prefix);
  // The lease says "alive" to a cleanup that cannot see this pid (another host or container).
  ledger.holdLease();
  return ledger;
}

/** Ends the run's lease; removes its ledger folder once it holds nothing outstanding, otherwise keeps it for the next run. */
export function closeRunLedger(ledger: Ledger): boolean {
  ledger.releaseLease();
  if (ledger.outstanding('index').length > 0 || ledger.outstanding('bucket').length > 0) return false;
  return removeOurs(ledger.dir);
}

/**
 * Closes a stopped run's ledger once its leftovers were dealt with. Never fails the run that does
 * it: a folder that cannot be removed (another run writing into it as it goes, a file system error)
 * stays for the next run, which looks again.
 */
export function closeStaleLedger(ledger: Ledger): boolean {
  try { return closeRunLedger(ledger); } catch { return false; }
}

function readOwner(dir: string): RunOwner | null {
  try { return JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as RunOwner; } catch { return null; }
}

/**
 * Whether the process that owns a ledger is still running. Where its pid can be looked up (this
 * host, this pid namespace) the pid decides: a live node process. Elsewhere its lease decides
 * (refreshed less than LEASE_FRESH_MS ago); with no lease at all (a ledger of an older ovc), it is
 * taken for alive until 24 h after it started.
 */
export function ownerAlive(o: RunOwner, now = Date.now(), dir: string | null = null): boolean {
  if (!pidVisibleHere(o.host, o.pidNs)) {
    const age = dir === null ? null : leaseAge(dir, now);
    if (age !== null) return age < LEASE_FRESH_MS;
    return now - Date.parse(o.startedAt) < OTHER_HOST_STALE_MS;
  }
  return pidIsOvc(o.pid); // without /proc a live pid is taken for the owner
}

export interface StaleLedger { owner: RunOwner | null; ledger: Ledger; dir: string }

export interface LedgerScan {
  /** Ledgers whose owner is gone: what they hold is to be removed. */
  stale: StaleLedger[];
  /** Run ids whose owner is alive (by pid or lease): nothing of theirs is touched. */
  live: string[];
  /** One sentence per ledger folder that does not check out: reported, never obeyed. */
  ignored: string[];
}

/** The ledgers of earlier runs against this target: stale, alive, or not to be trusted. */
export function scanLedgers(stateDir: string, target: Pick<TargetSpec, 'endpoint' | 'bucket'>, ownRunId: string | null = null, now = Date.now()): LedgerScan {
  const root = targetStateDir(stateDir, target);
  const scan: LedgerScan = { stale: [], live: [], ignored: [] };
  if (!existsSync(root)) return scan;
  for (const runId of readdirSync(root).sort()) {
    if (runId === ownRunId) continue;
    const dir = join(root, runId);
    try { if (!statSync(dir).isDirectory()) continue; } catch { continue; }
    // No owner file: a run in its first moments (its preflight holds a lease, no owner yet), or one
    // stopped while it made its folder. Its lease, if any, counts; so does the folder's own age: a
    // run makes the folder a moment before it writes the lease, and a run starting beside it that
    // took the folder for stale in that moment removed it under the other (seen: two `ovc diff`s
    // against one target, one run crashed on the folder that filled while it was being removed).
    const owner = readOwner(dir);
    const age = leaseAge(dir, now);
    if (owner ? ownerAlive(owner, now, dir) : beingMade(dir, age, now)) { scan.live.push(runId); continue; }
    const ledger = new Ledger(dir, `ovc${runId}`);
    const problem = ledgerFolderProblem(dir, ledger);
    if (problem) { scan.ignored.push(`ignored the ledger in ${dir}: ${problem}; nothing it lists was deleted.`); continue; }
    scan.stale.push({ owner, ledger, dir });
  }
  return scan;
}

/**
 * A ledger folder whose owner.json cannot be read is a run's own while its lease is fresh; with no
 * lease and no owner.json at all yet, while the folder itself is (a folder named like a run: what
 * is not a run's, or holds an owner.json that is not one, is for ledgerFolderProblem to report).
 */
function beingMade(dir: string, leaseAgeMs: number | null, now: number): boolean {
  if (leaseAgeMs !== null) return leaseAgeMs < LEASE_FRESH_MS;
  if (!RUN_ID.test(basename(dir)) || existsSync(join(dir, OWNER_FILE))) return false;
  try { return now - statSync(dir).mtimeMs < LEASE_FRESH_MS; } catch { return false; }
}

/** The ledgers of earlier runs against this target whose owner is gone (and that check out). */
export function staleLedgers(stateDir: string, target: Pick<TargetSpec, 'endpoint' | 'bucket'>, ownRunId: string | null = null): StaleLedger[] {
  return scanLedgers(stateDir, target, ownRunId).stale;
}

export interface LeftoverReport extends CleanupReport {
  /** The runs whose leftovers were looked at. */
  runs: string[];
  /** Indexes (bucket/name) the run deleted. */
  removed: string[];
  /** One sentence per ledger that did not check out and was ignored. */
  ignored: string[];
}

/** What the removal of earlier runs' leftovers did, in one sentence (`ovc run`'s preflight, `ovc pact verify`). */
export function leftoverLine(r: LeftoverReport): string {
  const gone = r.removed.length;
  return `removed ${gone} index(es) left by ${r.runs.length} earlier stopped run(s) on this target (${r.runs.join(', ')})${gone ? `: ${r.removed.join(', ')}` : ''}${r.failures.length ? `; could not remove ${r.failures.length}: ${r.failures.join('; ')} (kept for the next run)` : ''}.`;
}

/**
 * Removes what earlier, stopped runs against this target left (settle-aware, through the run's own
 * client and pacing), and the ledgers that end up empty. Never touches a name outside the prefix of
 * the ledger it comes from.
 */
export async function removeLeftovers(client: TargetClient, stateDir: string, target: TargetSpec, settleMs: number, hook: StateHook | null, ownRunId: string | null, deadline?: () => number): Promise<LeftoverReport> {
  const scan = scanLedgers(stateDir, target, ownRunId);
  const report: LeftoverReport = { deleted: 0, failures: [], runs: [], removed: [], ignored: scan.ignored };
  for (const s of scan.stale) {
    const pending = [...s.ledger.outstanding('index'), ...s.ledger.outstanding('bucket')];
    if (pending.length > 0) {
      report.runs.push(s.owner?.runId ?? s.dir);
      const r = await cleanup(client, s.ledger, { settleMs, hook, deadline });
      report.deleted += r.deleted;
      report.failures.push(...r.failures);
      report.removed.push(...(r.removed ?? []));
    }
    closeStaleLedger(s.ledger);
  }
  return report;
}
