// The one gate for deletes (DESIGN rule 6). Every DeleteVectorIndex and DeleteVectorBucket the
// program sends outside a case under test — the run's cleanup and its state tear-downs, what earlier
// stopped runs left, `ovc cleanup`, the cleaner after kill -9, the preflight's hook probe — is sent
// here, and only with proof that a run of ovc created what it deletes:
//
//   - the name has the run shape with a well-formed run id (`ovc` + 9 lower-case letters or digits:
//     5 of the start minute, 4 random), and
//   - either the run's own ledger holds it (an intent or a create; a bucket only once its
//     PutVectorBucket was answered 200), the ledger's prefix being exactly `ovc` + that run id and
//     its owner.json, when it has one, naming that run, that prefix and its own folder;
//   - or GetVectorIndex's createTime lies inside the window of the run its name encodes, that run
//     started longer ago than the longest a run lasts (so it cannot be running), and the name's own
//     part starts with a letter, as every name a run makes does (so `ovchtrs00000000` is no run's);
//   - or the target is the run's own embedded emulator, whose every index is the run's and ends with it.
//
// Anything else is refused (DeleteRefused) and nothing is sent. test/safety/deleteGate.test.ts
// fails when a delete request is built anywhere else outside the code under test (the suites).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { codeOf, type TargetClient, type WireResponse } from '../client/client.ts';
import { runStartOf } from '../client/config.ts';
import { awaitEnable } from '../scenario/settle.ts';
import type { Ledger } from './ledger.ts';

import { LONGEST_RUN_MS } from './runLimits.ts';

export { LONGEST_RUN_MS };
/** Clock skew allowed between the machine that named an index and the service that dated it. */
export const SKEW_MS = 5 * 60_000;

export const RUN_ID = /^[0-9a-z]{9}$/;
const RUN_PREFIX = /^ovc[0-9a-z]{9}$/;
export const OWNER_FILE = 'owner.json';

/** What proves that a run created the index or bucket: its ledger, its creation time, or the run's own emulator. */
export type DeleteProof = { ledger: Ledger } | { createTime: string } | { embedded: true };

export class DeleteRefused extends Error {}

/**
 * Why a ledger folder cannot be trusted, or null when it checks out: its name is a run id; its
 * owner.json (when there is one; a run stopped while it made its folder has none) is readable and
 * names that run id and exactly the prefix `ovc` + run id; every name it holds is under that prefix.
 */
