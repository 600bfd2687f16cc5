// The comparator on real emulator answers (recorded by the stand-in recorder, not by hand): two
// faithful emulators agree; a slow delete (deletingMs) answers U5 the other way (open); fault
// profiles differ.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { readCassette } from '../../diff/cassette.ts';
import { diffCassettes, type CaseDiff } from '../../diff/classify.ts';
import { closeTransport } from '../../client/http.ts';
import { recordStandin } from './standin-recorder.ts';

const CREDS = { accessKeyId: 'standin-key', accessKeySecret: 'standin-secret-value' };
const running: RunningEmulator[] = [];
const root = mkdtempSync(join(tmpdir(), 'ovc-diff-emu-'));
afterAll(async () => { await closeTransport(); await Promise.all(running.map((e) => e.close())); });

let n = 0;
async function cassette(opts: { fault?: string; deletingMs?: number } = {}) {
  const emu = await startEmulator({ identities: [CREDS], stateHook: false, fault: opts.fault ?? null, ...(opts.deletingMs ? { deletingMs: opts.deletingMs } : {}) });
  running.push(emu);
  const dir = join(root, `c${++n}`);
  await recordStandin(emu, `run${String(n).padStart(3, '0')}`, dir, CREDS);
  return readCassette(dir);
}
const byId = (cases: CaseDiff[], suffix: string): CaseDiff => cases.find((c) => c.id.endsWith(suffix))!;

describe('diff on emulator recordings', () => {
  it('two faithful emulators: every case same', async () => {
    const r = diffCassettes(await cassette(), await cassette());
    expect(r.cases.filter((c) => c.kind !== 'same').map((c) => [c.id, c.differences])).toEqual([]);
    expect(r.counts.same).toBe(5);
  });

  it('an emulator that keeps deleted indexes in deleting: the second delete and the follow-up read are open (U5)', async () => {
    const r = diffCassettes(await cassette(), await cassette({ deletingMs: 150 }));
    const second = byId(r.cases, 'second-delete');
    expect(second).toMatchObject({ kind: 'open', questions: expect.arrayContaining(['U5']) });
    expect(second.right!.answer).toBe('409 VectorIndexOperationConflict');
    const deleted = byId(r.cases, '204-deleted/empty-index');
    expect(deleted).toMatchObject({ kind: 'open', questions: ['U5'] });
    expect(deleted.differences[0]).toMatchObject({ where: 'then', left: 'GetVectorIndex 404 NoSuchVectorIndex', right: 'GetVectorIndex 200' });
    expect(r.counts.differs).toBe(0);
  });

  it('fault profiles differ: a wrong error code, XML errors', async () => {
    const faithful = await cassette();
    const wrong = diffCassettes(faithful, await cassette({ fault: 'wrong-error-code' }));
    expect(byId(wrong.cases, 'generated-name#0')).toMatchObject({ kind: 'differs' });
    const xml = diffCassettes(faithful, await cassette({ fault: 'xml-errors' }));
    const malformed = byId(xml.cases, 'generated-body#0');
    expect(malformed.kind).toBe('differs');
    expect(malformed.differences).toEqual(expect.arrayContaining([
      expect.objectContaining({ aspect: 'body-kind', left: 'json', right: 'text', documented: true }),
      expect.objectContaining({ aspect: 'header-value', subject: 'content-type', documented: true }),
    ]));
  });
});
