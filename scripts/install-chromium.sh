#!/bin/sh
# Install Debian's chromium for the browser tests (tests/test_browser.py) when it is missing.
# Playwright drives this system browser; no browser is ever downloaded by Playwright.
# Only root can install it (CI runs `bash .ci/run` as root on a fresh clone); anyone else
# gets a note, and the browser tests skip with the same reason.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get):" \
         "tests/test_browser.py will be skipped. Install it with: apt-get install chromium" >&2
    exit 0
fi
echo "installing Debian's chromium for the browser tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-liberation fonts-dejavu-core </dev/null
