// Start-up of the `ovc` command, compiled (dist/cli/bin.js, the published bin) against the tsx
// development entry (cli/bin/ovc.mjs): wall time and peak RSS of `ovc --help`, `ovc --version`
// and `ovc run --runs 5` (embedded emulator), plus the size of the npm tarball.
// Peak RSS comes from the child itself (process.resourceUsage().maxRSS at exit, via --import).
//   npx tsx bench/cli-startup.ts [--reps 10] [--no-build]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, numArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { build } from './lib/servers.ts';
import { fmtSummary, summarize, type Summary } from './lib/stats.ts';

const REPS = Math.max(5, numArg('reps', 10));
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nOVC_MAXRSS_KIB='+process.resourceUsage().maxRSS+'\\n'))`;
const ENTRIES = { dist: join(ROOT, 'dist', 'cli', 'bin.js'), tsx: join(ROOT, 'cli', 'bin', 'ovc.mjs') } as const;

function once(entry: string, args: string[], cwd: string): { ms: number; rssMiB: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, entry, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${entry} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /OVC_MAXRSS_KIB=(\d+)/.exec(r.stderr);
  return { ms, rssMiB: m ? Number(m[1]) / 1024 : NaN };
}

if (!flag('no-build')) build();
const work = mkdtempSync(join(tmpdir(), 'ovc-startup-'));
const commands: Array<{ name: string; args: string[]; reps: number }> = [
  { name: 'ovc --help', args: ['--help'], reps: REPS },
  { name: 'ovc --version', args: ['--version'], reps: REPS },
  { name: 'ovc run --runs 5', args: ['run', '--runs', '5', '--quiet', '--out', join(work, 'out')], reps: 5 },
];
const results: Record<string, Record<string, { wallMs: Summary; rssMiB: Summary }>> = {};
try {
  for (const c of commands) {
    results[c.name] = {};
    const samples: Record<string, Array<{ ms: number; rssMiB: number }>> = { dist: [], tsx: [] };
    once(ENTRIES.dist, c.args, work); // warm the file cache
    once(ENTRIES.tsx, c.args, work);
    for (let i = 0; i < c.reps; i++) for (const k of (i % 2 ? ['tsx', 'dist'] : ['dist', 'tsx']) as Array<keyof typeof ENTRIES>) samples[k]!.push(once(ENTRIES[k], c.args, work));
    for (const k of ['dist', 'tsx']) results[c.name]![k] = { wallMs: summarize(samples[k]!.map((s) => s.ms)), rssMiB: summarize(samples[k]!.map((s) => s.rssMiB)) };
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ size: number; unpackedSize: number; entryCount: number }>;
const tarball = { bytes: pack[0]!.size, unpackedBytes: pack[0]!.unpackedSize, files: pack[0]!.entryCount };
console.log(table(['command', 'entry', 'wall ms median (min–max, spread)', 'peak RSS MiB median (min–max)'], Object.entries(results).flatMap(([name, r]) =>
  Object.entries(r).map(([k, s]) => [name, k === 'dist' ? 'dist/cli/bin.js' : 'cli/bin/ovc.mjs (tsx)', fmtSummary(s.wallMs), fmtSummary(s.rssMiB, 1)]))));
const help = results['ovc --help']!.dist!;
console.log(`\nnpm tarball: ${(tarball.bytes / 1024).toFixed(1)} KiB packed, ${(tarball.unpackedBytes / 1024).toFixed(1)} KiB unpacked, ${tarball.files} files (target < 5 MiB: ${tarball.bytes < 5 * 2 ** 20 ? 'met' : 'NOT met'})`);
console.log(`ovc --help (dist): ${help.wallMs.median.toFixed(0)} ms (target < 150 ms: ${help.wallMs.median < 150 ? 'met' : 'NOT met'}), ${help.rssMiB.median.toFixed(1)} MiB (target < 60 MiB: ${help.rssMiB.median < 60 ? 'met' : 'NOT met'})`);
console.log(`\nwritten ${writeResult('cli-startup', { settings: { reps: REPS }, results, tarball })}`);
