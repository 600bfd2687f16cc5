// The coverage phase: before (and whatever the size of) the random generation, one deterministic
// case for every label of the vocabulary and every boundary (generators/coverage.ts): the empty
// body, each malformed-JSON kind, each non-string type, names of 1, 63 and 64 characters, each
// signature fault, each index state, and multi-fault pairs whose precedence --strict asserts (U2).
// Each case carries phase 'coverage'; the report counts them by cause.
import { describe, it } from 'vitest';
import { BODY_ENTRIES, MULTI_ENTRIES, NAME_BOUNDARIES, SIGNATURE_ENTRIES, STATE_ENTRIES } from '../generators/coverage.ts';
import { expectedFor } from '../generators/oracle.ts';
import { applySignature } from '../generators/signatureFault.ts';
import type { IndexStateCase } from '../generators/indexState.ts';
import { codeOf } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { setUp } from '../scenario/states.ts';
import { createIndex, freshName, runCase, sideBySide, suiteContext, verdict } from './harness.ts';
import { expectOracle, oracleSpec, settledGone, statesFor } from './common.ts';

const ctx = suiteContext();

const coverage = { phase: 'coverage' as const, tags: 'coverage' };
const id = (s: string): string => `delete-vector-index/coverage/${s}`;

describe('coverage phase', () => {
  it('every body label and boundary, once', { tags: ['coverage'] }, async (t) => {
    const { run } = ctx;
    const results = await sideBySide(BODY_ENTRIES, (e) => {
      const c = e.build(freshName(ctx, 'cb'));
      // A body with nothing wrong (or only an extra field) names an index that does not exist.
      const labels = c.labels.every((l) => l === 'body-extra-field') ? [...c.labels, 'index-absent'] : c.labels;
      const exp = expectedFor(labels);
      return runCase(ctx, { ...oracleSpec(id(e.id), labels, exp), ...coverage }, (check, s) => s
        .when(request.op('DeleteVectorIndex', c.bytes, { queryForm: c.bytes.includes(0x20) ? 'eq' : 'bare' }))
        .expect((res) => expectOracle(check, res, exp, run.strict))
        .run());
    }, run.pacing.concurrency);
    verdict(results, t.skip);
  });

  it('names of 1, 63 and 64 characters', { tags: ['coverage'] }, async (t) => {
    const { run, target } = ctx;
    const results = await sideBySide(NAME_BOUNDARIES, (e) => {
      const labels = e.valid ? [] : ['name-too-long'];
      const exp = expectedFor(labels);
      return runCase(ctx, { ...oracleSpec(id(e.id), labels, exp), ...coverage }, async (check, s) => {
        if (e.length === 1) {
          // A one-character name cannot carry the run prefix: it is only read (GetVectorIndex),
          // never created or deleted, on every target alike. An accepted name reads as absent
          // (404 NoSuchVectorIndex, a documented envelope) or, when the user has such an index, as
          // an index (a valid GetVectorIndex body); anything else is a finding.
          await s.when(request.op('GetVectorIndex', { indexName: 'Q' })).expect((res) => {
            if (res.status === 200) { check.observe(res); check.schema('GetVectorIndex', res); return; }
            check.that(res.status !== 400, `a valid 1-character index name was rejected: GetVectorIndex answered ${res.status} ${codeOf(res) ?? ''}`.trim());
            check.error(res, 404, ['NoSuchVectorIndex']);
          }).run();
          return;
        }
        const name = `${run.prefix}${'n'.repeat(e.length - run.prefix.length)}`;
        if (e.valid) {
          // Valid: creatable, and deleted with 204.
          await s.given({ state: 'index', indexName: name })
            .when(request.op('DeleteVectorIndex', { indexName: name }))
            .expect((res) => check.noContent(res))
            .run();
          return;
        }
        // Too long: PutVectorIndex and DeleteVectorIndex both refuse it.
        const put = await createIndex(ctx, name, 4, target.bucket, s.client('given'));
        check.that(put.status === 400 && codeOf(put) === 'VectorIndexParameterInvalid', `PutVectorIndex of a ${name.length}-character name must be 400 VectorIndexParameterInvalid, got ${put.status} ${codeOf(put) ?? ''}`.trim());
        await s.when(request.op('DeleteVectorIndex', { indexName: name }))
          .expect((res) => expectOracle(check, res, exp, run.strict))
          .run();
      });
    }, run.pacing.concurrency);
    verdict(results, t.skip);
  });

  it('every signature fault, once, against an existing index', { tags: ['coverage'] }, async (t) => {
    const { client, target, run, env } = ctx;
    const name = freshName(ctx, 'cs');
    const made = await setUp({ ...env, client: client.as('given') }, { state: 'index', indexName: name }).catch((e: unknown) => e as Error);
    const signing = { region: target.region, accountId: target.accountId, credentials: client.credentials, now: () => new Date() };
    const results = await sideBySide(SIGNATURE_ENTRIES, (e) => {
      const exp = expectedFor(e.fault.labels);
      return runCase(ctx, { ...oracleSpec(id(e.id), e.fault.labels, exp), ...coverage }, async (check, s) => {
        if (made instanceof Error) throw made;
        await s.when(request.raw((c) => applySignature(c.build('DeleteVectorIndex', { indexName: name }), e.fault, signing)))
          .expect((res) => expectOracle(check, res, exp, run.strict))
          .run();
      });
    }, run.pacing.concurrency);
    if (!(made instanceof Error)) await made.teardown();
    verdict(results, t.skip);
  });

  it('every index state at delete time, once', { tags: ['coverage'] }, async (t) => {
    const { run } = ctx;
    const results = await sideBySide(STATE_ENTRIES, (e) => {
      const state = { kind: e.kind, labels: e.covers ? [e.covers] : [], dimension: 4, distanceMetric: 'cosine', vectorCount: 2 } as IndexStateCase;
      const exp = expectedFor(state.labels);
      const name = freshName(ctx, 'ct');
      return runCase(ctx, { ...oracleSpec(id(`state-${e.id}`), state.labels, exp), ...coverage }, (check, s) => s
        .given(...statesFor(ctx, state, name))
        .when(request.op('DeleteVectorIndex', { indexName: name }, { bucket: e.kind === 'bucket-absent' ? run.absentBucket : undefined }))
        .expect(async (res, then) => {
          expectOracle(check, res, exp, run.strict);
          if (e.kind === 'enable' && res.status === 204) await settledGone(ctx, check, then, name);
        })
        .run());
    }, run.pacing.concurrency);
    verdict(results, t.skip);
  });

  it('two faults at once: any allowed code, and under --strict the first in the U2 order', { tags: ['coverage', 'multi-fault'] }, async (t) => {
    const { client, target, run } = ctx;
    const signing = { region: target.region, accountId: target.accountId, credentials: client.credentials, now: () => new Date() };
    const results = await sideBySide(MULTI_ENTRIES, (e) => {
      const c = e.build(freshName(ctx, 'cm'));
      const labels = [...(e.unsigned ? ['unsigned'] : []), ...(e.bucketAbsent ? ['bucket-absent'] : []), ...c.labels];
      const exp = expectedFor(labels);
      return runCase(ctx, { ...oracleSpec(id(`multi/${e.id}`), labels, exp), ...coverage }, (check, s) => s
        .when(request.raw((cl) => {
          const req = cl.build('DeleteVectorIndex', c.bytes, { bucket: e.bucketAbsent ? run.absentBucket : target.bucket });
          return e.unsigned ? applySignature(req, { kind: 'unsigned', labels: ['unsigned'] }, signing) : cl.sign(req);
        }))
        .expect((res) => expectOracle(check, res, exp, run.strict))
        .run());
    }, run.pacing.concurrency);
    verdict(results, t.skip);
  });
});
