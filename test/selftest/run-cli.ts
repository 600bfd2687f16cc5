// Runs the real `ovc` command in a child process, as a user would — the compiled package's bin,
// built fresh by test/global-build.ts — and reads what it wrote.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from '../../reports/model.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled `ovc`; OVC_TEST_BIN runs the same tests against another build (e.g. an earlier commit's, to show a test failing there). */
export const OVC = process.env.OVC_TEST_BIN ?? join(ROOT, 'dist', 'cli', 'bin.js');

export interface CliRun { code: number | null; stdout: string; stderr: string; results: CaseResult[] }

export function runOvc(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OVC, ...args], {
      cwd: ROOT,
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`ovc ${args.join(' ')} timed out\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const outIdx = args.indexOf('--out');
      const file = outIdx >= 0 ? join(args[outIdx + 1]!, 'results.jsonl') : '';
      const results = file && existsSync(file)
        ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaseResult)
        : [];
      resolve({ code, stdout, stderr, results });
    });
  });
}
