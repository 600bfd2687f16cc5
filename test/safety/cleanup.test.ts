// `ovc cleanup`: for CI workspaces where no ledger survives. It deletes only names of the run shape
// whose run started longer ago than the longest a run lasts (and --older-than) and whose createTime
// falls inside that run — and only with --yes. A user's index with a similar name, a run-shaped name
// created at another time, or one whose own part no run makes, is never touched; a stopped run's
// ledger entries are listed only when they still exist.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId, prefixFor } from '../../client/config.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { runLedgerDir } from '../../safety/leftovers.ts';
import { HOSTILE_ENV, startHostileTarget, type HostileTarget } from './hostile-target.ts';
import { runOvc } from '../selftest/run-cli.ts';

let target: HostileTarget;
/** The emulator's clock, moved back while an index is made "hours ago". */
let clockOffsetMs = 0;
const state = mkdtempSync(join(tmpdir(), 'ovc-cleanup-state-'));
const HOUR = 3600_000;
// A run that started 8 hours ago, its index made 7 hours ago (inside the 6 h a run may last) …
const oldRun = `${prefixFor(newRunId(Date.now() - 8 * HOUR))}lifecycle0`;
// … one that started 3 hours ago (it may still be running, whatever --older-than says) …
const youngRun = `${prefixFor(newRunId(Date.now() - 3 * HOUR))}lifecycle0`;
// … one whose name says 2 days ago, though it was created now: not made by that run …
const misdated = `${prefixFor(newRunId(Date.now() - 48 * HOUR))}x`;
// … a name of the tester's own in the run shape, dated right, whose own part no run makes (digits) …
const digits = `${prefixFor(newRunId(Date.now() - 8 * HOUR))}000`;
// … and the user's own, one of them in a shape close to the run's.
const users = ['ovcproduction', 'ovcabcdefghij', 'myIndex'];
// A stopped run's ledger: three names written down, only one of which still exists.
const stoppedRunId = newRunId(Date.now() - 8 * HOUR);
const ledgered = ['a0', 'b0', 'c0'].map((p) => `${prefixFor(stoppedRunId)}${p}`);

beforeAll(async () => {
  target = await startHostileTarget('faithful', { now: () => new Date(Date.now() + clockOffsetMs) });
  const hook = new StateHook(target.hookUrl);
  clockOffsetMs = -7 * HOUR;
  for (const indexName of [oldRun, digits, ledgered[0]!]) await hook.setup(STATES.indexExists, { bucket: 'ovc-conformance', indexName });
  clockOffsetMs = 0;
  for (const indexName of [youngRun, misdated, ...users]) await hook.setup(STATES.indexExists, { bucket: 'ovc-conformance', indexName });
  const dir = runLedgerDir(state, { endpoint: target.url, bucket: 'ovc-conformance' }, stoppedRunId);
  mkdirSync(dir, { recursive: true });
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, 'owner.json'), JSON.stringify({ runId: stoppedRunId, prefix: prefixFor(stoppedRunId), pid: deadPid, host: hostname(), startedAt: new Date(Date.now() - 8 * HOUR).toISOString(), endpoint: target.url, bucket: 'ovc-conformance', otherBucket: null }));
  writeFileSync(join(dir, 'ledger.jsonl'), ledgered.map((name) => `${JSON.stringify({ kind: 'index', bucket: 'ovc-conformance', name, event: 'created' })}\n`).join(''));
});
afterAll(async () => { await target.close(); });

const cleanup = (extra: string[]): ReturnType<typeof runOvc> => runOvc(['cleanup', '--endpoint', target.url, '--state-dir', state, ...extra], HOSTILE_ENV, 60_000);

describe('ovc cleanup', () => {
  it('without --yes lists what exists and it would delete, says which ledger entries are already gone, and deletes nothing', async () => {
    const r = await cleanup(['--older-than', '1h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ovc: --older-than is raised to 6h, the longest a run lasts');
    expect(r.stdout).toContain(`would delete  ovc-conformance/${oldRun}`);
    expect(r.stdout).toContain(`would delete  ovc-conformance/${ledgered[0]}  (ledger of run ${stoppedRunId}`);
    for (const gone of ledgered.slice(1)) expect(r.stdout).toContain(`gone  ovc-conformance/${gone}  (ledger of run ${stoppedRunId}: already gone)`);
    expect(r.stdout).toMatch(new RegExp(`keep  ovc-conformance/${youngRun} .*less than 6 h ago and may still be running`));
    expect(r.stdout).toMatch(new RegExp(`keep  ovc-conformance/${misdated} .*outside its run's time`));
    expect(r.stdout).toMatch(new RegExp(`keep  ovc-conformance/${digits} .*does not start with a letter`));
    expect(r.stdout).toMatch(/2 index\(es\) or bucket\(s\) would be deleted; run again with --yes/);
    expect((await target.indexes()).sort()).toEqual([oldRun, youngRun, misdated, digits, ledgered[0]!, ...users].sort());
  });

  it('with --yes deletes exactly the confirmed run index and the ledgered one; the user\'s indexes and the unconfirmed ones stay', async () => {
    const r = await cleanup(['--older-than', '0s', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deleted 2 index\(es\) or bucket\(s\)\./);
    expect((await target.indexes()).sort()).toEqual([youngRun, misdated, digits, ...users].sort());
  });

  it('a bad --older-than is a usage error', async () => {
    const r = await cleanup(['--older-than', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--older-than must be a whole number with a unit s, m, h or d/);
  });
});
