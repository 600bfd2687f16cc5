// Where the pact comes from: a local file, or a Pact Broker URL fetched into the run's work folder.
// Also the copy the verifier replays when interactions are left out (they need a state hook).
import { createHash } from 'node:crypto';
import { INPUT_BOUNDS, readBounded, readTextBounded, writeFileAtomic } from '../../files/gate.ts';
import { basename, join } from 'node:path';
import { needsStateHook } from '../interactions.ts';

export interface PactJson {
  consumer?: { name?: string };
  provider?: { name?: string };
  interactions?: Array<{ description: string; providerStates?: Array<{ name: string; params?: Record<string, unknown> }> }>;
  metadata?: { pactSpecification?: { version?: string } };
}

export interface PactSource {
  /** As given: a file path or a broker URL. */
  given: string;
  fromBroker: boolean;
  /** A local copy of the pact's bytes. */
  file: string;
  /** sha256 of the pact file's bytes. */
  sha256: string;
  pact: PactJson;
  /** Descriptions of the interactions that cannot be verified without a state hook. */
  needsHook: string[];
}

export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Fetches a pact from a broker URL (bearer token from $PACT_BROKER_TOKEN) into a local file. */
export async function fetchPact(url: string, file: string): Promise<string> {
  const token = process.env.PACT_BROKER_TOKEN || undefined;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/hal+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new Error(`cannot fetch the pact at ${url}: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`cannot fetch the pact at ${url}: HTTP ${res.status}`);
  writeFileAtomic(file, text);
  return file;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readBounded(file, INPUT_BOUNDS.pact, 'the pact file')).digest('hex');
}

/** The interactions of a pact file, and which ones cannot be verified without a state hook. */
export function readPact(file: string): { pact: PactJson; needsHook: string[] } {
  let pact: PactJson;
  try { pact = JSON.parse(readTextBounded(file, INPUT_BOUNDS.pact, 'the pact file')) as PactJson; } catch (e) { throw new Error(`cannot read pact file ${file}: ${(e as Error).message}`); }
  if (!Array.isArray(pact.interactions)) throw new Error(`${file} is not a pact file (no interactions)`);
  return { pact, needsHook: pact.interactions.filter((i) => needsStateHook(i.providerStates ?? [])).map((i) => i.description) };
}

/** Opens the pact named by `given` (a broker URL is fetched into `work`). */
export async function openPact(given: string, work: string): Promise<PactSource> {
  const fromBroker = isUrl(given);
  const file = fromBroker ? await fetchPact(given, join(work, 'broker-pact.json')) : given;
  const sha256 = sha256File(file);
  return { given, fromBroker, file, sha256, ...readPact(file) };
}

/** The pact the verifier replays: `source.given` itself, or a copy in `work` without the `left` interactions. */
export function pactToReplay(source: PactSource, left: readonly string[], work: string): string {
  if (!left.length) return source.given;
  const copy = { ...source.pact, interactions: source.pact.interactions!.filter((i) => !left.includes(i.description)) };
  const file = join(work, basename(source.file));
  writeFileAtomic(file, JSON.stringify(copy));
  return file;
}
