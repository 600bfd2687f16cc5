#!/usr/bin/env bash
# The project's whole test run: type check, unit and integration tests (emulator, generators,
# reports, reliability, the fault-profile self-test), the pact consumer step, which writes the pact
# file, then verification and publishing, which read it. Closes with one plain "N passed, N failed,
# N skipped" line over all steps.
#
# The type check and the pact chain (consumer, then verification: that order is the only one the
# steps need) run beside the unit step, their output kept and printed after it: the unit step
# leaves ~0.4 of the machine's CPUs idle while its end-to-end tests wait on processes, and the
# three went one after another before (docs/performance.md, "CI time"). OVC_TEST_SERIAL=1 runs them
# one after another again, each started only when the one before passed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
OVC_TEST_TALLY="$(mktemp)"
export OVC_TEST_TALLY
logs="$(mktemp -d)"
side=()
finish() {
  for pid in "${side[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  rm -rf "$OVC_TEST_TALLY" "$logs"
}
trap finish EXIT
trap 'exit 130' INT TERM
status=0
bash scripts/ensure-chromium.sh
# dist/ once, before steps that would each build it on their own (test/global-build.ts).
node scripts/prepare.mjs

typecheck() { npx tsc --noEmit -p tsconfig.json; }
pact_chain() { npm run --silent test:pact:consumer && npm run --silent test:pact:verify; }

if [ "${OVC_TEST_SERIAL:-}" = 1 ]; then
  typecheck || status=1
  if [ "$status" = 0 ]; then npm run --silent test:unit || status=1; fi
  if [ "$status" = 0 ]; then pact_chain || status=1; fi
else
  # Each side step in a process group of its own, so that an interrupted run ends it whole.
  set -m
  typecheck >"$logs/typecheck" 2>&1 & side+=("$!")
  pact_chain >"$logs/pact" 2>&1 & side+=("$!")
  set +m
  npm run --silent test:unit || status=1
  for i in 0 1; do
    name=$([ "$i" = 0 ] && echo "type check" || echo "pact steps (consumer, then verification)")
    if wait "${side[$i]}"; then s=0; else s=$?; status=1; fi
    echo
    echo "── $name: $([ "$s" = 0 ] && echo passed || echo "FAILED (exit $s)") ──"
    cat "$logs/$([ "$i" = 0 ] && echo typecheck || echo pact)"
  done
  side=()
fi
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
const t = lines.reduce((a, x) => ({ passed: a.passed + x.passed, failed: a.failed + x.failed, skipped: a.skipped + x.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`\ntests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
' "$OVC_TEST_TALLY"
exit "$status"
