#!/usr/bin/env node
// Development entry of `ovc` (`npm run ovc -- …`, the tests): runs the TypeScript sources through
// tsx, no build step. The published bin is dist/cli/bin.js, compiled from cli/bin.ts.
import { register } from 'tsx/esm/api';

process.env.PACT_DO_NOT_TRACK ??= 'true';
register();
(await import('../../client/wasm-tiers.ts')).keepBaselineWasm();
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv);
