#!/usr/bin/env bash
# Installs the pinned Synapse (synapse/requirements.txt) into a virtualenv and reuses it while the
# pins are unchanged. Usage: synapse/install.sh [VENV_DIR]   (default: .cache/synapse-venv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="${1:-${SYNAPSE_VENV:-$root/.cache/synapse-venv}}"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

fail() { echo "error: $*" >&2; exit 1; }

command -v "$python" >/dev/null 2>&1 ||
  fail "Python 3.10 or newer is needed for Synapse and '$python' was not found. Install python3 (Debian: apt-get install python3 python3-venv) or set PYTHON=/path/to/python3."
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
  fail "Synapse needs Python 3.10 or newer; '$python' is $("$python" -V 2>&1). Install a newer Python or set PYTHON=/path/to/python3."

want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   "$venv/bin/python" -c 'import synapse' 2>/dev/null; then
  echo "==> Synapse $("$venv/bin/python" -c 'import synapse; print(synapse.__version__)') already installed in $venv"
  exit 0
fi

echo "==> creating virtualenv $venv"
rm -rf "$venv"
"$python" -m venv "$venv" 2>/dev/null ||
  fail "could not create a virtualenv with '$python -m venv'. Install the venv module (Debian: apt-get install python3-venv)."
"$venv/bin/python" -m pip --version >/dev/null 2>&1 ||
  fail "pip is missing in the new virtualenv. Install pip for $python (Debian: apt-get install python3-pip python3-venv)."

echo "==> installing Synapse and its pinned dependencies ($(grep -c '==' "$req") packages); this takes a minute the first time"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar on -r "$req" ||
  fail "pip could not install synapse/requirements.txt (see the output above)."
echo "$want" > "$stamp"
echo "==> Synapse $("$venv/bin/python" -c 'import synapse; print(synapse.__version__)') installed in $venv"
