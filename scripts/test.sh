#!/usr/bin/env bash
# The project's whole test run, in the order it needs: type check, unit and integration tests
# (emulator, generators, reports, reliability, the fault-profile self-test), then the pact tests:
# the consumer step's and the verification and publishing step's files in one vitest run (their
# tests write no file the others read: verification reads the checked-in pact, which the consumer
# step's pact-file test proves current; `npm run test:pact:consumer` and `test:pact:verify` run
# each step alone). Closes with one plain "N passed, N failed, N skipped" line over all steps.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
OVC_TEST_TALLY="$(mktemp)"
export OVC_TEST_TALLY
trap 'rm -f "$OVC_TEST_TALLY"' EXIT
status=0
bash scripts/ensure-chromium.sh
npx tsc --noEmit -p tsconfig.json || status=1
if [ "$status" = 0 ]; then npm run --silent test:unit || status=1; fi
if [ "$status" = 0 ]; then npm run --silent test:pact || status=1; fi
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
const t = lines.reduce((a, x) => ({ passed: a.passed + x.passed, failed: a.failed + x.failed, skipped: a.skipped + x.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`\ntests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
' "$OVC_TEST_TALLY"
exit "$status"
