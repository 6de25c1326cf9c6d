#!/usr/bin/env bash
# Runs the packaged .vsix in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, driven by
# headless Chromium), offline. One fresh code-server, user-data-dir and workspace copy per check.
#
#   test/e2e/run.sh [--vsix PATH] [--mode mocha|ui|all] [--workspace DIR] [--spec FILE|JSON]
#                   [--suite FILE] [--out DIR] [--code-actions-on-save JSON] [--settings JSON]
#                   [--grep REGEX] [--keep] [--selfcheck]
#
#   --vsix PATH        the packaged extension (default $VIBEGUARD_E2E_VSIX or <repo>/vibeguard.vsix)
#   --mode M           mocha: the suite in the real extension host; ui: one check per spec entry,
#                      driven like a person; all (default): both
#   --workspace DIR    folder copied into each check and opened (default <repo>/sample-app)
#   --spec FILE|JSON   ui spec: a JSON file or JSON text, one object or an array of objects
#                      (default $VIBEGUARD_E2E_UI_SPEC, else test/e2e/ui-spec.json); format in README.md
#   --suite FILE       extensionTestsPath (default test/e2e/suite/index.js)
#   --out DIR          artefacts (default $VIBEGUARD_E2E_OUT or <repo>/test-results/e2e)
#   --code-actions-on-save JSON   sets editor.codeActionsOnSave for every check,
#                      e.g. '{"source.fixAll.vibeguard":"explicit"}'
#   --settings JSON    more user settings for every check
#   --grep REGEX       mocha mode: only tests whose full title matches
#   --keep             keep the run folder (logs, user-data-dirs, workspace copies) under /tmp
#   --update-media     copy the screenshots ui specs name in "media" into <repo>/media (README pictures)
#   --selfcheck        validate this harness with the demo extension from the shared recipe
#                      (/work/shared/realvscode/ext, or $VIBEGUARD_E2E_DEMO_EXT): builds and packages
#                      it in a temp dir, then runs all modes against it; nothing is written in the
#                      repo (artefacts in /tmp/vibeguard-e2e-selfcheck-out unless --out)
#
# Prints timings and "N passed, N failed"; exits 0 when every check passed, 1 otherwise
# (2 for bad usage). Env: VIBEGUARD_E2E_CACHE (see setup.sh), VIBEGUARD_E2E_CHECK_TIMEOUT
# (seconds per check, default 600), VIBEGUARD_E2E_MOCHA_TIMEOUT (seconds, default 300).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${VIBEGUARD_E2E_CACHE:-$HOME/.cache/vibeguard-e2e}"

VSIX="${VIBEGUARD_E2E_VSIX:-$REPO/vibeguard.vsix}"
MODE=all
WSRC="$REPO/sample-app"
SPEC="${VIBEGUARD_E2E_UI_SPEC:-$HERE/ui-spec.json}"
SUITE="$HERE/suite/index.js"
OUT="${VIBEGUARD_E2E_OUT:-$REPO/test-results/e2e}"
ON_SAVE=""
EXTRA_SETTINGS=""
GREP=""
KEEP=0
MEDIA_DIR=""
SELFCHECK=0
ARGS=("$@")

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --vsix) VSIX="$2"; shift 2 ;;
    --mode) MODE="$2"; shift 2 ;;
    --workspace) WSRC="$2"; shift 2 ;;
    --spec) SPEC="$2"; shift 2 ;;
    --suite) SUITE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --code-actions-on-save) ON_SAVE="$2"; shift 2 ;;
    --settings) EXTRA_SETTINGS="$2"; shift 2 ;;
    --grep) GREP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --update-media) MEDIA_DIR="$REPO/media"; shift ;;
    --selfcheck) SELFCHECK=1; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
case "$MODE" in mocha|ui|all) ;; *) echo "run.sh: --mode must be mocha, ui or all" >&2; exit 2 ;; esac

ts() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(ts)" 'BEGIN{printf "%.1f", b-a}'; }
say() { echo "[e2e] $*"; }
die() { echo "[e2e] ERROR: $*" >&2; exit 1; }
T_START=$(ts)

