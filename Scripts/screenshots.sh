#!/usr/bin/env bash
# Regenerates Documentation/Screenshots/report.png (1400 px wide), report-phone.png (390 px)
# and report.pdf (printed by Chromium) from the report of the README's first command (the
# sample household 'couple'), by running the HTML report's browser checks with
# FOLIO_SCREENSHOTS_DIR set (Tests/FolioCLITests/ReportBrowserTests.swift); the checks must
# pass for the files to be written as they are.
#
#   Scripts/screenshots.sh
#
# Needs headless Chromium at /usr/bin/chromium: installs it with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/setup-debian.sh --browser
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium after setup" >&2; exit 1; }
FOLIO_SCREENSHOTS_DIR=Documentation/Screenshots swift test --filter ReportBrowserTests
ls -l Documentation/Screenshots/report.png Documentation/Screenshots/report-phone.png Documentation/Screenshots/report.pdf
