// `ovc pact generate | verify | publish`: the consumer pact of the reference client, its
// verification against a target (default: the embedded emulator), and publishing verified pacts.
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAddressing, type Addressing } from '../protocol/addressing.ts';
import type { Credentials } from '../protocol/signer.ts';
import { PACT_DIR, PACT_FILE_NAME } from '../pact/interactions.ts';
import { gitBranch, gitConsumerVersion, PublishError } from '../pact/publish.ts';
import type { PublishResults, VerifyOptions, VerifyReport, VerifyStop } from '../pact/verify.ts';
import { credentialsFromEnv, targetSpec } from '../client/config.ts';
import { TargetClient } from '../client/client.ts';
import { closeTransport, TransportError } from '../client/http.ts';
import { claimOutputs, PathRefused } from '../files/gate.ts';
import { defaultStateDir } from '../safety/runLimits.ts';
import { UsageError } from './errors.ts';
import { packageFile } from './package-files.ts';
import { accountIdFlag, bucketFlag, choiceFlag, existingFile, intFlag, regionFlag, urlFlag } from './options.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

process.env.PACT_DO_NOT_TRACK = 'true';

/**
 * The published pact: `contracts/pacts/…` of the working folder when there is one (a checkout, as it
 * always was), else the copy the package ships (`files` in package.json, cli/package-files.ts).
 */
export const DEFAULT_PACT_FILE = ((): string => {
  const here = join(PACT_DIR, PACT_FILE_NAME);
  return existsSync(here) ? here : packageFile(here) ?? here;
})();

/** The pact folder `ovc pact publish` publishes by default: the working folder's, else the one the package ships. */
export const DEFAULT_PACT_DIR = existsSync(PACT_DIR) ? PACT_DIR : packageFile(PACT_DIR) ?? PACT_DIR;

/** The provider contract `publish-provider-contract` publishes by default: the one this package ships (same version as this ovc). */
export const DEFAULT_OPENAPI_FILE = packageFile('contracts/openapi/oss-vectors.openapi.json') ?? 'contracts/openapi/oss-vectors.openapi.json';

/** `--pact`: an http(s) URL as it is, else an existing file. */
function pactSource(value: string): string {
  if (/^https?:\/\//i.test(value)) { urlFlag('pact')(value); return value; }
  return existingFile('pact')(value);
}

export interface TargetFlags {
  endpoint?: string;
  stateHook?: string;
  bucket: string;
  region: string;
  accountId: string;
  addressing?: Addressing;
  fault?: string;
  timeoutMs: number;
  /** With --endpoint: the folder of the runs' ledgers (default: defaultStateDir()). */
  stateDir?: string;
}

export interface VerifyFlags extends TargetFlags {
  pact: string;
  publishResults?: boolean;
  providerVersion?: string;
  providerBranch?: string;
  buildUrl?: string;
}

/** The build URL of the CI run: $PACT_BUILD_URL, else GitHub Actions' run URL when its variables are set. */
export function ciBuildUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PACT_BUILD_URL) return env.PACT_BUILD_URL;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  return undefined;
}

/** Provider version, branch and build URL for publishing results: flags, else env, else git. */
export function publishResultsOptions(flags: VerifyFlags, env: NodeJS.ProcessEnv = process.env): PublishResults | undefined {
  if (!flags.publishResults) return undefined;
  const providerVersion = flags.providerVersion ?? env.PACT_PROVIDER_VERSION ?? gitConsumerVersion() ?? undefined;
  if (!providerVersion) throw new UsageError('--publish-results needs a provider version: pass --provider-version or set PACT_PROVIDER_VERSION.');
  const providerVersionBranch = flags.providerBranch ?? env.PACT_PROVIDER_BRANCH ?? gitBranch() ?? undefined;
  const buildUrl = flags.buildUrl ?? ciBuildUrl(env);
  return { providerVersion, ...(providerVersionBranch ? { providerVersionBranch } : {}), ...(buildUrl ? { buildUrl } : {}) };
}

export interface PublishFlags extends TargetFlags {
  pactDir: string;
  brokerUrl?: string;
  consumerVersion?: string;
  branch?: string;
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--endpoint <url>', 'OSS Vectors endpoint to verify against (default: start the embedded emulator)', urlFlag('endpoint'))
    .option('--state-hook <url>', 'provider-state hook of the target (the embedded emulator has one; without it, states go through the public API)', urlFlag('state-hook'))
    .option('--bucket <bucket>', 'vector bucket the pact\'s bucket maps to (must exist)', bucketFlag, DEFAULT_BUCKET)
    .option('--region <region>', 'signing region', regionFlag, DEFAULT_REGION)
    .option('--account-id <id>', 'account id (part of the host and of the signed ARN)', accountIdFlag, DEFAULT_ACCOUNT_ID)
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style (default: path for IP endpoints, virtual otherwise)').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .addOption(new Option('--fault <name>', 'embedded emulator only: run it with one deliberate deviation (for self-tests)'))
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), 15_000)
    .option('--state-dir <dir>', 'with --endpoint: where the ledgers of runs are kept, so the next run or verification removes what a stopped one left (default $OVC_STATE_DIR, else $XDG_STATE_HOME/ovc, else ~/.local/state/ovc)');
}

