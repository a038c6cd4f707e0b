#!/usr/bin/env bash
# Load check: wrk with 64 connections for 30 seconds against `make serve` (gunicorn, production
# settings) on a loopback port, with SQLite and the starter content, over a mix of pages
# (benchmarks/load.lua). Prints requests/s and latency, and fails unless every answer was 2xx/3xx
# and no socket error (connect, read, write, timeout) happened. Every process it starts is stopped
# on exit; all traffic stays on 127.0.0.1.
# Usage: benchmarks/load.sh   (or make load; installs Debian's wrk with apt-get if missing)
# Knobs: LOAD_CONNECTIONS (64), LOAD_DURATION (30s), LOAD_THREADS (2), LOAD_TIMEOUT (10s),
#        WEB_CONCURRENCY (gunicorn workers; default: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
connections=${LOAD_CONNECTIONS:-64}
duration=${LOAD_DURATION:-30s}
threads=${LOAD_THREADS:-2}
timeout=${LOAD_TIMEOUT:-10s}
log() { printf '== %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "Installing Debian's wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "FAIL: wrk is missing and could not be installed (apt-get install wrk)." >&2
  exit 1
fi

work=$(mktemp -d -t cg-load-XXXX)
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true  # started as its own process group
    for _ in $(seq 50); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  if [ "$status" != 0 ] && [ -f "$work/server.log" ]; then
    echo "--- last lines of the server log"; tail -n 30 "$work/server.log"
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$work/load.sqlite3"
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_DEBUG=0
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-$(nproc)}
export DJANGO_LOG_LEVEL=WARNING
unset REDIS_URL DJANGO_HTTPS

log "Collecting static files, migrating a fresh SQLite database, loading the starter content"
make --no-print-directory static
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py load_starter_content

port=$(free_port)
setsid make --no-print-directory serve HOST=127.0.0.1 PORT="$port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do
  python3 - "$base/healthz" <<'PY' >/dev/null 2>&1 && break
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)
PY
  sleep 0.2
done
log "gunicorn ($WEB_CONCURRENCY workers) at $base"

# Every page of the mix answers 200 before the load starts: a typo must not pass as "load".
python3 - "$base" benchmarks/load.lua <<'PY'
import re, sys, urllib.request
base, script = sys.argv[1], open(sys.argv[2]).read()
pages = re.findall(r'^\s*"(/[^"]*)",', script, re.M)
for page in pages:
    with urllib.request.urlopen(base + page, timeout=10) as response:
        assert response.status == 200, (page, response.status)
print(f"PASS  {len(pages)} pages of the mix answer 200: {' '.join(pages)}")
PY

log "wrk -t$threads -c$connections -d$duration --timeout $timeout --latency (benchmarks/load.lua)"
wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$timeout" --latency \
  -s benchmarks/load.lua "$base" | tee "$work/wrk.txt"

result=$(grep '^RESULT ' "$work/wrk.txt")
value() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$result"; }
bad=$(( $(value non_2xx_3xx) ))
socket=$(( $(value connect) + $(value read) + $(value write) + $(value timeout) ))
echo
echo "Requests: $(value requests) in $(value duration_s) s, $(value rps) requests/s"
echo "Latency: p50 $(value p50_ms) ms, p90 $(value p90_ms) ms, p99 $(value p99_ms) ms, max $(value max_ms) ms"
echo "Non-2xx/3xx answers: $bad; socket errors: $socket (connect $(value connect), read $(value read), write $(value write), timeout $(value timeout))"
server_errors=$(grep -cE '" 5[0-9]{2} ' "$work/server.log" || true)
echo "Access log lines with a 5xx status: $server_errors"
if [ "$bad" = 0 ] && [ "$socket" = 0 ] && [ "$server_errors" = 0 ] && [ "$(value requests)" -gt 0 ]; then
  echo "LOAD: PASS"
else
  echo "LOAD: FAIL"
  exit 1
fi
