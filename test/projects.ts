// Which of the project's test files share a test-file process (vitest `isolate: false`) and which
// get one of their own. Each file in a process of its own cost ~0.75 s of CPU (node, vitest's
// runtime, its imports compiled again): 84 files that start no process and touch no process-wide
// state took 93 s of CPU that way and 40 s sharing two processes (docs/performance.md, "CI time").
// A file shares only when its text shows none of what would leak into the next file of its process:
// starting processes (their waits are the long end-to-end files, which run on their own), vi.mock
// and stubbed globals, environment writes, worker environment data (client/pacing.ts reads it once
// per process), the global HTTP dispatcher, signal and exit handlers, fake timers, a changed cwd,
// the process's hold on requests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What a file must not contain to share a process with other files (a reason per alternative). */
export const PROCESS_WIDE = new RegExp([
  /\b(?:spawn|spawnSync|execFile|execFileSync|execSync|fork|runOvc|startRun)\(/.source, // processes
  /\bvi\.(?:mock|doMock|stubEnv|stubGlobal|useFakeTimers)\b/.source, // module mocks, stubs, fake timers
  /process\.env(?:\.\w+|\[[^\]]+\])\s*(?:=(?!=)|\?\?=|\|\|=)|delete process\.env/.source, // environment writes
  /\b(?:setEnvironmentData|setGlobalDispatcher)\(/.source, // worker data, the global dispatcher
  /process\.(?:on|once|chdir|exitCode\s*=)\b/.source, // handlers, cwd, exit code
  /trafficGauges\(\)\.hold\(/.source, // the process's request hold (client/gauges.ts): it is never lifted
  /chromium|playwright/.source, // a browser
].join('|'));

/** Every test file under `test/`, as a path relative to `root`. */
export function testFiles(root: string): string[] {
  const dir = join(root, 'test');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => relative(root, join(dir, f)).replace(/\\/g, '/'))
    .sort();
}

/** The test files that may share a process: none of PROCESS_WIDE in their text, and not a pact step's. */
export function sharedFiles(root: string): string[] {
  return testFiles(root).filter((f) => !f.startsWith('test/pact/') && !PROCESS_WIDE.test(readFileSync(join(root, f), 'utf8')));
}
