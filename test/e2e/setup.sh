#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the packaged .vsix in a real VS Code, offline
# (npm registry and Debian apt only). Idempotent: a second run checks and returns in about a second.
#
#   test/e2e/setup.sh            install what is missing, print what was done and how long it took
#
# What it installs and why (see test/e2e/README.md for the whole picture):
#   apt  chromium     the browser that shows code-server's workbench (driven by playwright-core)
#        ripgrep      stands in for @vscode/ripgrep's download, which needs the internet
#        libkrb5-dev  headers for code-server's native 'kerberos' module (built from source)
#   npm  code-server  VS Code's workbench + Node extension host; 4.100.3 = VS Code 1.100.3, the
#                     newest release whose postinstall accepts Node 20. Installed into the cache.
#   playwright-core   taken from the repository's node_modules (devDependency); installed into the
#                     cache only when the repository does not have it.
#
# Env: VIBEGUARD_E2E_CACHE (default ~/.cache/vibeguard-e2e), VIBEGUARD_E2E_CS_VERSION (4.100.3),
#      VIBEGUARD_E2E_PLAYWRIGHT_VERSION (1.64.1, only for the fallback install).
# Writes $CACHE/paths.env (CS=..., PLAYWRIGHT_DIR=...) for run.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${VIBEGUARD_E2E_CACHE:-$HOME/.cache/vibeguard-e2e}"
CS_VERSION="${VIBEGUARD_E2E_CS_VERSION:-4.100.3}"
PW_VERSION="${VIBEGUARD_E2E_PLAYWRIGHT_VERSION:-1.64.1}"

