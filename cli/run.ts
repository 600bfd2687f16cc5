// `ovc run`: asserts every documented DeleteVectorIndex response against one target (the embedded
// emulator when no --endpoint is given), writes the reports, and exits 0 / 1 / 2.
import { Command, Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { defaultAddressing, type Addressing } from '../protocol/addressing.ts';
import { observedText, type Matrix } from '../reports/matrix.ts';
import type { CaseResult, Outcome, RunSummary } from '../reports/model.ts';
import { credentialsFromEnv, deniedCredentialsFromEnv, newRunId, prefixFor, type TargetConfig } from '../target/config.ts';
import { TargetClient } from '../target/client.ts';
import { cleanup, type CleanupReport } from '../target/cleanup.ts';
import { closeTransport } from '../target/http.ts';
import { Ledger } from '../target/ledger.ts';
import { preflight, PreflightError } from '../target/preflight.ts';
import { loadBaseline, type Baseline } from '../reports/baseline.ts';
import { runSuites } from '../suites/runner.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, existingFile, intFlag, regionFlag, shardFlag, urlFlag } from './options.ts';

interface RunFlags {
  endpoint?: string; region: string; bucket: string; accountId: string; addressing?: Addressing;
  stateHook?: string; out: string; seed?: number; runs: number; strict: boolean; tags?: string;
  baseline?: string; shard?: string; timeoutMs: number; quiet: boolean;
}

export const DEFAULT_RUNS = 500;

export function runCommand(setExit: (code: number) => void): Command {
  return new Command('run')
    .description('assert every documented DeleteVectorIndex response against a target (default: the embedded emulator)')
    .option('--endpoint <url>', 'OSS Vectors endpoint, e.g. https://cn-hangzhou.oss-vectors.aliyuncs.com (default: start the embedded emulator)', urlFlag('endpoint'))
    .option('--region <region>', 'signing region', regionFlag, 'cn-hangzhou')
    .option('--bucket <bucket>', 'vector bucket to run in (must exist)', bucketFlag, 'ovc-conformance')
    .option('--account-id <id>', 'account id (part of the host and of the signed ARN)', accountIdFlag, '1234567890')
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style (default: path for IP endpoints, virtual otherwise)').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .option('--state-hook <url>', 'provider-state hook of the target (the embedded emulator has one)', urlFlag('state-hook'))
    .option('--out <dir>', 'report folder', 'reports/out')
    .option('--seed <n>', 'seed of the generated cases', intFlag('seed', 0, 2 ** 31 - 1))
    .option('--runs <n>', 'generated cases per property', intFlag('runs', 1, 10_000_000), DEFAULT_RUNS)
    .option('--strict', 'also assert behaviour the spec leaves open (§12)', false)
    .option('--tags <expr>', 'only cases with these tags (vitest tag expression, e.g. "404-no-such-vector-index || races")')
    .option('--baseline <file>', 'known deviations of this target (JSON or YAML)', existingFile('baseline'))
    .option('--shard <i/n>', 'run shard i of n (merge the outputs with ovc report merge)', shardFlag)
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), 15_000)
    .option('--quiet', 'no per-test progress lines', false)
    .action(async (flags: RunFlags) => { setExit(await run(flags)); });
}

