#!/usr/bin/env node
// Entry point of the published `ovc` command: compiled to dist/cli/bin.js (`npm run build`, run by
// `prepare` and `prepack`). The development entry, cli/bin/ovc.mjs, runs the TypeScript sources
// through tsx instead.
import { keepBaselineWasm } from '../client/wasm-tiers.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';
keepBaselineWasm();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
