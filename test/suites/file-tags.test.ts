// A `--tags` run loads only the suite files one of whose tests can match (suites/select.ts), from a
// table of each file's tag sets (suites/file-tags.ts). The table must be what vitest itself collects
// from the suites, and the selection must keep every file the expression can match.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITE_FILE_TAGS } from '../../suites/file-tags.ts';
import { suiteFilesFor, tagsMatcher } from '../../suites/select.ts';
import { ROOT } from '../selftest/run-cli.ts';

const files = async (expr: string): Promise<string[] | null> => suiteFilesFor(ROOT, 'ts', await tagsMatcher(expr));
const suite = (...names: string[]): string[] => names.map((n) => `suites/${n}.suite.ts`).sort();

describe('the suite files a --tags run loads', () => {
  it('suites/file-tags.ts is what vitest collects from the compiled suites (scripts/suite-tags.mjs)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'suite-tags.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'suites', 'file-tags.ts'), 'utf8'));
  });

  it('the table names every suite file of the checkout', () => {
    expect(suiteFilesFor(ROOT, 'ts', () => true, {})).toEqual(Object.keys(SUITE_FILE_TAGS).map((n) => `suites/${n}.suite.ts`).sort());
  });

  it('a tag loads the files that have it; combinations are judged per test, as vitest judges them', async () => {
    expect(await files('404-no-such-bucket')).toEqual(suite('404-no-such-bucket'));
    expect(await files('wire-forms')).toEqual(suite('204-deleted'));
    expect(await files('204-deleted || races')).toEqual(suite('204-deleted', 'races'));
    // multi-fault: the property file, and the coverage test that has both tags.
    expect(await files('multi-fault')).toEqual(suite('coverage', 'multi-fault'));
    expect(await files('coverage && multi-fault')).toEqual(suite('coverage'));
    // Not "files without the tag": a file counts when one of its tests lacks it.
    expect(await files('!property')).toEqual(suite('204-deleted', '403-access-denied', '404-no-such-bucket', '404-no-such-vector-index', '409-conflict', 'buckets', 'coverage', 'names', 'races'));
    expect(await files('property && !lifecycle')).toEqual(suite('400-malformed-json', '400-vector-index-parameter-invalid', '403-signature', '404-no-such-vector-index', 'index-states', 'multi-fault'));
    // vitest's own syntax: words and wildcards.
    expect(await files('404-* and not property')).toEqual(suite('404-no-such-bucket', '404-no-such-vector-index'));
    // A tag no test has: no file (the run runs nothing, as before).
    expect(await files('400-invalid-digest')).toEqual([]);
  });

  it('what it cannot judge loads every file: an expression vitest refuses, a file the table does not know', async () => {
    expect(await tagsMatcher('204-deleted &&')).toBeNull();
    expect(await files('204-deleted &&')).toBeNull();
    const root = mkdtempSync(join(tmpdir(), 'ovc-file-tags-'));
    try {
      mkdirSync(join(root, 'suites'));
      mkdirSync(join(root, 'suites', 'more'));
      for (const f of ['races.suite.ts', 'new-one.suite.ts', 'helper.ts', 'more/deeper.suite.ts']) writeFileSync(join(root, 'suites', f), '');
      expect(suiteFilesFor(root, 'ts', await tagsMatcher('404-no-such-bucket'))).toEqual(['suites/more/deeper.suite.ts', 'suites/new-one.suite.ts']);
      expect(suiteFilesFor(join(root, 'absent'), 'ts', await tagsMatcher('races'))).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

