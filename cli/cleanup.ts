// `ovc cleanup`: finds what stopped runs left on a target and, with --yes, deletes it — for CI
// workspaces that are new each time, where no ledger of an earlier run survives. Two sources:
//   - the ledgers in the state folder of runs whose process is gone (certainly the run's), each
//     entry looked up first: only what still exists is listed, the rest is "already gone";
//   - indexes whose name has the run shape (`ovc` + 5 base-36 digits of the run's start minute +
//     4 random, client/config.ts RUN_NAME) and whose run started longer ago than the longest a run
//     lasts (and --older-than), confirmed by GetVectorIndex's createTime lying inside that run.
// A run id that holds a live lease in the state folder is never touched. Every delete goes through
// the delete gate (safety/deleteGate.ts), which checks the same proof again; without --yes nothing
// is deleted (the list is printed).
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { Pacer, TargetClient, codeOf, type WireResponse } from '../client/client.ts';
import { credentialsFromEnv, runStartOf, targetSpec, type TargetSpec } from '../client/config.ts';
import { closeTransport, configureTls } from '../client/http.ts';
import type { Addressing } from '../protocol/addressing.ts';
import { cleanup } from '../safety/removeCreated.ts';
import { closeStaleLedger, defaultStateDir, scanLedgers } from '../safety/leftovers.ts';
import { DeleteRefused, deleteIndexSettled, deleteRefusal, LONGEST_RUN_MS } from '../safety/deleteGate.ts';
import { preflight, PreflightError } from '../safety/preflight.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, intFlag, namedBucketFlag, regionFlag, urlFlag } from './options.ts';
import { inputFile } from './paths.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

interface CleanupFlags {
  endpoint: string; region: string; bucket: string; otherBucket?: string; accountId: string; addressing?: Addressing;
  olderThan: number; stateDir?: string; yes: boolean; caFile?: string; insecure: boolean; timeoutMs: number; settleMs: number;
}

/** `90s`, `30m`, `2h`, `1d` → ms. */
export function durationFlag(v: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(v.trim());
  if (!m) throw new UsageError(`--older-than must be a whole number with a unit s, m, h or d (e.g. 2h), got '${v}'.`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function cleanupCommand(setExit: (code: number) => void): Command {
  return new Command('cleanup')
    .description('list (and with --yes delete) the indexes stopped ovc runs left on a target')
    .requiredOption('--endpoint <url>', 'the OSS Vectors endpoint', urlFlag('endpoint'))
    .option('--region <region>', 'signing region', regionFlag, DEFAULT_REGION)
    .option('--bucket <bucket>', 'vector bucket to look in', bucketFlag, DEFAULT_BUCKET)
    .option('--other-bucket <bucket>', 'a second bucket to look in', namedBucketFlag('other-bucket'))
    .option('--account-id <id>', 'account id', accountIdFlag, DEFAULT_ACCOUNT_ID)
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .addOption(new Option('--older-than <age>', `without a ledger, only runs that started longer ago than this (s, m, h, d; at least ${LONGEST_RUN_MS / 3600_000}h, the longest a run lasts)`).argParser(durationFlag).default(LONGEST_RUN_MS, `${LONGEST_RUN_MS / 3600_000}h`))
    .option('--state-dir <dir>', 'the ledgers of earlier runs (default as ovc run)')
    .option('--yes', 'delete what is listed (without it nothing is deleted)', false)
    .option('--settle-ms <n>', 'how long a creating/deleting index may take', intFlag('settle-ms', 0, 3_600_000), 60_000)
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), 15_000)
    .option('--ca-file <file>', 'PEM file of a private CA', inputFile('ca-file'))
    .option('--insecure', 'do not verify the TLS certificate (test deployments only)', false)
    .action(async (flags: CleanupFlags) => { setExit(await runCleanup(flags)); });
}

/** `delete`: exists and is proven a stopped run's; `gone`: a ledger entry that no longer exists; `keep`: not proven, or its run may be alive. */
export interface Candidate { bucket: string; name: string; source: string; createTime: string | null; verdict: 'delete' | 'gone' | 'keep'; why: string; createTimeProof?: boolean }

export interface Findings {
  candidates: Candidate[];
  /** Sentences about ledgers that do not check out (ignored). */
  ignored: string[];
}

