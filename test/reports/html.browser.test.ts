// The HTML report in a real browser (Debian's chromium through playwright-core): content, filters,
// the stylesheets and script of reports/assets/ in effect, no network requests, and the screenshot
// in docs/. Skipped only when /usr/bin/chromium is missing (scripts/ensure-chromium.sh installs it
// where it can).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBaseline } from '../../reports/baseline.ts';
import { toHtml } from '../../reports/html.ts';
import { writeReports } from '../../reports/index.ts';
import { buildMatrix, mergeMatrices } from '../../reports/matrix.ts';
import { HTML_ASSETS } from '../../reports/html-assets.ts';
import { readCassette } from '../../diff/cassette.ts';
import { diffCassettes } from '../../diff/classify.ts';
import { writeDiffReports } from '../../diff/index.ts';
import { buildCassette, errorResponse, IDS, tamper, writeBuilt } from '../diff/fixtures.ts';
import { FAILING_ID, FIXTURE_BASELINE, fixtureResults, fixtureSummary, KNOWN_ID, SECRET } from './fixtures.ts';

/** One computed style property of an element (runs in the page; the DOM types are not in this project's lib). */
const computed = (e: unknown, property: string): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(e)[property]!;

const readAsset = (rel: string): string => readFileSync(resolve(import.meta.dirname, '../..', rel), 'utf8');

/** A diff.html with one difference (so its verdict is a failing one), written to a temporary folder. */
function writtenDiffPage(): string {
  const root = mkdtempSync(join(tmpdir(), 'ovc-html-diff-'));
  const right = tamper(buildCassette({ runId: 'bbbbbb' }), IDS.absent, () => errorResponse({ runId: 'bbbbbb' }, 404, 'NoSuchIndex'), { outcome: 'fail' });
  const result = diffCassettes(readCassette(writeBuilt(join(root, 'l'), buildCassette({ runId: 'aaaaaa' }))), readCassette(writeBuilt(join(root, 'r'), right)), { left: 'left', right: 'right' });
  writeDiffReports(join(root, 'out'), result);
  return join(root, 'out', 'diff.html');
}

// Debian's chromium here; OVC_CHROMIUM or a preinstalled Chrome elsewhere (e.g. GitHub's runners).
const CHROMIUM = [process.env.OVC_CHROMIUM, '/usr/bin/chromium', '/usr/bin/google-chrome'].find((p): p is string => !!p && existsSync(p)) ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SCREENSHOT = resolve(import.meta.dirname, '../../docs/report-screenshot.png');
if (!HAVE_CHROMIUM) console.warn(`html.browser.test: skipped — ${CHROMIUM} not found (apt-get install -y chromium, or scripts/ensure-chromium.sh)`);

