// `ovc serve`: runs the reference emulator until SIGINT/SIGTERM.
import { isIP } from 'node:net';
import { Command, Option } from 'commander';
import { isValidBucketName } from '../contracts/limits.ts';
import { PROVIDER_STATE_PATH } from '../contracts/provider-states.ts';
import { defaultIdentities, FAULT_NAMES, FAULT_PROFILES, isFaultName, startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/index.ts';
import { DEFAULT_MAX_INFLIGHT_BODY_MB } from '../emulator/inflight.ts';
import { DEFAULT_MAX_MEMORY_MB, MAX_MEMORY_MB_LIMIT } from '../emulator/memory.ts';
import { advertisedHostOf, DEFAULT_ACCESS_KEY_SECRET, resolveOptions } from '../emulator/options.ts';
import { formatRange, MAX_DURATION_MS, parseRange, type Range } from '../emulator/realism.ts';
import { UsageError } from './errors.ts';
import { claimOutputs } from '../files/gate.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

interface ServeFlags {
  host: string;
  port: string;
  region: string;
  accountId: string;
  bucket?: string[];
  stateHook?: boolean;
  fault?: string;
  creatingMs?: string;
  deletingMs?: string;
  latencyMs?: string;
  throttleRps?: string;
  throttlePutIndexRps?: string;
  indexQuota?: string;
  realistic?: boolean;
  clientLog?: string;
  maxMemoryMb?: string;
  maxInflightBodyMb?: string;
  advertisedEndpoint?: string;
}

/** Longest --latency-ms: a minute per request is already far beyond any cloud endpoint. */
const MAX_LATENCY_MS = 60_000;
const MAX_RPS = 1_000_000;
const MAX_INDEX_QUOTA = 1_000_000;

function integerFlag(name: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`${name} must be an integer in 0..${max}, got '${value}'`);
  return Number(value);
}

/** `N` or `A-B` whole milliseconds; undefined when the flag was not given (a profile may then fill it). */
function rangeFlag(name: string, value: string | undefined, max: number): Range | undefined {
  if (value === undefined) return undefined;
  const r = parseRange(value, max);
  if (!r) throw new UsageError(`${name} must be whole milliseconds N or a range A-B with 0 <= A <= B <= ${max}, got '${value}'`);
  return r;
}

/** Requests per second, a positive number (0 = no throttle); undefined when not given. */
function rateFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || Number(value) > MAX_RPS) throw new UsageError(`${name} must be a number of requests per second in 0..${MAX_RPS} (0 = no throttle), got '${value}'`);
  return Number(value);
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** Checks the flags and turns them into emulator options. */
export function serveOptions(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): EmulatorOptions {
  const port = integerFlag('--port', flags.port, 65535);
  const creatingMs = rangeFlag('--creating-ms', flags.creatingMs, MAX_DURATION_MS);
  const deletingMs = rangeFlag('--deleting-ms', flags.deletingMs, MAX_DURATION_MS);
  const latencyMs = rangeFlag('--latency-ms', flags.latencyMs, MAX_LATENCY_MS);
  const throttleRps = rateFlag('--throttle-rps', flags.throttleRps);
  const throttlePutIndexRps = rateFlag('--throttle-put-index-rps', flags.throttlePutIndexRps);
  const indexQuota = flags.indexQuota === undefined ? undefined : integerFlag('--index-quota', flags.indexQuota, MAX_INDEX_QUOTA);
  const maxMemoryMb = flags.maxMemoryMb === undefined ? undefined : integerFlag('--max-memory-mb', flags.maxMemoryMb, MAX_MEMORY_MB_LIMIT);
  if (maxMemoryMb === 0) throw new UsageError(`--max-memory-mb must be an integer in 1..${MAX_MEMORY_MB_LIMIT}, got '0'`);
  const maxInflightBodyMb = flags.maxInflightBodyMb === undefined ? undefined : integerFlag('--max-inflight-body-mb', flags.maxInflightBodyMb, MAX_MEMORY_MB_LIMIT);
  if (maxInflightBodyMb === 0) throw new UsageError(`--max-inflight-body-mb must be an integer in 1..${MAX_MEMORY_MB_LIMIT}, got '0'`);
  if (flags.fault !== undefined && !isFaultName(flags.fault)) {
    throw new UsageError(`unknown fault profile '${flags.fault}'; valid names: ${FAULT_NAMES.join(', ')}`);
  }
  if (!/^\d+$/.test(flags.accountId)) throw new UsageError(`--account-id must be digits, got '${flags.accountId}'`);
  if (!/^[a-z0-9-]+$/.test(flags.region)) throw new UsageError(`--region must be a region id such as ${DEFAULT_REGION}, got '${flags.region}'`);
  const buckets = flags.bucket?.length ? [...new Set(flags.bucket)] : undefined;
  for (const b of buckets ?? []) if (!isValidBucketName(b)) throw new UsageError(`--bucket '${b}' is not a valid vector bucket name (3-32 of a-z, 0-9, -)`);
  if (flags.advertisedEndpoint !== undefined) {
    try { advertisedHostOf(flags.advertisedEndpoint); } catch (e) { throw new UsageError(`--advertised-endpoint: ${(e as Error).message}`); }
  }
  // The hook is unsigned and can wipe data: only on by default where nobody else can reach it.
  const stateHook = flags.stateHook ?? isLoopback(flags.host);
  return {
    host: flags.host, port, region: flags.region, accountId: flags.accountId, buckets, stateHook,
    fault: flags.fault ?? null, creatingMs, deletingMs, latencyMs, throttleRps, throttlePutIndexRps, indexQuota,
    realistic: flags.realistic ?? false, maxMemoryMb,
    ...(maxInflightBodyMb !== undefined ? { maxInflightBodyMb } : {}),
    // Appends only to a new file or the client log ovc wrote there before (its mark beside it), never to another file of the user's.
    clientLog: flags.clientLog ? claimOutputs([{ flag: '--client-log', path: flags.clientLog, kind: 'append-file' }])[0]! : null,
    identities: defaultIdentities(env),
    ...(flags.advertisedEndpoint !== undefined ? { advertisedEndpoint: flags.advertisedEndpoint } : {}),
  };
}

