// Which suite files a run loads. vitest filters tests by tag only once a file is imported, so
// `--tags 404-no-such-bucket` had every worker import all fifteen suite files and their modules
// (~0.3 s of CPU per run) to run one test. The tag sets of each file's tests are known ahead
// (suites/file-tags.ts, made from vitest's own collection): a run with a tags expression loads the
// files one of whose tests it matches, judged by vitest's own expression matcher; vitest's tags
// filter still picks the tests inside them. Anything this cannot judge loads every file, as before.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SUITE_FILE_TAGS } from './file-tags.ts';
import { TAGS } from './tags.ts';

export type TagsMatcher = (tags: readonly string[]) => boolean;

/**
 * vitest's matcher for a tags expression (`createTagsFilter` of @vitest/runner, the package vitest
 * itself filters with, resolved from vitest's own folder), or null when it cannot be had or the
 * expression is not one it accepts (vitest then reports the expression as it always did).
 */
export async function tagsMatcher(expr: string): Promise<TagsMatcher | null> {
  try {
    const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
    const utils = await import(pathToFileURL(fromVitest.resolve('@vitest/runner/utils')).href) as { createTagsFilter?: (exprs: string[], tags: typeof TAGS) => (tags: string[]) => boolean };
    if (typeof utils.createTagsFilter !== 'function') return null;
    const filter = utils.createTagsFilter([expr], TAGS);
    return (tags) => filter([...tags]);
  } catch {
    return null;
  }
}

// The suite files under `root`/suites with extension `ext` (`suites/<name>.suite.<ext>`, sorted by
// name), as the suites' glob (`suites/**/*.suite.<ext>`) finds them, in sub-folders too; null when
// the folder cannot be read.
export function allSuiteFiles(root: string, ext: 'js' | 'ts'): string[] | null {
  const suffix = `.suite.${ext}`;
  try {
    const names = readdirSync(join(root, 'suites'), { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/')).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length));
    return names.sort().map((n) => `suites/${n}${suffix}`);
  } catch {
    return null;
  }
}

/**
 * The include patterns for the suite files under `root`/suites with extension `ext`: with a matcher,
 * the files one of whose tests it matches, and every file the table does not know (never fewer
 * tests than vitest alone would run); null means all of them (the suites' own glob).
 */
export function suiteFilesFor(root: string, ext: 'js' | 'ts', matches: TagsMatcher | null, table: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = SUITE_FILE_TAGS): string[] | null {
  if (!matches) return null;
  const suffix = `.suite.${ext}`;
  const files = allSuiteFiles(root, ext);
  if (!files) return null;
  return files.filter((f) => {
    const sets = table[f.slice('suites/'.length, -suffix.length)];
    return sets === undefined || sets.some((tags) => matches(tags));
  });
}
