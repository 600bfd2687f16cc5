// The design of record is inside the repository: no file of it names a path outside — the shared
// folder a workplace keeps beside the checkout (`../shared/…`), its design page, its style page, or
// its spec files. A clone and the package have none of them; docs/design.md, docs/spec.md,
// docs/provider-states.md and test/fixtures/signature-kat.json are what to cite instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, trackedFiles } from './tracked.ts';

const THIS_FILE = 'test/house/references.test.ts';

/** Names of places outside the repository, each with what to cite instead. */
const OUTSIDE: ReadonlyArray<{ pattern: RegExp; instead: string }> = [
  { pattern: /(?:\.\.\/)+shared\b|\bshared\/(?:spec|hooks|DESIGN|STYLE)\b/, instead: 'a file of this repository' },
  { pattern: /\bDESIGN\.md\b/, instead: 'docs/design.md' },
  { pattern: /\bSTYLE\.md\b/, instead: 'docs/design.md or docs/architecture.md' },
  { pattern: /\boss-vectors-api\.md\b/, instead: 'docs/spec.md' },
  { pattern: /(?<!docs\/)\bspec\/provider-states\.md\b/, instead: 'docs/provider-states.md' },
  { pattern: /\bspec\/signature-kat\.json\b/, instead: 'test/fixtures/signature-kat.json' },
];

/** One sentence per line of a file that names a place outside the repository. */
export function outsideReferences(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, i) => {
      for (const { pattern, instead } of OUTSIDE) {
        const m = pattern.exec(line);
        if (m) problems.push(`${file}:${i + 1} names '${m[0]}', which is outside the repository; cite ${instead}`);
      }
    });
  }
  return problems;
}

/** The repository's text files (tracked and new), but the lock file and this test's own patterns. */
function repositoryTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of trackedFiles()) {
    if (file === THIS_FILE || file === 'package-lock.json') continue;
    const bytes = readFileSync(join(ROOT, file));
    if (bytes.includes(0)) continue;
    texts.set(file, bytes.toString('utf8'));
  }
  return texts;
}

describe('the design of record is inside the repository', () => {
  it('no file of the repository names a path outside it', () => {
    const texts = repositoryTexts();
    expect(texts.has('docs/design.md') && texts.has('docs/spec.md') && texts.has('docs/provider-states.md')).toBe(true);
    expect(outsideReferences(texts)).toEqual([]);
  });

  it('a reference to the shared folder, its design page or its spec files is found, the repository’s own pages are not', () => {
    const texts = new Map([
      ['README.md', 'See `../shared/DESIGN.md`.\nSee docs/design.md and docs/provider-states.md.'],
      ['test/fixtures/kat.ts', "new URL('../../../shared/spec/signature-kat.json', import.meta.url)"],
      ['emulator/hook.ts', '// The hook (spec/provider-states.md); the limits of spec/oss-vectors-api.md §4.'],
    ]);
    expect(outsideReferences(texts)).toEqual([
      "README.md:1 names '../shared', which is outside the repository; cite a file of this repository",
      "README.md:1 names 'DESIGN.md', which is outside the repository; cite docs/design.md",
      "test/fixtures/kat.ts:1 names '../../../shared', which is outside the repository; cite a file of this repository",
      "test/fixtures/kat.ts:1 names 'spec/signature-kat.json', which is outside the repository; cite test/fixtures/signature-kat.json",
      "emulator/hook.ts:1 names 'oss-vectors-api.md', which is outside the repository; cite docs/spec.md",
      "emulator/hook.ts:1 names 'spec/provider-states.md', which is outside the repository; cite docs/provider-states.md",
    ]);
  });
});
