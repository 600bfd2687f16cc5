// What `ovc sdk-test` reports and how it reads each test runner's own output: go test's test2json
// events, JUnit XML (pytest's --junitxml, Maven Surefire's reports) and JUnit 4's console text.
export type SdkLanguage = 'go' | 'python' | 'java';
export type SdkTestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface SdkTestResult {
  name: string;
  status: SdkTestStatus;
  /** One line: the first assertion or error, or what else happened (e.g. a teardown error). */
  why: string;
}

/** What `--json` writes (and docs/compatibility.md is generated from). No secrets in it. */
export interface SdkTestReport {
  kind: 'ovc-sdk-test';
  version: 1;
  language: SdkLanguage;
  /** commit and tag: when the checkout is a git checkout. */
  sdk: { name: string; version: string; commit?: string; tag?: string };
  target: string;
  ovcVersion: string;
  date: string;
  isolation: 'netns' | 'none';
  /** How the tests were built (Go: where the modules came from; Java: Maven or javac and the jars). */
  build?: string;
  /** The command that produced it (checkout path as given to it). */
  command?: string;
  tests: SdkTestResult[];
  passed: number;
  total: number;
}

export function oneLine(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** One test's verdict from `go test -json` output (lines of test2json events). */
export function parseGoTestJson(jsonLines: string, test: string, stderr = ''): SdkTestResult {
  const events: Array<{ Action?: string; Test?: string; Output?: string }> = [];
  for (const line of jsonLines.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try { events.push(JSON.parse(line)); } catch { /* not an event */ }
  }
  const mine = events.filter((e) => e.Test === test);
  const output = mine.map((e) => e.Output ?? '').join('');
  const final = mine.find((e) => e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip');
  if (!final) {
    const pkgOut = events.filter((e) => !e.Test).map((e) => e.Output ?? '').join('');
    const cause = /panic:.*|FAIL.*build failed.*|cannot find.*|\S+\.go:\d+:\d+: .*/.exec(`${output}\n${pkgOut}\n${stderr}`)?.[0] ?? (oneLine(stderr) || 'no result reported (build failure or crash)');
    return { name: test, status: 'error', why: oneLine(cause) };
  }
  if (final.Action === 'pass') return { name: test, status: 'pass', why: '' };
  if (final.Action === 'skip') return { name: test, status: 'skip', why: oneLine(/--- SKIP.*\n\s*(.*)/.exec(output)?.[1] ?? 'skipped') };
  // testify: "Error Trace: file:line" then "Error: <message>" possibly continued on indented lines.
  const lines = output.split('\n');
  const at = lines.findIndex((l) => /^\s+Error:\s/.test(l));
  let why = '';
  if (at >= 0) {
    const trace = lines.slice(0, at).reverse().find((l) => /Error Trace:/.test(l));
    const where = trace ? /(\w+\.go:\d+)/.exec(trace)?.[1] : undefined;
    const msg = [lines[at]!.replace(/^\s+Error:\s+/, '')];
    for (let i = at + 1; i < lines.length && /^\s{8,}\S/.test(lines[i]!) && !/^\s+(Test|Messages|Error Trace):/.test(lines[i]!); i++) msg.push(lines[i]!.trim());
    why = `${where ? `${where}: ` : ''}${msg.join(' ')}`;
  }
  const panic = /panic: (.*)/.exec(output)?.[1];
  if (panic) why = why ? `${why}; then panicked: ${panic}` : `panicked: ${panic}`;
  return { name: test, status: 'fail', why: oneLine(why || 'failed') };
}

function xmlText(s: string): string {
  return s.replace(/&#10;/g, '\n').replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Verdicts from JUnit XML (pytest's `--junitxml`, Surefire's TEST-*.xml). A test whose body passed
 * but whose class teardown failed is an error (pytest prints PASSED, then ERROR at teardown): a
 * fixture that cannot clean up is a failure of the run, and CI must see it in the exit code.
 */
export function parseJunit(xml: string): SdkTestResult[] {
  const out: SdkTestResult[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = m[1]!;
    const attr = (k: string): string => xmlText(new RegExp(`\\b${k}="([^"]*)"`).exec(attrs)?.[1] ?? '');
    const cls = attr('classname').split('.').pop() ?? '';
    const name = cls ? `${cls}.${attr('name')}` : attr('name');
    const body = m[3] ?? '';
    const child = /<(failure|error|skipped)\b([^>]*?)(\/>|>)/.exec(body);
    if (!child) { out.push({ name, status: 'pass', why: '' }); continue; }
    const message = xmlText(/\bmessage="([^"]*)"/.exec(child[2]!)?.[1] ?? '');
    const kind = child[1]!;
    if (kind === 'skipped') out.push({ name, status: 'skip', why: oneLine(message) });
    else if (kind === 'error' && /^failed on teardown with/.test(message)) {
      out.push({ name, status: 'error', why: oneLine(`the test body passed; its class teardown failed: ${message.replace(/^failed on teardown with\s*/, '')}`) });
    } else {
      // pytest's generic messages ("collection failure", "failed on setup with …"): add the last `E ` line of the report.
      const detail = /^(collection failure|failed on setup)/.test(message) ? xmlText(body.slice(child.index + child[0].length).split(`</${kind}>`)[0]!).split('\n').filter((l) => /^E\s/.test(l)).pop()?.replace(/^E\s+/, '') : undefined;
      out.push({ name, status: kind === 'failure' ? 'fail' : 'error', why: oneLine(detail ? `${message}: ${detail}` : message) });
    }
  }
  return out;
}

/** The table: test → verdict → why. */
export function formatTable(results: readonly SdkTestResult[]): string {
  const w = Math.max(4, ...results.map((r) => r.name.length));
  const lines = [`${'test'.padEnd(w)}  result  why`, `${'-'.repeat(w)}  ------  ---`];
  for (const r of results) lines.push(`${r.name.padEnd(w)}  ${r.status.padEnd(6)}  ${r.why}`.trimEnd());
  const passed = results.filter((r) => r.status === 'pass').length;
  lines.push('', `${passed} of ${results.length} passed`);
  return `${lines.join('\n')}\n`;
}


/**
 * Verdicts from JUnit 4's console runner (`org.junit.runner.JUnitCore`), which names only what
 * failed: `tests` are the `Class.method` names read from the sources (`ignored` among them). A
 * failure without a method (`1) ClassName`) is the class's @BeforeClass/@AfterClass: its tests
 * that did not fail on their own are errors, the class fixture's message said.
 */
export function parseJunit4Console(output: string, tests: readonly string[], ignored: readonly string[] = []): SdkTestResult[] {
  const lines = output.split('\n');
  if (!/^(OK \(\d+ tests?\)|Tests run: \d+)/m.test(output)) {
    const cause = oneLine(lines.filter((l) => /\S/.test(l)).slice(-3).join(' ') || 'no output');
    return tests.map((name) => ({ name, status: 'error', why: `JUnit reported no result: ${cause}` }));
  }
  const failures = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^\d+\) (?:(\w+)\(([\w.$]+)\)|([\w.$]+))\s*$/.exec(lines[i]!);
    if (!m) continue;
    const cls = (m[2] ?? m[3]!).split('.').pop()!;
    const message = oneLine(lines[i + 1] ?? '');
    failures.set(m[1] ? `${cls}.${m[1]}` : cls, message);
  }
  return tests.map((name) => {
    const own = failures.get(name);
    if (own !== undefined) return { name, status: /^java\.lang\.AssertionError|^org\.junit\.|^org\.opentest4j\./.test(own) ? 'fail' : 'error', why: own } as SdkTestResult;
    const fixture = failures.get(name.split('.')[0]!);
    if (fixture !== undefined) return { name, status: 'error', why: oneLine(`its class fixture (@BeforeClass/@AfterClass) failed: ${fixture}`) };
    if (ignored.includes(name)) return { name, status: 'skip', why: '@Ignore' };
    return { name, status: 'pass', why: '' };
  });
}
