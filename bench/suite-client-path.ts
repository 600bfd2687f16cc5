// The suite's own per-request path (generate → sign → send → check → record, the property driver
// of suites/property.ts) against a bare undici loop sending the same signed requests, to the same
// `ovc serve`, side by side in one process and one run. Round 1 is reported apart: it is the cold
// start (JIT warm-up) that a short `ovc run` pays; later rounds are the steady state.
//   npx tsx bench/suite-client-path.ts [--rounds 6] [--requests 2000]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { validBody } from '../generators/body.ts';
import { absentIndexName } from '../generators/indexName.ts';
import { expectedFor } from '../generators/oracle.ts';
import { runSpec, targetSpec } from '../client/config.ts';
import { numArg } from './lib/cli.ts';
import { machine, table, writeResult } from './lib/report.ts';
import { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION, startOvcServe } from './lib/servers.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const rounds = numArg('rounds', 6);
const count = numArg('requests', 2000);
const server = await startOvcServe({ bucket: 'examplebucket' });
const work = mkdtempSync(join(tmpdir(), 'ovc-bench-client-'));
const target = targetSpec({ endpoint: `http://127.0.0.1:${server.port}`, region: BENCH_REGION, bucket: 'examplebucket', accountId: BENCH_ACCOUNT, addressing: 'path', name: 'bench', timeoutMs: 10_000 });
const run = runSpec(target, { runId: 'bench', seed: 1, runs: count, outDir: work, workDir: work, workers: 1, pacing: { putIndexRps: 0 } });
const { initContext } = await import('../suites/harness.ts');
const ctx = initContext({ target, run, identities: { main: { ...BENCH_KEY }, denied: null } });
const { propertyCases } = await import('../suites/property.ts');
const { expectOracle, oracleSpec } = await import('../suites/common.ts');
const { client } = ctx;
const arb = validBody(absentIndexName('ovcbenchn')).map((c) => ({ ...c, labels: [...c.labels, 'index-absent'] }));
const bare = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

const suiteRates: number[] = [];
const bareRates: number[] = [];
const ratios: number[] = [];
try {
  const runSuite = async (r: number): Promise<number> => {
    const t = performance.now();
    const results = await propertyCases(ctx, {
      salt: `bench${r}`, arbitrary: arb, runs: count,
      spec: (c, i) => oracleSpec(`bench#${i}`, c.labels, expectedFor(c.labels)),
      run: async (c, check) => { expectOracle(check, await client.send(client.sign(client.build('DeleteVectorIndex', c.bytes))), expectedFor(c.labels), false); },
    });
    if (results.some((x) => x.outcome !== 'pass')) throw new Error(`a case did not pass: ${JSON.stringify(results.find((x) => x.outcome !== 'pass'))}`);
    return count / ((performance.now() - t) / 1000);
  };
  const runBare = async (): Promise<number> => {
    // Requests of the same kind, signed up front, 8 in flight like the property driver.
    const prepared = fc.sample(arb, { seed: 1, numRuns: count }).map((c) => {
      const w = client.sign(client.build('DeleteVectorIndex', c.bytes));
      const a = client.address(w);
      return { url: `${a.origin}${a.path}`, headers: { host: a.host, ...w.headers }, body: w.body };
    });
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < prepared.length) {
        const p = prepared[next++]!;
        const res = await request(p.url, { method: 'POST', headers: p.headers, body: p.body, dispatcher: bare });
        await res.body.arrayBuffer();
      }
    }));
    return count / ((performance.now() - t) / 1000);
  };
  for (let r = 0; r < rounds; r++) {
    // The order alternates from round to round, so neither side always runs on a warmer machine.
    let suite: number;
    let b: number;
    if (r % 2 === 0) { suite = await runSuite(r); b = await runBare(); } else { b = await runBare(); suite = await runSuite(r); }
    suiteRates.push(suite);
    bareRates.push(b);
    ratios.push(suite / b);
    console.log(`round ${r + 1}: suite ${suite.toFixed(0)} req/s, bare ${b.toFixed(0)} req/s, ratio ${(suite / b).toFixed(2)}`);
  }
} finally {
  await bare.close();
  await server.stop();
}
const steady = summarize(ratios.slice(1));
console.log(`\n${table(['measure', 'value'], [
  ['cold round (1) ratio', ratios[0]!.toFixed(2)],
  ['steady rounds ratio, median', fmtSummary(steady, 2)],
  ['steady suite req/s', fmtSummary(summarize(suiteRates.slice(1)))],
  ['steady bare req/s', fmtSummary(summarize(bareRates.slice(1)))],
])}`);
writeResult('suite-client-path', {
  bench: 'suite-client-path', takenAt: new Date().toISOString(), machine: machine(), command: 'npx tsx bench/suite-client-path.ts',
  settings: { rounds, requests: count, concurrency: 8 },
  note: 'Per-request path of the property driver vs a bare undici loop, same signed requests, same ovc serve, one process. Round 1 is the cold start.',
  coldRatio: ratios[0], steadyRatio: steady, suiteReqPerSec: summarize(suiteRates.slice(1)), bareReqPerSec: summarize(bareRates.slice(1)), rounds: { suite: suiteRates, bare: bareRates, ratio: ratios },
});
process.exit(0);
