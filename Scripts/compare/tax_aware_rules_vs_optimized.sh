#!/bin/sh
# Rules plan versus tax-aware optimized plan over 1,000 seeded households (issue 15):
# prints the distribution of tax and tracking error saved and every case where the rules win.
# Usage: Scripts/compare/tax_aware_rules_vs_optimized.sh [COUNT]   (default 1000)
set -eu
cd "$(dirname "$0")/../.."
FOLIO_TAX_COMPARISON_COUNT="${1:-1000}" swift test --filter TaxAwareComparisonTests 2>&1 \
    | grep -E "tax-aware comparison|relaxed optimum|whole-share|tracking error saved|solver failure|rules win|passed|failed"
