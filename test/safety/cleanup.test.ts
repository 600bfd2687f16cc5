// `ovc cleanup`: for CI workspaces where no ledger survives. It deletes only names of the run shape
// whose run started longer ago than --older-than and whose createTime falls inside that run — and
// only with --yes. A user's index with a similar name, or a run-shaped name created at another
// time, is never touched.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId, prefixFor } from '../../client/config.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { HOSTILE_ENV, startHostileTarget, type HostileTarget } from './hostile-target.ts';
import { runOvc } from '../selftest/run-cli.ts';

let target: HostileTarget;
const state = mkdtempSync(join(tmpdir(), 'ovc-cleanup-state-'));
// A run that started 3 hours ago (its index, made now, is inside the 24 h a run may last) …
const oldRun = `${prefixFor(newRunId(Date.now() - 3 * 3600_000))}lifecycle0`;
// … one that started 10 minutes ago (younger than --older-than 1h) …
const youngRun = `${prefixFor(newRunId(Date.now() - 10 * 60_000))}lifecycle0`;
// … one whose name says 2 days ago, though it was created now: not made by that run …
const misdated = `${prefixFor(newRunId(Date.now() - 48 * 3600_000))}x`;
// … and the user's own, one of them in a shape close to the run's.
const users = ['ovcproduction', 'ovcabcdefghij', 'myIndex'];

beforeAll(async () => {
  target = await startHostileTarget('faithful');
  const hook = new StateHook(target.hookUrl);
  for (const indexName of [oldRun, youngRun, misdated, ...users]) await hook.setup(STATES.indexExists, { bucket: 'ovc-conformance', indexName });
});
afterAll(async () => { await target.close(); });

const cleanup = (extra: string[]): ReturnType<typeof runOvc> => runOvc(['cleanup', '--endpoint', target.url, '--state-dir', state, '--older-than', '1h', ...extra], HOSTILE_ENV, 60_000);

describe('ovc cleanup', () => {
  it('without --yes lists what it would delete and deletes nothing', async () => {
    const r = await cleanup([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`would delete  ovc-conformance/${oldRun}`);
    expect(r.stdout).toMatch(new RegExp(`keep  ovc-conformance/${youngRun} .*less than --older-than`));
    expect(r.stdout).toMatch(new RegExp(`keep  ovc-conformance/${misdated} .*not the run's`));
    expect(r.stdout).toMatch(/1 index\(es\) would be deleted; run again with --yes/);
    expect((await target.indexes()).sort()).toEqual([oldRun, youngRun, misdated, ...users].sort());
  });

  it('with --yes deletes exactly the confirmed run index; the user\'s indexes and the unconfirmed ones stay', async () => {
    const r = await cleanup(['--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deleted 1 index\(es\)\./);
    expect((await target.indexes()).sort()).toEqual([youngRun, misdated, ...users].sort());
  });

  it('a bad --older-than is a usage error', async () => {
    const r = await cleanup(['--older-than', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--older-than must be a whole number with a unit s, m, h or d/);
  });
});
