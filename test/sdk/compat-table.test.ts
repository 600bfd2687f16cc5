// scripts/compat-table.ts: docs/compatibility.md from sdk-test JSON files and ovc run directories.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addResults, emptyTable, renderTable } from '../../scripts/compat-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'ovc-compat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sdkJson(name: string, target: string, date: string, tests: Array<[string, string, string]>): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ kind: 'ovc-sdk-test', version: 1, language: 'go', sdk: { name: 'go-sdk', version: '1.5.1' }, target, date, tests: tests.map(([n, status, why]) => ({ name: n, status, why })) }));
  return p;
}

function runDir(name: string, target: string, rows: Array<[string, number, number, string]>): string {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'matrix.json'), JSON.stringify({ target, rows: rows.map(([label, pass, fail, state]) => ({ key: label, label, state, counts: { pass, fail, skip: 0, error: 0 } })) }));
  writeFileSync(join(p, 'summary.json'), JSON.stringify({ target, finishedAt: '2026-12-01T10:00:00.000Z' }));
  return p;
}

describe('compatibility table', () => {
  it('one row per SDK test and per matrix row, one column per target, aliases merged, validated dates shown', () => {
    const t = emptyTable();
    addResults(t, sdkJson('a.json', 'ovc serve', '2026-12-05T10:00:00Z', [['TestA', 'pass', ''], ['TestB', 'fail', 'x'], ['TestC', 'pass', 'teardown failed']]));
    addResults(t, sdkJson('b.json', 'staging', '2026-11-30T10:00:00Z', [['TestA', 'fail', 'y']]));
    addResults(t, runDir('run1', 'embedded emulator', [['204 No Content', 13, 0, 'reached'], ['400 InvalidDigest', 0, 0, 'observed'], ['races', 2, 1, 'reached']]), new Map([['embedded emulator', 'ovc serve']]));
    expect(renderTable(t, new Map([['staging', '2026-11-30']]))).toBe([
      '| suite | test / row | ovc serve (measured 2026-12-05) | staging (validated on 2026-11-30) |',
      '|---|---|---|---|',
      '| go-sdk 1.5.1 | TestA | pass | FAIL |',
      '| go-sdk 1.5.1 | TestB | FAIL | — |',
      '| go-sdk 1.5.1 | TestC | pass* | — |',
      '| ovc run (DeleteVectorIndex suites) | 204 No Content | pass (13) | — |',
      '| ovc run (DeleteVectorIndex suites) | 400 InvalidDigest | not reached (observed) | — |',
      '| ovc run (DeleteVectorIndex suites) | races | FAIL (1 of 3) | — |',
      '',
    ].join('\n'));
  });

  it('the newer result of the same test and target wins', () => {
    const t = emptyTable();
    addResults(t, sdkJson('new.json', 'ovc serve', '2026-12-05T10:00:00Z', [['TestA', 'pass', '']]));
    addResults(t, sdkJson('old.json', 'ovc serve', '2026-12-01T10:00:00Z', [['TestA', 'fail', 'old']]));
    expect(renderTable(t)).toContain('| go-sdk 1.5.1 | TestA | pass |');
  });

  it('names each SDK by version, tag and commit, and says below the table how each was run', () => {
    const t = emptyTable();
    const p = join(dir, 'tagged.json');
    writeFileSync(p, JSON.stringify({ kind: 'ovc-sdk-test', version: 1, language: 'go', sdk: { name: 'go-sdk', version: '1.5.1', tag: 'v1.5.1', commit: 'b3226d1' }, target: 'ovc serve', date: '2026-12-06T10:00:00Z',
      command: 'ovc sdk-test go /tmp/sdk-go', build: 'modules from the module proxy (GOPROXY)', tests: [{ name: 'TestA', status: 'error', why: 'did not build' }] }));
    addResults(t, p);
    expect(renderTable(t)).toBe([
      '| suite | test / row | ovc serve (measured 2026-12-06) |',
      '|---|---|---|',
      '| go-sdk 1.5.1 (v1.5.1, b3226d1) | TestA | ERROR |',
      '',
      'How each SDK was run:',
      '',
      '- go-sdk 1.5.1 (v1.5.1, b3226d1): `ovc sdk-test go /tmp/sdk-go`; modules from the module proxy (GOPROXY)',
      '',
    ].join('\n'));
  });

  it('refuses what is not a results file', () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"kind":"something"}');
    expect(() => addResults(emptyTable(), other)).toThrow(/neither an ovc sdk-test --json file nor an ovc run directory/);
    expect(() => addResults(emptyTable(), dir)).toThrow(/no matrix.json/);
    expect(() => addResults(emptyTable(), join(dir, 'missing'))).toThrow(/does not exist/);
  });
});