ts() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(ts)" 'BEGIN{printf "%.1f", b-a}'; }
say() { echo "[setup] $*"; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

mkdir -p "$CACHE/logs"
LOG="$CACHE/logs/setup-$(date +%Y%m%d-%H%M%S).log"
: >"$LOG"
T0=$(ts)
did=()

# ------------------------------------------------------------------ 1. Debian packages
t=$(ts)
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${need[*]}; run as root or: sudo apt-get install ${need[*]}"
  # Refresh the package lists only when they are missing or older than a day.
  if ! find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | grep -q .; then
    say "apt-get update"
    apt-get update >>"$LOG" 2>&1 || die "apt-get update failed (log: $LOG)"
  fi
  say "apt-get install ${need[*]} (chromium is ~350 MB; about a minute)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >>"$LOG" 2>&1 \
    || { tail -20 "$LOG" >&2; die "apt-get install ${need[*]} failed (log: $LOG)"; }
  did+=("apt: installed ${need[*]} in $(since "$t") s")
else
  did+=("apt: chromium, ripgrep, libkrb5-dev already present")
fi
command -v chromium >/dev/null 2>&1 || die "chromium still missing after apt-get install"

# ------------------------------------------------------------------ 2. code-server
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')" || die "node not found on PATH"
CSDIR="$CACHE/code-server-$CS_VERSION"
CS="$CSDIR/node_modules/.bin/code-server"
STAMP="$CSDIR/.installed"
WANT_STAMP="code-server@$CS_VERSION node$NODE_MAJOR"
t=$(ts)
if [ -x "$CS" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT_STAMP" ]; then
  did+=("code-server $CS_VERSION: cached in $CSDIR")
else
  # Native modules are built for one Node ABI: a stamp from another Node means reinstall.
  say "installing code-server@$CS_VERSION into $CSDIR (builds native modules; 1-3 min)"
  rm -rf "$CSDIR"; mkdir -p "$CSDIR"
  (
    set -euo pipefail
    cd "$CSDIR"
    npm init -y >/dev/null 2>&1
    npm pack "code-server@$CS_VERSION" --pack-destination "$CSDIR" >>"$LOG" 2>&1 \
      || die "npm pack code-server@$CS_VERSION failed: is the npm registry reachable? (log: $LOG)"
    # code-server's postinstall accepts exactly one Node major; say so before a long failing build.
    WANT_NODE=$(tar xzf code-server-*.tgz -O package/package.json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=(JSON.parse(s).engines||{}).node||"";console.log((e.match(/\d+/)||[""])[0])})')
    if [ -n "$WANT_NODE" ] && [ "$WANT_NODE" != "$NODE_MAJOR" ]; then
      die "code-server@$CS_VERSION needs Node $WANT_NODE, this machine runs Node $NODE_MAJOR ($(command -v node)). 4.100.3 is the newest for Node 20."
    fi
    # @vscode/ripgrep's postinstall downloads rg from GitHub (fails offline after ~30 s and aborts
    # the install). It first looks in $TMPDIR/vscode-ripgrep-cache-<pkg version>/<asset>: seed that
    # with Debian's rg. Versions are read from the packages. TMPDIR points into the cache so the
    # seed survives reboots and /tmp cleaners.
    export TMPDIR="$CACHE/tmp"; mkdir -p "$TMPDIR"
    RG_PKG=$(tar xzf code-server-*.tgz -O package/lib/vscode/npm-shrinkwrap.json 2>/dev/null \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const p=JSON.parse(s).packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")}catch{console.log("")}})')
    if [ -n "$RG_PKG" ]; then
      npm pack "@vscode/ripgrep@$RG_PKG" --pack-destination "$CSDIR" >>"$LOG" 2>&1 || die "npm pack @vscode/ripgrep@$RG_PKG failed (log: $LOG)"
      RG_TAG=$(tar xzf vscode-ripgrep-*.tgz -O package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';/\1/p")
      [ -n "$RG_TAG" ] || die "could not read the ripgrep release tag from @vscode/ripgrep@$RG_PKG"
      case "$(uname -m)" in
        x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
        aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
        *) die "unsupported architecture $(uname -m)" ;;
      esac
      RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG"
      mkdir -p "$RG_CACHE" "$CSDIR/rgtmp"; cp "$(command -v rg)" "$CSDIR/rgtmp/rg"
      tar czf "$RG_CACHE/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$CSDIR/rgtmp" rg
      rm -rf "$CSDIR/rgtmp"
      echo "seeded $RG_CACHE/ripgrep-$RG_TAG-$RG_TARGET.tar.gz with $(command -v rg)" >>"$LOG"
    fi
    rm -f "$CSDIR"/*.tgz
    # As root, code-server's postinstall refuses without unsafe_perm; node-pty's postinstall runs
    # 'npx node-gyp', which this machine's npmrc (yes=false) cancels without npm_config_yes.
    npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" >>"$LOG" 2>&1 \
      || { tail -40 "$LOG" >&2; die "npm install code-server@$CS_VERSION failed (log: $LOG)"; }
  )
  [ -x "$CS" ] || die "code-server binary missing after install: $CS"
  echo "$WANT_STAMP" >"$STAMP"
  did+=("code-server $CS_VERSION: installed in $(since "$t") s")
fi
# code-server writes ~/.config/code-server/config.yaml and ~/.local/share/code-server even for
# --version: keep that in the cache.
CS_SAYS="$(XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data" XDG_CACHE_HOME="$CACHE/xdg/cache" "$CS" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -1 || true)"
[[ "$CS_SAYS" == "$CS_VERSION "* ]] || die "code-server does not start: '$CS --version' printed '$CS_SAYS' (delete $CSDIR and rerun)"

# ------------------------------------------------------------------ 3. playwright-core, mocha
t=$(ts)
if PW_PKG=$(node -e 'console.log(require.resolve("playwright-core/package.json",{paths:[process.argv[1]]}))' "$REPO" 2>/dev/null); then
  PLAYWRIGHT_DIR="$(dirname "$(dirname "$PW_PKG")")"
  did+=("playwright-core $(node -p "require('$PW_PKG').version"): from the repository ($PLAYWRIGHT_DIR)")
else
  PLAYWRIGHT_DIR="$CACHE/playwright/node_modules"
  if [ ! -e "$PLAYWRIGHT_DIR/playwright-core/package.json" ]; then
    say "playwright-core not in $REPO/node_modules: installing playwright-core@$PW_VERSION into the cache"
    mkdir -p "$CACHE/playwright"
    (cd "$CACHE/playwright" && { [ -e package.json ] || npm init -y >/dev/null 2>&1; } \
      && npm install --no-audit --no-fund "playwright-core@$PW_VERSION" >>"$LOG" 2>&1) \
      || die "npm install playwright-core@$PW_VERSION failed (log: $LOG)"
    did+=("playwright-core $PW_VERSION: installed into the cache in $(since "$t") s")
  else
    did+=("playwright-core: cached in $PLAYWRIGHT_DIR")
  fi
fi
node -e 'require.resolve("mocha",{paths:[process.argv[1]]})' "$REPO/test/e2e/suite" 2>/dev/null \
  || say "WARNING: mocha is not resolvable from $REPO/test/e2e/suite (run npm ci in $REPO); the mocha mode needs it"

cat >"$CACHE/paths.env" <<EOF
CS='$CS'
CS_VERSION='$CS_VERSION'
PLAYWRIGHT_DIR='$PLAYWRIGHT_DIR'
EOF

for d in "${did[@]}"; do say "$d"; done
say "chromium: $(chromium --version 2>/dev/null | head -1)"
[ -s "$LOG" ] || { rm -f "$LOG"; LOG="none, nothing installed"; }
say "done in $(since "$T0") s (cache $CACHE, $(du -sh "$CACHE" 2>/dev/null | cut -f1); log: $LOG)"
