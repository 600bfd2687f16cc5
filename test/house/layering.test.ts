// The layering of docs/architecture.md holds: every import of a runtime folder is allowed by the
// "Allowed imports" table of that page (the one source of the arrows), and every runtime folder of
// the checkout has a row. Imports are read with TypeScript's own pre-processor (static, dynamic and
// type-only imports, re-exports), so a comment or a string that looks like an import is not one.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, runtimeSources } from './tracked.ts';

export interface Allowed {
  folders: Set<string>;
  files: Set<string>;
}

/** The "Allowed imports" table of docs/architecture.md: folder → what it may import. */
export function allowedImports(md: string): Map<string, Allowed | 'all'> {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l.trim() === '## Allowed imports');
  if (at < 0) throw new Error("docs/architecture.md has no '## Allowed imports' heading");
  const start = lines.findIndex((l, i) => i > at && /^\|\s*folder\s*\|\s*may import\s*\|/.test(l));
  if (start < 0) throw new Error("docs/architecture.md has no '| folder | may import |' table");
  const table = new Map<string, Allowed | 'all'>();
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const [, folderCell = '', allowedCell = ''] = lines[i]!.split('|');
    const folder = /`([a-z0-9-]+)\/`/.exec(folderCell)?.[1];
    if (!folder) throw new Error(`docs/architecture.md: a row names no folder: ${lines[i]}`);
    if (/every folder/.test(allowedCell)) { table.set(folder, 'all'); continue; }
    const allowed: Allowed = { folders: new Set(), files: new Set() };
    for (const [, name] of allowedCell.matchAll(/`([^`]+)`/g)) {
      if (name!.includes('/')) allowed.files.add(name!);
      else allowed.folders.add(name!);
    }
    table.set(folder, allowed);
  }
  return table;
}

export interface Arrow {
  from: string;
  to: string;
}

/** The imports of ours in one source file, as repository paths (relative specifiers only). */
export function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)).split(sep).join('/'));
}

/** One sentence per import the table does not allow. */
export function layeringProblems(table: Map<string, Allowed | 'all'>, sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of sources) {
    const from = file.split('/')[0]!;
    const allowed = table.get(from);
    if (!allowed) { problems.push(`${from}/ has no row in the "Allowed imports" table of docs/architecture.md (${file})`); continue; }
    for (const target of importsOf(file, text)) {
      const to = target.split('/')[0]!;
      if (to === from) continue;
      if (allowed === 'all' && table.has(to)) continue;
      if (allowed !== 'all' && (allowed.folders.has(to) || allowed.files.has(target))) continue;
      problems.push(`${file} imports ${target}: ${from}/ may not import ${to}/ (docs/architecture.md, "Allowed imports")`);
    }
  }
  return problems;
}

const ARCHITECTURE = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

describe('the layering of docs/architecture.md', () => {
  it('every import of a runtime folder is one its row allows, and every runtime folder has a row', () => {
    const sources = new Map<string, string>();
    for (const file of runtimeSources()) sources.set(file, readFileSync(join(ROOT, file), 'utf8'));
    expect(sources.size).toBeGreaterThan(100);
    expect(layeringProblems(allowedImports(ARCHITECTURE), sources)).toEqual([]);
  });

  it('an import against the arrows is found, whether static, dynamic, type-only or a re-export', () => {
    const table = allowedImports(ARCHITECTURE);
    const sources = new Map([
      ['pact/a.ts', "import { packageVersion } from '../cli/package-files.ts';"],
      ['contracts/b.ts', "export { x } from '../client/config.ts';"],
      ['suites/c.ts', "const m = await import('../emulator/server.ts');"],
      ['scenario/d.ts', "import type { X } from '../safety/leftovers.ts';"],
      ['reports/e.ts', "// import { y } from '../cli/run.ts';\nimport { z } from './model.ts';"],
    ]);
    expect(layeringProblems(table, sources)).toEqual([
      'pact/a.ts imports cli/package-files.ts: pact/ may not import cli/ (docs/architecture.md, "Allowed imports")',
      'contracts/b.ts imports client/config.ts: contracts/ may not import client/ (docs/architecture.md, "Allowed imports")',
      'suites/c.ts imports emulator/server.ts: suites/ may not import emulator/ (docs/architecture.md, "Allowed imports")',
      'scenario/d.ts imports safety/leftovers.ts: scenario/ may not import safety/ (docs/architecture.md, "Allowed imports")',
    ]);
  });
});