const answerOf = (res: WireResponse): string => `${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`;

/** What `ovc cleanup` would delete (and what it looked at and keeps), without deleting anything. */
export async function findCandidates(client: TargetClient, target: TargetSpec, stateDir: string, olderThanMs: number, now = Date.now()): Promise<Findings> {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const scan = scanLedgers(stateDir, target, null, now);
  const live = new Set(scan.live);
  for (const s of scan.stale) {
    const source = `ledger of run ${s.owner?.runId ?? s.dir}`;
    for (const e of s.ledger.outstanding('index')) {
      seen.add(`${e.bucket}/${e.name}`);
      const res = await client.op('GetVectorIndex', { indexName: e.name }, { bucket: e.bucket });
      if (codeOf(res) === 'NoSuchVectorIndex' || codeOf(res) === 'NoSuchBucket') out.push({ bucket: e.bucket, name: e.name, source, createTime: null, verdict: 'gone', why: 'already gone' });
      else if (res.status === 200) out.push({ bucket: e.bucket, name: e.name, source, createTime: null, verdict: 'delete', why: 'written down by a run that stopped before its cleanup' });
      else out.push({ bucket: e.bucket, name: e.name, source, createTime: null, verdict: 'keep', why: `cannot tell whether it exists (GetVectorIndex ${answerOf(res)})` });
    }
    for (const e of s.ledger.outstanding('bucket')) {
      const res = await client.op('GetVectorBucket', undefined, { bucket: e.name });
      const name = '(bucket)';
      if (codeOf(res) === 'NoSuchBucket') out.push({ bucket: e.name, name, source, createTime: null, verdict: 'gone', why: 'already gone' });
      else if (res.status === 200 && e.confirmed) out.push({ bucket: e.name, name, source, createTime: null, verdict: 'delete', why: 'a bucket a stopped run created (its PutVectorBucket answered 200)' });
      else out.push({ bucket: e.name, name, source, createTime: null, verdict: 'keep', why: e.confirmed ? `cannot tell whether it exists (GetVectorBucket ${answerOf(res)})` : 'its create was never answered 200: not proven the run\'s' });
    }
  }
  for (const bucket of [target.bucket, target.otherBucket].filter((b): b is string => b !== null)) {
    for (const name of await listIndexNames(client, bucket)) {
      if (seen.has(`${bucket}/${name}`)) continue;
      const start = runStartOf(name);
      if (start === null) continue; // not the run shape: a user's name
      const keep = (why: string, createTime: string | null = null): void => { out.push({ bucket, name, source: 'name', createTime, verdict: 'keep', why }); };
      if (live.has(name.slice(3, 12))) { keep('its run is alive (it holds a live lease in the state folder)'); continue; }
      if (now - start < Math.max(olderThanMs, LONGEST_RUN_MS)) { keep(now - start < olderThanMs ? 'its run started less than --older-than ago' : `its run started less than ${LONGEST_RUN_MS / 3600_000} h ago and may still be running`); continue; }
      const res = await client.op('GetVectorIndex', { indexName: name }, { bucket });
      const createTime = (res.json as { index?: { createTime?: unknown } } | undefined)?.index?.createTime;
      if (res.status !== 200 || typeof createTime !== 'string' || Number.isNaN(Date.parse(createTime))) { keep(`no creation time to confirm it (GetVectorIndex ${answerOf(res)})`); continue; }
      const refused = deleteRefusal('index', client, bucket, name, { createTime }, now);
      if (refused) { keep(`not proven a run's: ${refused.replace(/^index \S+: /, '')}`, createTime); continue; }
      out.push({ bucket, name, source: 'name', createTime, verdict: 'delete', why: 'run shape, created while its run was running', createTimeProof: true });
    }
  }
  return { candidates: out, ignored: scan.ignored };
}

async function listIndexNames(client: TargetClient, bucket: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await client.op('ListVectorIndexes', { maxResults: 100, ...(nextToken ? { nextToken } : {}) }, { bucket });
    if (res.status !== 200) throw new PreflightError(`ListVectorIndexes on bucket '${bucket}' answered ${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}.`);
    const body = res.json as { indexes?: Array<{ indexName?: unknown }>; nextToken?: string } | undefined;
    for (const i of body?.indexes ?? []) if (typeof i.indexName === 'string') names.push(i.indexName);
    nextToken = body?.nextToken || undefined;
    if (!nextToken) break;
  }
  return names;
}

