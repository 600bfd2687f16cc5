// files/: the gate's own rules, called directly — claims are all or nothing, a folder is ovc's only
// by its mark, a file only by the mark beside it that records it, no link is followed, removals need
// the mark, and inputs are read only under their bound.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOutputs, fileMarkPath, OUTPUT_MARK, PathRefused, readBounded, removeOurs, writeFileAtomic, writeOutputFile } from '../../files/gate.ts';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'ovc-gate-'));

describe('claimOutputs', () => {
  it('claims all outputs or none: a refused second path leaves the first uncreated', () => {
    const d = fresh();
    writeFileSync(join(d, 'notes.txt'), 'mine\n');
    expect(() => claimOutputs([{ flag: '--out', path: join(d, 'out'), kind: 'folder' }, { flag: '--record', path: join(d, 'notes.txt'), kind: 'folder' }])).toThrow(/--record: '.*notes\.txt' is a file/);
    expect(readdirSync(d)).toEqual(['notes.txt']);
  });

  it('refuses a folder whose files carry ovc\'s output names but which holds no mark', () => {
    const d = fresh();
    writeFileSync(join(d, 'summary.json'), '{}');
    writeFileSync(join(d, 'results.jsonl'), '');
    expect(() => claimOutputs([{ flag: '--out', path: d, kind: 'folder' }])).toThrow(PathRefused);
    expect(existsSync(join(d, OUTPUT_MARK))).toBe(false);
  });

  it('refuses a mark planted as a link, and never writes through it', () => {
    const d = fresh();
    const decoy = join(fresh(), 'decoy.txt');
    writeFileSync(decoy, 'decoy\n');
    const out = join(d, 'out');
    mkdirSync(out);
    symlinkSync(decoy, join(out, OUTPUT_MARK));
    expect(() => claimOutputs([{ flag: '--out', path: out, kind: 'folder' }])).toThrow(/not ovc's mark/);
    expect(readFileSync(decoy, 'utf8')).toBe('decoy\n');
  });

  it('refuses an output path that is itself a link, to a folder or a file', () => {
    const d = fresh();
    mkdirSync(join(d, 'real'));
    symlinkSync(join(d, 'real'), join(d, 'link'));
    expect(() => claimOutputs([{ flag: '--out', path: join(d, 'link'), kind: 'folder' }])).toThrow(/symbolic link/);
    expect(() => claimOutputs([{ flag: '--client-log', path: join(d, 'link'), kind: 'append-file' }])).toThrow(/symbolic link/);
  });

  it('takes back a file only when the mark beside it records that very file', () => {
    const d = fresh();
    const file = join(d, 'baseline.yaml');
    claimOutputs([{ flag: '--out', path: file, kind: 'file' }]);
    writeOutputFile('--out', file, 'deviations: []\n');
    expect(existsSync(fileMarkPath(file))).toBe(true);
    expect(() => claimOutputs([{ flag: '--out', path: file, kind: 'file' }])).not.toThrow();
    writeOutputFile('--out', file, 'deviations: [] # again\n');
    // Someone else's file put in its place (a new inode) under the same name, with the mark still beside it.
    writeFileSync(join(d, 'other'), 'deviations: theirs\n');
    writeFileAtomic(join(d, 'swap'), readFileSync(join(d, 'other')));
    renameSync(join(d, 'swap'), file);
    expect(() => claimOutputs([{ flag: '--out', path: file, kind: 'file' }])).toThrow(/was not written by ovc/);
  });

  it('refuses a non-empty file it did not write, whatever it begins with', () => {
    const d = fresh();
    writeFileSync(join(d, 'package.json'), '{ "name": "x" }\n');
    expect(() => claimOutputs([{ flag: '--client-log', path: join(d, 'package.json'), kind: 'append-file' }])).toThrow(/was not written by ovc/);
    expect(readFileSync(join(d, 'package.json'), 'utf8')).toBe('{ "name": "x" }\n');
  });
});

describe('writing and removing', () => {
  it('replaces a link at a written name instead of writing through it', () => {
    const d = fresh();
    const decoy = join(fresh(), 'decoy.txt');
    writeFileSync(decoy, 'decoy\n');
    symlinkSync(decoy, join(d, 'summary.md'));
    writeFileAtomic(join(d, 'summary.md'), 'report\n');
    expect(readFileSync(decoy, 'utf8')).toBe('decoy\n');
    expect(lstatSync(join(d, 'summary.md')).isFile()).toBe(true);
  });

  it('removes a folder only when it, or a folder above it, holds the mark', () => {
    const d = fresh();
    mkdirSync(join(d, 'theirs'));
    expect(removeOurs(join(d, 'theirs'))).toBe(false);
    expect(existsSync(join(d, 'theirs'))).toBe(true);
    claimOutputs([{ flag: '--out', path: join(d, 'ours'), kind: 'folder' }]);
    mkdirSync(join(d, 'ours', 'sides'));
    expect(removeOurs(join(d, 'ours', 'sides'))).toBe(true);
    expect(existsSync(join(d, 'ours', 'sides'))).toBe(false);
  });
});

describe('readBounded', () => {
  it('refuses a file over its bound from its size alone, and a folder or a FIFO without waiting', () => {
    const d = fresh();
    const big = join(d, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 3 * 1024 ** 3); // 3 GiB, sparse: refused before a byte is read
    const t0 = Date.now();
    expect(() => readBounded(big, 16 * 1024 * 1024, '--baseline')).toThrow(/--baseline: '.*big\.yaml' is 3072\.0 MiB; ovc reads at most 16\.0 MiB/);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(() => readBounded(d, 100, '--ca-file')).toThrow(/is a folder/);
    writeFileSync(join(d, 'small.yaml'), 'ok');
    expect(readBounded(join(d, 'small.yaml'), 100, 'x').toString()).toBe('ok');
  });
});
