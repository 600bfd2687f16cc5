#!/usr/bin/env node
// Entry point of the published `ovc` command: compiled to dist/cli/bin.js (`npm run build`, run by
// `prepare` and `prepack`). The development entry, cli/bin/ovc.mjs, runs the TypeScript sources
// through tsx instead.
import { keepBaselineWasm } from '../client/wasm-tiers.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';
keepBaselineWasm();
// Exit 1 means "the target does not conform" (docs/design.md): Node gives 1 to a process that died
// of an uncaught error too, and a gate would read ovc's own defect as a finding about the target. An
// uncaught exception or rejection (the main promise's included) exits 2, "could not run", instead.
// The monitor only observes: Node still prints the error and exits, and every exit handler
// (the suite child's kill, run/runner.ts) still runs.
let crashed = false;
process.on('uncaughtExceptionMonitor', () => {
  crashed = true;
  process.stderr.write('ovc: internal error: this is a defect of ovc, not a finding about the target (exit 2)\n');
});
process.on('exit', (code) => { if (crashed && code === 1) process.exitCode = 2; });
// `ovc run`: the suite child starts before the CLI loads, so its Node and vitest load beside it
// (run/runner.ts, SuiteChild.early).
if (process.argv[2] === 'run' && !process.argv.includes('--help') && !process.argv.includes('-h')) (await import('../run/runner.ts')).SuiteChild.early();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