/** The banner lines on timing, throttles and quota, as the emulator resolved them (profile, flags, fault). */
export function describeRealism(options: EmulatorOptions): string[] {
  const o = resolveOptions({ ...options, identities: [] }, isFaultName);
  const throttles = [
    o.throttleRps ? `${o.throttleRps} requests/s overall` : null,
    o.throttlePutIndexRps ? `${o.throttlePutIndexRps} PutVectorIndex/s` : null,
  ].filter((x) => x !== null);
  return [
    `  timing:                    latency ${formatRange(o.latencyMs)}, creating ${formatRange(o.creatingMs)}, deleting ${formatRange(o.deletingMs)}${o.realistic ? ' (realistic profile)' : ''}`,
    `  throttle:                  ${throttles.length ? `${throttles.join(', ')} (then 503 ServiceUnavailable, Retry-After: 1)` : 'off'}`,
    `  index quota:               ${o.indexQuota} per bucket`,
  ];
}

/** The banner: where to connect and with which key; the secret only when it is the built-in test secret. */
export function describeServer(em: RunningEmulator, fault: string | null, env: NodeJS.ProcessEnv = process.env, extra: string[] = []): string {
  const wildcard = em.host === '0.0.0.0' || em.host === '::';
  const shownHost = wildcard ? '127.0.0.1' : em.host.includes(':') ? `[${em.host}]` : em.host;
  const base = `http://${shownHost}:${em.port}`;
  const [main, ...others] = em.identities;
  const secretIsBuiltIn = !env.OSS_ACCESS_KEY_SECRET && main?.accessKeySecret === DEFAULT_ACCESS_KEY_SECRET;
  const lines = [
    'OSS Vectors emulator (ovc serve) listening',
    `  endpoint (path-style):     ${base}`,
    ...em.buckets.map((b) => `  endpoint (virtual-hosted): http://${b}-${em.accountId}.localhost:${em.port}`),
    `  region:                    ${em.region}`,
    `  account id:                ${em.accountId}`,
    `  buckets:                   ${em.buckets.join(', ') || '(none)'}`,
    `  access key id:             ${main?.accessKeyId ?? '(none)'}${secretIsBuiltIn ? `  (secret: ${DEFAULT_ACCESS_KEY_SECRET})` : ''}`,
    ...others.map((i) => `  restricted key id:         ${i.accessKeyId}  (denied: ${(i.deniedActions ?? []).join(', ') || 'nothing'})`),
    `  state hook:                ${em.stateHookUrl ? `on (POST ${base}${PROVIDER_STATE_PATH})` : 'off'}`,
    ...extra,
  ];
  if (fault) lines.push(`  FAULT PROFILE:             ${fault}: ${FAULT_PROFILES[fault as keyof typeof FAULT_PROFILES].description}`);
  return `${lines.join('\n')}\n`;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      process.off('SIGINT', on).off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on).on('SIGTERM', on);
  });
}

