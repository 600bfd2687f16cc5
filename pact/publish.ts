// Publishing pact files to a Pact Broker (or PactFlow) with the `pact-broker` binary of
// @pact-foundation/pact-cli. Order: local checks, broker probe (fails fast), verification against
// the configured target (a pact that did not pass is never published), then `pact-broker publish
// --validate`. The token travels in the environment (PACT_BROKER_TOKEN), never in argv or output.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { runTied } from '../safety/processes.ts';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { VerifyReport } from './verify.ts';
import { EXAMPLES } from './interactions.ts';

export class PublishError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) { super(message); }
}

export interface PublishOptions {
  /** A folder of pact files, or one pact file. */
  pactDir: string;
  brokerUrl?: string;
  consumerVersion?: string;
  branch?: string;
  /** Verifies one pact file against the configured target. */
  verify: (pactFile: string) => Promise<VerifyReport>;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Working directory for git (default: cwd). */
  cwd?: string;
  /** Broker probe timeout (default 3 s). */
  probeTimeoutMs?: number;
  /** The command's stop (its verification takes the same one). */
  stop?: PublishStop;
}

export interface PublishResult {
  files: string[];
  consumerVersion: string;
  branch: string | null;
  brokerUrl: string;
  reports: VerifyReport[];
  /** What the pact-broker binary printed (token redacted). */
  output: string;
}

export function pactFilesIn(dirOrFile: string): string[] {
  let st;
  try { st = statSync(dirOrFile); } catch { throw new PublishError(`no such pact folder or file '${dirOrFile}'.`, 2); }
  const files = st.isDirectory()
    ? readdirSync(dirOrFile).filter((f) => f.endsWith('.json')).sort().map((f) => join(dirOrFile, f))
    : [dirOrFile];
  if (!files.length) throw new PublishError(`no pact files (*.json) in '${dirOrFile}'.`, 2);
  return files.map((f) => resolve(f));
}

/** Structural checks and the secrets rule (DESIGN rule 9) on one pact file. */
export function checkPactFile(file: string): void {
  let pact: { consumer?: { name?: unknown }; provider?: { name?: unknown }; interactions?: unknown; metadata?: { pactSpecification?: { version?: unknown } } };
  const text = readTextBounded(file, INPUT_BOUNDS.pact, 'a pact file');
  try { pact = JSON.parse(text) as typeof pact; } catch (e) { throw new PublishError(`${file} is not valid JSON: ${(e as Error).message}`, 2); }
  if (typeof pact.consumer?.name !== 'string' || typeof pact.provider?.name !== 'string') throw new PublishError(`${file} names no consumer and provider.`, 2);
  if (!Array.isArray(pact.interactions) || pact.interactions.length === 0) throw new PublishError(`${file} has no interactions.`, 2);
  if (typeof pact.metadata?.pactSpecification?.version !== 'string') throw new PublishError(`${file} does not state its pact specification version.`, 2);
  const sigs = text.match(/Signature=[0-9a-f]{64}/g) ?? [];
  if (sigs.some((s) => !EXAMPLES.authorization.endsWith(s))) throw new PublishError(`${file} contains a real request signature; regenerate it (ovc pact generate).`, 2);
}

function git(args: string[], cwd: string): string | null {
  try { return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; }
}

/** `git rev-parse --short HEAD`, with `-dirty` when tracked files have uncommitted changes. */
export function gitConsumerVersion(cwd = process.cwd()): string | null {
  const sha = git(['rev-parse', '--short', 'HEAD'], cwd);
  if (!sha) return null;
  const dirty = git(['status', '--porcelain', '--untracked-files=no'], cwd);
  return dirty ? `${sha}-dirty` : sha;
}

export function gitBranch(cwd = process.cwd()): string | null {
  return git(['branch', '--show-current'], cwd) || null;
}

/** One GET of the broker's index with a short timeout: any answer but 2xx/3xx is a clear failure. */
export async function probeBroker(url: string, token: string | undefined, timeoutMs = 3000): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url.replace(/\/*$/, '/'), {
      headers: { accept: 'application/hal+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs), redirect: 'manual',
    });
    await res.arrayBuffer();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new PublishError(`cannot reach the Pact Broker at ${url} (${why}); nothing was published.`, 2);
  }
  if (res.status === 401 || res.status === 403) throw new PublishError(`the Pact Broker at ${url} refused the credentials (HTTP ${res.status}); check PACT_BROKER_TOKEN. Nothing was published.`, 2);
  if (res.status >= 400) throw new PublishError(`the Pact Broker at ${url} answered HTTP ${res.status}; nothing was published.`, 2);
}

/** Path of the pact-broker launcher of @pact-foundation/pact-cli. */
export function pactBrokerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@pact-foundation/pact-cli/package.json')), 'bin', 'pact-broker.js');
}

