#!/usr/bin/env bash
# Runs the real-API crates' tests against the real servers, on 127.0.0.1,
# and records what they answered: the recordings `cargo test` replays.
#
# For each server: installs it at a pinned version (from PyPI or npm, under
# $WORK), starts it on a free port of 127.0.0.1, runs the binding crate's
# tests against it with RECORD=1 (each test writes
# examples/real-apis/<crate>/tests/recordings/<test>.json, credentials
# redacted), and stops it by PID. Then runs both crates' tests again with no
# server, replaying the new recordings. Exit 0 means every test passed, live
# and replayed; `git diff examples/real-apis/*/tests/recordings` shows what
# changed. The servers listen on 127.0.0.1 only; the only traffic beyond it
# is the package install.
#
# Servers: httpbin 0.10.2 (PyPI) under gunicorn 23.0.0, for `httpbin-sdk`;
# Verdaccio 6.8.0 (npm, on this machine's Node 20), for `npm-registry-sdk`.
#
# Environment: WORK (default a new /tmp/hacktron-real-apis.*), KEEP (0: delete WORK).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-$(mktemp -d /tmp/hacktron-real-apis.XXXXXX)}
KEEP=${KEEP:-0}
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until `url` answers, or fails after 30 s.
wait_for() {
    for _ in $(seq 300); do
        if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

echo "== httpbin 0.10.2 (PyPI), gunicorn 23.0.0"
python3 -m venv "$WORK/httpbin-venv"
"$WORK/httpbin-venv/bin/pip" install --quiet --disable-pip-version-check "httpbin==0.10.2" "gunicorn==23.0.0"
port=$(free_port)
"$WORK/httpbin-venv/bin/gunicorn" --bind "127.0.0.1:$port" --access-logfile "$WORK/httpbin-access.log" \
    httpbin:app >"$WORK/httpbin.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/get"
HTTPBIN_URL="http://127.0.0.1:$port" HTTPBIN_ACCESS_LOG="$WORK/httpbin-access.log" RECORD=1 \
    cargo test -p httpbin-sdk -- --test-threads 1
echo "== Verdaccio 6.8.0 (npm)"
mkdir -p "$WORK/verdaccio/storage"
(cd "$WORK/verdaccio" && npm install --silent --no-audit --no-fund --no-save "verdaccio@6.8.0" >/dev/null)
port=$(free_port)
# Only logged-in users may read or publish, but anybody may read `public-*`
# packages; no uplink: nothing leaves 127.0.0.1.
cat >"$WORK/verdaccio/config.yaml" <<YAML
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 1000
uplinks: {}
packages:
  'public-*':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
  '@*/*':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
YAML
(cd "$WORK/verdaccio" && exec node_modules/.bin/verdaccio --config ./config.yaml --listen "127.0.0.1:$port" \
    >"$WORK/verdaccio.log" 2>&1) &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/-/ping"
VERDACCIO_URL="http://127.0.0.1:$port" RECORD=1 cargo test -p npm-registry-sdk -- --test-threads 1
echo "== replaying the recordings, no server"
env -u HTTPBIN_URL -u HTTPBIN_ACCESS_LOG -u VERDACCIO_URL -u RECORD cargo test -p httpbin-sdk -p npm-registry-sdk
echo "== all real-API tests passed, live and replayed"