export function ledgerFolderProblem(dir: string, ledger?: Ledger): string | null {
  const runId = basename(dir);
  if (!RUN_ID.test(runId)) return `its folder name '${runId}' is not a run id`;
  const prefix = `ovc${runId}`;
  let text: string | null = null;
  try { text = readFileSync(join(dir, OWNER_FILE), 'utf8'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return `its ${OWNER_FILE} cannot be read`; }
  if (text !== null) {
    let owner: { runId?: unknown; prefix?: unknown };
    try { owner = JSON.parse(text) as typeof owner; } catch { return `its ${OWNER_FILE} is not JSON`; }
    if (owner?.runId !== runId) return `its ${OWNER_FILE} names run ${JSON.stringify(owner?.runId)}, not its folder's run '${runId}'`;
    if (owner.prefix !== prefix) return `its ${OWNER_FILE} gives the prefix ${JSON.stringify(owner.prefix)}, not '${prefix}'`;
  }
  if (ledger) {
    if (ledger.prefix !== prefix) return `it is read with the prefix '${ledger.prefix}', not '${prefix}'`;
    const foreign = [...ledger.outstanding('index'), ...ledger.outstanding('bucket')].find((e) => !e.name.startsWith(prefix));
    if (foreign) return `it lists '${foreign.name}', a name outside its prefix '${prefix}'`;
  }
  return null;
}

/** Why the delete is refused, or null when the proof holds. */
export function deleteRefusal(kind: 'index' | 'bucket', client: TargetClient, bucket: string, name: string, proof: DeleteProof, now = Date.now()): string | null {
  const what = kind === 'index' ? `index ${bucket}/${name}` : `bucket ${name}`;
  if ('embedded' in proof) return client.target.embedded ? null : `${what}: the target is not the run's own embedded emulator`;
  if (runStartOf(name) === null) return `${what}: the name does not have the run shape`;
  if ('ledger' in proof) {
    const { ledger } = proof;
    if (!RUN_PREFIX.test(ledger.prefix)) return `${what}: the ledger's prefix '${ledger.prefix}' is not 'ovc' and a run id`;
    if (!name.startsWith(ledger.prefix)) return `${what}: not under its ledger's prefix '${ledger.prefix}'`;
    const owner = ownerProblem(ledger);
    if (owner) return `${what}: the ledger in ${ledger.dir} does not check out (${owner})`;
    const entry = ledger.holds(kind, bucket, name);
    if (!entry) return `${what}: its ledger holds no create of it`;
    if (kind === 'bucket' && !entry.confirmed) return `${what}: the run never got a 200 for its PutVectorBucket`;
    return null;
  }
  if (kind === 'bucket') return `${what}: a bucket is deleted only on its run's ledger (a 200 to its PutVectorBucket)`;
  const start = runStartOf(name)!;
  if (!/^[a-z]/.test(name.slice(12))) return `${what}: the name's own part does not start with a letter, as every name a run makes does`;
  if (now - start < LONGEST_RUN_MS) return `${what}: its run started less than ${LONGEST_RUN_MS / 3600_000} h ago and may still be running`;
  const t = Date.parse(proof.createTime);
  if (Number.isNaN(t)) return `${what}: no creation time`;
  if (t < start - SKEW_MS || t > start + LONGEST_RUN_MS) return `${what}: created ${proof.createTime}, outside its run's time`;
  return null;
}

/** owner.json of the ledger's folder, read once per ledger (the owner does not change). */
const owners = new WeakMap<Ledger, string | null>();
function ownerProblem(ledger: Ledger): string | null {
  if (!owners.has(ledger)) {
    let hasOwner = true;
    try { readFileSync(join(ledger.dir, OWNER_FILE)); } catch { hasOwner = false; }
    // A ledger without owner.json is the run's own work-folder ledger (or one stopped while it was made).
    owners.set(ledger, hasOwner ? ledgerFolderProblem(ledger.dir) : null);
  }
  return owners.get(ledger)!;
}

function gate(kind: 'index' | 'bucket', client: TargetClient, bucket: string, name: string, proof: DeleteProof): void {
  const why = deleteRefusal(kind, client, bucket, name, proof);
  if (why) throw new DeleteRefused(`refusing to delete ${why}`);
}

/** DeleteVectorIndex, once the proof holds; throws DeleteRefused (nothing sent) when it does not. */
export async function deleteIndex(client: TargetClient, bucket: string, name: string, proof: DeleteProof): Promise<WireResponse> {
  gate('index', client, bucket, name, proof);
  return client.op('DeleteVectorIndex', { indexName: name }, { bucket });
}

/**
 * DeleteVectorIndex once the proof holds, time-aware: a 409 VectorIndexOperationConflict means the
 * index is `creating` (wait for `enable` within the bound, then delete again) or already `deleting`.
 * Returns the last delete answer, or what the index still read when it never became `enable`.
 */
export async function deleteIndexSettled(client: TargetClient, bucket: string, name: string, proof: DeleteProof, boundMs: number): Promise<{ res: WireResponse } | { still: string }> {
  const res = await deleteIndex(client, bucket, name, proof);
  if (!(res.status === 409 && codeOf(res) === 'VectorIndexOperationConflict')) return { res };
  const enabled = await awaitEnable(client, bucket, name, boundMs);
  if (!enabled.reached) return { still: enabled.seen.at(-1) ?? 'unknown' };
  return { res: await deleteIndex(client, bucket, name, proof) };
}

/** DeleteVectorBucket of a bucket the run's ledger shows it created (200); throws DeleteRefused otherwise. */
export async function deleteBucket(client: TargetClient, name: string, proof: DeleteProof): Promise<WireResponse> {
  gate('bucket', client, name, name, proof);
  return client.op('DeleteVectorBucket', undefined, { bucket: name });
}
