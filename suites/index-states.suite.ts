// Every state an index can be in when DeleteVectorIndex arrives — absent, deleted just before,
// `enable` (any dimension and metric, holding vectors or not), `creating`, `deleting`, bucket
// absent — is set up (through the provider-state hook, or the public API where it reaches the
// state), one delete is sent, and the answer must be the oracle's (D-DelIdx; spec §5, §12 U5).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { STATES } from '../contracts/provider-states.ts';
import { validIndexName } from '../generators/indexName.ts';
import { indexState, type IndexStateCase } from '../generators/indexState.ts';
import { expectedFor } from '../generators/oracle.ts';
import { codeOf } from '../target/client.ts';
import { context, deleteIndex, freshName, SetupError, Skip, verdict, vectorsFor, type Checks } from './harness.ts';
import { expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

interface StateCase { state: IndexStateCase; name: string }

/** Brings `name` into the state through the hook when there is one, else through the public API. */
async function setUp(c: StateCase): Promise<void> {
  const { hook, config, client } = context();
  const { state, name } = c;
  if (state.kind === 'bucket-absent') return;
  if (state.kind === 'absent') {
    if (hook) await hook.setup(STATES.noIndex, { bucket: config.bucket, indexName: name });
    return;
  }
  if (state.kind === 'creating' || state.kind === 'deleting') {
    if (!hook) throw new Skip(`an index in '${state.kind}' needs a provider-state hook (--state-hook)`);
    await hook.setup(STATES.indexExists, { bucket: config.bucket, indexName: name, status: state.kind, dimension: state.dimension, distanceMetric: state.distanceMetric, vectorCount: state.kind === 'deleting' ? state.vectorCount : 0 });
    return;
  }
  const dimension = state.kind === 'enable' ? state.dimension : 4;
  const created = await client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension, distanceMetric: state.kind === 'enable' ? state.distanceMetric : 'cosine' });
  if (created.status !== 200) throw new SetupError(`could not create ${name}: ${created.status} ${codeOf(created) ?? ''}`);
  // Full-space names are only generated against the embedded emulator, which the run discards.
  if (!(config.embedded && !name.startsWith(config.prefix))) context().ledger.created(config.bucket, name);
  if (state.kind === 'enable' && state.vectorCount > 0) {
    const keys = Array.from({ length: state.vectorCount }, (_, i) => `k${i}`);
    const put = await client.op('PutVectors', { indexName: name, vectors: vectorsFor(keys, dimension) });
    if (put.status !== 200) throw new SetupError(`could not put vectors into ${name}: ${put.status} ${codeOf(put) ?? ''}`);
  }
  if (state.kind === 'deleted') {
    const first = await deleteIndex(name);
    if (first.status !== 204) throw new SetupError(`could not delete ${name} before the case: ${first.status} ${codeOf(first) ?? ''}`);
  }
}

async function tearDown(c: StateCase): Promise<void> {
  const { hook, config } = context();
  if (c.state.kind === 'bucket-absent' || c.state.kind === 'absent') return;
  if ((c.state.kind === 'creating' || c.state.kind === 'deleting') && hook) await hook.teardown(STATES.indexExists, { bucket: config.bucket, indexName: c.name });
  else await deleteIndex(c.name);
}

async function deleteInState(c: StateCase, check: Checks): Promise<void> {
  const { client, config } = context();
  await setUp(c);
  try {
    const bucket = c.state.kind === 'bucket-absent' ? config.absentBucket : config.bucket;
    const res = await client.op('DeleteVectorIndex', { indexName: c.name }, { bucket });
    if (res.status === 204) context().ledger.deleted(config.bucket, c.name);
    expectOracle(check, res, expectedFor(c.state.labels), config.strict);
    if (c.state.kind === 'enable') {
      const get = await client.op('GetVectorIndex', { indexName: c.name });
      check.that(codeOf(get) === 'NoSuchVectorIndex', `after the delete GetVectorIndex must answer 404 NoSuchVectorIndex, got ${get.status} ${codeOf(get) ?? ''}`);
    }
  } finally {
    await tearDown(c);
  }
}

describe('index states at delete time', () => {
  it('each generated state is answered as documented', { tags: ['index-states', 'property'] }, async (t) => {
    const { config } = context();
    // Against the embedded emulator the names span the whole valid space (1–63 characters, mixed
    // case); elsewhere they carry the run prefix, so nothing the run did not create is touched.
    const name: fc.Arbitrary<string> = config.embedded ? validIndexName() : fc.constant(null).map(() => freshName('q'));
    const results = await propertyCases<StateCase>({
      salt: 'index-states',
      runs: Math.max(12, Math.min(60, Math.round(config.runs / 10))),
      arbitrary: fc.record({ state: indexState({ maxVectors: 20, maxDimension: 64 }), name }),
      // One at a time: generated names may repeat, and each case owns its name while it runs.
      concurrency: 1,
      spec: (c, i) => oracleSpec(`delete-vector-index/index-states/${c.state.kind}#${i}`, c.state.labels, expectedFor(c.state.labels), { tags: 'index-states' }),
      run: deleteInState,
    });
    verdict(results, t.skip);
  });
});
