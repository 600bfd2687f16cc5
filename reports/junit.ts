// junit.xml: one <testsuite> per matrix row (in matrix order, empty rows included so a missing
// response is visible), one <testcase name="<case id>" classname="<row label>"> per case.
// A known deviation (listed in the baseline) is written as <skipped>, so a JUnit publisher does
// not fail the check the gate lets pass; its message says it is a known deviation.
import { actualText, byId, expectedText } from './cases.ts';
import { escapeXml, escapeXmlAttr } from './escape.ts';
import type { CaseResult } from './model.ts';
import type { ReportView, ReportWriter } from './view.ts';

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);
const attrs = (a: Record<string, string | number>): string => Object.entries(a).map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('');

export const junitWriter: ReportWriter = { file: 'junit.xml', render: toJUnit };

export function toJUnit({ results, summary, matrix }: ReportView): string {
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const row of matrix.rows) {
    const cases = byId(results.filter((r) => r.response === row.label));
    const n = { failures: 0, errors: 0, skipped: 0, time: 0 };
    const body = cases.map((c) => {
      n.time += c.durationMs;
      const kind = elementFor(c);
      if (kind === 'failure') n.failures++;
      else if (kind === 'error') n.errors++;
      else if (kind === 'skipped') n.skipped++;
      return testcase(c, row.label, kind);
    });
    total.tests += cases.length; total.failures += n.failures; total.errors += n.errors; total.skipped += n.skipped; total.time += n.time;
    const props = [
      `      <property${attrs({ name: 'response.key', value: row.key })}/>`,
      ...(row.doc ? [`      <property${attrs({ name: 'doc', value: `${row.doc.tag} ${row.doc.url}` })}/>`] : []),
    ];
    suites.push(
      `  <testsuite${attrs({ name: row.label, tests: cases.length, failures: n.failures, errors: n.errors, skipped: n.skipped, time: seconds(n.time), timestamp: summary.startedAt })}>\n` +
      `    <properties>\n${props.join('\n')}\n    </properties>\n${body.join('')}  </testsuite>\n`,
    );
  }
  // <testsuites> carries only the attributes the Jenkins JUnit schema defines there (no skipped, no
  // timestamp: each <testsuite> has its own); test/reports/junit-xsd.test.ts validates against it.
  const head = `<testsuites${attrs({ name: `ovc conformance: ${summary.target}`, tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(total.time) })}>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites.join('')}</testsuites>\n`;
}

type Element = 'failure' | 'error' | 'skipped' | null;

function elementFor(c: CaseResult): Element {
  if (c.outcome === 'pass') return null;
  if (c.outcome === 'skip' || c.baseline) return 'skipped';
  return c.outcome === 'fail' ? 'failure' : 'error';
}

function testcase(c: CaseResult, classname: string, kind: Element): string {
  const open = `    <testcase${attrs({ name: c.id, classname, time: seconds(c.durationMs) })}`;
  if (kind === null) return `${open}/>\n`;
  const message = kind === 'skipped' && c.baseline
    ? `known deviation (baseline): ${c.baseline.reason}`
    : (c.reason ?? (kind === 'skipped' ? 'skipped' : c.outcome));
  const type = kind === 'skipped' ? (c.baseline ? 'known-deviation' : 'skip') : `expected ${expectedText(c)}, got ${actualText(c)}`;
  const text = kind === 'skipped' && !c.baseline ? null : details(c);
  const el = text === null
    ? `      <${kind}${attrs({ message })}/>\n`
    : `      <${kind}${attrs({ message, type })}>${escapeXml(text)}</${kind}>\n`;
  return `${open}>\n${el}    </testcase>\n`;
}

function details(c: CaseResult): string {
  const lines = [
    `case:      ${c.id}`,
    `response:  ${c.response}`,
    `outcome:   ${c.outcome}${c.baseline ? ` (known deviation: ${c.baseline.reason}${c.baseline.link ? ` — ${c.baseline.link}` : ''})` : ''}`,
    `expected:  ${expectedText(c)}`,
    `actual:    ${actualText(c)}${c.actual?.requestId ? ` (x-oss-request-id ${c.actual.requestId})` : ''}`,
    `reason:    ${c.reason ?? ''}`,
    `labels:    ${c.labels.join(', ') || '(none)'}`,
    `seed:      ${c.seed}`,
  ];
  if (c.cites) lines.push(`enforces:  ${c.cites}`);
  if (c.replay) lines.push(`replay:    ${c.replay}`);
  if (c.curl) lines.push(`curl:      ${c.curl}`);
  return `\n${lines.join('\n')}\n`;
}
