#!/usr/bin/env bash
# Load check: wrk with 64 connections for 30 seconds against `make serve` (gunicorn, production
# settings) on a loopback port, with SQLite and the starter content, over a mix of pages
# (benchmarks/load.lua). Prints requests/s and latency, and fails unless every answer was 2xx/3xx
# and no socket error (connect, read, write, timeout) happened. Every process it starts is stopped
# on exit; all traffic stays on 127.0.0.1.
# Usage: benchmarks/load.sh   (or make load; installs Debian's wrk with apt-get if missing)
# Knobs: LOAD_CONNECTIONS (64), LOAD_DURATION (30s), LOAD_THREADS (2), LOAD_TIMEOUT (10s),
#        WEB_CONCURRENCY (gunicorn workers; default: one per core),
#        LOAD_TARGET (gunicorn, or nginx: the mix goes through nginx in front of gunicorn,
#        deploy/nginx.conf, with DJANGO_SHARED_CACHE_SECONDS=1 unless set; then, in the same run,
#        wrk with LOAD_SIDE_CONNECTIONS (32) for LOAD_SIDE_DURATION (10s) on /healthz served by
#        gunicorn directly and on the seed comparison served by nginx: the second must reach
#        LOAD_MIN_RATIO (10) times the first).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
connections=${LOAD_CONNECTIONS:-64}
duration=${LOAD_DURATION:-30s}
threads=${LOAD_THREADS:-2}
timeout=${LOAD_TIMEOUT:-10s}
target=${LOAD_TARGET:-gunicorn}
case "$target" in
  gunicorn | nginx) ;;
  *) echo "FAIL: LOAD_TARGET is gunicorn or nginx, not '$target'" >&2; exit 1 ;;
esac
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

if [ "$target" = nginx ]; then
  scripts/ensure-nginx
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  if [ ! -x "$nginx_bin" ]; then
    echo "FAIL: nginx is missing and could not be installed (apt-get install nginx)." >&2
    exit 1
  fi
fi

work=$(mktemp -d -t cg-load-XXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true  # each was started as its own process group
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
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
if [ "$target" = nginx ]; then
  export DJANGO_SHARED_CACHE_SECONDS=${DJANGO_SHARED_CACHE_SECONDS:-1}
  export DJANGO_PROXY_COUNT=1
fi
unset REDIS_URL DJANGO_HTTPS

log "Collecting static files, migrating a fresh SQLite database, loading the starter content"
make --no-print-directory static
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py load_starter_content

port=$(free_port)
setsid make --no-print-directory serve HOST=127.0.0.1 PORT="$port" >"$work/server.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
for _ in $(seq 100); do
  python3 - "$base/healthz" <<'PY' >/dev/null 2>&1 && break
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)
PY
  sleep 0.2
done
log "gunicorn ($WEB_CONCURRENCY workers) at $base"
gunicorn_base=$base
if [ "$target" = nginx ]; then
  nginx_port=$(free_port)
  mkdir -p "$work/nginx"
  $PY manage.py nginx_config --upstream "127.0.0.1:$port" --listen "127.0.0.1:$nginx_port" \
    --cache-dir "$work/nginx/cache" --standalone "$work/nginx" >"$work/nginx/nginx.conf"
  setsid "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' \
    >"$work/nginx.log" 2>&1 &
  pids+=($!)
  base="http://127.0.0.1:$nginx_port"
  for _ in $(seq 50); do
    python3 - "$base/healthz" <<'PY' >/dev/null 2>&1 && break
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)
PY
    sleep 0.1
  done
  log "nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2) at $base in front of it (deploy/nginx.conf, DJANGO_SHARED_CACHE_SECONDS=$DJANGO_SHARED_CACHE_SECONDS)"
fi

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
status=0
if [ "$bad" = 0 ] && [ "$socket" = 0 ] && [ "$server_errors" = 0 ] && [ "$(value requests)" -gt 0 ]; then
  echo "LOAD: PASS"
else
  echo "LOAD: FAIL"
  status=1
fi

if [ "$target" = nginx ]; then
  side_connections=${LOAD_SIDE_CONNECTIONS:-32}
  side_duration=${LOAD_SIDE_DURATION:-10s}
  min_ratio=${LOAD_MIN_RATIO:-10}
  page=/compare/account-manager-vs-project-manager/
  side() {  # URL PAGE: wrk on one page; prints its RESULT line
    LOAD_PAGE=$2 wrk -t"$threads" -c"$side_connections" -d"$side_duration" --timeout "$timeout" \
      --latency -s benchmarks/load.lua "$1" | tee -a "$work/side.txt" | grep '^RESULT '
  }
  echo
  log "Side by side, same run: wrk -t$threads -c$side_connections -d$side_duration"
  healthz=$(side "$gunicorn_base" /healthz)
  cached=$(side "$base" "$page")
  statuses=$(python3 - "$base$page" <<'PY'
import sys, urllib.request
seen = []
for _ in range(3):
    with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
        seen.append(response.headers.get("X-Cache-Status", "none"))
print(" ".join(seen))
PY
)
  field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$2"; }
  echo "/healthz, gunicorn directly: $(field rps "$healthz") requests/s, p50 $(field p50_ms "$healthz") ms, non-2xx/3xx $(field non_2xx_3xx "$healthz")"
  echo "$page through nginx: $(field rps "$cached") requests/s, p50 $(field p50_ms "$cached") ms, non-2xx/3xx $(field non_2xx_3xx "$cached") (X-Cache-Status after: $statuses)"
  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.1f}')" \
    "$(field rps "$healthz")" "$(field rps "$cached")")
  echo "Ratio: $ratio (target at least $min_ratio)"
  side_bad=$(( $(field non_2xx_3xx "$healthz") + $(field non_2xx_3xx "$cached") ))
  if python3 -c "import sys; sys.exit(float(sys.argv[1]) < float(sys.argv[2]))" "$ratio" "$min_ratio" \
    && [ "$side_bad" = 0 ]; then
    echo "NGINX: PASS"
  else
    echo "NGINX: FAIL"
    status=1
  fi
fi
exit "$status"