/** Starts the embedded emulator when no --endpoint is given, runs fn with the verify options, stops it. */
export async function withTarget<T>(flags: TargetFlags, fn: (o: Omit<VerifyOptions, 'pactFile'>) => Promise<T>): Promise<T> {
  if (flags.fault !== undefined && flags.endpoint) throw new UsageError('--fault applies to the embedded emulator only; drop --endpoint or --fault.');
  let emulator: { url: string; stateHookUrl: string | null; close(): Promise<void> } | null = null;
  let credentials: Credentials | null;
  if (!flags.endpoint) {
    const { startEmulator, defaultIdentities, isFaultName, FAULT_NAMES } = await import('../emulator/index.ts');
    if (flags.fault !== undefined && !isFaultName(flags.fault)) throw new UsageError(`unknown fault profile '${flags.fault}'; valid names: ${FAULT_NAMES.join(', ')}.`);
    const identities = defaultIdentities(process.env);
    credentials = { accessKeyId: identities[0]!.accessKeyId, accessKeySecret: identities[0]!.accessKeySecret, securityToken: identities[0]!.securityToken };
    emulator = await startEmulator({ region: flags.region, accountId: flags.accountId, buckets: [flags.bucket], identities, stateHook: true, fault: flags.fault ?? null });
  } else {
    credentials = credentialsFromEnv();
    if (!credentials) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set to verify against --endpoint.');
  }
  // Against --endpoint the ledger lives in the state folder, claimed through the file gate as `ovc run` claims it.
  const stateDir = flags.endpoint ? claimOutputs([{ flag: '--state-dir', path: flags.stateDir ?? defaultStateDir(), kind: 'folder' }])[0]! : null;
  try {
    const endpoint = flags.endpoint ?? emulator!.url;
    const o: Omit<VerifyOptions, 'pactFile'> = {
      endpoint, stateHook: flags.stateHook ?? emulator?.stateHookUrl ?? null,
      bucket: flags.bucket, region: flags.region, accountId: flags.accountId,
      addressing: flags.addressing ?? defaultAddressing(endpoint), credentials,
      targetName: emulator ? `embedded emulator${flags.fault ? ` (fault ${flags.fault})` : ''}` : `${endpoint} (${flags.bucket})`,
      timeoutMs: flags.timeoutMs, embedded: emulator !== null, stateDir,
    };
    await reachable(o);
    return await fn(o);
  } finally {
    await emulator?.close();
  }
}

/** One signed GetVectorBucket: a target that does not answer at all is exit 2, not a mismatch. */
async function reachable(o: Omit<VerifyOptions, 'pactFile'>): Promise<void> {
  const target = targetSpec({ endpoint: o.endpoint, region: o.region, bucket: o.bucket, accountId: o.accountId, addressing: o.addressing, stateHook: o.stateHook, name: o.targetName, timeoutMs: Math.min(o.timeoutMs ?? 15_000, 5000) });
  try {
    await new TargetClient(target, { main: o.credentials, denied: null }).op('GetVectorBucket');
  } catch (e) {
    if (e instanceof TransportError) throw new UsageError(`cannot reach ${o.endpoint}: ${e.message}`);
    throw e;
  } finally {
    await closeTransport();
  }
}

/**
 * Runs a verifying command with the stop `ovc run` has (run/stop.ts): SIGINT, SIGTERM or SIGHUP end
 * the verification (the interactions left end as errors at once), the cleanup removes what it
 * created, and the command exits 2; a second signal cuts the cleanup short, a third exits at once.
 */
async function stoppable(fn: (stop: VerifyStop) => Promise<number>, what = 'the verification'): Promise<number> {
  const { RunStop } = await import('../run/stop.ts');
  const stop = new RunStop((line) => { process.stderr.write(`${line}\n`); }, what);
  stop.install(null);
  try {
    return await fn(stop);
  } finally {
    stop.uninstall();
  }
}

