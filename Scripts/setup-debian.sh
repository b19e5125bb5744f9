#!/usr/bin/env bash
# Installs what Folio needs on Debian or Ubuntu, only when it is missing:
# OpenBLAS (BLAS + LAPACK, with cblas.h), LAPACK's Fortran prototypes (lapack.h, from
# liblapacke-dev) and pkg-config (which finds OpenBLAS for SwiftPM).
# Safe to run every time: it does nothing when everything is present.
#
#   Scripts/setup-debian.sh             # what the package needs to build and test
#   Scripts/setup-debian.sh --browser   # and headless Chromium (apt package chromium), for the
#                                       # HTML report's browser checks and Scripts/screenshots.sh
set -euo pipefail

packages=(libopenblas-dev liblapacke-dev pkg-config)
if [ "${1:-}" = "--browser" ]; then packages+=(chromium); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing ${missing[*]} ..." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
