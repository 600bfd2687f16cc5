import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../safety/ledger.ts';

describe('the resource ledger', () => {
  const dir = (): string => mkdtempSync(join(tmpdir(), 'ovc-ledger-'));

  it('lists what was created and not deleted, in creation order', () => {
    const l = new Ledger(dir(), 'ovcabc');
    l.created('b', 'ovcabc1');
    l.created('b', 'ovcabc2');
    l.created('c', 'ovcabc1');
    l.deleted('b', 'ovcabc1');
    expect(l.outstanding()).toEqual([{ bucket: 'b', name: 'ovcabc2', confirmed: true }, { bucket: 'c', name: 'ovcabc1', confirmed: true }]);
  });

  it('holds an intent written before the create as outstanding, unconfirmed until the 200', () => {
    const l = new Ledger(dir(), 'ovcabc');
    l.creating('b', 'ovcabc1');
    expect(l.outstanding()).toEqual([{ bucket: 'b', name: 'ovcabc1', confirmed: false }]);
    l.created('b', 'ovcabc1');
    expect(l.outstanding()).toEqual([{ bucket: 'b', name: 'ovcabc1', confirmed: true }]);
    l.deleted('b', 'ovcabc1');
    expect(l.outstanding()).toEqual([]);
  });

  it('reads past a last line cut by a kill', () => {
    const d = dir();
    const l = new Ledger(d, 'ovcabc');
    l.creating('b', 'ovcabc1');
    appendFileSync(l.file, '{"kind":"index","bucket":"b","name":"ovcab');
    expect(l.outstanding()).toEqual([{ bucket: 'b', name: 'ovcabc1', confirmed: false }]);
  });

  it('refuses to track a name outside the run prefix, so cleanup can never delete it', () => {
    const l = new Ledger(dir(), 'ovcabc');
    expect(() => l.created('b', 'someoneElsesIndex')).toThrow(/not under the run prefix/);
    l.deleted('b', 'someoneElsesIndex');
    expect(l.outstanding()).toEqual([]);
  });
});
