// A request before addressing: what the generators build, the signature faults transform and the
// target client sends (it picks host and path for the configured addressing style).
import type { Credentials } from './signer.ts';

export interface WireRequest {
  method: string;
  /** Raw query without '?', e.g. `deleteVectorIndex` or `deleteVectorIndex=`. */
  query: string;
  headers: Record<string, string>;
  body: Buffer;
  /** null: service level (no bucket). */
  bucket: string | null;
}

/** Who signs, where, and at what time ("now" is read once per signature). */
export interface SigningContext {
  region: string;
  accountId: string;
  credentials: Credentials;
  now: () => Date;
}
