// Preloaded into every node process of a test run (NODE_OPTIONS=--require …, bench/ci-cpu.ts): at
// the process's exit, appends its pid, parent pid (at its start: an orphan's would be init's later), CPU time (user, system; all its threads), start
// and end (ms since the epoch) and command line to the file named by OVC_CPU_ACCT. vitest ends its test-file processes with SIGTERM:
// those (and only those) write their line on SIGTERM, then die of it as they would have. Processes
// killed with SIGKILL write nothing.
'use strict';
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');
const file = process.env.OVC_CPU_ACCT;
if (file && isMainThread) {
  const started = Date.now();
  const startPpid = process.ppid;
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    try {
      const u = process.cpuUsage();
      appendFileSync(file, `${JSON.stringify({ pid: process.pid, ppid: startPpid, userS: u.user / 1e6, systemS: u.system / 1e6, wallS: (Date.now() - started) / 1000, startMs: started, endMs: Date.now(), argv: process.argv.slice(1).join(' ').slice(0, 400) })}\n`);
    } catch { /* the run goes on without this line */ }
  };
  process.on('exit', write);
  if (/vitest[\\/]dist[\\/]workers/.test(process.argv[1] ?? '')) {
    process.once('SIGTERM', () => { write(); process.kill(process.pid, 'SIGTERM'); });
  }
}
