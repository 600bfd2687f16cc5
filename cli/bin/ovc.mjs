#!/usr/bin/env node
// Entry point of the `ovc` command: loads the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

process.env.PACT_DO_NOT_TRACK ??= 'true';
register();
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv);
