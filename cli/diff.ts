// `ovc diff`: runs the same seed and cases against two targets (each side an `ovc run --record`
// subprocess, or a recorded cassette) and compares them case by case (docs/diff.md). Exits 0 when
// nothing differs (--strict: nothing open either) outside the baseline, 1 otherwise, 2 when a side
// could not be run or read.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { claimOutputs, makeFolder, removeOurs } from '../files/gate.ts';
import { ReportInputError } from '../reports/errors.ts';
import {
  diffCassettes, diffSecrets, isCassetteDir, loadDiffBaseline, readCassette, writeDiffReports,
  type Cassette, type DiffBaselineEntry,
} from '../diff/index.ts';
import { alignSides, type SideShape } from '../diff/alignment.ts';
import { redactText } from '../reports/redact.ts';
import { differenceText, problems } from '../diff/views.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, existingFile, intFlag, namedBucketFlag, regionFlag, urlFlag } from './options.ts';
import { ovcEntry } from './package-files.ts';
import { DEFAULT_RUNS } from './run.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

/** This ovc's own entry point: each live side is an `ovc run` of the same installation. */
export const OVC_BIN = ovcEntry();

interface DiffFlags {
  endpoint?: string; cassette?: string; against: string;
  region: string; bucket: string; accountId: string; addressing?: string; stateHook?: string;
  againstRegion?: string; againstBucket?: string; againstAccountId?: string; againstAddressing?: string; againstStateHook?: string;
  out: string; seed?: number; runs?: number; strict: boolean; tags?: string; baseline?: string; timeoutMs?: number;
  otherBucket?: string; againstOtherBucket?: string; settleMs?: number; maxIndexes?: number; putIndexRps?: number; maxRps?: number; caFile?: string; insecure?: boolean; stateDir?: string;
}

/** One side of the diff: a target to run (endpoint null = embedded) or a cassette to read. */
export type SideSpec =
  | { kind: 'cassette'; dir: string }
  | { kind: 'run'; endpoint: string | null; region: string; bucket: string; accountId: string; addressing?: string; stateHook?: string; otherBucket?: string };

