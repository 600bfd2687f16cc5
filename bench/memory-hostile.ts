// Peak memory of `ovc run` against each hostile target of issue 25 §4, at the default --runs unless
// said: `npx tsx bench/memory-hostile.ts <path to dist/cli/bin.js> [mode …]`. Prints, per target,
// exit code, seconds, peak RSS of the whole process tree (sum over /proc, sampled every 50 ms) and
// the size of each report file. A run still going after --limit-s (default 300) is killed and said so.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_ENV, startHostileTarget, type HostileMode } from '../test/safety/hostile-target.ts';
import { sampleTree } from '../test/safety/tree-memory.ts';

const bin = process.argv[2]!;
const limitArg = process.argv.indexOf('--limit-s');
const limitMs = (limitArg > 0 ? Number(process.argv[limitArg + 1]) : 300) * 1000;
const CASES: Array<{ mode: HostileMode; args: string[] }> = [
  { mode: 'binary', args: ['--runs', '100'] },
  { mode: 'gzip-bomb', args: [] },
  { mode: 'huge', args: [] },
  { mode: 'all-500', args: [] },
  { mode: 'all-200', args: [] },
  { mode: 'trickle', args: ['--timeout-ms', '2000', '--tags', '404-no-such-vector-index'] },
];
const wanted = process.argv.slice(3).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--limit-s');
const chosen = CASES.filter((c) => wanted.length === 0 || wanted.includes(c.mode));

for (const c of chosen) {
  const t = await startHostileTarget(c.mode);
  const d = mkdtempSync(join(tmpdir(), 'ovc-mem-'));
  const out = join(d, 'out');
  const started = Date.now();
  const child = spawn(process.execPath, [bin, 'run', '--endpoint', t.url, '--state-hook', t.hookUrl, '--out', out, '--state-dir', join(d, 'state'), '--quiet', ...c.args],
    { env: { ...process.env, ...HOSTILE_ENV, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (x) => { err += x; });
  const sampler = sampleTree(child.pid!, 50);
  let killed = false;
  const killer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, limitMs);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(killer);
  const peak = sampler.stop();
  const files = existsSync(out) ? readdirSync(out).filter((f) => !f.startsWith('.')).map((f) => `${f} ${(statSync(join(out, f)).size / 1e6).toFixed(2)} MB`).join(', ') : 'none';
  const last = err.trim().split('\n').filter((l) => l.startsWith('ovc')).slice(-1)[0]?.slice(0, 200) ?? '';
  console.log(`${c.mode} ${c.args.join(' ') || '(default --runs)'}: ${killed ? `killed after ${limitMs / 1000} s` : `exit ${code}`} in ${((Date.now() - started) / 1000).toFixed(1)} s, peak tree RSS ${peak} MiB (per process ${sampler.peaksByProcess().join(' + ')}); ${files}\n    ${last}`);
  await t.close();
}
process.exit(0);
