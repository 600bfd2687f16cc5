// Bi-directional contract testing, provider side: publishes the OpenAPI document derived from
// contracts/ (contracts/openapi/) as the provider contract of `oss-vectors`, with the results of an
// `ovc run` (results.jsonl) against the provider as its self-verification. It runs the official
// `pact pactflow publish-provider-contract … --verifier ovc` of @pact-foundation/pact-cli; the token
// reaches it through $PACT_BROKER_TOKEN only, and its output is redacted before it is shown.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { INPUT_BOUNDS, makeWorkFolder, readTextBounded, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { packageVersion } from '../contracts/packageFiles.ts';
import { PROVIDER } from './interactions.ts';
import { validateOpenApi } from './openapi.ts';
import { probeBroker, PublishError, redact, runPactBinary, stoppedPublishing, type PublishStop } from './publish.ts';

export interface ProviderContractOptions {
  openapiFile: string;
  /** results.jsonl of `ovc run` against the provider. */
  resultsFile: string;
  brokerUrl?: string;
  providerVersion: string;
  branch?: string | null;
  buildUrl?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  probeTimeoutMs?: number;
  /** The command's stop: once aborted, the pact binary is ended and nothing more is sent. */
  stop?: PublishStop;
}

export interface SelfVerification {
  success: boolean;
  counts: Record<'pass' | 'fail' | 'skip' | 'error', number>;
  /** The document published as the verification results (JSON). */
  document: { tool: 'ovc'; toolVersion: string; success: boolean; counts: SelfVerification['counts']; cases: unknown[] };
}

export function ovcVersion(): string {
  return packageVersion();
}

/**
 * Reads an `ovc run` results.jsonl. The self-verification passes when no case failed or errored and
 * at least one passed (skips, e.g. without a denied identity, do not fail it).
 */
export function readSelfVerification(file: string): SelfVerification {
  let text: string;
  try { text = readTextBounded(file, INPUT_BOUNDS.runRecords, '--results'); } catch (e) { throw new PublishError(`cannot read the ovc run results ${file}: ${(e as Error).message}`, 2); }
  const cases: Array<Record<string, unknown>> = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let c: Record<string, unknown>;
    try { c = JSON.parse(line) as Record<string, unknown>; } catch { throw new PublishError(`${file}:${i + 1} is not a JSON line of ovc run results`, 2); }
    if (typeof c.id !== 'string' || !['pass', 'fail', 'skip', 'error'].includes(String(c.outcome))) throw new PublishError(`${file}:${i + 1} is not an ovc run case (id, outcome)`, 2);
    cases.push(c);
  }
  if (!cases.length) throw new PublishError(`${file} holds no ovc run cases`, 2);
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const c of cases) counts[c.outcome as keyof typeof counts]++;
  const success = counts.fail === 0 && counts.error === 0 && counts.pass > 0;
  const summary = cases.map((c) => ({ id: c.id, response: c.response, outcome: c.outcome, expected: c.expected, actual: c.actual, reason: c.reason }));
  return { success, counts, document: { tool: 'ovc', toolVersion: ovcVersion(), success, counts, cases: summary } };
}

export function pactBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@pact-foundation/pact-cli/package.json')), 'bin', 'pact.js');
}

/** The secret values that must never appear in what is published. */
function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return [env.PACT_BROKER_TOKEN, env.PACT_BROKER_PASSWORD, env.OSS_ACCESS_KEY_SECRET, env.OSS_SESSION_TOKEN, env.OVC_DENIED_ACCESS_KEY_SECRET]
    .filter((s): s is string => typeof s === 'string' && s.length >= 4);
}

export async function publishProviderContract(o: ProviderContractOptions): Promise<{ output: string; args: string[]; success: boolean }> {
  const env = o.env ?? process.env;
  const log = o.log ?? ((s: string) => { process.stderr.write(`${s}\n`); });
  const brokerUrl = (o.brokerUrl ?? env.PACT_BROKER_BASE_URL ?? '').replace(/\/+$/, '');
  if (!brokerUrl) throw new PublishError('no Pact Broker: pass --broker-url or set PACT_BROKER_BASE_URL.', 2);
  const problems = await validateOpenApi(o.openapiFile).catch((e: unknown) => [(e as Error).message]);
  if (problems.length) throw new PublishError(`${o.openapiFile} is not a valid OpenAPI document: ${problems.slice(0, 3).join('; ')}`, 2);
  const self = readSelfVerification(o.resultsFile);
  const secrets = secretsOf(env);
  const contractText = readTextBounded(o.openapiFile, INPUT_BOUNDS.pact, '--openapi');
  const resultsText = `${JSON.stringify(self.document, null, 2)}\n`;
  for (const s of secrets) {
    if (contractText.includes(s) || resultsText.includes(s)) throw new PublishError('refusing to publish: a secret value from the environment appears in the contract or the results.', 2);
  }
  await probeBroker(brokerUrl, env.PACT_BROKER_TOKEN || undefined, o.probeTimeoutMs);
  if (o.stop?.signal.aborted) throw stoppedPublishing(o.stop, false, 'the provider contract');

  // Named as a run's work folder (`ovc-run-<pid>-providercontract-*`): one a kill -9 left is removed
  // by the next `ovc run`, `ovc pact verify` or `ovc sdk-test`.
  const work = makeWorkFolder('providercontract');
  try {
    const resultsFile = join(work, 'ovc-self-verification.json');
    writeFileAtomic(resultsFile, resultsText);
    const args = [
      'pactflow', 'publish-provider-contract', o.openapiFile,
      '--broker-base-url', brokerUrl, '--provider', PROVIDER, '--provider-app-version', o.providerVersion,
      ...(o.branch ? ['--branch', o.branch] : []),
      '--specification', 'oas', '--content-type', 'application/json',
      self.success ? '--verification-success' : '--no-verification-success',
      '--verification-results', resultsFile, '--verification-results-content-type', 'application/json', '--verification-results-format', 'json',
      '--verifier', 'ovc', '--verifier-version', ovcVersion(),
      ...(o.buildUrl ? ['--build-url', o.buildUrl] : []),
      '--retries', '1',
    ];
    // The token reaches the binary through its PACT_BROKER_TOKEN variable only (never argv).
    const { code, output } = await runPactBinary(pactBin(), args, { ...env, PACT_DO_NOT_TRACK: 'true' }, 60_000, o.stop?.signal);
    if (o.stop?.signal.aborted) throw stoppedPublishing(o.stop, true, 'the provider contract');
    const shown = redact(output, secrets);
    if (code !== 0) throw new PublishError(`pact pactflow publish-provider-contract failed (exit ${code}): ${shown.trim() || 'no output'}`, 2);
    log(shown.trimEnd());
    log(`published ${o.openapiFile} as provider contract of ${PROVIDER} version ${o.providerVersion}${o.branch ? ` on branch ${o.branch}` : ''}; self-verification by ovc ${self.success ? 'passed' : 'FAILED'} (${self.counts.pass} passed, ${self.counts.fail} failed, ${self.counts.skip} skipped, ${self.counts.error} errors)`);
    return { output: shown, args, success: self.success };
  } finally {
    removeOurs(work);
  }
}
