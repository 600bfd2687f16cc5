#!/usr/bin/env bash
# The project's whole test run: the type check and one vitest run of every test file (emulator,
# generators, reports, reliability, the fault-profile self-test, and the pact consumer,
# verification and publishing files), side by side. The vitest run is CPU-bound on two CPUs for
# most of its time and leaves CPU idle at its start and end: the type check (~18 s of CPU) and the
# pact files (~50 s) fill those stretches instead of running before and after it
# (docs/performance.md, "CI time"). No test of the pact files reads a file another writes
# (verification reads the checked-in pact, which the pact-file test proves current);
# `npm run test:unit`, `test:pact`, `test:pact:consumer` and `test:pact:verify` still run each part
# alone. Closes with one plain "N passed, N failed, N skipped" line over the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
OVC_TEST_TALLY="$(mktemp)"
TSC_OUT="$(mktemp)"
export OVC_TEST_TALLY
tsc_pid=""
trap 'if [ -n "$tsc_pid" ]; then kill "$tsc_pid" 2>/dev/null || true; fi; rm -f "$OVC_TEST_TALLY" "$TSC_OUT"' EXIT
status=0
bash scripts/ensure-chromium.sh
# The type check's output is held until the tests end, so it is not interleaved with theirs.
npx tsc --noEmit -p tsconfig.json > "$TSC_OUT" 2>&1 &
tsc_pid=$!
OVC_PACT_STEP=1 npx vitest run --config vitest.config.ts || status=1
if wait "$tsc_pid"; then echo "type check: passed"; else status=1; echo "type check: failed"; cat "$TSC_OUT"; fi
tsc_pid=""
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
const t = lines.reduce((a, x) => ({ passed: a.passed + x.passed, failed: a.failed + x.failed, skipped: a.skipped + x.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`\ntests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
' "$OVC_TEST_TALLY"
exit "$status"
