#!/usr/bin/env bash
# Every check CI runs, in order: lint, type-check, sample config, client build, all tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n==> %s\n' "$*"; }

step "Synapse (pinned, in a virtualenv)"
bash synapse/install.sh
step "lint"
npx eslint --max-warnings=0 .
step "type-check (every workspace)"
npm run --silent typecheck
step "sample config matches the schema"
node appservice/src/cli.ts sample-config --check
step "build the web client"
npm run --silent build --workspace client
step "tests (unit, integration against real Synapse and PostgreSQL)"
report=test-artifacts/vitest-report.json
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [ -f "$report" ]; then node scripts/test-summary.ts "$report"; fi
exit "$status"
