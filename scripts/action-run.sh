#!/usr/bin/env bash
# The script the composite GitHub Action (action.yml at the repository root) runs: turns the
# action's inputs into an `ovc run` command line, runs it, records its exit status as the step
# output `exit-code` and exits with it (0 conformant, 1 non-conformance, 2 could not run).
#
# `action-run.sh install` is the action's install step instead: ovc is always installed as a
# package, into a folder of its own ($OVC_ACTION_PREFIX, default $RUNNER_TEMP/ovc-install), and the
# step output `bin` names its installed bin — so what the action runs is what users install:
#   OVC_ACTION_VERSION empty  the action's own checkout ($OVC_ACTION_PATH): npm ci (which builds
#                             dist/), npm pack, and that tarball installed — never the sources;
#   OVC_ACTION_VERSION set    that npm spec (a version, dist-tag, tarball path or URL).
# With OVC_ACTION_DRY_RUN=1 it prints the npm commands instead of running them.
#
# Inputs come from environment variables that action.yml sets from `inputs.*` (never interpolated
# into the script text, so an input cannot inject shell code):
#   OVC_ACTION_ENDPOINT    --endpoint (empty: the embedded emulator)
#   OVC_ACTION_BUCKET      --bucket
#   OVC_ACTION_REGION      --region
#   OVC_ACTION_ACCOUNT_ID  --account-id
#   OVC_ACTION_STATE_HOOK  --state-hook
#   OVC_ACTION_BASELINE    --baseline
#   OVC_ACTION_RUNS        --runs (a whole number)
#   OVC_ACTION_STRICT      'true' → --strict; 'false' or empty → nothing
#   OVC_ACTION_OUT         --out (empty: ovc-reports)
# Empty inputs pass no flag, so ovc's own defaults apply.
# Credentials are not inputs: ovc reads OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and
# OSS_SESSION_TOKEN from the environment, which the calling step's `env:` provides.
#
# Also:
#   OVC_BIN                the command that is ovc, split on whitespace
#                          (default: npx --no-install ovc)
#   OVC_ACTION_DRY_RUN=1   print the final command line, one argument per line, and exit 0
#                          without running it
#   GITHUB_OUTPUT          when set, `exit-code=N` is appended to it
# Bad inputs: one line "ovc-action: …" on stderr and exit 2, without starting ovc.
set -euo pipefail

fail() {
  echo "ovc-action: $*" >&2
  record 2
  exit 2
}

record() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=$1" >>"$GITHUB_OUTPUT"
  fi
}

run() {
  if [ "${OVC_ACTION_DRY_RUN:-}" = 1 ]; then echo "$*"; else "$@"; fi
}

if [ "${1:-}" = install ]; then
  prefix="${OVC_ACTION_PREFIX:-${RUNNER_TEMP:-/tmp}/ovc-install}"
  spec="${OVC_ACTION_VERSION:-}"
  if [ -z "$spec" ]; then
    src="${OVC_ACTION_PATH:?OVC_ACTION_PATH must name the checkout of the action}"
    packdir="${RUNNER_TEMP:-/tmp}/ovc-pack"
    # typescript is a dev dependency (the build), hence --include=dev even under NODE_ENV=production.
    run npm ci --prefix "$src" --include=dev --no-audit --no-fund --loglevel error
    run mkdir -p "$packdir"
    # dist/ was just built by `prepare`; --ignore-scripts packs it without building it again.
    if [ "${OVC_ACTION_DRY_RUN:-}" = 1 ]; then
      echo "npm pack $src --ignore-scripts --pack-destination $packdir"
      spec="$packdir/oss-vectors-conformance-VERSION.tgz"
    else
      tarball="$(cd "$src" && npm pack --ignore-scripts --pack-destination "$packdir" --loglevel error | tail -n 1)"
      spec="$packdir/$tarball"
    fi
  else
    case "$spec" in
      oss-vectors-conformance@* | *:* | */* | *.tgz) ;;
      *) spec="oss-vectors-conformance@$spec" ;;
    esac
  fi
  run mkdir -p "$prefix"
  run npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel error "$spec"
  [ "${OVC_ACTION_DRY_RUN:-}" = 1 ] || [ -x "$prefix/node_modules/.bin/ovc" ] || fail "the install left no ovc in $prefix"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "bin=$prefix/node_modules/.bin/ovc" >>"$GITHUB_OUTPUT"; fi
  exit 0
fi

endpoint="${OVC_ACTION_ENDPOINT:-}"
bucket="${OVC_ACTION_BUCKET:-}"
region="${OVC_ACTION_REGION:-}"
account_id="${OVC_ACTION_ACCOUNT_ID:-}"
state_hook="${OVC_ACTION_STATE_HOOK:-}"
baseline="${OVC_ACTION_BASELINE:-}"
runs="${OVC_ACTION_RUNS:-}"
strict="${OVC_ACTION_STRICT:-}"
out="${OVC_ACTION_OUT:-}"
[ -n "$out" ] || out="ovc-reports"

if [ -n "$runs" ] && ! [[ "$runs" =~ ^[0-9]+$ ]]; then
  fail "input 'runs' must be a whole number, got '$runs'"
fi
case "$strict" in
  true | false | '') ;;
  *) fail "input 'strict' must be 'true' or 'false', got '$strict'" ;;
esac

read -r -a cmd <<<"${OVC_BIN:-npx --no-install ovc}"
[ "${#cmd[@]}" -gt 0 ] || fail "OVC_BIN is empty"
cmd+=(run)
[ -z "$endpoint" ] || cmd+=(--endpoint "$endpoint")
[ -z "$bucket" ] || cmd+=(--bucket "$bucket")
[ -z "$region" ] || cmd+=(--region "$region")
[ -z "$account_id" ] || cmd+=(--account-id "$account_id")
[ -z "$state_hook" ] || cmd+=(--state-hook "$state_hook")
[ -z "$baseline" ] || cmd+=(--baseline "$baseline")
[ -z "$runs" ] || cmd+=(--runs "$runs")
[ "$strict" != true ] || cmd+=(--strict)
cmd+=(--out "$out")

if [ "${OVC_ACTION_DRY_RUN:-}" = 1 ]; then
  printf '%s\n' "${cmd[@]}"
  exit 0
fi

status=0
"${cmd[@]}" || status=$?
record "$status"
exit "$status"
