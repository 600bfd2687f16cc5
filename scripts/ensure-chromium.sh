#!/usr/bin/env bash
# The HTML report's browser test needs Debian's chromium (no browser downloads work here).
# Installs it when missing and this user may; otherwise the browser test reports itself skipped.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the report's browser test…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; the browser test will be skipped" >&2
else
  echo "chromium is not installed and this user cannot install it; the browser test will be skipped" >&2
fi
exit 0
