// Finds paths in compiled code that only exist in a checkout: every relative string literal
// ('./x', '../x', in quotes or a template) and every relative import of a dist/ file must name a
// file or folder inside that dist/ that exists. `new URL('../package.json', import.meta.url)` from
// dist/pact/ (dist/package.json: absent) or './bin/ovc.mjs' from dist/cli/ (a source-only file) fail.
// Run alone: npx tsx test/package/dist-scan.ts DIST_DIR
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface StrayPath { file: string; line: number; literal: string; why: string }

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

/** Does the literal (with `${…}` as a wildcard) name something that exists? */
function exists(path: string): boolean {
  if (!path.includes('\u0000')) return existsSync(path);
  const dir = dirname(path);
  if (dir.includes('\u0000') || !existsSync(dir) || !statSync(dir).isDirectory()) return false;
  const re = new RegExp(`^${basename(path).split('\u0000').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return readdirSync(dir).some((n) => re.test(n));
}

export function strayPaths(distDir: string): StrayPath[] {
  const root = resolve(distDir);
  const found: StrayPath[] = [];
  for (const file of jsFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(text)) return; // comments may name source paths
      for (const m of text.matchAll(/(['"`])(\.\.?\/[^'"`\s]*)\1/g)) {
        const literal = m[2]!;
        const path = resolve(dirname(file), literal.replace(/\$\{[^}]*\}/g, '\u0000'));
        const rel = relative(root, path);
        if (rel.startsWith(`..${sep}`) || rel === '..') found.push({ file: relative(root, file), line: i + 1, literal, why: 'leaves dist/' });
        else if (!exists(path)) found.push({ file: relative(root, file), line: i + 1, literal, why: 'names nothing in dist/' });
      }
    });
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const stray = strayPaths(process.argv[2] ?? 'dist');
  for (const s of stray) process.stdout.write(`${s.file}:${s.line}: '${s.literal}' ${s.why}\n`);
  process.exitCode = stray.length ? 1 : 0;
}
