// junit.xml against the JUnit XSD Jenkins uses (test/fixtures/junit-10.xsd, source URL inside),
// validated by libxml2's xmllint compiled to WebAssembly (xmllint-wasm, pinned in package.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { applyBaseline } from '../../reports/baseline.ts';
import { toJUnit } from '../../reports/junit.ts';
import { FIXTURE_BASELINE, fixtureResults, fixtureSummary, fixtureView } from './fixtures.ts';

const XSD = readFileSync(fileURLToPath(new URL('../fixtures/junit-10.xsd', import.meta.url)), 'utf8');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}

describe('junit.xml and the JUnit XSD', () => {
  it('validates, with and without a baseline, and with characters XML cannot hold in the reasons', async () => {
    const plain = fixtureResults();
    expect(await validate(toJUnit(fixtureView(plain, fixtureSummary(plain))))).toEqual({ valid: true, errors: [] });
    const known = fixtureResults();
    applyBaseline(known, FIXTURE_BASELINE);
    expect(await validate(toJUnit(fixtureView(known, fixtureSummary(known))))).toEqual({ valid: true, errors: [] });
    const nasty = fixtureResults().map((r) => ({ ...r, outcome: 'fail' as const, reason: `bad \u0000 byte, ]]> and \u001b[31m, tab\tnewline\n` }));
    expect(await validate(toJUnit(fixtureView(nasty, fixtureSummary(nasty))))).toEqual({ valid: true, errors: [] });
    expect(await validate(toJUnit(fixtureView([], fixtureSummary([]))))).toEqual({ valid: true, errors: [] });
  });

  it('the validator rejects documents the schema does not allow', async () => {
    const good = toJUnit(fixtureView());
    const cases: Array<[string, string]> = [
      ['a testcase without its required name', good.replace(/<testcase name="[^"]*"/, '<testcase')],
      ['a testsuite without tests', good.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1')],
      ['an element the schema does not define', good.replace('<properties>', '<properties><bogus/>')],
      ['an attribute the schema does not define', good.replace('<testsuites ', '<testsuites colour="red" ')],
      ['a time that is not a number', good.replace(/(<testsuite name="[^"]*" tests="\d+" failures="\d+" errors="\d+" skipped="\d+") time="[^"]*"/, '$1 time="soon"')],
      ['another root element', good.replace(/<testsuites /, '<results ').replace(/<\/testsuites>/, '</results>')],
      ['XML that is not well-formed', good.replace('</testsuites>', '')],
    ];
    for (const [what, xml] of cases) {
      expect(xml, what).not.toBe(good);
      const r = await validate(xml);
      expect(r.valid, what).toBe(false);
      expect(r.errors.length, what).toBeGreaterThan(0);
    }
  });
});
