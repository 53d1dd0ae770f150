#!/usr/bin/env bash
# Installs what the editor suite (test/e2e) needs, the way docs/testing.md describes:
#   - VS Code 1.96.4 as the code-server 4.96.4 npm package, into a cache folder OUTSIDE the repository
#     ($MLH_E2E_CACHE, default ~/.cache/mlops-hygiene-e2e), reused when already complete;
#   - Debian's chromium (driven by playwright-core), ripgrep and libkrb5-dev (to rebuild code-server's native modules).
# code-server's own postinstall fetches from a git host and newer releases want Node 24, so the install is done by hand:
# scripts skipped, one git-URL dependency pointed at the registry, native modules rebuilt for this Node.
set -euo pipefail

CACHE="${MLH_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mlops-hygiene-e2e}"
CS_VERSION=4.96.4
DIR="$CACHE/code-server-$CS_VERSION"
STAMP="$DIR/.complete"

log() { printf '== e2e-setup: %s\n' "$*"; }

# 1. Debian packages, only those missing.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. code-server, cached.
if [ -f "$STAMP" ]; then
  log "code-server $CS_VERSION already in $DIR"
  exit 0
fi
log "installing code-server $CS_VERSION into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
printf '{"name":"mlh-e2e-vscode","private":true}\n' > package.json
npm install --no-audit --no-fund --ignore-scripts --loglevel=error "code-server@$CS_VERSION"

VS="$DIR/node_modules/code-server/lib/vscode"
# The shrinkwrap pins @vscode/proxy-agent to a git URL that is not reachable: use the registry tarball instead.
node -e '
  const fs = require("fs"); const f = process.argv[1];
  const j = JSON.parse(fs.readFileSync(f, "utf8"));
  const e = j.packages && j.packages["node_modules/@vscode/proxy-agent"];
  if (!e) throw new Error("no @vscode/proxy-agent entry in " + f);
  e.resolved = "https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz"; delete e.integrity;
  fs.writeFileSync(f, JSON.stringify(j, null, 2));
' "$VS/npm-shrinkwrap.json"

(cd "$VS" && npm install --no-audit --no-fund --omit=dev --ignore-scripts --loglevel=error)
(cd "$VS" && npm rebuild --loglevel=error node-pty @parcel/watcher @vscode/spdlog native-watchdog kerberos)
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VS" && ln -sfn node_modules node_modules.asar)
(cd "$VS/extensions" && npm install --no-audit --no-fund --omit=dev --ignore-scripts --loglevel=error && node ./postinstall.mjs)
npm rebuild --loglevel=error argon2

touch "$STAMP"
log "done"
