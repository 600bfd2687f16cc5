#!/usr/bin/env node
// Entry point of the published `ovc` command: compiled to dist/cli/bin.js (`npm run build`, run by
// `prepare` and `prepack`). The development entry, cli/bin/ovc.mjs, runs the TypeScript sources
// through tsx instead.
import { keepBaselineWasm } from '../client/wasm-tiers.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';
keepBaselineWasm();
// `ovc run`: the suite child starts before the CLI loads, so its Node and vitest load beside it
// (run/runner.ts, SuiteChild.early).
if (process.argv[2] === 'run' && !process.argv.includes('--help') && !process.argv.includes('-h')) (await import('../run/runner.ts')).SuiteChild.early();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
