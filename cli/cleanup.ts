// `ovc cleanup`: finds what stopped runs left on a target and, with --yes, deletes it — for CI
// workspaces that are new each time, where no ledger of an earlier run survives. Two sources:
//   - the ledgers in the state folder of runs whose process is gone (certainly the run's);
//   - indexes whose name has the run shape (`ovc` + 5 base-36 digits of the run's start minute +
//     4 random, client/config.ts RUN_NAME) and whose run started before --older-than, confirmed by
//     GetVectorIndex's createTime lying between that start and the longest a run lasts.
// Without a ledger entry or a matching creation time nothing is ever deleted; without --yes
// nothing at all is (the list is printed).
import { Command, Option } from 'commander';
import { makeTempFolder, removeOurs } from '../files/gate.ts';
import { join, resolve } from 'node:path';
import { Pacer, TargetClient, codeOf } from '../client/client.ts';
import { credentialsFromEnv, prefixFor, RUN_NAME, runStartOf, targetSpec, type TargetSpec } from '../client/config.ts';
import { closeTransport, configureTls } from '../client/http.ts';
import type { Addressing } from '../protocol/addressing.ts';
import { cleanup } from '../safety/removeCreated.ts';
import { closeRunLedger, defaultStateDir, staleLedgers } from '../safety/leftovers.ts';
import { Ledger } from '../safety/ledger.ts';
import { preflight, PreflightError } from '../safety/preflight.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, intFlag, namedBucketFlag, regionFlag, urlFlag } from './options.ts';
import { inputFile } from './paths.ts';

/** The longest a run is taken to last: an index created later than this after its name's run started is not the run's. */
export const MAX_RUN_MS = 24 * 3600_000;
/** Clock skew allowed between this machine (which named the index) and the service (which dated it). */
const SKEW_MS = 5 * 60_000;

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
    .option('--region <region>', 'signing region', regionFlag, 'cn-hangzhou')
    .option('--bucket <bucket>', 'vector bucket to look in', bucketFlag, 'ovc-conformance')
    .option('--other-bucket <bucket>', 'a second bucket to look in', namedBucketFlag('other-bucket'))
    .option('--account-id <id>', 'account id', accountIdFlag, '1234567890')
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .option('--older-than <age>', 'only runs that started longer ago than this (s, m, h, d)', durationFlag, durationFlag('1h'))
    .option('--state-dir <dir>', 'the ledgers of earlier runs (default as ovc run)')
    .option('--yes', 'delete what is listed (without it nothing is deleted)', false)
    .option('--settle-ms <n>', 'how long a creating/deleting index may take', intFlag('settle-ms', 0, 3_600_000), 60_000)
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), 15_000)
    .option('--ca-file <file>', 'PEM file of a private CA', inputFile('ca-file'))
    .option('--insecure', 'do not verify the TLS certificate (test deployments only)', false)
    .action(async (flags: CleanupFlags) => { setExit(await runCleanup(flags)); });
}

export interface Candidate { bucket: string; name: string; source: string; createTime: string | null; delete: boolean; why: string; confirmed?: boolean }

/** What `ovc cleanup` would delete (and what it looked at and keeps), without deleting anything. */
export async function findCandidates(client: TargetClient, target: TargetSpec, stateDir: string, olderThanMs: number, now = Date.now()): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const s of staleLedgers(stateDir, target)) {
    for (const e of s.ledger.outstanding('index')) {
      seen.add(`${e.bucket}/${e.name}`);
      out.push({ bucket: e.bucket, name: e.name, source: `ledger of run ${s.owner?.runId ?? '?'}`, createTime: null, delete: true, why: 'written down by a run that stopped before its cleanup', confirmed: e.confirmed });
    }
  }
  for (const bucket of [target.bucket, target.otherBucket].filter((b): b is string => b !== null)) {
    for (const name of await listIndexNames(client, bucket)) {
      if (seen.has(`${bucket}/${name}`)) continue;
      const start = runStartOf(name);
      if (start === null) continue; // not the run shape: a user's name
      if (now - start < olderThanMs) { out.push({ bucket, name, source: 'name', createTime: null, delete: false, why: 'its run started less than --older-than ago' }); continue; }
      const res = await client.op('GetVectorIndex', { indexName: name }, { bucket });
      const createTime = (res.json as { index?: { createTime?: unknown } } | undefined)?.index?.createTime;
      const t = typeof createTime === 'string' ? Date.parse(createTime) : NaN;
      if (res.status !== 200 || Number.isNaN(t)) { out.push({ bucket, name, source: 'name', createTime: null, delete: false, why: `no creation time to confirm it (GetVectorIndex ${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''})` }); continue; }
      const ok = t >= start - SKEW_MS && t <= start + MAX_RUN_MS;
      out.push({ bucket, name, source: 'name', createTime: createTime as string, delete: ok, why: ok ? 'run shape, created while its run was running' : 'run shape, but created outside its run\'s time: not the run\'s' });
    }
  }
  return out;
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
  try {
    await preflight(client, { absentBucket: 'ovc-absent-cleanup', maxIndexes: 0, prefix: 'ovccleanup' });
    const found = await findCandidates(client, target, flags.stateDir ?? defaultStateDir(), flags.olderThan);
    const doomed = found.filter((c) => c.delete);
    if (found.length === 0) { log(`nothing of ovc runs found in ${[target.bucket, target.otherBucket].filter(Boolean).join(', ')}.`); return 0; }
    for (const c of found) log(`${c.delete ? (flags.yes ? 'delete' : 'would delete') : 'keep'}  ${c.bucket}/${c.name}  (${c.source}${c.createTime ? `, created ${c.createTime}` : ''}: ${c.why})`);
    if (!flags.yes) { log(`${doomed.length} index(es) would be deleted; run again with --yes to delete them.`); return 0; }
    // Through ledgers, so the deletes are the run's own settle-aware cleanup, prefix-checked.
    const work = makeTempFolder('ovc-cleanup-');
    let failures = 0;
    let deleted = 0;
    try {
      const byPrefix = new Map<string, Candidate[]>();
      for (const c of doomed) {
        const p = prefixFor(RUN_NAME.exec(c.name) ? c.name.slice(3, 12) : '');
        byPrefix.set(p, [...(byPrefix.get(p) ?? []), c]);
      }
      const left = new Set<string>();
      for (const [prefix, list] of byPrefix) {
        const ledger = new Ledger(join(work, prefix), prefix);
        for (const c of list) (c.confirmed === false ? ledger.creating(c.bucket, c.name) : ledger.created(c.bucket, c.name));
        const r = await cleanup(client, ledger, flags.settleMs);
        deleted += r.removed?.length ?? 0;
        failures += r.failures.length;
        for (const f of r.failures) log(`could not delete ${f}`);
        for (const e of ledger.outstanding()) left.add(`${e.bucket}/${e.name}`);
      }
      // The stopped runs' ledgers lose what is gone now, and disappear when nothing is left in them.
      for (const s of staleLedgers(flags.stateDir ?? defaultStateDir(), target)) {
        for (const e of s.ledger.outstanding('index')) if (!left.has(`${e.bucket}/${e.name}`)) s.ledger.deleted(e.bucket, e.name);
        closeRunLedger(s.ledger);
      }
    } finally {
      removeOurs(work);
    }
    log(`deleted ${deleted} index(es)${failures ? `; ${failures} could not be deleted` : ''}.`);
    return failures ? 1 : 0;
  } catch (e) {
    if (e instanceof PreflightError) { process.stderr.write(`ovc: cannot clean up: ${e.message}\n`); return 2; }
    throw e;
  } finally {
    await closeTransport();
  }
}