async function run(flags: RunFlags): Promise<number> {
  const started = new Date();
  // A bad baseline is bad input: refuse it before any request is sent.
  const baseline = flags.baseline ? loadBaseline(flags.baseline) : null;
  const outDir = resolve(flags.out);
  mkdirSync(outDir, { recursive: true });
  const runId = newRunId();
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
  let emulator: { url: string; stateHookUrl: string | null; close(): Promise<void> } | null = null;
  if (!flags.endpoint) {
    const { startEmulator, defaultIdentities } = await import('../emulator/index.ts');
    const identities = defaultIdentities(process.env);
    // The suite workers sign with the same identities the emulator trusts.
    process.env.OSS_ACCESS_KEY_ID = identities[0]!.accessKeyId;
    process.env.OSS_ACCESS_KEY_SECRET = identities[0]!.accessKeySecret;
    const denied = identities.find((i: { deniedActions?: string[] }) => i.deniedActions?.length);
    if (denied) { process.env.OVC_DENIED_ACCESS_KEY_ID = denied.accessKeyId; process.env.OVC_DENIED_ACCESS_KEY_SECRET = denied.accessKeySecret; }
    emulator = await startEmulator({ region: flags.region, accountId: flags.accountId, buckets: [flags.bucket], identities, stateHook: true });
  }
  const credentials = credentialsFromEnv();
  if (!credentials) { await emulator?.close(); throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set to run against --endpoint.'); }
  const endpoint = flags.endpoint ?? emulator!.url;
  const config: TargetConfig = {
    endpoint, region: flags.region, bucket: flags.bucket, accountId: flags.accountId,
    addressing: flags.addressing ?? defaultAddressing(endpoint),
    stateHook: flags.stateHook ?? emulator?.stateHookUrl ?? null,
    runId, prefix: prefixFor(runId), seed, runs: flags.runs, strict: flags.strict, outDir,
    workDir: join(outDir, '.work'), absentBucket: `ovc-absent-${runId}`, embedded: !flags.endpoint,
    targetName: flags.endpoint ? `${endpoint} (${flags.bucket})` : 'embedded emulator', timeoutMs: flags.timeoutMs,
  };
  const client = new TargetClient(config, credentials, deniedCredentialsFromEnv());
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  const controller = new AbortController();
  const onSignal = (): void => { log('ovc: interrupted; cleaning up what the run created…'); controller.abort(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`ovc run ${runId}: ${config.targetName} — ${config.addressing}-style, region ${config.region}, bucket ${config.bucket}, seed ${seed}, runs ${flags.runs}${flags.strict ? ', strict' : ''}`);
    try {
      await preflight(client);
    } catch (e) {
      if (e instanceof PreflightError) { log(`ovc: cannot run: ${e.message}`); return 2; }
      throw e;
    }
    const { results, broken, interrupted } = await runSuites(config, { tags: flags.tags, shard: flags.shard, progress: !flags.quiet, signal: controller.signal });
    const cleanupReport = await cleanup(client, new Ledger(config.workDir, config.prefix));
    if (cleanupReport.failures.length) log(`ovc: cleanup could not delete ${cleanupReport.failures.length} index(es) the run created:\n  ${cleanupReport.failures.join('\n  ')}`);
    if (broken) { log(`ovc: cannot run: ${broken}`); return 2; }
    const code = await finish(results, config, started, cleanupReport, baseline);
    if (interrupted) { log(`ovc: the run was interrupted after ${results.length} case(s); the reports cover those only.`); return 2; }
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeTransport();
    await emulator?.close();
  }
}

async function finish(results: CaseResult[], config: TargetConfig, started: Date, cleanupReport: CleanupReport, baseline: Baseline | null): Promise<number> {
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.outcome]++;
  const summary: RunSummary = {
    target: config.targetName, startedAt: started.toISOString(), finishedAt: new Date().toISOString(),
    seed: config.seed, strict: config.strict, counts, cleanup: cleanupReport,
  };
  const { writeReports } = await import('../reports/index.ts');
  const { causeOf } = await import('../generators/labels.ts');
  const { files, gate, matrix } = await writeReports(config.outDir, results, summary, { baseline, causeOf, githubStepSummary: process.env.GITHUB_STEP_SUMMARY ?? null });
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { githubAnnotations } = await import('../reports/github.ts');
    for (const line of githubAnnotations(results)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(summaryTable(matrix));
  process.stdout.write((await import('../reports/problems.ts')).problemsText(results));
  const secs = ((Date.now() - started.getTime()) / 1000).toFixed(1);
  process.stdout.write(`\n${matrix.totals.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors${matrix.observed ? `, ${matrix.observed} observed` : ''} in ${secs} s — reports in ${config.outDir} (${files.length} files)\n`);
  if (results.length > 0 && counts.error === results.length) return 2;
  return gate.exitCode;
}

/** The matrix's rows that have cases, as a terminal table (the counts are the report's own). */
function summaryTable(matrix: Matrix): string {
  const rows = matrix.rows.filter((r) => r.total > 0);
  const w = Math.max(20, ...rows.map((r) => r.label.length));
  const line = (a: string, b: string, c: string, d: string, e: string, f: string, g: string): string => `${a.padEnd(w)}  ${b.padStart(6)}  ${c.padStart(6)}  ${d.padStart(6)}  ${e.padStart(6)}  ${f.padStart(8)}  ${g}\n`;
  let out = `\n${line('documented response', 'pass', 'fail', 'skip', 'error', 'observed', 'state')}`;
  for (const r of rows) out += line(r.label, String(r.counts.pass), String(r.counts.fail), String(r.counts.skip), String(r.counts.error), String(r.observed.cases), r.state === 'observed' ? observedText(r.observed) : r.state.replace('-', ' '));
  return out;
}
