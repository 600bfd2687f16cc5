// Ledgers that outlive their run (DESIGN rule 6). Against a remote target each run keeps its ledger
// in the state folder — `$OVC_STATE_DIR`, else `$XDG_STATE_HOME/ovc`, else `~/.local/state/ovc`,
// or `--state-dir` — under one folder per target (endpoint + bucket):
//
//   <state>/<target key>/<run id>/owner.json     who the run is: pid, host, start, prefix
//   <state>/<target key>/<run id>/ledger.jsonl   what it created (intents first), what it deleted
//
// A run whose folder is still there after it ended was stopped before its cleanup (kill -9, a
// crash, a CI timeout). The next run against the same target removes what that ledger holds and
// says so; a run whose owner is still alive on this machine is never touched.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { makeFolder, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type { TargetClient } from '../client/client.ts';
import type { RunSpec, TargetSpec } from '../client/config.ts';
import { cleanup, type CleanupReport } from './removeCreated.ts';
import { Ledger } from './ledger.ts';
import type { StateHook } from '../scenario/hookClient.ts';

export const OWNER_FILE = 'owner.json';

export interface RunOwner {
  runId: string;
  prefix: string;
  pid: number;
  host: string;
  startedAt: string;
  endpoint: string;
  bucket: string;
  otherBucket: string | null;
}

/** A ledger left on another host is taken for stale only after this long (its pid cannot be checked from here). */
const OTHER_HOST_STALE_MS = 24 * 3600_000;

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OVC_STATE_DIR) return env.OVC_STATE_DIR;
  const xdg = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(xdg, 'ovc');
}

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
    endpoint: target.endpoint, bucket: target.bucket, otherBucket: target.otherBucket,
  };
  writeFileAtomic(join(run.ledgerDir, OWNER_FILE), `${JSON.stringify(owner, null, 2)}\n`);
  return new Ledger(run.ledgerDir, run.prefix);
}

/** Removes the run's ledger folder once it holds nothing outstanding; otherwise keeps it for the next run. */
export function closeRunLedger(ledger: Ledger): boolean {
  if (ledger.outstanding('index').length > 0 || ledger.outstanding('bucket').length > 0) return false;
  return removeOurs(ledger.dir);
}

function readOwner(dir: string): RunOwner | null {
  try { return JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as RunOwner; } catch { return null; }
}

/** Whether the process that owns a ledger is still running (on this host: its pid is a live node process). */
export function ownerAlive(o: RunOwner, now = Date.now()): boolean {
  if (o.host !== hostname()) return now - Date.parse(o.startedAt) < OTHER_HOST_STALE_MS;
  if (o.pid === process.pid) return true;
  try { process.kill(o.pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    const cmd = readFileSync(`/proc/${o.pid}/cmdline`, 'utf8');
    return /node|ovc/.test(cmd);
  } catch { return true; } // no /proc: a live pid is taken for the owner
}

export interface StaleLedger { owner: RunOwner | null; ledger: Ledger; dir: string }

/** The ledgers of earlier runs against this target whose owner is gone. */
export function staleLedgers(stateDir: string, target: Pick<TargetSpec, 'endpoint' | 'bucket'>, ownRunId: string | null = null): StaleLedger[] {
  const root = targetStateDir(stateDir, target);
  if (!existsSync(root)) return [];
  const out: StaleLedger[] = [];
  for (const runId of readdirSync(root).sort()) {
    if (runId === ownRunId) continue;
    const dir = join(root, runId);
    try { if (!statSync(dir).isDirectory()) continue; } catch { continue; }
    const owner = readOwner(dir);
    if (owner && ownerAlive(owner)) continue;
    // No owner file: the run was stopped while it made its folder, before it created anything.
    const prefix = owner?.prefix ?? `ovc${runId}`;
    out.push({ owner, ledger: new Ledger(dir, prefix), dir });
  }
  return out;
}

export interface LeftoverReport extends CleanupReport {
  /** The runs whose leftovers were looked at. */
  runs: string[];
  /** Indexes (bucket/name) the run deleted. */
  removed: string[];
}

/**
 * Removes what earlier, stopped runs against this target left (settle-aware, through the run's own
 * client and pacing), and the ledgers that end up empty. Never touches a name outside the prefix of
 * the ledger it comes from.
 */
export async function removeLeftovers(client: TargetClient, stateDir: string, target: TargetSpec, settleMs: number, hook: StateHook | null, ownRunId: string | null, deadline?: () => number): Promise<LeftoverReport> {
  const report: LeftoverReport = { deleted: 0, failures: [], runs: [], removed: [] };
  for (const s of staleLedgers(stateDir, target, ownRunId)) {
    const pending = [...s.ledger.outstanding('index'), ...s.ledger.outstanding('bucket')];
    if (pending.length > 0) {
      report.runs.push(s.owner?.runId ?? s.dir);
      const r = await cleanup(client, s.ledger, settleMs, hook, deadline);
      report.deleted += r.deleted;
      report.failures.push(...r.failures);
      report.removed.push(...(r.removed ?? []));
    }
    closeRunLedger(s.ledger);
  }
  return report;
}
