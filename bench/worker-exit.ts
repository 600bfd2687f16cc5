// What a stopped suite child's exit costs (run/child.ts `leaveNow`): a process with N worker threads,
// each holding the modules a suite thread loads (undici, fast-check) and some heap, ends either with
// process.exit(0) — Node ends and joins every thread's isolate in turn before the process goes — or
// with SIGKILL to itself (the kernel ends it, no teardown). Measured: from the call to the moment the
// parent sees the child's 'exit' event, which is what a stopped run waits for. Alternating, rounds of
// one child each; `--hogs K` runs K busy loops beside it (a loaded CI machine).
//   npx tsx bench/worker-exit.ts [--workers 6] [--rounds 10] [--hogs 0] [--name worker-exit]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const WORKERS = numArg('workers', 6);
const ROUNDS = Math.max(3, numArg('rounds', 10));
const HOGS = numArg('hogs', 0);
const NAME = strArg('name', 'worker-exit');

const require = createRequire(join(ROOT, 'package.json'));
const CHILD = `
import { Worker } from 'node:worker_threads';
const [n, mode] = [Number(process.argv[2]), process.argv[3]];
const body = \`require(\${JSON.stringify(${JSON.stringify(require.resolve('undici'))})}); require(\${JSON.stringify(${JSON.stringify(require.resolve('fast-check'))})});
const keep = []; for (let i = 0; i < 200000; i++) keep.push({ i }); globalThis.keep = keep;
setInterval(() => {}, 1000); require('node:worker_threads').parentPort.postMessage('up');\`;
let up = 0;
for (let i = 0; i < n; i++) new Worker(body, { eval: true }).on('message', () => {
  if (++up < n) return;
  process.send(Date.now(), () => { if (mode === 'kill') process.kill(process.pid, 'SIGKILL'); else process.exit(0); });
});
`;

function once(file: string, mode: 'exit' | 'kill'): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = fork(file, [String(WORKERS), mode], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let t0 = 0;
    c.on('message', (t) => { t0 = t as number; });
    c.on('error', reject);
    c.on('exit', () => (t0 ? resolve(Date.now() - t0) : reject(new Error('the child ended before its threads were up'))));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-bench-worker-exit-'));
  const file = join(dir, 'child.mjs');
  writeFileSync(file, CHILD);
  const hogs: ChildProcess[] = [];
  for (let i = 0; i < HOGS; i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  const samples: Record<'exit' | 'kill', number[]> = { exit: [], kill: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order: Array<'exit' | 'kill'> = r % 2 ? ['kill', 'exit'] : ['exit', 'kill'];
      for (const m of order) samples[m].push(await once(file, m));
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  const s = { exit: summarize(samples.exit), kill: summarize(samples.kill) };
  console.log(`${WORKERS} worker threads, ${ROUNDS} rounds, ${HOGS} busy loop(s) beside it: ms from the call to the parent's 'exit' event`);
  console.log(table(['ending', 'median (min–max)'], [['process.exit(0)', fmtSummary(s.exit)], ['SIGKILL to itself', fmtSummary(s.kill)]]));
  const file2 = writeResult(NAME, { settings: { workers: WORKERS, rounds: ROUNDS, hogs: HOGS }, samples, summary: s });
  console.log(`\n${file2}`);
}

await main();
