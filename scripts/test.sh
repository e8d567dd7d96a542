#!/usr/bin/env bash
# Every check CI runs, in order: lint, type-check, sample config, client build, all tests
# (installing Debian's Chromium for the end-to-end tests when it is missing and we may).
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

# The end-to-end tests drive Debian's Chromium. Needed unless only other projects were asked for.
needs_chromium=yes
if printf '%s\n' "$@" | grep -q -- '^--project'; then
  printf '%s\n' "$@" | grep -qE -- '(^|=)e2e$' || needs_chromium=no
fi
chromium="${CHATTIGO_CHROMIUM:-/usr/bin/chromium}"
if [ "$needs_chromium" = yes ] && [ ! -x "$chromium" ]; then
  step "Chromium for the end-to-end tests (Debian package chromium)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "The end-to-end tests need Chromium at $chromium: install Debian's package 'chromium'" \
      "(apt-get install chromium, as root), or set CHATTIGO_CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
fi

step "tests (unit, integration against real Synapse and PostgreSQL, end-to-end in Chromium, fault)"
report=test-artifacts/vitest-report.json
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [ -f "$report" ]; then node scripts/test-summary.ts "$report"; fi
exit "$status"