# ------------------------------------------------------------------ --selfcheck
if [ "$SELFCHECK" = 1 ]; then
  DEMO="${VIBEGUARD_E2E_DEMO_EXT:-/work/shared/realvscode/ext}"
  [ -e "$DEMO/package.json" ] || die "--selfcheck needs the recipe's demo extension at $DEMO (or set VIBEGUARD_E2E_DEMO_EXT)"
  SC="$(mktemp -d "${TMPDIR:-/tmp}/vibeguard-e2e-selfcheck.XXXXXX")"
  t=$(ts)
  node "$HERE/selfcheck/prepare.js" "$DEMO" "$SC" || die "selfcheck: preparing the demo failed"
  ( cd "$SC/ext"
    # The demo's build dependencies (esbuild, vsce, LSP libs, same versions) come from the repo.
    if node -e 'for (const m of ["esbuild","@vscode/vsce/package.json","vscode-languageclient/node","vscode-languageserver/node","vscode-languageserver-textdocument"]) require.resolve(m,{paths:[process.argv[1]]})' "$REPO" 2>/dev/null; then
      ln -s "$REPO/node_modules" node_modules
    else
      say "selfcheck: the repo's node_modules lacks the demo's build tools; npm install in $SC/ext"
      npm install --no-audit --no-fund >"$SC/npm-install.log" 2>&1 || { tail -20 "$SC/npm-install.log"; exit 1; }
    fi
    npm run -s build >"$SC/build.log" 2>&1 || { cat "$SC/build.log"; exit 1; }
    npx --no-install vsce package --no-dependencies -o "$SC/demo.vsix" >"$SC/vsce.log" 2>&1 || { cat "$SC/vsce.log"; exit 1; }
  ) || die "selfcheck: building the demo extension failed (logs in $SC)"
  say "selfcheck: demo extension built and packaged in $(since "$t") s: $SC/demo.vsix"
  rest=()
  for a in "${ARGS[@]}"; do [ "$a" = --selfcheck ] || rest+=("$a"); done
  set +e
  # Artefacts default to a temp folder (a later --out in the arguments wins).
  VIBEGUARD_E2E_SUITE_DIR="$SC/suite" "${BASH_SOURCE[0]}" --vsix "$SC/demo.vsix" --workspace "$SC/workspace" \
    --spec "$SC/ui-spec.json" --out "${TMPDIR:-/tmp}/vibeguard-e2e-selfcheck-out" "${rest[@]}"
  rc=$?
  set -e
  if [ "$KEEP" = 1 ]; then say "selfcheck files kept in $SC"; else rm -rf "$SC"; fi
  exit $rc
fi

# ------------------------------------------------------------------ inputs
"$HERE/setup.sh" | sed 's/^/  /' || die "setup.sh failed"
# shellcheck disable=SC1091
. "$CACHE/paths.env"
[ -f "$VSIX" ] || die "no .vsix at $VSIX (build it with 'npm run package', or pass --vsix)"
VSIX="$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")"
[ -d "$WSRC" ] || die "workspace folder $WSRC does not exist (pass --workspace)"
WSRC="$(cd "$WSRC" && pwd)"

SPECS=()
if [ "$MODE" != mocha ]; then
  # One compact JSON object per line; a spec may be a file or JSON text, an object or an array.
  spec_lines="$(node -e '
    const fs = require("fs"); const a = process.argv[1];
    let s;
    try { s = JSON.parse(a.trim().startsWith("{") || a.trim().startsWith("[") ? a : fs.readFileSync(a, "utf8")); }
    catch (e) { console.error(`ui spec ${a.slice(0, 200)}: ${e.message}`); process.exit(1); }
    const list = Array.isArray(s) ? s : [s];
    if (!list.length) { console.error("ui spec is empty"); process.exit(1); }
    list.forEach((x, i) => {
      if (!x || (x.flow !== "triage" && (typeof x.file !== "string" || typeof x.problem !== "string"))) { console.error(`ui spec entry ${i}: "file" and "problem" (strings) are required`); process.exit(1); }
      console.log(JSON.stringify(x));
    });' "$SPEC")" || die "no usable ui spec (--spec FILE|JSON, \$VIBEGUARD_E2E_UI_SPEC or $HERE/ui-spec.json); use --mode mocha to skip the ui checks"
  mapfile -t SPECS <<<"$spec_lines"
fi
if [ "$MODE" != ui ]; then
  [ -f "$SUITE" ] || die "no mocha suite entry at $SUITE"
  SUITE="$(cd "$(dirname "$SUITE")" && pwd)/$(basename "$SUITE")"