/** `ovc pact verify`: prints the verifier's report and a summary; returns the exit code. */
export async function pactVerify(flags: VerifyFlags, out: (s: string) => void = (s) => { process.stdout.write(s); }, stop?: VerifyStop): Promise<number> {
  const { verifyPact, readPact, isUrl } = await import('../pact/verify.ts');
  if (!isUrl(flags.pact)) { try { readPact(flags.pact); } catch (e) { throw new UsageError((e as Error).message); } }
  const publishResults = publishResultsOptions(flags);
  if (publishResults && !isUrl(flags.pact)) throw new UsageError('--publish-results needs --pact to be the URL of the pact in a Pact Broker (results go to its pb:publish-verification-results link).');
  let report: VerifyReport;
  try {
    report = await withTarget(flags, (o) => verifyPact({ ...o, pactFile: flags.pact, ...(publishResults ? { publishResults } : {}), ...(stop ? { stop } : {}) }));
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathRefused) throw e;
    if (/^(publishing verification results|cannot fetch the pact)/.test((e as Error).message)) throw new UsageError((e as Error).message);
    throw e;
  }
  out(report.summary);
  return report.exitCode;
}

/** `ovc pact publish`: verifies every pact first, publishes only what passed. */
export async function pactPublish(flags: PublishFlags, log: (s: string) => void = (s) => { process.stderr.write(`${s}\n`); }, stop?: VerifyStop): Promise<number> {
  const { publishPacts } = await import('../pact/publish.ts');
  const { verifyPact } = await import('../pact/verify.ts');
  try {
    const result = await publishPacts({
      pactDir: flags.pactDir, brokerUrl: flags.brokerUrl, consumerVersion: flags.consumerVersion, branch: flags.branch, log, ...(stop ? { stop } : {}),
      verify: (pactFile): Promise<VerifyReport> => withTarget(flags, (o) => verifyPact({ ...o, pactFile, log, ...(stop ? { stop } : {}) })),
    });
    log(`published ${result.files.length} pact file(s) to ${result.brokerUrl} as consumer version ${result.consumerVersion}${result.branch ? ` on branch ${result.branch}` : ''}`);
    return 0;
  } catch (e) {
    if (e instanceof PublishError) { log(`ovc pact publish: ${e.message}`); return e.exitCode; }
    throw e;
  }
}

export interface ProviderContractFlags {
  openapi: string;
  results: string;
  brokerUrl?: string;
  providerVersion?: string;
  branch?: string;
  buildUrl?: string;
}

/** `ovc pact publish-provider-contract`: 0 published with a passing self-verification, 1 published as failed, 2 not published. */
export async function pactPublishProviderContract(flags: ProviderContractFlags, log: (s: string) => void = (s) => { process.stderr.write(`${s}\n`); }, env: NodeJS.ProcessEnv = process.env, stop?: VerifyStop): Promise<number> {
  const { publishProviderContract } = await import('../pact/provider-contract.ts');
  const providerVersion = flags.providerVersion ?? env.PACT_PROVIDER_VERSION ?? gitConsumerVersion();
  if (!providerVersion) throw new UsageError('no provider version: pass --provider-version or set PACT_PROVIDER_VERSION.');
  try {
    const r = await publishProviderContract({
      openapiFile: flags.openapi, resultsFile: flags.results, brokerUrl: flags.brokerUrl, providerVersion,
      branch: flags.branch ?? env.PACT_PROVIDER_BRANCH ?? gitBranch(), buildUrl: flags.buildUrl ?? ciBuildUrl(env), env, log, ...(stop ? { stop } : {}),
    });
    return r.success ? 0 : 1;
  } catch (e) {
    if (e instanceof PublishError) { log(`ovc pact publish-provider-contract: ${e.message}`); return e.exitCode; }
    throw e;
  }
}

