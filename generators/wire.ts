// The request shape the generators build and the signature faults transform, and what signing
// needs. Structurally the same as target/client.ts's WireRequest (generators do not import target/).

/** A request before addressing. */
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
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  now: () => Date;
}
