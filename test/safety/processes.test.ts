// DESIGN rule 6, "whatever happens to the run": `ovc run` against a slow target (150–250 ms a
// request, transitions of 200–600 ms, with the state hook) is killed or signalled mid-run, the way
// users, timeouts and CI runners do it. No process of the run may outlive it, nothing may be sent
// after it is gone, and nothing it created may stay on the target — or, where it cannot be removed
// at once, the next run removes it and says so.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { HOSTILE_ENV, startHostileTarget, type HostileTarget } from './hostile-target.ts';
import { alive, descendants, startRun, until, type StartedRun } from './processes.ts';
import { OVC, ROOT, runOvc } from '../selftest/run-cli.ts';
import { staleLedgers } from '../../safety/leftovers.ts';

const RUN_NAME = /^ovc[0-9a-z]{9}/;
let target: HostileTarget;
let stateDir: string;
const tmp = (p: string): string => mkdtempSync(join(tmpdir(), `ovc-safety-${p}-`));

beforeAll(async () => {
  target = await startHostileTarget('faithful', { latencyMs: [150, 250], creatingMs: [200, 600], deletingMs: [200, 600] });
  stateDir = tmp('state');
});
afterAll(async () => { await target.close(); });

function args(out: string): string[] {
  // The lifecycle model creates an index within its first seconds and keeps creating them.
  return ['--endpoint', target.url, '--state-hook', target.hookUrl, '--state-dir', stateDir, '--out', out, '--quiet', '--tags', 'lifecycle || 404-no-such-vector-index', '--runs', '200'];
}

/**
 * Starts a run and waits until its suites hold at least one index of its own (its prefix) on the
 * target — not the preflight's hook probe: the suite child is already running during the preflight,
 * whose probe is ledgered under a lease with no owner file yet (a later run takes it once the lease
 * is a minute old).
 */
async function runHoldingAnIndex(out: string): Promise<{ run: StartedRun; tree: number[] }> {
  const run = startRun(args(out), HOSTILE_ENV);
  let tree: number[] = [];
  await until('the run to hold an index', async () => {
    if (run.child.exitCode !== null) throw new Error(`the run ended early:\n${run.err()}`);
    tree = descendants(run.child.pid!);
    const id = /ovc run ([0-9a-z]{9}):/.exec(run.err())?.[1];
    return id !== undefined && tree.length > 0 && (await target.indexes()).some((n) => n.startsWith(`ovc${id}`) && !n.endsWith('hookprobe'));
  });
  return { run, tree };
}

/** Deleted indexes may read `deleting` for a while (up to 600 ms here): wait until none of a run is listed. */
async function gone(context: string): Promise<void> {
  let left: string[] = [];
  await until(`run indexes to be gone (${context})`, async () => (left = (await target.indexes()).filter((n) => RUN_NAME.test(n))).length === 0, 5000)
    .catch(() => { throw new Error(`still on the target: ${left.join(', ')}\n${context}`); });
}

