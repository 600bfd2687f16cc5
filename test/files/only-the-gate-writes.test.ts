// The one gate for files (files/): no runtime source outside it may write, append, rename, remove,
// create, copy, link or truncate through `node:fs` — named imports, namespace imports
// (`fs.writeFileSync`, `fs.promises.rm`), `node:fs/promises` and dynamic imports alike. Tests and
// benches are not scanned; they build their own fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../selftest/run-cli.ts';

const RUNTIME = ['contracts', 'protocol', 'generators', 'client', 'scenario', 'safety', 'run', 'diff', 'suites', 'reports', 'emulator', 'cli', 'pact'];
const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);
const CHANGING = ['writeFile', 'appendFile', 'rename', 'rm', 'rmdir', 'unlink', 'mkdir', 'mkdtemp', 'copyFile', 'cp', 'symlink', 'link', 'truncate', 'ftruncate', 'open', 'write', 'writev', 'createWriteStream', 'chmod', 'chown', 'utimes'];
const BANNED = new Set(CHANGING.flatMap((n) => [n, `${n}Sync`]));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every changing `node:fs` use in `text`, as "name (line N)". */
export function fsWrites(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const namespaces = new Set<string>();
  const at = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && FS_MODULES.has(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const promises = node.moduleSpecifier.text.endsWith('promises');
      if (clause?.name) namespaces.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          const name = (el.propertyName ?? el.name).text;
          if (name === 'promises' || (promises && name === 'default')) namespaces.add(el.name.text);
          else if (BANNED.has(name)) found.push(`${name} (line ${at(el)})`);
        }
      }
    }
    // import('node:fs') / require('node:fs'): the module as a value, outside the gate.
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!) && FS_MODULES.has(node.arguments[0].text)
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(`${node.expression.getText(sf)}('${node.arguments[0].text}') (line ${at(node)})`);
    }
    if (ts.isPropertyAccessExpression(node) && BANNED.has(node.name.text)) {
      const base = node.expression;
      const root = ts.isPropertyAccessExpression(base) && base.name.text === 'promises' ? base.expression : base;
      if (ts.isIdentifier(root) && namespaces.has(root.text)) found.push(`${node.getText(sf)} (line ${at(node)})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('only the file gate changes the file system', () => {
  it('finds each form a source could use to write (the scan itself is not blind)', () => {
    const sample = [
      "import { writeFileSync, readFileSync, rm as remove } from 'node:fs';",
      "import * as fs from 'fs';",
      "import fsp from 'node:fs/promises';",
      "import { promises as p } from 'node:fs';",
      'fs.appendFileSync("a", "b"); fs.promises.rename("a", "b"); fsp.mkdir("x"); p.unlink("y"); fs.readFileSync("z");',
      "const m = await import('node:fs');",
    ].join('\n');
    expect(fsWrites('sample.ts', sample)).toEqual([
      'writeFileSync (line 1)', 'rm (line 1)', 'fs.appendFileSync (line 5)', 'fs.promises.rename (line 5)',
      'fsp.mkdir (line 5)', 'p.unlink (line 5)', "import('node:fs') (line 6)",
    ]);
  });

  it('no runtime source outside files/ calls a writing, renaming, removing or creating function of node:fs', () => {
    const offenders: string[] = [];
    for (const dir of RUNTIME) {
      for (const file of sources(join(ROOT, dir))) {
        for (const use of fsWrites(file, readFileSync(file, 'utf8'))) offenders.push(`${relative(ROOT, file)}: ${use}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