/** `--against`: a URL, `embedded`, or a cassette folder. */
export function parseAgainst(value: string): { kind: 'url'; url: string } | { kind: 'embedded' } | { kind: 'cassette'; dir: string } {
  if (value === 'embedded') return { kind: 'embedded' };
  if (/^https?:\/\//i.test(value)) return { kind: 'url', url: urlFlag('against')(value) };
  if (isCassetteDir(value)) return { kind: 'cassette', dir: value };
  throw new UsageError(`--against must be an http(s) URL, 'embedded' or a cassette folder (with meta.json), got '${value}'.`);
}

export function diffCommand(setExit: (code: number) => void): Command {
  return new Command('diff')
    .description('run the same cases against two targets and compare their answers (default target: the embedded emulator)')
    .option('--endpoint <url>', 'the target (default: the embedded emulator)', urlFlag('endpoint'))
    .option('--cassette <dir>', 'use a recorded cassette as the target instead of running it', existingFile('cassette'))
    .requiredOption('--against <url|embedded|dir>', 'the other side: an endpoint URL, embedded, or a recorded cassette folder')
    .option('--region <region>', 'signing region of the target', regionFlag, DEFAULT_REGION)
    .option('--bucket <bucket>', 'vector bucket of the target', bucketFlag, DEFAULT_BUCKET)
    .option('--account-id <id>', 'account id of the target', accountIdFlag, DEFAULT_ACCOUNT_ID)
    .addOption(new Option('--addressing <style>', 'addressing of the target').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .option('--state-hook <url>', 'provider-state hook of the target', urlFlag('state-hook'))
    .option('--against-region <region>', 'signing region of the other side (default: --region)', regionFlag)
    .option('--against-bucket <bucket>', 'vector bucket of the other side (default: --bucket)', bucketFlag)
    .option('--against-account-id <id>', 'account id of the other side (default: --account-id)', accountIdFlag)
    .addOption(new Option('--against-addressing <style>', 'addressing of the other side').argParser(choiceFlag('against-addressing', ['virtual', 'path'] as const)))
    .option('--against-state-hook <url>', 'provider-state hook of the other side', urlFlag('against-state-hook'))
    .option('--out <dir>', 'report folder', 'out/diff')
    .option('--seed <n>', 'seed of the generated cases (same on both sides; picked and printed when absent)', intFlag('seed', 0, 2 ** 31 - 1))
    .option('--runs <n>', 'generated cases per property', intFlag('runs', 1, 10_000_000))
    .option('--strict', 'run both sides strict, and fail on open differences too', false)
    .option('--tags <expr>', 'only cases with these tags (as ovc run)')
    .option('--baseline <file>', 'accepted differences: a JSON or YAML list of {id, kind, reason}', existingFile('baseline'))
    .option('--timeout-ms <n>', 'per-request timeout of each run', intFlag('timeout-ms', 100, 600_000))
    .option('--other-bucket <bucket>', 'a second bucket of the target (as ovc run)', namedBucketFlag('other-bucket'))
    .option('--against-other-bucket <bucket>', 'a second bucket of the other side', namedBucketFlag('against-other-bucket'))
    .option('--settle-ms <n>', 'settle bound of both runs (as ovc run)', intFlag('settle-ms', 0, 3_600_000))
    .option('--max-indexes <n>', 'live-index budget of both runs (as ovc run)', intFlag('max-indexes', 1, 100))
    .option('--put-index-rps <n>', 'PutVectorIndex pacing of both runs (as ovc run)', intFlag('put-index-rps', 0, 100_000))
    .option('--max-rps <n>', 'request pacing of both runs (as ovc run)', intFlag('max-rps', 0, 1_000_000))
    .option('--ca-file <file>', 'private CA for TLS endpoints (both sides)', existingFile('ca-file'))
    .option('--insecure', 'do not verify TLS certificates (both sides; test deployments only)')
    .option('--state-dir <dir>', 'where both runs keep their ledgers against remote targets (as ovc run)')
    .action(async (flags: DiffFlags) => { setExit(await diff(flags)); });
}

const log = (s: string): void => { process.stderr.write(`${redactText(s, diffSecrets())}\n`); };

async function diff(flags: DiffFlags): Promise<number> {
  if (flags.endpoint && flags.cassette) throw new UsageError('--endpoint and --cassette both name the target; give one.');
  const against = parseAgainst(flags.against);
  const baseline: DiffBaselineEntry[] = flags.baseline ? loadDiffBaseline(flags.baseline) : [];
  const [outDir] = claimOutputs([{ flag: '--out', path: flags.out, kind: 'folder', exclusive: true }]) as [string];

  // Seed, runs, strictness, tags and the second bucket: the same on both sides (a cassette fixes
  // what it was recorded with), said in one line.
  const recorded = new Map<string, Cassette>();
  for (const dir of [flags.cassette, against.kind === 'cassette' ? against.dir : undefined]) if (dir && !recorded.has(dir)) recorded.set(dir, readCassette(dir));
  const left: SideSpec = flags.cassette ? { kind: 'cassette', dir: flags.cassette } : {
    kind: 'run', endpoint: flags.endpoint ?? null, region: flags.region, bucket: flags.bucket, accountId: flags.accountId,
    addressing: flags.addressing, stateHook: flags.stateHook, otherBucket: flags.otherBucket,
  };
  const right: SideSpec = against.kind === 'cassette' ? { kind: 'cassette', dir: against.dir } : {
    kind: 'run', endpoint: against.kind === 'url' ? against.url : null,
    region: flags.againstRegion ?? flags.region, bucket: flags.againstBucket ?? flags.bucket, accountId: flags.againstAccountId ?? flags.accountId,
    addressing: flags.againstAddressing, stateHook: flags.againstStateHook, otherBucket: flags.againstOtherBucket ?? flags.otherBucket,
  };
  const shape = (s: SideSpec): SideShape => (s.kind === 'cassette' ? { kind: 'cassette', meta: recorded.get(s.dir)!.meta } : s);
  const aligned = alignSides([shape(left), shape(right)], { seed: flags.seed, runs: flags.runs, strict: flags.strict, tags: flags.tags, defaultRuns: DEFAULT_RUNS }, () => Math.floor(Math.random() * 2 ** 31));
  for (const w of aligned.warnings) log(`ovc diff: ${w}`);
  log(`ovc diff: ${aligned.line}`);
  const { seed, runs, strict, tags, twoBuckets } = aligned;

  // Time and pacing shape both runs alike (each side waits through its own transitions).
  const extra: string[] = [];
  if (flags.settleMs !== undefined) extra.push('--settle-ms', String(flags.settleMs));
  if (flags.maxIndexes !== undefined) extra.push('--max-indexes', String(flags.maxIndexes));
  if (flags.putIndexRps !== undefined) extra.push('--put-index-rps', String(flags.putIndexRps));
  if (flags.maxRps !== undefined) extra.push('--max-rps', String(flags.maxRps));
  if (flags.caFile) extra.push('--ca-file', resolve(flags.caFile));
  if (flags.insecure) extra.push('--insecure');
  if (flags.stateDir) extra.push('--state-dir', resolve(flags.stateDir));
  const common = { seed, runs, strict, tags, twoBuckets, timeoutMs: flags.timeoutMs, extra };
  const [lc, rc] = await Promise.all([
    obtain('target', left, common, process.env, join(outDir, 'sides', 'target'), recorded),
    obtain('against', right, common, againstEnv(process.env), join(outDir, 'sides', 'against'), recorded),
  ]);
  if (!lc || !rc) return 2;

  const result = diffCassettes(lc, rc, { left: sideLabel(left, lc), right: sideLabel(right, rc) });
  const { files, gate } = writeDiffReports(outDir, result, { baseline, strict: flags.strict });
  const { counts } = result;
  const out: string[] = ['', `${counts.same} same, ${counts.open} open, ${counts.differs} differs${gate.accepted.length ? `, ${gate.accepted.length} accepted` : ''} — ${result.left.label} vs ${result.right.label}`];
  for (const p of problems(gate.failing).slice(0, 10)) {
    out.push(`${p.kind.toUpperCase()} × ${p.count} ${p.first.behaviour} (first: ${p.first.id})`);
    for (const d of p.first.differences.slice(0, 4)) out.push(`  ${differenceText(d)}`);
  }
  for (const e of gate.stale) out.push(`stale baseline entry: ${e.id} (${e.kind}) accepted no case`);
  out.push(`reports in ${outDir} (${files.map((f) => f.slice(outDir.length + 1)).join(', ')})`, '');
  process.stdout.write(redactText(out.join('\n'), diffSecrets()));
  return gate.exitCode;
}

function sideLabel(spec: SideSpec, c: Cassette): string {
  if (spec.kind === 'cassette') return `${c.meta.target} (cassette ${spec.dir})`;
  return spec.endpoint ? `${spec.endpoint} (${spec.bucket})` : 'embedded emulator';
}

/** The environment of the other side's run: its credentials from OVC_AGAINST_*, else the same OSS_* ones. */
export function againstEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (env.OVC_AGAINST_ACCESS_KEY_ID || env.OVC_AGAINST_ACCESS_KEY_SECRET) {
    out.OSS_ACCESS_KEY_ID = env.OVC_AGAINST_ACCESS_KEY_ID;
    out.OSS_ACCESS_KEY_SECRET = env.OVC_AGAINST_ACCESS_KEY_SECRET;
    if (env.OVC_AGAINST_SESSION_TOKEN) out.OSS_SESSION_TOKEN = env.OVC_AGAINST_SESSION_TOKEN;
    else delete out.OSS_SESSION_TOKEN;
    // The denied identity belongs to an account too: only the other side's own, if any.
    if (env.OVC_AGAINST_DENIED_ACCESS_KEY_ID) {
      out.OVC_DENIED_ACCESS_KEY_ID = env.OVC_AGAINST_DENIED_ACCESS_KEY_ID;
      out.OVC_DENIED_ACCESS_KEY_SECRET = env.OVC_AGAINST_DENIED_ACCESS_KEY_SECRET;
    } else { delete out.OVC_DENIED_ACCESS_KEY_ID; delete out.OVC_DENIED_ACCESS_KEY_SECRET; }
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** The `ovc run` arguments of one side. */
export function runArgs(spec: Extract<SideSpec, { kind: 'run' }>, common: { seed: number; runs: number; strict: boolean; tags?: string; twoBuckets: boolean; timeoutMs?: number; extra?: string[] }, cassetteDir: string, outDir: string): string[] {
  const args = ['run'];
  if (spec.endpoint) args.push('--endpoint', spec.endpoint);
  args.push('--region', spec.region, '--bucket', spec.bucket, '--account-id', spec.accountId);
  if (spec.addressing) args.push('--addressing', spec.addressing);
  if (spec.stateHook) args.push('--state-hook', spec.stateHook);
  // One bucket unless both sides have two: the embedded emulator's own second bucket is left out then.
  if (!common.twoBuckets) { if (!spec.endpoint) args.push('--no-other-bucket'); }
  else if (spec.otherBucket && spec.endpoint) args.push('--other-bucket', spec.otherBucket);
  args.push('--seed', String(common.seed), '--runs', String(common.runs));
  args.push(...(common.extra ?? []));
  if (common.strict) args.push('--strict');
  if (common.tags) args.push('--tags', common.tags);
  if (common.timeoutMs) args.push('--timeout-ms', String(common.timeoutMs));
  args.push('--record', cassetteDir, '--out', outDir, '--quiet');
  return args;
}

async function obtain(name: string, spec: SideSpec, common: Parameters<typeof runArgs>[1], env: NodeJS.ProcessEnv, workDir: string, recorded: ReadonlyMap<string, Cassette>): Promise<Cassette | null> {
  try {
    if (spec.kind === 'cassette') return recorded.get(spec.dir) ?? readCassette(spec.dir);
    const cassetteDir = join(workDir, 'cassette');
    removeOurs(workDir);
    makeFolder(workDir);
    const args = runArgs(spec, common, cassetteDir, join(workDir, 'run'));
    const { code, stderr } = await runChild(args, env);
    if (code !== 0 && code !== 1) {
      log(`ovc diff: the ${name} side could not be run (ovc run exited ${code ?? 'on a signal'}):\n${stderr.trim().split('\n').slice(-12).join('\n')}`);
      return null;
    }
    if (!isCassetteDir(cassetteDir)) {
      const tail = stderr.trim().split('\n').slice(-12).join('\n');
      log(`ovc diff: the ${name} side ran (ovc run exited ${code}) but wrote no cassette in ${cassetteDir} (does this ovc run support --record?)${tail ? `:\n${tail}` : ''}`);
      return null;
    }
    return readCassette(cassetteDir);
  } catch (e) {
    if (e instanceof ReportInputError) { log(`ovc diff: the ${name} side cannot be read: ${e.message}`); return null; }
    throw e;
  }
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    // With an IPC link: when this diff ends, however it ends, each `ovc run` it started stops and
    // removes what it created (cli/run.ts), instead of running on alone.
    const child = spawn(process.execPath, [OVC_BIN, ...args], { env: { ...env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stderr }));
  });
}
