// `ovc run`: asserts every documented DeleteVectorIndex response against one target (the embedded
// emulator when no --endpoint is given), writes the reports, and exits 0 / 1 / 2. This file parses
// the flags and claims the paths they name; the run itself is run/session.ts's.
import { Command, Option } from 'commander';
import { credentialsFromEnv, DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_MS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_INDEXES, DEFAULT_RUNS, DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS, deniedCredentialsFromEnv } from '../client/config.ts';
import { SuiteChild } from '../run/runner.ts';
import { defaultStateDir, LONGEST_RUN_MS } from '../safety/runLimits.ts';
import { durationText } from '../run/stop.ts';
import type { RunFlags } from '../run/settings.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, durationMsFlag, namedBucketFlag, intFlag, regionFlag, shardFlag, tagsFlag, urlFlag } from './options.ts';
import { TAGS } from '../suites/tags.ts';
import { claimOutputs } from '../files/gate.ts';
import { inputFile } from './paths.ts';
import { packageVersion } from './package-files.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

export type { RunFlags };
export { DEFAULT_RUNS };

export function runCommand(setExit: (code: number) => void): Command {
  return new Command('run')
    .description('assert every documented DeleteVectorIndex response against a target (default: the embedded emulator)')
    .option('--endpoint <url>', `OSS Vectors endpoint, e.g. https://${DEFAULT_REGION}.oss-vectors.aliyuncs.com (default: start the embedded emulator)`, urlFlag('endpoint'))
    .option('--region <region>', 'signing region', regionFlag, DEFAULT_REGION)
    .option('--bucket <bucket>', 'vector bucket to run in (must exist)', bucketFlag, DEFAULT_BUCKET)
    .option('--other-bucket <bucket>', 'a second vector bucket of the same target, for the cross-bucket cases (they skip without it; the embedded emulator serves one)', namedBucketFlag('other-bucket'))
    .option('--no-other-bucket', 'no second bucket, not even the embedded emulator\'s (ovc diff aligns a one-bucket side with it)')
    .option('--account-id <id>', 'account id (part of the host and of the signed ARN)', accountIdFlag, DEFAULT_ACCOUNT_ID)
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style (default: path for IP endpoints, virtual otherwise)').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .option('--state-hook <url>', 'provider-state hook of the target (the embedded emulator has one)', urlFlag('state-hook'))
    .option('--out <dir>', 'report folder', 'reports/out')
    .option('--seed <n>', 'seed of the generated cases', intFlag('seed', 0, 2 ** 31 - 1))
    .option('--runs <n>', 'generated cases per property', intFlag('runs', 1, 10_000_000), DEFAULT_RUNS)
    .option('--strict', 'also assert behaviour the spec leaves open (§12)', false)
    .option('--tags <expr>', 'only cases with these tags (vitest tag expression, e.g. "404-no-such-vector-index || races")', tagsFlag(TAGS.map((t) => t.name)))
    .option('--baseline <file>', 'known deviations of this target (JSON or YAML)', inputFile('baseline'))
    .option('--shard <i/n>', 'run shard i of n (merge the outputs with ovc report merge)', shardFlag)
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), DEFAULT_TIMEOUT_MS)
    .option('--quiet', 'no per-test progress lines', false)
    .option('--settle-ms <n>', `how long creating/deleting may last before a case fails (default ${DEFAULT_SETTLE_MS}; the embedded emulator 0 = instant)`, intFlag('settle-ms', 0, 3_600_000))
    .option('--concurrency <n>', `cases in flight at once per property (default: ${DEFAULT_CONCURRENCY}; against an endpoint, from its round trip)`, intFlag('concurrency', 1, 256))
    .option('--max-rps <n>', 'requests per second over the whole run (token bucket; 0 = unlimited)', intFlag('max-rps', 0, 1_000_000), 0)
    .option('--put-index-rps <n>', 'PutVectorIndex (and set-up/cleanup deletes) per second over the whole run (default: the documented 5, unlimited for the embedded emulator; 0 = unlimited)', intFlag('put-index-rps', 0, 100_000))
    .option('--max-indexes <n>', `live indexes the run may hold at once, counting deleting ones until gone (default ${DEFAULT_MAX_INDEXES}, or the buckets' free slots when fewer; a given value is checked against the bucket quota before the run)`, intFlag('max-indexes', 1, 100))
    .option('--workers <n>', 'suite worker threads (default: one per core less one; against an endpoint, from its round trip)', intFlag('workers', 1, 64))
    .option('--ca-file <file>', 'PEM file of a private CA the endpoint\'s certificate is signed by', inputFile('ca-file'))
    .option('--insecure', 'do not verify the endpoint\'s TLS certificate (test deployments only)', false)
    .option('--record <dir>', 'keep every exchange of the run, redacted, as a cassette in DIR (for ovc diff); DIR must be new, empty or an earlier cassette')
    .option('--state-dir <dir>', 'where the ledgers of runs against remote targets are kept, so a later run removes what a stopped one left (default: $OVC_STATE_DIR, else $XDG_STATE_HOME/ovc, else ~/.local/state/ovc)')
    .option('--max-response-bytes <n>', 'largest answer body read; a larger one makes its case an error ("answer too large")', intFlag('max-response-bytes', 1024, 1 << 30), DEFAULT_MAX_RESPONSE_BYTES)
    .option('--deadline <duration>', `how long the run may last in all (e.g. 30m, 2h); past it the run stops, cleans up, reports and exits 2 (default ${durationText(DEFAULT_DEADLINE_MS)})`, durationMsFlag('deadline', 1000, LONGEST_RUN_MS, ': ovc cleanup treats a run older than that as stopped'), DEFAULT_DEADLINE_MS)
    .action(async (flags: RunFlags) => { setExit(await run(flags)); });
}

async function run(flags: RunFlags): Promise<number> {
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  // Bad input is refused before any request is sent, and before anything is written.
  const baseline = flags.baseline ? (await import('../reports/baseline.ts')).loadBaseline(flags.baseline) : null;
  const remote = Boolean(flags.endpoint);
  // Every output claimed at once, before any is created (files/claim.ts): a refused one leaves none behind.
  const [outDir, stateDir = null] = claimOutputs([
    { flag: '--out', path: flags.out, kind: 'folder', exclusive: true },
    ...(remote ? [{ flag: '--state-dir', path: flags.stateDir ?? defaultStateDir(), kind: 'folder' as const }] : []),
    ...(flags.record ? [{ flag: '--record', path: flags.record, kind: 'folder' as const, exclusive: true }] : []),
  ]).slice(0, remote ? 2 : 1) as [string, string?];
  if (flags.insecure) log('ovc: WARNING: --insecure: the endpoint\'s TLS certificate is NOT verified; anyone on the path can read and change this run\'s traffic. Use --ca-file for a private CA instead.');
  const main = flags.endpoint ? credentialsFromEnv() : null;
  if (flags.endpoint && !main) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set to run against --endpoint.');
  const identities = main ? { main, denied: deniedCredentialsFromEnv() } : null;
  // The suite child first: vitest loads there while the run's own modules load here, the target
  // starts and the preflight runs (a run that ends before its suites dismisses it).
  const suites = SuiteChild.start({ tags: flags.tags, shard: flags.shard, progress: !flags.quiet });
  try {
    const { RunSession } = await import('../run/session.ts');
    return await new RunSession({ flags, outDir, stateDir, identities, baseline, ovcVersion: packageVersion(), log, suites }).run();
  } finally {
    await suites.dismiss();
  }
}