async function runCleanup(flags: CleanupFlags): Promise<number> {
  const main = credentialsFromEnv();
  if (!main) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set.');
  const target = targetSpec({
    endpoint: flags.endpoint, region: flags.region, bucket: flags.bucket, otherBucket: flags.otherBucket ?? null, accountId: flags.accountId,
    addressing: flags.addressing, timeoutMs: flags.timeoutMs, tls: { caFile: flags.caFile ? resolve(flags.caFile) : null, insecure: flags.insecure },
  });
  configureTls(target.tls);
  const client = new TargetClient(target, { main, denied: null }, new Pacer({ concurrency: 1, maxRps: 0, putIndexRps: 5, throttleAttempts: 8, throttleBudgetMs: 60_000 }));
  const log = (s: string): void => { process.stdout.write(`${s}\n`); };
  const stateDir = flags.stateDir ?? defaultStateDir();
  try {
    await preflight(client, { absentBucket: 'ovc-absent-cleanup', maxIndexes: 0, prefix: 'ovccleanup' });
    if (flags.olderThan < LONGEST_RUN_MS) log(`ovc: --older-than is raised to ${LONGEST_RUN_MS / 3600_000}h, the longest a run lasts: a run that started less long ago may still be running, and its indexes are kept.`);
    const { candidates: found, ignored } = await findCandidates(client, target, stateDir, flags.olderThan);
    for (const i of ignored) log(`ovc: ${i}`);
    const doomed = found.filter((c) => c.verdict === 'delete');
    if (found.length === 0) { log(`nothing of ovc runs found in ${[target.bucket, target.otherBucket].filter(Boolean).join(', ')}.`); return 0; }
    const label = { delete: flags.yes ? 'delete' : 'would delete', gone: 'gone', keep: 'keep' };
    for (const c of found) log(`${label[c.verdict]}  ${c.bucket}/${c.name}  (${c.source}${c.createTime ? `, created ${c.createTime}` : ''}: ${c.why})`);
    if (!flags.yes) { log(`${doomed.length} index(es) or bucket(s) would be deleted; run again with --yes to delete them.`); return 0; }
    let failures = 0;
    let deleted = 0;
    // The stopped runs' ledgers: their own settle-aware cleanup, each delete proven by the ledger.
    // Run again from a fresh scan: a ledger that turned live (or untrusted) since the listing is left alone.
    for (const s of scanLedgers(stateDir, target).stale) {
      const r = await cleanup(client, s.ledger, { settleMs: flags.settleMs });
      deleted += r.removed?.length ?? 0;
      failures += r.failures.length;
      for (const f of r.failures) log(`could not delete ${f}`);
      closeStaleLedger(s.ledger);
    }
    // Names without a ledger: each delete proven again by its creation time.
    const c = client.as('cleanup');
    for (const d of doomed.filter((x) => x.createTimeProof)) {
      try {
        const settled = await deleteIndexSettled(c, d.bucket, d.name, { createTime: d.createTime! }, flags.settleMs);
        if ('still' in settled) { failures++; log(`could not delete ${d.bucket}/${d.name}: still ${settled.still} after the settle bound (${flags.settleMs} ms)`); continue; }
        if (settled.res.status === 204) deleted++;
        else if (codeOf(settled.res) !== 'NoSuchVectorIndex') { failures++; log(`could not delete ${d.bucket}/${d.name}: ${answerOf(settled.res)}`); }
      } catch (e) {
        if (!(e instanceof DeleteRefused)) throw e;
        failures++;
        log(`could not delete ${d.bucket}/${d.name}: ${e.message}`);
      }
    }
    log(`deleted ${deleted} index(es) or bucket(s)${failures ? `; ${failures} could not be deleted` : ''}.`);
    return failures ? 1 : 0;
  } catch (e) {
    if (e instanceof PreflightError) { process.stderr.write(`ovc: cannot clean up: ${e.message}\n`); return 2; }
    throw e;
  } finally {
    await closeTransport();
  }
}