export function serveCommand(setExit: (code: number) => void): Command {
  return new Command('serve')
    .description('Run the reference OSS Vectors emulator (stateful, strict, with the provider-state hook)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = a free port)', '0')
    .option('--region <region>', 'region id used in signatures and ARNs', DEFAULT_REGION)
    .option('--account-id <id>', 'account id (part of the virtual-hosted host and of the ARN)', DEFAULT_ACCOUNT_ID)
    .option('--bucket <name>', `a bucket that exists at start (repeatable; default ${DEFAULT_BUCKET})`, (v: string, prev: string[] = []) => [...prev, v])
    .option('--state-hook', `serve the provider-state hook at POST ${PROVIDER_STATE_PATH} (default: on for loopback hosts)`)
    .option('--no-state-hook', 'do not serve the provider-state hook')
    .addOption(new Option('--fault <name>', 'run with one deliberate deviation (for self-tests)'))
    .option('--creating-ms <A[-B]>', "how long a new index stays 'creating': N ms, or uniform random in A-B per index (default 0)")
    .option('--deleting-ms <A[-B]>', "how long a deleted index stays 'deleting' before it is gone: N ms or A-B per index (default 0)")
    .option('--latency-ms <A[-B]>', 'delay before each API request is answered: N ms or A-B per request (default 0; never the state hook)')
    .option('--throttle-rps <n>', 'requests per second over the whole server (token bucket, bursts of one second); beyond it 503 ServiceUnavailable with Retry-After: 1 (default off; 0 = off)')
    .option('--throttle-put-index-rps <n>', 'PutVectorIndex requests per second (documented: 5); beyond it 503 ServiceUnavailable (default off; 0 = off)')
    .option('--index-quota <n>', "indexes per bucket ('deleting' ones count); beyond it 400 VectorBucketIndexExceedLimit (default 100)")
    .option('--realistic', 'cloud-like profile: --latency-ms 5-40 --creating-ms 200-1500 --deleting-ms 200-1500 --throttle-put-index-rps 5 --index-quota 100 (explicit flags override its parts)')
    .option('--max-inflight-body-mb <n>', `bytes of request bodies held at once, in MiB; a request whose declared body (or, chunked, the per-request cap) would pass it gets 503 ServiceUnavailable with Retry-After: 1 before its body is read (default ${DEFAULT_MAX_INFLIGHT_BODY_MB})`)
    .option('--max-memory-mb <n>', `memory budget of the vectors held (Float32Array blocks, keys, metadata), in MiB; a PutVectors beyond it gets 400 EntityTooLarge, a provider-state setup beyond it a 400 refusal, checked before anything is allocated (default ${DEFAULT_MAX_MEMORY_MB})`)
    .option('--client-log <file>', 'append one JSON line per request saying what the client did differently from the SDKs')
    .option('--advertised-endpoint <url>', 'the endpoint reported as a bucket\'s ExtranetEndpoint/IntranetEndpoint, e.g. behind a proxy or in a container (default: the emulator\'s own address)')
    .action(async (flags: ServeFlags) => {
      const options = serveOptions(flags);
      let em: RunningEmulator;
      try {
        em = await startEmulator(options);
      } catch (e) {
        throw new UsageError(`cannot listen on ${flags.host}:${flags.port}: ${(e as Error).message}`);
      }
      // A closed stdout (the launching script went away) must not take the server down with EPIPE.
      process.stdout.on('error', () => {});
      process.stdout.write(describeServer(em, options.fault ?? null, process.env, describeRealism(options)));
      const signal = await untilSignal();
      process.stdout.write(`received ${signal}, stopping\n`);
      await em.close();
      setExit(0);
      // Whatever else might still hold the event loop, a stopped server exits.
      setTimeout(() => process.exit(0), 2000).unref();
    });
}
