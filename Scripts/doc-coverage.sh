#!/usr/bin/env bash
# Lists public declarations without a doc comment (swift-format's
# AllPublicDeclarationsHaveDocumentation rule); exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=$(swift format lint --configuration .swift-format-docs -r Sources 2>&1 | grep '\[AllPublicDeclarationsHaveDocumentation\]' || true)
if [ -n "$missing" ]; then echo "$missing"; echo "$(echo "$missing" | wc -l) undocumented public declarations"; exit 1; fi
echo "every public declaration is documented"