describe.skipIf(!HAVE_CHROMIUM)(`report.html in chromium (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: Browser;
  let dir: string;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ovc-html-'));
    const results = fixtureResults();
    await writeReports(dir, results, fixtureSummary(results), { baseline: FIXTURE_BASELINE, secrets: [SECRET] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  });

  afterAll(async () => { await browser?.close(); });

  const visible = async (selector: string): Promise<string[]> =>
    page.$$eval(selector, (els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).map((e) => e.getAttribute('data-row') + '|' + e.getAttribute('data-outcome') + '|' + (e.textContent ?? '').trim().slice(0, 120)));

  it('shows the verdict, every matrix row and the failing case with its exchange', async () => {
    expect(await page.title()).toBe('ovc conformance: embedded emulator');
    await expect(page.locator('.verdict').first().innerText()).resolves.toContain('Not conformant');
    const rows = await page.$$eval('table.matrix tbody tr[data-row] th[scope=row]', (ths) => ths.map((t) => t.textContent?.trim() ?? ''));
    for (const label of ['204 No Content', '400 MalformedJson', '400 VectorIndexParameterInvalid', '403 AccessDenied', '403 signature family', '404 NoSuchVectorIndex', '404 NoSuchBucket', '409 VectorIndexOperationConflict', 'lifecycle model', 'races']) {
      expect(rows.some((r) => r.startsWith(label)), label).toBe(true);
    }
    const card = page.locator(`details[data-case="${FAILING_ID}"]`);
    await expect(card.isVisible()).resolves.toBe(true);
    const text = await card.innerText();
    expect(text).toContain('expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid');
    expect(text).toContain('<script>alert(1)</script>'); // shown as text, not run
    expect(text).toContain('Authorization: [REDACTED]');
    expect(text).toContain("npx ovc run --seed 123 --runs 500 --tags '404-no-such-vector-index'");
    expect(text).not.toContain(SECRET);
    await expect(page.locator(`details[data-case="${KNOWN_ID}"]`).count()).resolves.toBe(1);
  });

  it('takes the screenshot for docs/', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    // The committed screenshot is refreshed on request, so a test run leaves the tree clean.
    if (!existsSync(SCREENSHOT) || process.env.OVC_UPDATE_SCREENSHOT === '1') copyFileSync(shot, SCREENSHOT);
  });

  it('filters by outcome: "fail" leaves only failing rows', async () => {
    await page.click('button[data-outcome-filter="fail"]');
    const cases = await visible('table.cases tbody tr');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toContain(FAILING_ID);
    expect(await visible('table.matrix tbody tr[data-row]')).toEqual([expect.stringMatching(/^404-no-such-vector-index\|/)]);
    expect(await visible('details.case')).toEqual([expect.stringContaining(FAILING_ID)]);
    await expect(page.locator(`details[data-case="${KNOWN_ID}"]`).isVisible()).resolves.toBe(false);
    await page.click('button[data-outcome-filter="known"]');
    expect((await visible('table.cases tbody tr')).map((r) => r.split('|')[1])).toEqual(['known', 'known']);
    await page.click('button[data-outcome-filter="all"]');
    expect(await visible('table.cases tbody tr')).toHaveLength(fixtureResults().length);
  });

  it('filters by response row, from the select and from the matrix', async () => {
    await page.selectOption('#f-row', '400-malformed-json');
    const rows = await visible('table.cases tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.startsWith('400-malformed-json|'))).toBe(true);
    await page.selectOption('#f-row', 'all');
    await page.click('button[data-row-filter="races"]');
    expect(await visible('table.cases tbody tr')).toEqual([expect.stringMatching(/^races\|pass\|/)]);
    await page.click('button[data-row-filter="races"]'); // a second click clears the filter
    expect(await visible('table.cases tbody tr')).toHaveLength(fixtureResults().length);
  });

  it('says so when nothing matches', async () => {
    await page.selectOption('#f-row', '403-signature');
    await page.click('button[data-outcome-filter="pass"]');
    await expect(page.locator('#f-empty').isVisible()).resolves.toBe(true);
    await page.selectOption('#f-row', 'all');
    await page.click('button[data-outcome-filter="all"]');
    await expect(page.locator('#f-empty').isVisible()).resolves.toBe(false);
  });

  it('is styled by reports/assets/report.css and filtered by reports/assets/report.js, both inline', async () => {
    const inline = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
      return { style: doc.querySelector('style')?.textContent, script: doc.querySelector('script:not([type])')?.textContent };
    });
    expect(inline).toEqual({ style: readAsset(HTML_ASSETS.reportCss), script: readAsset(HTML_ASSETS.reportJs) });
    // A rule of the stylesheet takes effect: a failing verdict has report.css's --fail border.
    await expect(page.locator('.verdict.bad').first().evaluate(computed, 'borderLeftColor')).resolves.toBe('rgb(207, 34, 46)');
  });

  it('diff.html is styled by reports/assets/diff.css, inline', async () => {
    const diffPage = await browser.newPage();
    diffPage.on('request', (r) => requests.push(r.url()));
    await diffPage.goto(pathToFileURL(writtenDiffPage()).href);
    await expect(diffPage.locator('style').textContent()).resolves.toBe(readAsset(HTML_ASSETS.diffCss));
    await expect(diffPage.locator('#verdict').evaluate(computed, 'color')).resolves.toBe('rgb(207, 34, 46)');
    await diffPage.close();
  });

  it('made no network request and raised no script error', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('junit.xml parses in the browser\'s XML parser', async () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    // Runs in the page (the DOM types are not in this project's lib).
    interface XmlDoc { getElementsByTagName(name: string): { length: number } }
    const result = await page.evaluate((text) => {
      const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, type: string): XmlDoc } }).DOMParser;
      const doc = new Parser().parseFromString(text, 'application/xml');
      return { error: doc.getElementsByTagName('parsererror').length, cases: doc.getElementsByTagName('testcase').length };
    }, xml);
    expect(result).toEqual({ error: 0, cases: fixtureResults().length });
  });

  it('a merged report over two targets shows the response × target matrix and filters by target', async () => {
    const runs = ['embedded emulator', 'cn-hangzhou'].map((target) => {
      const results = fixtureResults().map((r) => ({ ...r, target }));
      const gate = applyBaseline(results, null);
      return { summary: fixtureSummary(results, target), matrix: buildMatrix(results), gate, results };
    });
    const merged = mergeMatrices(runs.map((r) => ({ target: r.summary.target, matrix: r.matrix })));
    const file = join(dir, 'merged.html');
    writeFileSync(file, toHtml({ runs, merged }, []));
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(pathToFileURL(file).href);
    const heads = await p.$$eval('#merged thead th', (ths) => ths.map((t) => t.textContent));
    expect(heads).toEqual(['documented response', 'embedded emulator', 'cn-hangzhou']);
    await p.click('button[data-outcome-filter="error"]');
    await p.selectOption('#f-row', 'races');
    expect(await p.locator('#f-empty').isVisible()).toBe(true); // no races case errored on either target
    await p.selectOption('#f-row', 'all');
    await p.click('button[data-outcome-filter="all"]');
    await p.selectOption('#f-target', 't1');
    expect(await p.locator('section.run[data-target="t0"]').isVisible()).toBe(false);
    expect(await p.locator('section.run[data-target="t1"]').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await p.close();
  });
});
