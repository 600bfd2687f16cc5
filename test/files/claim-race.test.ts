// Two ovc processes claiming outputs under the same new folder at the same moment: shards of one
// run started side by side (`--out reports/shard-1`, `--out reports/shard-2` with no reports/ yet),
// or the first two runs on a machine claiming the new state folder. Each must get its folder; none
// may be refused because the other made the shared folder (EEXIST) or its mark between a look and a
// write. Threads released together through a SharedArrayBuffer make the moment, many times over;
// before files/write.ts took a folder or mark made at that moment for what it wanted, 26–53 of the
// 240 claims were refused ("it appeared while ovc was writing it").
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { OUTPUT_MARK } from '../../files/gate.ts';

const GATE = new URL('../../dist/files/gate.js', import.meta.url).href;
const THREADS = 4;
const TRIALS = 60;

// Per trial: say it is at the gate (slot 1), wait there (slot 0), then claim its own folder inside
// the shared new one and the shared new state folder; answer with the refusal it met, or null.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.gate).then(({ claimOutputs }) => {
  parentPort.on('message', ({ flag, out, state }) => {
    const f = new Int32Array(flag);
    Atomics.add(f, 1, 1);
    Atomics.wait(f, 0, 0);
    try {
      claimOutputs([{ flag: '--out', path: out, kind: 'folder' }, { flag: '--state-dir', path: state, kind: 'folder' }]);
      parentPort.postMessage(null);
    } catch (e) { parentPort.postMessage(String((e && e.message) || e)); }
  });
  parentPort.postMessage('loaded');
});
`;

const next = (w: Worker): Promise<string | null> => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });

describe('claims made at the same moment under one new folder', () => {
  it(`each of ${THREADS} threads gets its folder, ${TRIALS} times over`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'ovc-claim-race-'));
    const workers = Array.from({ length: THREADS }, () => new Worker(WORKER, { eval: true, workerData: { gate: GATE } }));
    const refused: string[] = [];
    try {
      await Promise.all(workers.map(next));
      for (let i = 0; i < TRIALS; i++) {
        const flag = new SharedArrayBuffer(8);
        const f = new Int32Array(flag);
        const answers = workers.map(next);
        workers.forEach((w, k) => w.postMessage({ flag, out: join(root, `t${i}`, 'reports', `shard-${k + 1}`), state: join(root, `t${i}`, 'state', 'ovc') }));
        while (Atomics.load(f, 1) < THREADS) await new Promise((r) => setTimeout(r, 1));
        Atomics.store(f, 0, 1);
        Atomics.notify(f, 0);
        refused.push(...(await Promise.all(answers)).filter((a): a is string => a !== null));
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    expect(refused).toEqual([]);
    for (let i = 0; i < TRIALS; i++) {
      expect(readdirSync(join(root, `t${i}`, 'reports')).sort()).toEqual(['shard-1', 'shard-2', 'shard-3', 'shard-4']);
      expect(readdirSync(join(root, `t${i}`, 'state', 'ovc'))).toEqual([OUTPUT_MARK]);
    }
  });
});
