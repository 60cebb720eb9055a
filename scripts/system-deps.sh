#!/bin/sh
# System packages the test suite needs, installed only when missing (idempotent).
# Browser tests drive Debian's Chromium through Playwright; never a downloaded browser.
set -eu

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
else
    SUDO=""
fi
echo "installing Debian chromium for the browser tests"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
