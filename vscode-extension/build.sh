#!/usr/bin/env bash
# Builds the extension from a clean checkout: install the locked deps, run the unit tests, package the .vsix.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --prefer-offline
npm test
npm run package
test -s mlops-adapt.vsix
echo "built $(pwd)/mlops-adapt.vsix"
