// Before any case: the endpoint answers, the credentials sign correctly, the bucket exists, and
// the bucket the run treats as absent really is. Each failure is one clear sentence.
import type { TargetClient } from './client.ts';
import { codeOf } from './client.ts';
import { TransportError } from './http.ts';

export class PreflightError extends Error {}

export async function preflight(client: TargetClient): Promise<void> {
  const { config } = client;
  let res;
  try {
    res = await client.op('GetVectorBucket');
  } catch (e) {
    if (e instanceof TransportError) throw new PreflightError(`the endpoint ${config.endpoint} cannot be reached (${e.causeCode ?? e.message}).`);
    throw e;
  }
  const code = codeOf(res);
  if (res.status === 200) {
    const absent = await client.op('GetVectorBucket', undefined, { bucket: config.absentBucket });
    // Any 404 will do here: whether the code and envelope are right is what the suites check.
    if (absent.status !== 404) throw new PreflightError(`the bucket '${config.absentBucket}' that the run uses as absent answers ${absent.status} ${codeOf(absent) ?? ''}; it must not exist.`);
    return;
  }
  const sentences: Record<string, string> = {
    InvalidAccessKeyId: `the target does not know the access key id (OSS_ACCESS_KEY_ID); check the credentials.`,
    SignatureDoesNotMatch: `the target rejects the signature: check OSS_ACCESS_KEY_SECRET and --region (${config.region}) and --account-id (${config.accountId}).`,
    RequestTimeTooSkewed: `the target says this machine's clock is more than 15 minutes off; fix the clock.`,
    AccessDenied: `the credentials are not allowed to read bucket '${config.bucket}' (AccessDenied).`,
    NoSuchBucket: `the bucket '${config.bucket}' does not exist on ${config.endpoint}; create it or pass --bucket.`,
  };
  throw new PreflightError(sentences[code ?? ''] ?? `the endpoint ${config.endpoint} answered GetVectorBucket with ${res.status} ${code ?? res.text.slice(0, 80)}; it does not look like an OSS Vectors endpoint.`);
}