fi
node -e 'JSON.parse(process.argv[1] || "{}"); JSON.parse(process.argv[2] || "{}")' "$ON_SAVE" "$EXTRA_SETTINGS" 2>/dev/null \
  || die "--code-actions-on-save and --settings take JSON objects"

RUN="$(mktemp -d "${TMPDIR:-/tmp}/vibeguard-e2e-run.XXXXXX")"
# VS Code's IPC sockets go to $RUN/t<N>/vscode-ipc-<uuid>.sock: Unix socket paths end at 107 bytes.
[ ${#RUN} -le 50 ] || { rmdir "$RUN"; die "run folder path $RUN is too long for VS Code's IPC sockets; set TMPDIR to a shorter folder"; }
mkdir -p "$RUN/exts" "$RUN/install-ud" "$OUT"
OUT="$(cd "$OUT" && pwd)"
# code-server writes ~/.config/code-server/config.yaml and ~/.local/share/code-server otherwise.
export XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache"

PGIDS=()
kill_group() { # $1 = process-group id: TERM, wait until gone (max 5 s), then KILL
  local g="$1"
  [ -n "$g" ] || return 0
  kill -TERM -- "-$g" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$g" 2>/dev/null || true
}
cleanup() {
  local g
  for g in "${PGIDS[@]}"; do kill_group "$g"; done
  PGIDS=()
  if [ "$KEEP" = 1 ]; then echo "[e2e] run folder kept: $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ install the .vsix
t=$(ts)
mkdir -p "$RUN/t0"
TMPDIR="$RUN/t0" "$CS" --user-data-dir "$RUN/install-ud" --extensions-dir "$RUN/exts" --install-extension "$VSIX" >"$RUN/install-ext.log" 2>&1 || true
grep -q "successfully installed" "$RUN/install-ext.log" || { cat "$RUN/install-ext.log" >&2; die "code-server --install-extension $VSIX failed (engines.vscode must accept 1.100.3)"; }
T_INSTALL=$(since "$t")
read -r EXT_ID EXT_VERSION EXT_DIR < <(node -e '
  const fs = require("fs"), path = require("path"); const dir = process.argv[1];
  const list = JSON.parse(fs.readFileSync(path.join(dir, "extensions.json"), "utf8"));
  if (list.length !== 1) { console.error(`expected one installed extension, got ${list.length}`); process.exit(1); }
  const e = list[0];
  console.log(e.identifier.id, e.version, path.join(dir, e.relativeLocation || path.basename(e.location.path)));' "$RUN/exts") \
  || die "could not read $RUN/exts/extensions.json"
say "installed $EXT_ID $EXT_VERSION from $VSIX in $T_INSTALL s -> $EXT_DIR"

# ------------------------------------------------------------------ one check = one code-server
write_settings() { # $1 = file, $2 = per-check settings JSON
  # Base settings in settings.js (shared with electron-runner.js), then --code-actions-on-save,
  # --settings and the spec's own.
  node -e '
    const [file, base, onSave, extra, spec] = process.argv.slice(1);
    const s = { ...require(base) };
    if (onSave) s["editor.codeActionsOnSave"] = JSON.parse(onSave);
    Object.assign(s, JSON.parse(extra || "{}"));
    const sp = JSON.parse(spec || "{}");
    if (sp.codeActionsOnSave) s["editor.codeActionsOnSave"] = sp.codeActionsOnSave;
    Object.assign(s, sp.settings || {});
    require("fs").writeFileSync(file, JSON.stringify(s, null, 2));' "$1" "$HERE/settings.js" "$ON_SAVE" "$EXTRA_SETTINGS" "$2"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

declare -A R T_SERVER T_CHECK
CHECKS=()
run_check() { # $1 = name, $2 = driver mode, $3 = spec JSON (ui) or ""
  local name="$1" mode="$2" spec="$3"
  local dir="$RUN/$name" out="$OUT/$name" t tc port pgid rc
  CHECKS+=("$name")
  tc=$(ts)
  # A short TMPDIR per check: VS Code creates its IPC sockets (vscode-ipc-*.sock, which outlive
  # killed processes) and tsserver folders there, Chromium its org.chromium.* folders; a Unix
  # socket path must stay under 108 bytes.
  local tmp="$RUN/t${#CHECKS[@]}"
  rm -rf "$out"; mkdir -p "$out" "$dir/ud/User" "$dir/ws" "$dir/logs" "$tmp"
  cp -a "$WSRC/." "$dir/ws/"
  write_settings "$dir/ud/User/settings.json" "$spec"
  port="$(free_port)"
  echo
  say "---- $name (code-server on 127.0.0.1:$port)"
  t=$(ts)
  # bash -c 'echo $$' records the pid after setsid, i.e. the new process group's id (a plain
  # 'setsid cmd &' may fork, and then $! is not the group leader). Everything code-server starts
  # (extension host, language server) stays in that group and dies with it; code-server would
  # otherwise keep a disconnected window's extension host alive for 3 hours.
  env TMPDIR="$tmp" VIBEGUARD_E2E_WORKSPACE="$dir/ws" VIBEGUARD_E2E_EXTENSION_ID="$EXT_ID" VIBEGUARD_E2E_EXTENSION_DIR="$EXT_DIR" \
      VIBEGUARD_E2E_MOCHA_OUT="$out/mocha-results.json" VIBEGUARD_E2E_OUT="$out" VIBEGUARD_E2E_GREP="${GREP:-${VIBEGUARD_E2E_GREP:-}}" \
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/cs.pgid" "$CS" --bind-addr "127.0.0.1:$port" --auth none \
      --user-data-dir "$dir/ud" --extensions-dir "$RUN/exts" \
      --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
      "$dir/ws" >"$dir/logs/code-server.log" 2>&1 </dev/null &
  for _ in $(seq 1 300); do
    [ -s "$dir/cs.pgid" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
    sleep 0.1
  done
  pgid="$(cat "$dir/cs.pgid" 2>/dev/null || true)"; [ -n "$pgid" ] && PGIDS+=("$pgid")
  if ! curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    cat "$dir/logs/code-server.log" >&2
    say "code-server did not answer on port $port within 30 s"
    R[$name]=FAIL
  else
    T_SERVER[$name]=$(since "$t")
    set +e
    env TMPDIR="$tmp" CS_URL="http://127.0.0.1:$port" WS="$dir/ws" OUT="$out" PLAYWRIGHT_DIR="$PLAYWRIGHT_DIR" UI_SPEC="$spec" MEDIA_DIR="$MEDIA_DIR" \
        EXT_DEV="$EXT_DIR" EXT_TESTS="$SUITE" MOCHA_TIMEOUT_MS="$(( ${VIBEGUARD_E2E_MOCHA_TIMEOUT:-300} * 1000 ))" \
      timeout -k 10 "${VIBEGUARD_E2E_CHECK_TIMEOUT:-600}" \
      setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/drive.pgid" node "$HERE/drive.js" "$mode" 2>&1 | tee "$out/drive.log"
    rc=${PIPESTATUS[0]}
    set -e
    # Anything the driver left behind (a browser after a crash) is in its own group.
    kill_group "$(cat "$dir/drive.pgid" 2>/dev/null || true)"
    [ "$rc" = 124 ] && say "$name: timed out after ${VIBEGUARD_E2E_CHECK_TIMEOUT:-600} s"
    if [ "$rc" = 0 ]; then R[$name]=PASS; else R[$name]=FAIL; fi
  fi
  kill_group "$pgid"
  # Keep the logs with the artefacts: code-server's, and VS Code's (extension host, language
  # server output channels) from the user-data-dir.
  cp "$dir/logs/code-server.log" "$out/" 2>/dev/null || true
  [ -d "$dir/ud/logs" ] && cp -r "$dir/ud/logs" "$out/vscode-logs"
  T_CHECK[$name]=$(since "$tc")
  say "$name: ${R[$name]} in ${T_CHECK[$name]} s (server ready in ${T_SERVER[$name]:-?} s)"
}

if [ "$MODE" != ui ]; then run_check mocha mocha ""; fi
if [ "$MODE" != mocha ]; then
  i=0
  for spec in "${SPECS[@]}"; do
    i=$((i + 1))
    slug="$(node -e 'const s=JSON.parse(process.argv[1]); console.log((s.name || s.file || s.flow).toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"").slice(0,60))' "$spec")"
    run_check "ui-$i-$slug" ui "$spec"
  done
fi

# ------------------------------------------------------------------ report
echo
say "timings (s): install .vsix $T_INSTALL"
for c in "${CHECKS[@]}"; do
  extra="$(node -e '
    const fs = require("fs"), d = process.argv[1];
    const rd = (f) => { try { return JSON.parse(fs.readFileSync(d + "/" + f, "utf8")); } catch { return null; } };
    const m = rd("mocha-results.json"), u = rd("drive-ui.json"), k = rd("drive-mocha.json");
    const p = [];
    if (m) p.push(`mocha tests: ${m.passed.length} passed, ${m.failed.length} failed${m.pending && m.pending.length ? `, ${m.pending.length} pending` : ""}` + (m.loadError ? " (load error)" : ""));
    if (k && k.timings && k.timings.testsExited) p.push(`page load -> suite done ${k.timings.testsExited} ms`);
    const tj = rd("timings.json");
    if (tj) p.push("timings: " + Object.entries(tj).map(([k, v]) => `${k} ${v.median !== undefined ? `median ${v.median} ms (${v.min}-${v.max}, n=${v.n})` : v.ms !== undefined ? `${v.ms} ms` : JSON.stringify(v)}`).join(", "));
    if (u && u.spec && u.spec.flow === "triage") { const t = u.timings;
      p.push(`workbench ${t.workbenchReady} ms` + (t.scanCancelled ? `, scan cancelled ${t.scanCancelled - t.scanProgressShown} ms after the notification showed` : "") +
        `, scan ${u.scanMs} ms (${(u.scanMessage || "").split("\n")[0]})` + (u.acceptedFlashMs !== undefined ? `, ${u.insertedBy} -> accepted-code flash ${u.acceptedFlashMs} ms, squiggle ${u.acceptedSquiggleMs} ms` : ""));
    } else if (u && u.timings) { const t = u.timings;
      p.push(`workbench ${t.workbenchReady} ms` + (t.squiggle ? `, open -> squiggle ${t.squiggle - t.editorOpen} ms` : "") +
        (t.problemsPanel ? `, -> Problems ${t.problemsPanel - t.editorOpen} ms` : "") +
        (t.quickFixMenu ? `, Ctrl+. -> menu ${t.quickFixMenu - (t.lightBulb || t.problemsPanel)} ms` + (u.quickFixAttempts > 1 ? ` (${u.quickFixAttempts} attempts)` : "") : "") +
        (t.savedToDisk ? `, saved ${t.savedToDisk - (t.quickFixApplied || t.problemsPanel)} ms` : "")); }
    if (u && u.error) p.push("error: " + u.error.split("\n")[0].slice(0, 300));
    console.log(p.join("; "));' "$OUT/$c")"
  printf '    %-40s %-4s server %5s  check %6s  %s\n' "$c" "${R[$c]}" "${T_SERVER[$c]:-?}" "${T_CHECK[$c]}" "$extra"
  if [ -f "$OUT/$c/mocha-results.json" ]; then
    node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); for (const f of m.failed) console.log("      FAILED: " + f.title + "\n        " + f.error.split("\n").slice(0,3).join("\n        ")); if (m.loadError) console.log("      " + m.loadError.split("\n")[0])' "$OUT/$c/mocha-results.json"
  fi
done
npass=0; nfail=0
for c in "${CHECKS[@]}"; do if [ "${R[$c]}" = PASS ]; then npass=$((npass + 1)); else nfail=$((nfail + 1)); fi; done
node -e '
  const [file, vsix, id, version, total, ...rest] = process.argv.slice(1);
  const checks = {}; for (let i = 0; i < rest.length; i += 3) checks[rest[i]] = { result: rest[i + 1], seconds: +rest[i + 2] };
  require("fs").writeFileSync(file, JSON.stringify({ vsix, extension: id, version, seconds: +total, checks }, null, 2));' \
  "$OUT/summary.json" "$VSIX" "$EXT_ID" "$EXT_VERSION" "$(since "$T_START")" \
  $(for c in "${CHECKS[@]}"; do echo "$c ${R[$c]} ${T_CHECK[$c]}"; done)
say "artefacts: $OUT (per check: screenshots, drive.log, drive-*.json, code-server.log, vscode-logs/)"
say "total $(since "$T_START") s"
echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
