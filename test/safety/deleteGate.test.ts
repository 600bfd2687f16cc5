// safety/deleteGate.ts: the one way the program deletes an index or a bucket outside a case under
// test. What it accepts as proof (the run's ledger that checks out, a creation time inside a run
// that cannot be running any more, the run's own emulator), what it refuses without sending
// anything, and a scan of the sources that fails when a delete is built anywhere else.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { newRunId, prefixFor, targetSpec } from '../../client/config.ts';
import { DeleteRefused, deleteBucket, deleteIndex, deleteRefusal, ledgerFolderProblem, LONGEST_RUN_MS } from '../../safety/deleteGate.ts';
import { Ledger } from '../../safety/ledger.ts';
import { ROOT } from '../selftest/run-cli.ts';

// Nothing listens here: a request the gate let through would end in a transport error, not DeleteRefused.
const remote = new TargetClient(targetSpec({ endpoint: 'http://127.0.0.1:9', bucket: 'b' }), { main: { accessKeyId: 'k', accessKeySecret: 's' }, denied: null });
const embedded = new TargetClient(targetSpec({ endpoint: 'http://127.0.0.1:9', bucket: 'b', embedded: true }), { main: { accessKeyId: 'k', accessKeySecret: 's' }, denied: null });
const HOUR = 3600_000;

/** A run's ledger folder (named by its run id), with an owner.json when given. */
function runLedger(runId: string, owner: Record<string, unknown> | null = { runId, prefix: prefixFor(runId) }): Ledger {
  const dir = join(mkdtempSync(join(tmpdir(), 'ovc-gate-')), runId);
  mkdirSync(dir);
  if (owner) writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
  return new Ledger(dir, prefixFor(runId));
}

