import { Command, CommanderError } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.ts';
import { PathRefused } from '../../files/gate.ts';
import { claimOutputDir } from '../../cli/paths.ts';
import { reportCommand } from '../../cli/report.ts';
import { loadBaseline } from '../../reports/baseline.ts';
import { writeReports } from '../../reports/index.ts';
import { isObservation, type MergedMatrix } from '../../reports/matrix.ts';
import type { CaseResult } from '../../reports/model.ts';
import { readJsonl } from '../../reports/jsonl.ts';
import { FAILING_ID, FIXTURE_BASELINE, fixtureResults, fixtureSummary, KNOWN_ID } from './fixtures.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ovc-report-cli-'));

/** Runs `ovc report …` as main.ts does: UsageError and commander errors are exit 2. */
async function ovcReport(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let code = 0;
  let stderr = '';
  let stdout = '';
  const origErr = process.stderr.write.bind(process.stderr);
  const origOut = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  process.stdout.write = ((s: string) => { stdout += s; return true; }) as typeof process.stdout.write;
  try {
    const program = new Command('ovc').exitOverride().configureOutput({ writeErr: (s) => { stderr += s; }, writeOut: (s) => { stdout += s; } });
    program.addCommand(reportCommand((c) => { code = c; }));
    await program.parseAsync(['node', 'ovc', 'report', ...args]);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathRefused) { stderr += `ovc: ${e.message}\n`; code = 2; }
    else if (e instanceof CommanderError) code = 2;
    else throw e;
  } finally {
    process.stderr.write = origErr;
    process.stdout.write = origOut;
  }
  return { code, stderr, stdout };
}

async function runDir(results: CaseResult[], target = 'embedded emulator', baseline = FIXTURE_BASELINE): Promise<string> {
  const dir = tmp();
  for (const r of results) r.target = target;
  claimOutputDir('--out', dir); // as ovc run does: its --out folder holds ovc's mark
  await writeReports(dir, results, fixtureSummary(results, target), { baseline, secrets: [] });
  return dir;
}

describe('ovc report render', () => {
  it('re-writes every file from results.jsonl and summary.json, re-applying the run\'s baseline', async () => {
    const from = await runDir(fixtureResults());
    const out = join(tmp(), 'again');
    const r = await ovcReport('render', '--from', from, '--out', out);
    expect(r.code).toBe(1); // FAILING_ID is a regression
    for (const f of ['results.jsonl', 'summary.json', 'junit.xml', 'matrix.json', 'summary.md', 'report.html', 'failures.har']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe(readFileSync(join(from, 'summary.md'), 'utf8'));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(readFileSync(join(from, 'report.html'), 'utf8'));
  });

  it('a run rendered into another folder writes its summary as the run did: timing, observation passes, what the cleanup removed', async () => {
    const results = fixtureResults();
    for (const r of results) r.target = 'embedded emulator';
    const timing = { settleBoundMs: 60000, enable: { count: 4, medianMs: 1, maxMs: 3 }, gone: { count: 13, medianMs: null, maxMs: null }, requests: 343, throttled: 2, retries: 2, gaveUp: 0, peakIndexes: 6, evidenceNotKept: { bodies: 1, bytes: 2048 } };
    // As run/finish.ts writes it, field by field in its order.
    const { target, startedAt, finishedAt, seed, strict, counts } = fixtureSummary(results);
    const summary = { target, startedAt, finishedAt, seed, strict, counts, observedPasses: results.filter((r) => r.outcome === 'pass' && isObservation(r, strict)).length, cleanup: { deleted: 3, failures: [], removed: ['ovcabc1'] }, timing };
    const from = tmp();
    claimOutputDir('--out', from);
    await writeReports(from, results, summary, { baseline: FIXTURE_BASELINE, secrets: [] });
    expect(readFileSync(join(from, 'summary.md'), 'utf8')).toContain('343 requests, 2 throttled');
    const out = join(tmp(), 'again');
    expect((await ovcReport('render', '--from', from, '--out', out)).code).toBe(1);
    for (const f of ['summary.json', 'summary.md', 'report.html']) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(from, f), 'utf8'));
    // Timing figures that are not well-formed are left out, not a failure.
    const stored = JSON.parse(readFileSync(join(from, 'summary.json'), 'utf8'));
    writeFileSync(join(from, 'summary.json'), JSON.stringify({ ...stored, timing: { ...timing, requests: 'many' } }));
    const out2 = join(tmp(), 'again');
    expect((await ovcReport('render', '--from', from, '--out', out2)).code).toBe(1);
    expect(JSON.parse(readFileSync(join(out2, 'summary.json'), 'utf8')).timing).toBeUndefined();
    expect(readFileSync(join(out2, 'summary.md'), 'utf8')).not.toContain('343 requests');
  });

  it('applies --baseline instead, and exits 0 when every failure is known', async () => {
    const from = await runDir(fixtureResults());
    const file = join(tmp(), 'all.yaml');
    writeFileSync(file, `deviations:\n  - id: "delete-vector-index/*"\n    reason: everything is known here\n`);
    expect((await ovcReport('render', '--from', from, '--baseline', file)).code).toBe(0);
    expect(readFileSync(join(from, 'summary.md'), 'utf8')).toContain('No regression against the baseline');
  });

  it('exits 2 with one sentence on bad input', async () => {
    const empty = tmp();
    const r = await ovcReport('render', '--from', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no results\.jsonl/);
    const broken = await runDir(fixtureResults());
    writeFileSync(join(broken, 'results.jsonl'), '{"id":"x"}\n');
    expect((await ovcReport('render', '--from', broken)).stderr).toMatch(/line 1 is not a case record/);
    const badBaseline = join(tmp(), 'b.yaml');
    writeFileSync(badBaseline, 'deviations: [{id: x}]\n');
    expect((await ovcReport('render', '--from', await runDir(fixtureResults()), '--baseline', badBaseline)).code).toBe(2);
    expect((await ovcReport('render')).code).toBe(2); // missing --from
  });
});