export function pactCommand(setExit: (code: number) => void): Command {
  const pact = new Command('pact').description('Pact V4 contracts: generate the consumer pact and the OpenAPI document, verify the pact against a target, publish verified pacts and the provider contract');
  pact.addCommand(new Command('generate')
    .description(`regenerate the consumer pact of the reference client into ${PACT_DIR}`)
    .option('--out <dir>', 'folder to write the pact file to', PACT_DIR)
    .action(async (flags: { out: string }) => {
      const { generatePact } = await import('../pact/generate.ts');
      process.stdout.write(`wrote ${await generatePact(flags.out)}\n`);
      setExit(0);
    }));
  pact.addCommand(new Command('openapi')
    .description('regenerate the OpenAPI 3.1 document derived from contracts/ into contracts/openapi (validated before it is written)')
    .option('--out <dir>', 'folder to write the document to', 'contracts/openapi')
    .action(async (flags: { out: string }) => {
      const { generateOpenApi } = await import('../pact/openapi.ts');
      process.stdout.write(`wrote ${await generateOpenApi(flags.out)}\n`);
      setExit(0);
    }));
  pact.addCommand(new Command('signing-proxy')
    .description('forward requests (from `pact verifier`, the Rust CLI) to --upstream as a client sends them: Content-MD5 of the body as sent, a fresh V4 signature with $OSS_ACCESS_KEY_ID/$OSS_ACCESS_KEY_SECRET (a request without Authorization stays unsigned), path-style; runs until interrupted (docs/pact.md)')
    .requiredOption('--upstream <url>', 'the provider endpoint, e.g. the URL of ovc serve', urlFlag('upstream'))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = a free port)', intFlag('port', 0, 65535), 0)
    .option('--region <region>', 'signing region', regionFlag, DEFAULT_REGION)
    .option('--account-id <id>', 'account id (part of the signed ARN)', accountIdFlag, DEFAULT_ACCOUNT_ID)
    .option('--bucket <name>', 'bucket of a request addressed at / (the pact example is virtual-hosted)', bucketFlag, 'examplebucket')
    .action(async (flags: { upstream: string; host: string; port: number; region: string; accountId: string; bucket: string }) => {
      const credentials = credentialsFromEnv();
      if (!credentials) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set: the proxy signs with them.');
      const { startSigningProxy } = await import('../pact/signing-proxy.ts');
      const proxy = await startSigningProxy({ upstream: flags.upstream, credentials, region: flags.region, accountId: flags.accountId, bucket: flags.bucket, host: flags.host, port: flags.port });
      process.stdout.write(`ovc signing proxy: ${proxy.url} -> ${flags.upstream}\n`);
      await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
      await proxy.close();
      setExit(0);
    }));
  pact.addCommand(targetOptions(new Command('verify')
    .description('verify a pact file against a target (default: the embedded emulator); exit 0 verified, 1 mismatch, 2 could not run'))
    .option('--pact <file-or-url>', 'pact file to verify, or the URL of a pact in a Pact Broker (token from $PACT_BROKER_TOKEN)', pactSource, DEFAULT_PACT_FILE)
    .option('--publish-results', 'publish the verification result to the broker the --pact URL points into (every interaction must be verifiable: a state hook is needed)')
    .option('--provider-version <v>', 'provider version of the published result (default: $PACT_PROVIDER_VERSION, else git rev-parse --short HEAD)')
    .option('--provider-branch <b>', 'provider branch of the published result (default: $PACT_PROVIDER_BRANCH, else git branch --show-current)')
    .option('--build-url <url>', 'CI build URL of the published result (default: $PACT_BUILD_URL, else the GitHub Actions run URL)', urlFlag('build-url'))
    .action(async (flags: VerifyFlags) => { setExit(await stoppable((stop) => pactVerify(flags, undefined, stop))); }));
  pact.addCommand(targetOptions(new Command('publish')
    .description('verify the pact files against the target, then publish them to a Pact Broker; exit 0 published, 1 refused (verification failed), 2 could not run'))
    .option('--pact-dir <dir>', 'folder (or single file) of pact files (default: ./contracts/pacts, else the pact this package ships)', DEFAULT_PACT_DIR)
    .option('--broker-url <url>', 'Pact Broker base URL (default: $PACT_BROKER_BASE_URL); token from $PACT_BROKER_TOKEN', urlFlag('broker-url'))
    .option('--consumer-version <v>', 'consumer version (default: git rev-parse --short HEAD, plus -dirty for uncommitted changes)')
    .option('--branch <b>', 'consumer branch (default: git branch --show-current)')
    .action(async (flags: PublishFlags) => { setExit(await stoppable((stop) => pactPublish(flags, undefined, stop))); }));
  pact.addCommand(new Command('publish-provider-contract')
    .description('publish the OpenAPI document (contracts/openapi) as the provider contract, with an `ovc run` results.jsonl as its self-verification (pact pactflow publish-provider-contract --verifier ovc); exit 0 published and verified, 1 published as failed, 2 not published')
    .option('--openapi <file>', 'OpenAPI document to publish (default: the one this package ships)', existingFile('openapi'), DEFAULT_OPENAPI_FILE)
    .requiredOption('--results <file>', 'results.jsonl of `ovc run` against the provider (the self-verification)', existingFile('results'))
    .option('--broker-url <url>', 'Pact Broker / PactFlow base URL (default: $PACT_BROKER_BASE_URL); token from $PACT_BROKER_TOKEN', urlFlag('broker-url'))
    .option('--provider-version <v>', 'provider version (default: $PACT_PROVIDER_VERSION, else git rev-parse --short HEAD)')
    .option('--branch <b>', 'provider branch (default: $PACT_PROVIDER_BRANCH, else git branch --show-current)')
    .option('--build-url <url>', 'CI build URL (default: $PACT_BUILD_URL, else the GitHub Actions run URL)', urlFlag('build-url'))
    .action(async (flags: ProviderContractFlags) => { setExit(await stoppable((stop) => pactPublishProviderContract(flags, undefined, undefined, stop), 'the publishing')); }));
  return pact;
}
