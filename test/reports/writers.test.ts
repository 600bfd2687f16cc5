import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAnnotations } from '../../reports/github.ts';
import { REPORT_FILES, writeReports } from '../../reports/index.ts';
import { readJsonl, toJsonLine } from '../../reports/jsonl.ts';
import { AUTHZ, ERROR_ID, FAILING_ID, FIXTURE_BASELINE, fixtureResults, fixtureSummary, KNOWN_ID, SECRET, TOKEN } from './fixtures.ts';
import { parseXml } from './xml.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ovc-reports-'));

describe('writeReports', () => {
  const saved = { ...process.env };
  beforeEach(() => { process.env.OSS_ACCESS_KEY_SECRET = SECRET; process.env.OSS_SESSION_TOKEN = TOKEN; });
  afterEach(() => { process.env = { ...saved }; });

  it('writes every report file and returns the gate and the matrix', async () => {
    const dir = tmp();
    const results = fixtureResults();
    const { files, gate, matrix } = await writeReports(dir, results, fixtureSummary(results), { baseline: FIXTURE_BASELINE });
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(Object.values(REPORT_FILES).sort());
    expect(gate.exitCode).toBe(1);
    expect(gate.regressions.map((r) => r.id)).toEqual([FAILING_ID]);
    expect(results.find((r) => r.id === KNOWN_ID)!.baseline).toBeDefined(); // marked in place for the caller
    expect(matrix.total).toBe(results.length);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ target: 'embedded emulator', seed: 123, baseline: FIXTURE_BASELINE });
  });

  it('every human-facing file names the failing case; known deviations are shown apart', async () => {
    const dir = tmp();
    const results = fixtureResults();
    await writeReports(dir, results, fixtureSummary(results), { baseline: FIXTURE_BASELINE });
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^# ❌ Not conformant/);
    expect(md).toContain('⚠️ 3 of 9 documented responses reached');
    expect(md).toContain(FAILING_ID);
    expect(md).toContain('expected **404 NoSuchVectorIndex**, actual **400 VectorIndexParameterInvalid**');
    expect(md).toContain("npx ovc run --seed 123 --runs 500 --tags '404-no-such-vector-index'");
    const knownSection = md.slice(md.indexOf('## Known deviations'));
    expect(knownSection).toContain(KNOWN_ID);
    expect(md.slice(md.indexOf('## Failing cases'), md.indexOf('## Known deviations'))).not.toContain(KNOWN_ID);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`data-case="${FAILING_ID}"`);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const har = JSON.parse(readFileSync(join(dir, 'failures.har'), 'utf8'));
    expect(har.log.entries.map((e: { comment: string }) => e.comment)).toContain(FAILING_ID);
    expect(() => parseXml(readFileSync(join(dir, 'junit.xml'), 'utf8'))).not.toThrow();
  });

  it('report.html is self-contained: no external resource, data embedded with `<` escaped', async () => {
    const dir = tmp();
    const results = fixtureResults();
    await writeReports(dir, results, fixtureSummary(results));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(|@font-face/i);
    expect(html).toContain("default-src 'none'");
    const json = /<script type="application\/json" id="ovc-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toContain('<');
    const data = JSON.parse(json);
    expect(data.runs[0].matrix.total).toBe(results.length);
  });

  it('results.jsonl keeps the docs/design.md field order and reads back to the same cases', async () => {
    const dir = tmp();
    const results = fixtureResults();
    await writeReports(dir, results, fixtureSummary(results), { secrets: [] });
    const first = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')[0]!;
    expect(Object.keys(JSON.parse(first)).slice(0, 9)).toEqual(['id', 'response', 'outcome', 'expected', 'actual', 'labels', 'reason', 'seed', 'durationMs']);
    const back = readJsonl(join(dir, 'results.jsonl'));
    expect(back).toHaveLength(results.length);
    const passing = results.find((r) => r.id === 'delete-vector-index/races/concurrent-deletes-16')!;
    expect(toJsonLine(back.find((r) => r.id === passing.id)!)).toBe(toJsonLine(passing));
  });

  it('no written file holds a secret value, an Authorization value or a session token', async () => {
    const dir = tmp();
    const step = join(dir, 'step-summary.md');
    writeFileSync(step, '');
    const denied = 'D3n1edSecretValue987654';
    process.env.OVC_DENIED_ACCESS_KEY_SECRET = denied;
    const results = fixtureResults();
    results[0] = { ...results[0]!, outcome: 'fail', reason: `denied key ${denied} leaked; url-encoded ${encodeURIComponent(SECRET)}` };
    await writeReports(dir, results, fixtureSummary(results), { baseline: FIXTURE_BASELINE, githubStepSummary: step });
    const files = readdirSync(dir);
    expect(files.length).toBe(Object.keys(REPORT_FILES).length + 1);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const needle of [SECRET, TOKEN, denied, AUTHZ, 'Signature=0f1e2d', 'Credential=LTAI5tExampleKey']) {
        expect(text.includes(needle), `${f} contains ${needle}`).toBe(false);
      }
    }
    expect(readFileSync(step, 'utf8')).toContain(FAILING_ID);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('[REDACTED]');
  });

  it('appends to an existing GitHub step summary rather than replacing it', async () => {
    const dir = tmp();
    const step = join(dir, 'step.md');
    writeFileSync(step, '# earlier step\n');
    const results = fixtureResults().filter((r) => r.outcome === 'pass');
    const { gate } = await writeReports(join(dir, 'out'), results, fixtureSummary(results), { githubStepSummary: step });
    expect(gate.exitCode).toBe(0);
    const text = readFileSync(step, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toContain('✅ Conformant');
  });
});

describe('githubAnnotations', () => {
  it('prints one ::error per regression with expected vs actual and replay, escaped as workflow commands', () => {
    const results = fixtureResults();
    results.find((r) => r.id === KNOWN_ID)!.baseline = { reason: 'known' };
    const lines = githubAnnotations(results, [SECRET]);
    expect(lines).toHaveLength(2); // the failing case and the error case; the known one is left out
    const fail = lines.find((l) => l.includes('generated-name#17'))!;
    expect(fail.startsWith(`::error title=${escapeProperty(FAILING_ID)}::`)).toBe(true);
    expect(fail).toContain('expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid%0A');
    expect(fail).toContain('replay: npx ovc run');
    expect(fail).not.toMatch(/[\r\n]/);
    expect(fail).not.toContain(SECRET);
    expect(lines.some((l) => l.includes(escapeProperty(ERROR_ID)))).toBe(true);
  });

  it('escapes %, CR, LF in messages and also : and , in properties', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});
