// Reproduction lines for failing cases: the `ovc run` command that replays the case, and a curl
// line whose signature is computed when it is run (`ovc sign`), so no secret is ever printed.
import { DEFAULT_SETTLE_MS, type RunSpec, type TargetSpec } from '../client/config.ts';
import type { WireRequest } from '../client/client.ts';
import { buildTarget } from '../protocol/addressing.ts';

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function replayCommand(target: TargetSpec, run: Pick<RunSpec, 'seed' | 'runs' | 'strict' | 'settleMs'>, tags?: string): string {
  const parts = ['npx ovc run', `--seed ${run.seed}`, `--runs ${run.runs}`];
  if (!target.embedded) parts.push(`--endpoint ${q(target.endpoint)}`, `--region ${target.region}`, `--bucket ${target.bucket}`, `--account-id ${target.accountId}`, `--addressing ${target.addressing}`);
  if (!target.embedded && target.otherBucket) parts.push(`--other-bucket ${target.otherBucket}`);
  if (!target.embedded && target.stateHook) parts.push(`--state-hook ${q(target.stateHook)}`);
  if (!target.embedded && run.settleMs !== DEFAULT_SETTLE_MS) parts.push(`--settle-ms ${run.settleMs}`);
  if (target.tls.caFile) parts.push(`--ca-file ${q(target.tls.caFile)}`);
  if (target.tls.insecure) parts.push('--insecure');
  if (run.strict) parts.push('--strict');
  if (tags) parts.push(`--tags ${q(tags)}`);
  return parts.join(' ');
}

const SIGNING_HEADERS = /^(authorization|x-oss-date|date|x-oss-content-sha256|x-oss-security-token|host)$/i;

/**
 * curl's `--connect-to` for a request the client sent somewhere other than its URL's host: a
 * virtual-hosted name on a local endpoint (`{bucket}-{account}.127.0.0.1`) is only the Host header,
 * and the connection goes to the endpoint (protocol/addressing.ts). Without it curl looks the name up
 * and fails ("Could not resolve host"). Empty for every other request.
 */
function connectTo(config: Pick<TargetSpec, 'endpoint' | 'accountId' | 'addressing'>, req: WireRequest): string[] {
  let origin: URL;
  try { origin = new URL(config.endpoint); } catch { return []; }
  const t = buildTarget({ endpoint: config.endpoint, bucket: req.bucket ?? undefined, accountId: config.accountId, addressing: config.addressing, query: req.query });
  if (t.origin !== origin.origin || t.host === origin.host) return [];
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  return [`--connect-to ${q(`${t.host.replace(/:\d+$/, '')}::${origin.hostname}:${port}`)}`];
}

export function curlLine(config: Pick<TargetSpec, 'region' | 'accountId' | 'tls' | 'endpoint' | 'addressing'>, req: WireRequest & { url: string; sentHeaders: Record<string, string> }): string {
  const signed = Object.keys(req.sentHeaders).some((h) => h.toLowerCase() === 'authorization');
  const plain = Object.entries(req.sentHeaders).filter(([k]) => !SIGNING_HEADERS.test(k));
  const parts = ['curl -sS -i', ...(config.tls.insecure ? ['-k'] : []), ...(config.tls.caFile ? [`--cacert ${q(config.tls.caFile)}`] : []), ...connectTo(config, req), `-X ${req.method}`, q(req.url)];
  for (const [k, v] of plain) parts.push(`-H ${q(`${k}: ${v}`)}`);
  if (signed) {
    const signArgs = [`--method ${req.method}`, `--region ${config.region}`, `--account-id ${config.accountId}`, `--query ${q(req.query)}`, req.bucket ? `--bucket ${req.bucket}` : '', ...plain.map(([k, v]) => `-H ${q(`${k}: ${v}`)}`)].filter(Boolean);
    parts.push(`-H @<(npx ovc sign ${signArgs.join(' ')})`);
  }
  if (req.body.length > 0) parts.push(`--data-binary @<(printf %s ${q(req.body.toString('base64'))} | base64 -d)`);
  return parts.join(' ');
}
