// What may delete an index outside a case under test (issue 25 §2): `ovc cleanup` run while a run is
// alive takes none of its indexes — whether it sees the run's ledger (the same state folder: pid and
// lease) or not (a new CI workspace: the run started less than the longest run ago); and a ledger
// planted in the state folder whose owner.json does not check out is reported by the next run in one
// line and never obeyed. Against a loopback target with 150–250 ms latency and slow transitions.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { claimOutputDir } from '../../cli/paths.ts';
import { runLedgerDir } from '../../safety/leftovers.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { HOSTILE_ENV, startHostileTarget, type HostileTarget } from './hostile-target.ts';
import { startRun, until } from './processes.ts';
import { runOvc } from '../selftest/run-cli.ts';

let target: HostileTarget;
const tmp = (p: string): string => mkdtempSync(join(tmpdir(), `ovc-deletes-${p}-`));

beforeAll(async () => {
  target = await startHostileTarget('faithful', { latencyMs: [150, 250], creatingMs: [500, 1500], deletingMs: [200, 600] });
});
afterAll(async () => { await target.close(); await closeTransport(); });

describe('ovc cleanup during a live run', () => {
  it('deletes none of the live run\'s indexes, with the run\'s state folder or without it, even with --older-than 1s --yes', async () => {
    const stateDir = tmp('state');
    const run = startRun(['--endpoint', target.url, '--state-hook', target.hookUrl, '--state-dir', stateDir, '--out', tmp('out'), '--quiet', '--tags', 'lifecycle || 404-no-such-vector-index', '--runs', '200'], HOSTILE_ENV);
    try {
      let id = '';
      await until('the run to hold an index', async () => {
        if (run.child.exitCode !== null) throw new Error(`the run ended early:\n${run.err()}`);
        id = /ovc run ([0-9a-z]{9}):/.exec(run.err())?.[1] ?? '';
        return id !== '' && (await target.indexes()).some((n) => n.startsWith(`ovc${id}`));
      });
      // Each cleanup must see one of the run's indexes (they come and go): asked again until it does.
      for (const state of [stateDir, tmp('fresh-workspace')]) {
        let saw = false;
        for (let attempt = 0; !saw && attempt < 10 && run.child.exitCode === null; attempt++) {
          const r = await runOvc(['cleanup', '--endpoint', target.url, '--state-dir', state, '--older-than', '1s', '--yes'], HOSTILE_ENV, 60_000);
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout).not.toMatch(/^delete {2}/m);
          expect(r.stdout).not.toMatch(/deleted [1-9]/);
          saw = new RegExp(`^keep {2}ovc-conformance/ovc${id}\\S* +\\(name: its run (is alive|started less than 6 h ago)`, 'm').test(r.stdout);
        }
        expect(saw, `no cleanup saw an index of run ${id} while it ran`).toBe(true);
      }
    } finally {
      process.kill(-run.child.pid!, 'SIGTERM');
      await run.done;
    }
  });
});

describe('a planted ledger', () => {
  it('is reported by the next run in one line and never obeyed: the indexes and the bucket it lists stay', async () => {
    const hook = new StateHook(target.hookUrl);
    const precious = ['prodembeddings', 'precioususerindex'];
    for (const indexName of precious) await hook.setup(STATES.indexExists, { bucket: 'ovc-conformance', indexName });
    await hook.setup(STATES.bucketExists, { bucket: 'preciousbucket' });
    // A state folder an earlier ovc wrote (restored from a CI cache, say), with a ledger planted in it.
    const state = claimOutputDir('--state-dir', tmp('planted'));
    const dir = runLedgerDir(state, { endpoint: target.url, bucket: 'ovc-conformance' }, 'htqoe5efh');
    mkdirSync(dir, { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({ runId: 'htqoe5efh', prefix: '', pid: deadPid, host: hostname(), startedAt: new Date().toISOString(), endpoint: target.url, bucket: 'ovc-conformance', otherBucket: null }));
    writeFileSync(join(dir, 'ledger.jsonl'), [
      ...precious.map((name) => ({ kind: 'index', bucket: 'ovc-conformance', name, event: 'created' })),
      { kind: 'bucket', bucket: 'preciousbucket', name: 'preciousbucket', event: 'created' },
    ].map((e) => `${JSON.stringify(e)}\n`).join(''));

    const r = await runOvc(['run', '--endpoint', target.url, '--state-dir', state, '--out', tmp('out'), '--quiet', '--tags', '404-no-such-bucket'], HOSTILE_ENV, 120_000);
    const said = `${r.stdout}${r.stderr}`;
    expect(said.match(/ignored the ledger/g), said).toHaveLength(1);
    expect(said).toMatch(/^ovc: ignored the ledger in \S+htqoe5efh: its owner\.json gives the prefix "", not 'ovchtqoe5efh'; nothing it lists was deleted\.$/m);
    expect(said).not.toMatch(/removed \d+ index\(es\) left by/);
    expect((await target.indexes()).filter((n) => precious.includes(n)).sort()).toEqual([...precious].sort());
    const direct = new TargetClient(targetSpec({ endpoint: target.emulator.url, bucket: 'preciousbucket' }), { main: { accessKeyId: HOSTILE_ENV.OSS_ACCESS_KEY_ID, accessKeySecret: HOSTILE_ENV.OSS_ACCESS_KEY_SECRET }, denied: null });
    expect((await direct.op('GetVectorBucket')).status).toBe(200);
  });
});