export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** A command's stop as the publishing steps see it: once aborted, the pact binary is ended and nothing more is sent. */
export interface PublishStop { readonly signal: AbortSignal; readonly reason: string | null }

/**
 * Runs one of @pact-foundation/pact-cli's launchers (`launcher`: its bin/*.js) and collects the
 * output, tied to this process (safety/processes.ts): the launcher waits on the Rust binary it
 * starts, and the timeout, a stop (`signal`: SIGTERM to the group) or a kill -9 of `ovc` must end
 * both, not only the launcher (which left the binary publishing on).
 */
export async function runPactBinary(launcher: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, signal?: AbortSignal): Promise<{ code: number | null; output: string }> {
  const r = await runTied(process.execPath, [launcher, ...args], { env, timeoutMs, killSignal: 'SIGTERM', ...(signal ? { signal } : {}) });
  return { code: r.code, output: r.stdout + r.stderr };
}

/** The refusal of a publishing a stop cut short; `sent`: the pact binary had started. */
export function stoppedPublishing(stop: PublishStop, sent: boolean, what: string): PublishError {
  return new PublishError(`stopped (${stop.reason ?? 'a signal'}) before the end of the publishing: ${sent ? `the broker may or may not hold ${what}; publish again to be sure` : 'nothing was sent to the broker'}.`, 2);
}

export async function publishPacts(o: PublishOptions): Promise<PublishResult> {
  const env = o.env ?? process.env;
  const log = o.log ?? ((s: string) => { process.stderr.write(`${s}\n`); });
  const cwd = o.cwd ?? process.cwd();
  const token = env.PACT_BROKER_TOKEN || undefined;
  const files = pactFilesIn(o.pactDir);
  for (const f of files) checkPactFile(f);
  const brokerUrl = (o.brokerUrl ?? env.PACT_BROKER_BASE_URL ?? '').replace(/\/+$/, '');
  if (!brokerUrl) throw new PublishError('no Pact Broker: pass --broker-url or set PACT_BROKER_BASE_URL.', 2);
  try { new URL(brokerUrl); } catch { throw new PublishError(`--broker-url must be an http(s) URL, got '${brokerUrl}'.`, 2); }
  const consumerVersion = o.consumerVersion ?? gitConsumerVersion(cwd);
  if (!consumerVersion) throw new PublishError('no consumer version: pass --consumer-version (git could not tell the commit).', 2);
  const branch = o.branch ?? gitBranch(cwd);

  await probeBroker(brokerUrl, token, o.probeTimeoutMs);

  const reports: VerifyReport[] = [];
  for (const f of files) {
    const report = await o.verify(f);
    reports.push(report);
    const n = (k: string): number => report.results.filter((r) => r.outcome === k).length;
    if (report.exitCode !== 0 || n('pass') !== report.results.length) {
      log(report.summary.trimEnd());
      const why = n('fail') > 0 ? 'did not pass verification' : 'could not be verified';
      throw new PublishError(`refusing to publish ${f}: it ${why} against ${report.target} (${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped, ${n('error')} errors); nothing was published.`, n('fail') > 0 ? 1 : 2);
    }
    log(`verified ${f} against ${report.target}: ${n('pass')} interactions passed`);
  }

  const args = ['publish', ...files, '--validate', '--broker-base-url', brokerUrl, '--consumer-app-version', consumerVersion, '--retries', '1'];
  if (branch) args.push('--branch', branch);
  // The token reaches the binary through its PACT_BROKER_TOKEN variable only.
  const childEnv: NodeJS.ProcessEnv = { ...env, PACT_DO_NOT_TRACK: 'true' };
  if (o.stop?.signal.aborted) throw stoppedPublishing(o.stop, false, 'the pacts');
  const { code, output } = await runPactBinary(pactBrokerBin(), args, childEnv, 60_000, o.stop?.signal);
  if (o.stop?.signal.aborted) throw stoppedPublishing(o.stop, true, 'the pacts');
  const shown = redact(output, [token, env.PACT_BROKER_PASSWORD]);
  if (code !== 0) throw new PublishError(`pact-broker publish failed (exit ${code}): ${shown.trim() || 'no output'}`, 2);
  log(shown.trimEnd());
  return { files, consumerVersion, branch, brokerUrl, reports, output: shown };
}
