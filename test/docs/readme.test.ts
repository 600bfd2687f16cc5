// The README against the program: its `ovc run` and `ovc serve` flag tables against the commands'
// own option definitions (a flag without a row, or a row without a flag, fails and says which), the
// report files it lists against what `ovc run` writes, and every repository path and npm script it
// names against the checkout.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/run.ts';
import { serveCommand } from '../../cli/serve.ts';
import { REPORT_FILES } from '../../reports/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the first `| flag | meaning |` table after the heading. */
export function flagTable(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l.trim() === heading);
  if (at < 0) throw new Error(`README.md has no heading '${heading}'`);
  const start = lines.findIndex((l, i) => i > at && /^\|\s*flag\s*\|/.test(l));
  if (start < 0) throw new Error(`README.md has no flag table after '${heading}'`);
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows;
}

/** The long flags a row's first cell names. */
function rowFlags(row: string): string[] {
  const first = row.split(/(?<!\\)\|/)[1] ?? '';
  return [...first.matchAll(/--[a-z0-9][a-z0-9-]*/g)].map((m) => m[0]);
}

/** One sentence per flag of `cmd` that has no row, and per row flag `cmd` does not have. */
export function tableProblems(cmd: Command, rows: readonly string[], where: string): string[] {
  const documented = new Set(rows.flatMap(rowFlags));
  const defined = cmd.options.map((o) => o.long!).filter(Boolean);
  const problems: string[] = [];
  for (const o of cmd.options) {
    if (!o.long || documented.has(o.long)) continue;
    const arg = /<(.+)>/.exec(o.flags)?.[1];
    problems.push(`${where} has no row for ${o.long}; add: | \`${o.long}${arg ? ` ${arg.toUpperCase()}` : ''}\` | ${o.description} |`);
  }
  for (const f of documented) if (!defined.includes(f)) problems.push(`${where} has a row for ${f}, which ovc ${cmd.name()} does not define; remove or rename it.`);
  return problems;
}

describe('README.md matches the program', () => {
  it('the `ovc run` flag table has one row per flag of `ovc run`, and no other', () => {
    expect(tableProblems(runCommand(() => {}), flagTable(README, '## Run against any endpoint'), 'README.md, "Run against any endpoint" flag table')).toEqual([]);
  });

  it('the `ovc serve` flag table has one row per flag of `ovc serve`, and no other', () => {
    expect(tableProblems(serveCommand(() => {}), flagTable(README, '## The emulator'), 'README.md, "The emulator" flag table')).toEqual([]);
  });

  it('the check fails, naming the row, when a flag is added without one', () => {
    const cmd = runCommand(() => {}).option('--brand-new-flag <n>', 'a flag nobody documented');
    expect(tableProblems(cmd, flagTable(README, '## Run against any endpoint'), 'README')).toContain(
      'README has no row for --brand-new-flag; add: | `--brand-new-flag N` | a flag nobody documented |',
    );
  });

  it('the report files it lists (and their count) are the ones `ovc run` writes, in the default --out folder', () => {
    const m = /Reports land in `([^`]+)`: ((?:`[^`]+`,?\s*)+)\((\w+) files\)/.exec(README.replace(/\n/g, ' '));
    expect(m, 'the "Reports land in …" sentence').not.toBeNull();
    const listed = [...m![2]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]);
    expect([...listed].sort()).toEqual(Object.values(REPORT_FILES).sort());
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    expect(words.indexOf(m![3]!)).toBe(listed.length);
    const outDefault = runCommand(() => {}).options.find((o) => o.long === '--out')!.defaultValue as string;
    expect(m![1]!.replace(/\/$/, '')).toBe(outDefault);
  });

  it('every repository path and npm script it names exists', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const missing: string[] = [];
    for (const [, token] of README.matchAll(/`([^`\s]+)`/g)) {
      const t = token!.replace(/[),.:]+$/, '');
      // Paths of this repository: a known top-level folder or a root file; not run outputs (OUT/,
      // reports/out, out/), not the built dist/, not the shared folder beside the repository.
      if (!/^(\.github|bench|cli|client|contracts|docs|emulator|generators|pact|protocol|reports|scenario|scripts|suites|test)\/[\w./-]*$/.test(t) && !/^(action\.yml|tsconfig[\w.]*\.json|vitest\.config\.ts)$/.test(t)) continue;
      if (/^reports\/out|\*/.test(t) || t === 'package.json') continue;
      if (!existsSync(join(ROOT, t))) missing.push(t);
    }
    for (const [, script] of README.matchAll(/npm run ([\w:-]+)/g)) if (!(script! in pkg.scripts) && !script!.endsWith(':')) missing.push(`npm run ${script}`);
    expect(missing).toEqual([]);
  });
});
