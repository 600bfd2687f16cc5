// The project's own test run, two ways, alternating in the checkout (CI=true, as .ci/run sets it):
//   steps     the type check, then `npm run test:unit`, then `npm run test:pact`, one after the other
//             (what `npm test`, scripts/test.sh, runs);
//   one run   the type check beside one vitest run of every file, the pact files included (tried in
//             the ninth round and dropped: docs/performance.md §0, "Ninth round").
// Wall time and the CPU of the whole tree (bash's `times`), and whether it passed. Each variant runs
// the same 1,200 tests; a failing round is reported, not dropped.
//   npx tsx bench/test-steps.ts [--rounds 2] [--name test-steps]
import { numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { timedShell } from './lib/shell.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(1, numArg('rounds', 2));
const NAME = strArg('name', 'test-steps');

const VARIANTS = {
  steps: 'npx tsc --noEmit -p tsconfig.json && npm run --silent test:unit && npm run --silent test:pact',
  'one run': 'node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json > /dev/null 2>&1 & t=$!; OVC_PACT_STEP=1 npx vitest run --config vitest.config.ts; v=$?; wait $t && (exit $v)',
} as const;
type Variant = keyof typeof VARIANTS;
interface Sample { wallS: number; cpuS: number; exit: number }

function measure(command: string): Sample {
  const r = timedShell(command, { cwd: ROOT, env: { ...process.env, CI: 'true', PACT_DO_NOT_TRACK: 'true' } });
  return { wallS: r.wallMs / 1000, cpuS: r.cpuMs / 1000, exit: r.exit };
}

const samples: Record<Variant, Sample[]> = { steps: [], 'one run': [] };
for (let r = 0; r < ROUNDS; r++) {
  const order: Variant[] = r % 2 ? ['one run', 'steps'] : ['steps', 'one run'];
  for (const v of order) {
    const s = measure(VARIANTS[v]);
    samples[v].push(s);
    console.log(`round ${r + 1}, ${v}: ${s.wallS.toFixed(1)} s wall, ${s.cpuS.toFixed(1)} s CPU, exit ${s.exit}`);
  }
}
const rows = (Object.keys(VARIANTS) as Variant[]).map((v) => [v, fmtSummary(summarize(samples[v].map((s) => s.wallS)), 1), fmtSummary(summarize(samples[v].map((s) => s.cpuS)), 1), samples[v].map((s) => s.exit).join(' ')]);
console.log(table(['variant', 'wall s', 'CPU s', 'exit'], rows));
console.log(writeResult(NAME, { settings: { rounds: ROUNDS }, commands: VARIANTS, samples }));