describe('the run never outlives its parent', () => {
  it('kill -9 of the parent: the suite child stops sending within 2 s, no process is left after 3 s, whatever is left is in the ledger', async () => {
    const { run, tree } = await runHoldingAnIndex(tmp('kill9'));
    expect(tree.length).toBeGreaterThan(0);
    process.kill(run.child.pid!, 'SIGKILL');
    const killedAt = Date.now();
    await run.done;
    // Every process of the run, and any the child starts on its way out (the cleaner), is gone within 3 s.
    const seen = new Set(tree);
    await until('every process of the run to end', () => {
      for (const p of tree) for (const d of descendants(p)) seen.add(d);
      return [...seen].every((p) => !alive(p));
    }, 3000);
    // Nothing was sent to the target more than 2 s after the kill.
    await new Promise((r) => setTimeout(r, 500));
    const late = target.requestTimes.filter((t) => t > killedAt + 2000);
    expect(late).toEqual([]);
    // What the cleaner had no time for is in the run's ledger, for the next run (tested below). An
    // index whose delete was answered 204 just before the kill is struck from the ledger and may
    // still be listed while `deleting` (up to 600 ms here): look once that is over.
    await new Promise((r) => setTimeout(r, 1000));
    const ledgered = new Set(staleLedgers(stateDir, { endpoint: target.url, bucket: 'ovc-conformance' }).flatMap((s) => s.ledger.outstanding().map((e) => e.name)));
    for (const n of (await target.indexes()).filter((x) => RUN_NAME.test(x))) expect(ledgered, `${n} is on the target but in no ledger`).toContain(n);
  }, 60_000);

  it('kill -9 of the parent during its preflight: the suite child, started with the run, leaves at once', async () => {
    // A target and state folder of its own: the preflight's hook probe stays behind under a lease
    // that is fresh for a minute, which the other cases here would take for theirs.
    const own = await startHostileTarget('faithful', { latencyMs: [150, 250], creatingMs: [200, 600], deletingMs: [200, 600] });
    onTestFinished(() => own.close());
    const run = startRun(['--endpoint', own.url, '--state-hook', own.hookUrl, '--state-dir', tmp('state-preflight'), '--out', tmp('kill9-preflight'), '--quiet', '--tags', '404-no-such-vector-index', '--runs', '2'], HOSTILE_ENV);
    let tree: number[] = [];
    // The child exists from the run's start; the preflight (several 150–250 ms requests) is still on
    // when the run has said its id but not yet how many workers it fitted to the target.
    await until('the suite child during the preflight', () => {
      if (run.child.exitCode !== null) throw new Error(`the run ended early:\n${run.err()}`);
      tree = descendants(run.child.pid!);
      return tree.length > 0 && /ovc run [0-9a-z]{9}:/.test(run.err());
    });
    expect(run.err()).not.toMatch(/worker\(s\), \d+ case\(s\) in flight/);
    process.kill(run.child.pid!, 'SIGKILL');
    await run.done;
    await until('every process of the run to end', () => tree.every((p) => !alive(p) && descendants(p).every((d) => !alive(d))), 3000);
  }, 60_000);

  it('kill -9 of the parent the moment its suite child exists (the child still loading vitest): the child leaves too', async () => {
    for (let round = 0; round < 3; round++) {
      const run = startRun(['--out', tmp(`kill9-early-${round}`), '--quiet', '--tags', '404-no-such-bucket'], {}, process.env.OVC_TEST_BIN ?? OVC);
      let tree: number[] = [];
      await until('the suite child', () => {
        if (run.child.exitCode !== null) throw new Error(`the run ended early:\n${run.err()}`);
        tree = descendants(run.child.pid!);
        return tree.length > 0;
      }, 10_000);
      process.kill(run.child.pid!, 'SIGKILL');
      await until('every process of the run to end', () => tree.every((p) => !alive(p)), 3000);
    }
  }, 60_000);

  it('SIGTERM to the process group (a CI runner\'s stop): clean exit 2, truthful counts, nothing left', async () => {
    const { run } = await runHoldingAnIndex(tmp('term'));
    process.kill(-run.child.pid!, 'SIGTERM');
    const code = await run.done;
    expect(code).toBe(2);
    expect(run.err()).toMatch(/SIGTERM: stopping the suites/);
    const line = /the run was stopped after (\d+) finished case\(s\) and (\d+) request\(s\) \((\d+) by the suites\); cleanup removed (\d+) index\(es\)(.*); nothing the run created is left/.exec(run.err());
    expect(line, run.err()).not.toBeNull();
    expect(Number(line![2])).toBeGreaterThan(0);
    expect(Number(line![4])).toBeGreaterThan(0);
    await gone(run.err());
    expect(descendants(run.child.pid!)).toEqual([]);
  }, 60_000);

  it('kill -9 of the whole group, then a new run with another --out: the leftovers are removed and reported', async () => {
    const { run } = await runHoldingAnIndex(tmp('killgroup'));
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.done;
    const left = (await target.indexes()).filter((n) => RUN_NAME.test(n));
    expect(left.length).toBeGreaterThan(0);
    const next = await runOvc(['run', '--endpoint', target.url, '--state-hook', target.hookUrl, '--state-dir', stateDir, '--out', tmp('next'), '--quiet', '--tags', '404-no-such-vector-index', '--runs', '2'], HOSTILE_ENV, 120_000);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/removed \d+ index\(es\) left by 1 earlier stopped run\(s\) on this target/);
    for (const n of left) expect(next.stderr).toContain(n);
    await gone(next.stderr);
  }, 120_000);

  it('kill -9 of `ovc diff`: the `ovc run` it started stops within moments and removes what it created', async () => {
    const out = tmp('diff');
    const diff = spawn(process.execPath, [OVC, 'diff', '--endpoint', target.url, '--state-hook', target.hookUrl, '--against', 'embedded', '--tags', 'lifecycle || 404-no-such-vector-index', '--runs', '200', '--out', out], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...HOSTILE_ENV, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    });
    let stderr = '';
    diff.stderr!.on('data', (d) => { stderr += d; });
    const done = new Promise<void>((resolve) => diff.on('close', () => resolve()));
    let tree: number[] = [];
    await until('the diff\'s run to hold an index', async () => {
      if (diff.exitCode !== null) throw new Error(`ovc diff ended early:\n${stderr}`);
      tree = descendants(diff.pid!);
      return tree.length > 0 && (await target.indexes()).some((n) => RUN_NAME.test(n));
    });
    process.kill(diff.pid!, 'SIGKILL');
    await done;
    // Its runs are no longer its children (they were re-parented): the ones seen before the kill,
    // and whatever they start on their way out, must all end — stopped, not run to completion.
    const seen = new Set(tree);
    await until('every run the diff started to end', () => {
      for (const p of tree) for (const d of descendants(p)) seen.add(d);
      return [...seen].every((p) => !alive(p));
    }, 15_000);
    await gone('after kill -9 of ovc diff');
  }, 90_000);
});
