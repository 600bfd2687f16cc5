// The diff writers: diff.jsonl (one line per case), diff.md and diff.html (problems grouped by
// signature, open questions answered, stale entries), escaped HTML.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCassette } from '../../diff/cassette.ts';
import { diffCassettes } from '../../diff/classify.ts';
import { writeDiffReports } from '../../diff/index.ts';
import { buildCassette, errorResponse, IDS, tamper, writeBuilt } from './fixtures.ts';

const A = { runId: 'aaaaaa' };
const B = { runId: 'bbbbbb' };

function written() {
  const root = mkdtempSync(join(tmpdir(), 'ovc-diff-w-'));
  let right = buildCassette(B);
  for (const id of [IDS.absent, IDS.absent1]) right = tamper(right, id, () => errorResponse(B, 404, 'NoSuchIndex'), { outcome: 'fail' });
  right = tamper(right, IDS.second, () => errorResponse(B, 409, 'VectorIndexOperationConflict'));
  right = tamper(right, IDS.malformed, () => errorResponse(B, 400, 'MalformedJson', { headers: { 'x-oss-note': 'extra' } }));
  right = tamper(right, IDS.noBucket, () => errorResponse(B, 404, 'NoSuchBucket', { headers: { 'content-type': '<script>alert(1)</script>' } }));
  const result = diffCassettes(readCassette(writeBuilt(join(root, 'l'), buildCassette(A))), readCassette(writeBuilt(join(root, 'r'), right)), { left: 'left <a>', right: 'right' });
  const out = join(root, 'out');
  const { gate } = writeDiffReports(out, result, { baseline: [{ id: 'delete-vector-index/nothing*', kind: 'differs', reason: 'stale one' }] });
  const read = (f: string): string => readFileSync(join(out, f), 'utf8');
  return { gate, jsonl: read('diff.jsonl'), md: read('diff.md'), html: read('diff.html') };
}

describe('diff writers', () => {
  const w = written();

  it('diff.jsonl has one line per case with kind, both sides and the differences', () => {
    const lines = w.jsonl.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(8);
    const absent = lines.find((l) => l.id === IDS.absent);
    expect(absent).toMatchObject({ kind: 'differs', left: { answer: '404 NoSuchVectorIndex', outcome: 'pass' }, right: { answer: '404 NoSuchIndex', outcome: 'fail' } });
    expect(lines.find((l) => l.id === IDS.second)).toMatchObject({ kind: 'open', questions: ['U5'] });
    expect(lines.find((l) => l.id === IDS.malformed)).toMatchObject({ kind: 'open', questions: ['undocumented'] });
    expect(lines.find((l) => l.id === IDS.deleted)).toMatchObject({ kind: 'same', differences: [] });
  });

  it('diff.md groups the same difference into one problem with its count, and answers the open questions', () => {
    expect(w.md).toMatch(/\*\*FAIL\*\*/);
    expect(w.md).toMatch(/### DIFFERS × 2: delete-vector-index\/404-no-such-vector-index\/generated-name/);
    expect(w.md).toMatch(/### U5: a second DeleteVectorIndex/);
    expect(w.md).toMatch(/## Stale baseline entries[\s\S]*delete-vector-index\/nothing\*/);
    expect(w.md).toMatch(/\| delete-vector-index\/404-no-such-vector-index\/generated-name \| 0 \| 0 \| 2 \|/);
  });

  it('diff.html is self-contained and escapes every value', () => {
    expect(w.html).toMatch(/Content-Security-Policy/);
    expect(w.html).not.toMatch(/<script/i);
    expect(w.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(w.html).toContain('left &lt;a&gt;');
    expect(w.html).toMatch(/id="q-U5"/);
    expect(w.gate.exitCode).toBe(1);
  });
});
