#!/usr/bin/env bash
# Builds the DocC documentation of every public module (or of the modules named) and fails if
# DocC prints any warning (a broken symbol link, an undocumented parameter in a documented
# list, an ambiguous reference).
#
#   Scripts/docc.sh                       # all seven modules
#   Scripts/docc.sh FolioRisk Folio       # some of them
#
# The docs plugin (swift-docc-plugin) is resolved only when SWIFT_DOCC is set (see the end of
# Package.swift), and this script builds in .build-docc so that it never invalidates .build.
# Archives land in .build-docc/plugins/Swift-DocC/outputs/<Module>.doccarchive.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    modules=(FolioLinearAlgebra FolioRisk FolioOptimization FolioRebalancing FolioFiles FolioReports Folio)
fi
status=0
for module in "${modules[@]}"; do
    log=$(mktemp)
    if ! SWIFT_DOCC=1 swift package --scratch-path .build-docc generate-documentation --target "$module" >"$log" 2>&1; then
        echo "$module: generate-documentation failed"; cat "$log"; status=1
    elif grep -q "^warning:" "$log"; then
        echo "$module: $(grep -c '^warning:' "$log") warning(s)"; grep -A8 "^warning:" "$log"; status=1
    else
        echo "$module: no warnings ($(grep -o 'Finished building documentation.*' "$log"))"
    fi
    rm -f "$log"
done
exit $status