describe('ovc report baseline', () => {
  it('writes a YAML (or JSON) baseline of every fail and error case that then gates to 0', async () => {
    const from = await runDir(fixtureResults());
    const dir = tmp();
    const r = await ovcReport('baseline', '--from', from, '--out', join(dir, 'b.yaml'), '--reason', 'accepted: emulator gap');
    expect(r.code).toBe(0);
    const b = loadBaseline(join(dir, 'b.yaml'));
    expect(b.target).toBe('embedded emulator');
    expect(b.deviations.map((d) => d.id)).toContain(FAILING_ID);
    expect(b.deviations.every((d) => d.reason === 'accepted: emulator gap')).toBe(true);
    expect((await ovcReport('render', '--from', from, '--baseline', join(dir, 'b.yaml'))).code).toBe(0);
    await ovcReport('baseline', '--from', from, '--out', join(dir, 'b.json'));
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).deviations).toHaveLength(3);
    const printed = await ovcReport('baseline', '--from', from);
    expect(printed.stdout).toContain(`id: ${KNOWN_ID}`);
  });
});

describe('ovc report merge', () => {
  it('merges two shards of one target into one run whose counts are the sum', async () => {
    const all = fixtureResults();
    const shard1 = await runDir(all.slice(0, 5));
    const shard2 = await runDir(all.slice(5));
    const out = join(tmp(), 'merged');
    const r = await ovcReport('merge', '--out', out, shard1, shard2);
    expect(r.code).toBe(1);
    const merged = readJsonl(join(out, 'results.jsonl'));
    expect(merged.map((c) => c.id).sort()).toEqual(all.map((c) => c.id).sort());
    const matrix = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8'));
    // The lifecycle case rests on an unknown and the run is not strict: observed, not a pass.
    expect(matrix.totals).toEqual({ pass: 6, fail: 2, skip: 1, error: 1 });
    expect(matrix.observed).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.counts).toEqual({ pass: 7, fail: 2, skip: 1, error: 1 });
    expect(summary.cleanup.deleted).toBe(6);
    expect(summary.sources).toEqual([shard1, shard2]);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(FAILING_ID);
  });

  it('refuses two folders that share a case id for one target (not shards of one run)', async () => {
    const a = await runDir(fixtureResults());
    const b = await runDir(fixtureResults());
    const r = await ovcReport('merge', '--out', tmp(), a, b);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shards of one run never share a case/);
  });

  it('merges two targets into one response × target matrix, one report folder per target', async () => {
    const emulator = await runDir(fixtureResults(), 'embedded emulator');
    const realResults = fixtureResults().map((r) => (r.id === FAILING_ID ? { ...r, outcome: 'pass' as const, actual: { status: 404, code: 'NoSuchVectorIndex', requestId: null }, reason: null } : r));
    const real = await runDir(realResults, 'https://cn-hangzhou.oss-vectors.aliyuncs.com (b)');
    const out = join(tmp(), 'merged');
    const r = await ovcReport('merge', '--out', out, emulator, real);
    expect(r.code).toBe(1); // the emulator still has its regression
    const merged = JSON.parse(readFileSync(join(out, 'matrix.json'), 'utf8')) as MergedMatrix;
    expect(merged.targets).toEqual(['embedded emulator', 'https://cn-hangzhou.oss-vectors.aliyuncs.com (b)']);
    const row = merged.rows.find((x) => x.key === '404-no-such-vector-index')!;
    expect(row.cells['embedded emulator']!.counts).toMatchObject({ pass: 1, fail: 1 });
    expect(row.cells['https://cn-hangzhou.oss-vectors.aliyuncs.com (b)']!.counts).toMatchObject({ pass: 2, fail: 0 });
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| documented response | embedded emulator | https://cn-hangzhou.oss-vectors.aliyuncs.com (b) |');
    expect(md).toContain(FAILING_ID);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Response × target');
    expect(existsSync(join(out, 'embedded-emulator', 'junit.xml'))).toBe(true);
    expect(existsSync(join(out, 'https-cn-hangzhou-oss-vectors-aliyuncs-com-b', 'results.jsonl'))).toBe(true);
  });

  it('routes --baseline to the target it names', async () => {
    const emulator = await runDir(fixtureResults(), 'embedded emulator', { deviations: [] });
    const other = await runDir(fixtureResults().filter((r) => r.outcome === 'pass'), 'other', { deviations: [] });
    const file = join(tmp(), 'b.yaml');
    writeFileSync(file, `target: embedded emulator\ndeviations:\n  - id: "delete-vector-index/*"\n    reason: known\n`);
    expect((await ovcReport('merge', '--out', join(tmp(), 'm'), emulator, other, '--baseline', file)).code).toBe(0);
    writeFileSync(file, `target: nowhere\ndeviations: []\n`);
    expect((await ovcReport('merge', '--out', join(tmp(), 'm'), emulator, other, '--baseline', file)).code).toBe(2);
  });

  it('exits 2 for a folder that does not exist', async () => {
    const d = tmp();
    mkdirSync(join(d, 'x'));
    expect((await ovcReport('merge', '--out', join(d, 'm'), join(d, 'missing'))).code).toBe(2);
  });
});
