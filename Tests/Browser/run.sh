#!/usr/bin/env bash
# Browser tests: headless Chromium (Debian's chromium + chromium-driver) through Selenium (PyPI)
# against a live `coursemesh serve` with real course data and a course titled
# `<script>alert(1)</script>`. Screenshots go to Tests/artifacts/browser/.
# Usage: Tests/Browser/run.sh [path/to/coursemesh]   (default .build/debug/coursemesh)
set -uo pipefail
cd "$(dirname "$0")/../.."
. Tests/Support/packages.sh

require_packages chromium chromium-driver || exit 1
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium >/dev/null || {
  echo "could not install selenium from PyPI (python3 -m pip install selenium)" >&2; exit 1; }
exec python3 Tests/Browser/browser_test.py "$@"
