// The suites' context (suites/context.ts): a worker has one, built from the run channel, and every
// suite file and the case recorder get that same one; the shared helpers never look it up
// themselves — each suite file takes it once at its top and hands it on (a scan of suites/).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSpec, targetSpec } from '../../client/config.ts';
import { freshName, initContext, suiteContext } from '../../suites/context.ts';
import { flushCaseRecords, recordCase } from '../../run/recorder.ts';
import { readCaseRecords } from '../../run/workfolder.ts';
import { ROOT } from '../selftest/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'ovc-context-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const target = targetSpec({ endpoint: 'http://127.0.0.1:9', bucket: 'b', name: 'nowhere' });
const channel = () => ({ target, run: runSpec(target, { runId: 'ctx1', seed: 1, outDir: work }), identities: { main: { accessKeyId: 'k', accessKeySecret: 'context-secret' }, denied: null } });

describe('the suite worker\'s context', () => {
  it('every suite file of a worker and its case recorder get the one context the run channel built', () => {
    const built = initContext(channel());
    expect(suiteContext()).toBe(built);
    expect(suiteContext()).toBe(built);
    expect(built.secrets).toEqual(['context-secret']);
    // The recorder is bound to the same worker: what a case records lands in its run's work folder.
    recordCase(`${JSON.stringify({ id: 'ctx/recorded#0', outcome: 'pass' })}\n`, []);
    flushCaseRecords();
    expect(readCaseRecords(built.run.workDir).map((r) => r.id)).toEqual(['ctx/recorded#0']);
  });

  it('fresh names count per tag, under the run prefix, in the context they are drawn from', () => {
    const ctx = initContext(channel());
    expect([freshName(ctx, 'a'), freshName(ctx, 'a'), freshName(ctx, 'b')]).toEqual([`${ctx.run.prefix}a0`, `${ctx.run.prefix}a1`, `${ctx.run.prefix}b0`]);
    expect(freshName(initContext(channel()), 'a')).toBe(`${ctx.run.prefix}a0`);
  });
});

describe('how the suites reach the run', () => {
  const dir = join(ROOT, 'suites');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'vitest.config.ts').map((f) => ({ f, lines: readFileSync(join(dir, f), 'utf8').split('\n') }));
  const isComment = (line: string): boolean => /^\s*(\/\/|\/?\*)/.test(line);
  /** Each line that looks the run up (`file:line: code`), comments and the definition aside. */
  const lookups = sources.flatMap(({ f, lines }) => lines.flatMap((line, i) =>
    /\b(suiteContext|context)\(\)/.test(line) && !isComment(line) && !line.startsWith('export function suiteContext') ? [`${f}:${i + 1}: ${line.trim()}`] : []));

  it('no shared helper looks the run up: only suite files call suiteContext(), each once, at its top', () => {
    const suiteFiles = sources.filter(({ f }) => f.endsWith('.suite.ts'));
    expect(suiteFiles.length).toBeGreaterThan(10);
    const atTheTop = suiteFiles.map(({ f, lines }) => `${f}:${lines.indexOf('const ctx = suiteContext();') + 1}: const ctx = suiteContext();`);
    expect(lookups.sort()).toEqual(atTheTop.sort());
  });
});
