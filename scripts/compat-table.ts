// docs/compatibility.md from the runs' own results files: `ovc sdk-test --json` files (one row per
// SDK test) and `ovc run --out` directories (one row per matrix row, from matrix.json + summary.json).
// One column per implementation measured (the run's target). Usage:
//   npx tsx scripts/compat-table.ts [--alias FROM=TO]… [--validated TARGET=YYYY-MM-DD]… <sdk-test.json | run dir>… > docs/compatibility.md
// --alias merges columns that are one implementation (e.g. 'embedded emulator=ovc serve': `ovc run`
// without --endpoint runs the same emulator in-process).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Cell { verdict: string; date: string }
export interface Table {
  /** Column (target) → its latest run date. */
  columns: Map<string, string>;
  /** Group → how it was run (command, build), from the newest results file of that group. */
  notes: Map<string, { date: string; lines: string[] }>;
  /** Row key (group + name) → column → cell. */
  rows: Map<string, { group: string; name: string; cells: Map<string, Cell> }>;
}

interface SdkReport { kind: 'ovc-sdk-test'; language: string; sdk: { name: string; version: string; commit?: string; tag?: string }; target: string; date: string; build?: string; command?: string; tests: Array<{ name: string; status: string; why: string }> }
interface MatrixRow { key: string; label: string; counts: { pass: number; fail: number; skip: number; error: number }; state: string }

export function emptyTable(): Table {
  return { columns: new Map(), rows: new Map(), notes: new Map() };
}

function put(t: Table, group: string, name: string, column: string, cell: Cell): void {
  const key = `${group}\u0000${name}`;
  const row = t.rows.get(key) ?? { group, name, cells: new Map() };
  const old = row.cells.get(column);
  if (!old || old.date <= cell.date) row.cells.set(column, cell);
  t.rows.set(key, row);
  if ((t.columns.get(column) ?? '') < cell.date) t.columns.set(column, cell.date);
}

/** Adds one results file or run directory; throws a one-sentence error for anything else. */
export function addResults(t: Table, path: string, alias: ReadonlyMap<string, string> = new Map()): void {
  const col = (target: string): string => alias.get(target) ?? target;
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (statSync(path).isDirectory()) {
    const matrixFile = join(path, 'matrix.json');
    if (!existsSync(matrixFile)) throw new Error(`${path} is not an ovc run output directory (no matrix.json)`);
    const matrix = JSON.parse(readFileSync(matrixFile, 'utf8')) as { target: string; rows: MatrixRow[] };
    const summaryFile = join(path, 'summary.json');
    const date = existsSync(summaryFile) ? String((JSON.parse(readFileSync(summaryFile, 'utf8')) as { finishedAt?: string }).finishedAt ?? '') : '';
    for (const r of matrix.rows) {
      const n = r.counts.pass + r.counts.fail + r.counts.error;
      const verdict = n === 0 ? `not reached (${r.state})` : r.counts.fail + r.counts.error === 0 ? `pass (${r.counts.pass})` : `FAIL (${r.counts.fail + r.counts.error} of ${n})`;
      put(t, 'ovc run (DeleteVectorIndex suites)', r.label, col(matrix.target), { verdict, date });
    }
    return;
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as SdkReport;
  if (report.kind !== 'ovc-sdk-test') throw new Error(`${path} is neither an ovc sdk-test --json file nor an ovc run directory`);
  const rev = [report.sdk.tag, report.sdk.commit].filter(Boolean).join(', ');
  const group = `${report.sdk.name} ${report.sdk.version}${rev ? ` (${rev})` : ''}`;
  for (const test of report.tests) {
    const verdict = test.status === 'pass' ? (test.why ? 'pass*' : 'pass') : test.status.toUpperCase();
    put(t, group, test.name, col(report.target), { verdict, date: report.date });
  }
  const lines = [report.command ? `\`${report.command}\`` : '', report.build ?? ''].filter(Boolean);
  const old = t.notes.get(group);
  if (lines.length > 0 && (!old || old.date <= report.date)) t.notes.set(group, { date: report.date, lines });
}

function day(iso: string): string {
  return iso.slice(0, 10) || '?';
}

/** The markdown table; `validated` names targets that are real regions, with the date they were validated on. */
export function renderTable(t: Table, validated: ReadonlyMap<string, string> = new Map()): string {
  const cols = [...t.columns.keys()].sort();
  const head = cols.map((c) => (validated.has(c) ? `${c} (validated on ${validated.get(c)})` : `${c} (measured ${day(t.columns.get(c)!)})`));
  const lines = [`| suite | test / row | ${head.join(' | ')} |`, `|---|---|${cols.map(() => '---').join('|')}|`];
  const rows = [...t.rows.values()].sort((a, b) => a.group.localeCompare(b.group));
  for (const r of rows) lines.push(`| ${r.group} | ${r.name} | ${cols.map((c) => r.cells.get(c)?.verdict ?? '—').join(' | ')} |`);
  const notes = [...t.notes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, n]) => `- ${group}: ${n.lines.join('; ')}`);
  if (notes.length > 0) lines.push('', 'How each SDK was run:', '', ...notes);
  return `${lines.join('\n')}\n`;
}

function main(argv: string[]): number {
  const validated = new Map<string, string>();
  const alias = new Map<string, string>();
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--alias') {
      const m = /^(.+?)=(.+)$/.exec(argv[++i] ?? '');
      if (!m) { process.stderr.write('compat-table: --alias takes FROM=TO\n'); return 2; }
      alias.set(m[1]!, m[2]!);
    } else if (argv[i] === '--validated') {
      const m = /^(.+)=(\d{4}-\d{2}-\d{2})$/.exec(argv[++i] ?? '');
      if (!m) { process.stderr.write('compat-table: --validated takes TARGET=YYYY-MM-DD\n'); return 2; }
      validated.set(m[1]!, m[2]!);
    } else inputs.push(argv[i]!);
  }
  if (inputs.length === 0) { process.stderr.write('compat-table: give at least one ovc sdk-test --json file or ovc run output directory\n'); return 2; }
  const t = emptyTable();
  try {
    for (const p of inputs) addResults(t, p, alias);
  } catch (e) {
    process.stderr.write(`compat-table: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(renderTable(t, validated));
  return 0;
}

export { main as compatTableMain };
if (process.argv[1]?.endsWith('compat-table.ts')) process.exitCode = main(process.argv.slice(2));
