// The reliability table's figures for one build of ovc: `npx tsx bench/hostile-targets.ts <path to dist/cli/bin.js> [new]`
// (`new` passes --state-dir, which older builds lack). Runs it against the hostile loopback targets of
// test/safety/ (10 MB bodies, a trickled body, 500 to everything) and kills -9 its parent mid-run
// against a slow one; prints exit, wall, peak RSS of the process tree, rows reached, what was left.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostileTarget, HOSTILE_ENV } from '../test/safety/hostile-target.ts';
import { descendants, alive } from '../test/safety/processes.ts';
const bin = process.argv[2]!;
const extraFlags = process.argv[3] === 'new' ? (d: string) => ['--state-dir', join(d, 'state')] : () => [];
function rss(pid: number): number { let s = 0; for (const p of [pid, ...descendants(pid)]) { try { s += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch {} } return s; }
async function one(mode: string, args: string[], limitMs = 200_000) {
  const t = await startHostileTarget(mode as never);
  const d = mkdtempSync(join(tmpdir(), 'ba-'));
  const started = Date.now();
  const c = spawn('node', [bin, 'run', '--endpoint', t.url, '--state-hook', t.hookUrl, '--out', join(d, 'out'), '--quiet', ...extraFlags(d), ...args], { env: { ...process.env, ...HOSTILE_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = ''; c.stderr.on('data', (x) => err += x); c.stdout.on('data', () => {});
  let peak = 0; const iv = setInterval(() => { peak = Math.max(peak, rss(c.pid!)); }, 100);
  const killer = setTimeout(() => c.kill('SIGKILL'), limitMs);
  const code = await new Promise((r) => c.on('close', r));
  clearInterval(iv); clearTimeout(killer);
  const rf = join(d, 'out', 'results.jsonl');
  let rows = '-';
  const mf = join(d, 'out', 'matrix.json');
  if (existsSync(mf)) rows = (JSON.parse(readFileSync(mf, 'utf8')).rows as Array<{ label: string; reached: boolean }>).filter((r) => r.reached).map((r) => r.label).join('; ') || 'none';
  console.log(`${mode} ${args.join(' ')}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s, peak tree RSS ${Math.round(peak / 1024)} MiB, results.jsonl ${existsSync(rf) ? statSync(rf).size : 'none'} bytes, rows reached: ${rows}; last stderr: ${err.trim().split('\n').filter((l) => !l.startsWith('  ')).slice(-1)[0]?.slice(0, 160)}`);
  await t.close();
}
await one('huge', ['--runs', '20']);
await one('trickle', ['--runs', '2', '--timeout-ms', '2000', '--tags', '404-no-such-vector-index'], 150_000);
await one('all-500', ['--runs', '5']);
// kill -9 of the parent against a slow target
{
  const t = await startHostileTarget('faithful', { latencyMs: [150, 250], creatingMs: [200, 600], deletingMs: [200, 600] });
  const d = mkdtempSync(join(tmpdir(), 'ba-'));
  const c = spawn('node', [bin, 'run', '--endpoint', t.url, '--state-hook', t.hookUrl, '--out', join(d, 'out'), '--quiet', '--tags', 'lifecycle || 404-no-such-vector-index', '--runs', '200', ...extraFlags(d)], { env: { ...process.env, ...HOSTILE_ENV }, stdio: 'ignore' });
  let tree: number[] = [];
  for (let i = 0; i < 400; i++) { tree = descendants(c.pid!); if (tree.length && (await t.indexes()).some((n) => /^ovc/.test(n))) break; await new Promise((r) => setTimeout(r, 25)); }
  c.kill('SIGKILL'); const at = Date.now();
  await new Promise((r) => setTimeout(r, 3000));
  const seen = new Set(tree); for (const p of tree) for (const x of descendants(p)) seen.add(x);
  const live = [...seen].filter(alive);
  const late = t.requestTimes.filter((x) => x > at + 2000).length;
  await new Promise((r) => setTimeout(r, 5000));
  const later = t.requestTimes.filter((x) => x > at + 3000).length;
  console.log(`kill -9 parent: ${live.length} process(es) of the run alive 3 s after; ${late} request(s) 2–3 s after, ${later} more in the 5 s after that; run indexes on the target 8 s after: ${JSON.stringify((await t.indexes()).filter((n) => /^ovc/.test(n)))}`);
  for (const p of live) { try { process.kill(p, 'SIGKILL'); } catch {} }
  await t.close();
}
process.exit(0);