describe('the delete gate, with a ledger for proof', () => {
  it('lets through an index its run\'s ledger holds (intent or create), and nothing the ledger does not hold', () => {
    const l = runLedger('abcde1234');
    l.creating('b', 'ovcabcde1234x');
    l.created('b', 'ovcabcde1234y');
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234x', { ledger: l })).toBeNull();
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234y', { ledger: l })).toBeNull();
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234z', { ledger: l })).toBe('index b/ovcabcde1234z: its ledger holds no create of it');
    expect(deleteRefusal('index', remote, 'other', 'ovcabcde1234y', { ledger: l })).toBe('index other/ovcabcde1234y: its ledger holds no create of it');
    l.deleted('b', 'ovcabcde1234y');
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234y', { ledger: l })).toBe('index b/ovcabcde1234y: its ledger holds no create of it');
  });

  it('refuses a ledger whose prefix is not exactly ovc and a run id, or whose owner.json names another run or prefix', () => {
    const empty = new Ledger(mkdtempSync(join(tmpdir(), 'ovc-gate-')), '');
    expect(deleteRefusal('index', remote, 'b', 'prodembeddings', { ledger: empty })).toBe('index b/prodembeddings: the name does not have the run shape');
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234x', { ledger: empty })).toBe("index b/ovcabcde1234x: the ledger's prefix '' is not 'ovc' and a run id");
    const short = new Ledger(mkdtempSync(join(tmpdir(), 'ovc-gate-')), 'ovcabc');
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234x', { ledger: short })).toBe("index b/ovcabcde1234x: the ledger's prefix 'ovcabc' is not 'ovc' and a run id");
    const other = runLedger('abcde1234');
    expect(deleteRefusal('index', remote, 'b', 'ovcfghij5678x', { ledger: other })).toBe("index b/ovcfghij5678x: not under its ledger's prefix 'ovcabcde1234'");
    const forged = runLedger('abcde1234', { runId: 'abcde1234', prefix: '' });
    forged.created('b', 'ovcabcde1234x');
    expect(deleteRefusal('index', remote, 'b', 'ovcabcde1234x', { ledger: forged })).toMatch(/does not check out \(its owner\.json gives the prefix "", not 'ovcabcde1234'\)$/);
  });

  it('deletes a bucket only when its run got a 200 for its PutVectorBucket, and never on a creation time', () => {
    const l = runLedger('abcde1234');
    l.bucketCreating('ovcabcde1234-bl');
    expect(deleteRefusal('bucket', remote, 'ovcabcde1234-bl', 'ovcabcde1234-bl', { ledger: l })).toBe('bucket ovcabcde1234-bl: the run never got a 200 for its PutVectorBucket');
    l.bucketCreated('ovcabcde1234-bl');
    expect(deleteRefusal('bucket', remote, 'ovcabcde1234-bl', 'ovcabcde1234-bl', { ledger: l })).toBeNull();
    expect(deleteRefusal('bucket', remote, 'ovcabcde1234-bl', 'ovcabcde1234-bl', { createTime: new Date().toISOString() })).toMatch(/only on its run's ledger/);
  });
});

describe('the delete gate, with a creation time for proof', () => {
  const now = Date.now();
  const started = now - 8 * HOUR;
  const name = `${prefixFor(newRunId(started))}lifecycle0`;
  const at = (ms: number): string => new Date(ms).toISOString();

  it('lets through an index created while the run its name encodes was running, once that run cannot be running any more', () => {
    expect(deleteRefusal('index', remote, 'b', name, { createTime: at(started + HOUR) }, now)).toBeNull();
  });

  it('refuses one whose run started less than the longest run ago, whatever its creation time', () => {
    const young = `${prefixFor(newRunId(now - LONGEST_RUN_MS + 60_000))}lifecycle0`;
    expect(deleteRefusal('index', remote, 'b', young, { createTime: at(now - 1000) }, now)).toMatch(/its run started less than 6 h ago and may still be running$/);
  });

  it('refuses one created outside its run\'s time, and one whose own part starts with a digit (no run makes such a name)', () => {
    expect(deleteRefusal('index', remote, 'b', name, { createTime: at(started - HOUR) }, now)).toMatch(/outside its run's time$/);
    expect(deleteRefusal('index', remote, 'b', name, { createTime: at(started + LONGEST_RUN_MS + 60_000) }, now)).toMatch(/outside its run's time$/);
    const digits = `${prefixFor(newRunId(started))}000`;
    expect(deleteRefusal('index', remote, 'b', digits, { createTime: at(started + HOUR) }, now)).toMatch(/does not start with a letter/);
    expect(deleteRefusal('index', remote, 'b', 'myIndex', { createTime: at(started + HOUR) }, now)).toBe('index b/myIndex: the name does not have the run shape');
  });
});

describe('the delete gate, on the run\'s own emulator', () => {
  it('lets through any index of the embedded emulator, and nothing of a remote target on that ground', () => {
    expect(deleteRefusal('index', embedded, 'b', 'pactIndex', { embedded: true })).toBeNull();
    expect(deleteRefusal('index', remote, 'b', 'pactIndex', { embedded: true })).toBe("index b/pactIndex: the target is not the run's own embedded emulator");
  });
});

describe('a refused delete', () => {
  it('sends nothing and says why', async () => {
    await expect(deleteIndex(remote, 'b', 'prodembeddings', { ledger: runLedger('abcde1234') })).rejects.toThrow(new DeleteRefused('refusing to delete index b/prodembeddings: the name does not have the run shape'));
    await expect(deleteBucket(remote, 'ovcabcde1234-bl', { ledger: runLedger('abcde1234') })).rejects.toBeInstanceOf(DeleteRefused);
  });
});

describe('ledger folders', () => {
  it('check out when named by a run id, with an owner.json (if any) naming that run and its prefix, and only names under it', () => {
    const l = runLedger('abcde1234');
    l.created('b', 'ovcabcde1234x');
    expect(ledgerFolderProblem(l.dir, l)).toBeNull();
    expect(ledgerFolderProblem(runLedger('abcde1234', null).dir)).toBeNull();
    expect(ledgerFolderProblem(runLedger('ABC', null).dir)).toBe("its folder name 'ABC' is not a run id");
  });
});

/**
 * Where the program builds a DeleteVectorIndex or DeleteVectorBucket request: `.op(...)`,
 * `.build(...)`, `.buildSigned(...)`, `.opExchange(...)` with that operation, a presigned URL with
 * its query key, or a call of the suites' settle-aware delete.
 */
const DELETE_SENT = /\.(?:op|opExchange|buildSigned|build)\(\s*['"`]DeleteVector(?:Index|Bucket)['"`]|['"`]deleteVectorIndex['"`]|\bdeleteSettled\s*\(/;

/** Where deletes may be built without the gate: the gate; the code under test (cases, their generators and wait helpers); what only defines or answers them. */
const UNGATED = [
  /^safety\/deleteGate\.ts$/,
  /^suites\//,          // the cases under test
  /^generators\//,      // the generated cases (the lifecycle model) the suites run
  /^scenario\/settle\.ts$/, // deleteSettled: the cases' own settle-aware delete under test
  /^pact\//,            // the pact's interactions: requests under test, as data
  /^contracts\//,       // the operations' definitions
  /^emulator\//,        // the server: it answers deletes, it sends none
];

/** The program's sources: the folders the published build compiles (tsconfig.build.json). */
function programSources(): string[] {
  const config = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { include: string[] };
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (/\.(ts|mts|js|mjs)$/.test(e.name)) out.push(p);
    }
  };
  for (const dir of config.include) walk(dir);
  return out.sort();
}

describe('the sources', () => {
  it('recognise a delete being built (the scan is not blind)', () => {
    for (const line of [`await c.op('DeleteVectorIndex', { indexName })`, `client.build("DeleteVectorBucket")`, 'x.buildSigned(`DeleteVectorIndex`, b)', `await deleteSettled(c, b, n, 0)`, `presign(b, 'deleteVectorIndex', body)`]) {
      expect(DELETE_SENT.test(line), line).toBe(true);
    }
    expect(DELETE_SENT.test(`await c.op('GetVectorIndex', { indexName })`)).toBe(false);
  });

  it('build DeleteVectorIndex and DeleteVectorBucket requests only in the delete gate and in the code under test', () => {
    const files = programSources();
    expect(files.length).toBeGreaterThan(50);
    const outside = files
      .filter((f) => !UNGATED.some((r) => r.test(f)))
      .flatMap((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => DELETE_SENT.test(line) && !/^\s*(\/\/|\/\*|\*)/.test(line))
      .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`);
    expect(outside, 'send these deletes through safety/deleteGate.ts (deleteIndex, deleteIndexSettled, deleteBucket) with their proof').toEqual([]);
  });
});
