#!/usr/bin/env bash
# Builds main.go (the official OSS Go SDK v2, unchanged) and runs DeleteVectorIndex against
# `pact stub` serving the ovc pact, one stub per provider state selected with -s alone.
#   bash docs/examples/go-sdk-against-stub/run.sh [PACT_FILE]      (from the project root)
# Without the Go module proxy, point go.mod at local copies first, e.g.
#   go mod edit -replace github.com/aliyun/alibabacloud-oss-go-sdk-v2=/path/to/sdk@v1.5.1-checkout
#   go mod edit -replace golang.org/x/time=/usr/share/gocode/src/golang.org/x/time   (Debian golang-golang-x-time-dev)
set -u
export PACT_DO_NOT_TRACK=true
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PACT=${1:-$ROOT/contracts/pacts/ovc-reference-client-oss-vectors.json}
PORT=${PORT:-18765}
DEMO=$(mktemp -d)/demo
(cd "$(dirname "$0")" && go build -o "$DEMO" .) || exit 2
run() { # state index-name
  setsid node "$ROOT/node_modules/@pact-foundation/pact-cli/bin/pact.js" stub -f "$PACT" -p "$PORT" -s "^$1\$" >/dev/null 2>&1 & pid=$!
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  printf '%-40s %-14s ' "-s '$1'" "$2"; "$DEMO" -stub "127.0.0.1:$PORT" -index "$2"
  kill -- "-$pid"; wait "$pid" 2>/dev/null
  while (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do sleep 0.1; done
}
run 'a vector index exists' exampleIndex
run 'a vector index in creating exists' exampleIndex
run 'a vector index in deleting exists' exampleIndex
run 'no vector index exists' exampleIndex
run 'no vector bucket exists' exampleIndex
run 'a vector bucket exists' invalid-name
