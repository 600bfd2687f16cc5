#!/usr/bin/env bash
# The project's whole test run, in the order it needs: type check, unit and integration tests
# (emulator, generators, reports, reliability, the fault-profile self-test), then the pact
# consumer step, which writes the pact file, then verification and publishing, which read it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PACT_DO_NOT_TRACK=true
bash scripts/ensure-chromium.sh
npx tsc --noEmit -p tsconfig.json
npm run --silent test:unit
npm run --silent test:pact:consumer
npm run --silent test:pact:verify
