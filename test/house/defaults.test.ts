// Defaults once: the target defaults (region, account id, bucket) are spelled in contracts/defaults.ts
// and nowhere else in the runtime sources — no string, template or regular expression of another
// runtime file holds one, so changing a default is one edit. Comments may name them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../../contracts/defaults.ts';
import { ROOT, runtimeSources } from './tracked.ts';

const DEFAULTS_MODULE = 'contracts/defaults.ts';
const SPELLINGS = [DEFAULT_REGION, DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET];

/** The text of every string, template part and regular expression literal of one source file. */
export function literalsOf(file: string, text: string): Array<{ line: number; text: string }> {
  const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node)) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** One sentence per literal of a runtime source (other than the defaults module) that spells a default. */
export function defaultSpellings(sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of sources) {
    if (file === DEFAULTS_MODULE) continue;
    for (const literal of literalsOf(file, text)) {
      const spelled = SPELLINGS.find((value) => literal.text.includes(value));
      if (spelled) problems.push(`${file}:${literal.line} spells the default '${spelled}'; import it from ${DEFAULTS_MODULE}`);
    }
  }
  return problems;
}

describe('defaults once', () => {
  it('no runtime source but contracts/defaults.ts spells the default region, account id or bucket', () => {
    const sources = new Map(runtimeSources().map((file) => [file, readFileSync(join(ROOT, file), 'utf8')] as const));
    expect(sources.has(DEFAULTS_MODULE)).toBe(true);
    expect(defaultSpellings(sources)).toEqual([]);
  });

  it('a default spelled in a string, a template or a regular expression is found, in a comment it is not', () => {
    const sources = new Map([
      ['cli/a.ts', "// the default region, cn-hangzhou\nconst region = 'cn-hangzhou';"],
      ['emulator/b.ts', 'const host = `examplebucket-1234567890.${region}.oss-vectors.aliyuncs.com`;'],
      ['cli/c.mjs', 'const other = `${x}-ovc-conformance-b2`;\nconst re = /^ovc-conformance$/;'],
      [DEFAULTS_MODULE, "export const DEFAULT_REGION = 'cn-hangzhou';"],
    ]);
    expect(defaultSpellings(sources)).toEqual([
      "cli/a.ts:2 spells the default 'cn-hangzhou'; import it from contracts/defaults.ts",
      "emulator/b.ts:1 spells the default '1234567890'; import it from contracts/defaults.ts",
      "cli/c.mjs:1 spells the default 'ovc-conformance'; import it from contracts/defaults.ts",
      "cli/c.mjs:2 spells the default 'ovc-conformance'; import it from contracts/defaults.ts",
    ]);
  });
});
