#!/usr/bin/env bash
# Scale-out check: one PostgreSQL, one Redis and two instances of `make serve` on loopback ports,
# with nginx in front of both (deploy/nginx.conf). A reader signs in and bookmarks on instance A
# and is the same reader, bookmark included, on B; an editor's change made through A's admin is
# served by B at once; nginx balances the two, caches anonymous pages for
# DJANGO_SHARED_CACHE_SECONDS (1 here), lets signed-in readers past its cache, and shows an edit
# within that second. Prints PASS/FAIL per check and exits non-zero on any failure. Every process
# it starts is stopped on exit.
# Usage: benchmarks/scaleout.sh   (or make scaleout; installs redis-server and nginx with apt-get
# if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL first: scripts/with-postgres starts a throwaway cluster and runs us inside it.
if [[ "${DATABASE_URL:-}" != postgres* ]]; then
  exec scripts/with-postgres "$0" "$@"
fi

PY=.venv/bin/python
log() { printf '== %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "Installing Debian's redis-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "FAIL: redis-server is missing and could not be installed (apt-get install redis-server)." >&2
  exit 1
fi

scripts/ensure-nginx
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx_bin" ]; then
  echo "FAIL: nginx is missing and could not be installed (apt-get install nginx)." >&2
  exit 1
fi

work=$(mktemp -d -t cg-scaleout-XXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true  # each was started as its own process group
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- last lines of $f"; tail -n 20 "$f"; }; done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

redis_port=$(free_port)
setsid redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$redis_port (no persistence)"

export DATABASE_URL
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_DEBUG=0
export DJANGO_SHARED_CACHE_SECONDS=${DJANGO_SHARED_CACHE_SECONDS:-1}
export DJANGO_PROXY_COUNT=1  # nginx appends the client's address to X-Forwarded-For
unset DJANGO_HTTPS

log "Collecting static files (once, for both instances)"
make --no-print-directory static
log "Migrating and loading the starter content"
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py load_starter_content
editor_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')
DJANGO_SUPERUSER_PASSWORD=$editor_password $PY manage.py createsuperuser --noinput \
  --username scaleout-editor --email editor@example.invalid
# Two-factor sign-in is on (debug is off): the editor has an authenticator app, whose key the
# check uses to compute its codes, as the app would.
editor_totp_key=$($PY manage.py shell -v0 -c '
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
device = TOTPDevice.objects.create(user=User.objects.get(username="scaleout-editor"), name="app", confirmed=True)
print(device.key)')

port_a=$(free_port)
port_b=$(free_port)
for name in a b; do
  port_var="port_$name"
  setsid make --no-print-directory serve HOST=127.0.0.1 PORT="${!port_var}" \
    >"$work/instance-$name.log" 2>&1 &
  pids+=($!)
done
log "Instances: A on 127.0.0.1:$port_a, B on 127.0.0.1:$port_b (same DATABASE_URL, REDIS_URL, secret)"

port_proxy=$(free_port)
mkdir -p "$work/nginx"
$PY manage.py nginx_config --upstream "127.0.0.1:$port_a" --upstream "127.0.0.1:$port_b" \
  --listen "127.0.0.1:$port_proxy" --cache-dir "$work/nginx/cache" --standalone "$work/nginx" \
  >"$work/nginx/nginx.conf"
setsid "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' \
  >"$work/nginx.log" 2>&1 &
pids+=($!)
log "nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$port_proxy in front of A and B (deploy/nginx.conf; DJANGO_SHARED_CACHE_SECONDS=$DJANGO_SHARED_CACHE_SECONDS)"

status=0
$PY benchmarks/scaleout_check.py "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" \
  --editor scaleout-editor --editor-password "$editor_password" --editor-totp-key "$editor_totp_key" \
  --redis-port "$redis_port" --proxy "http://127.0.0.1:$port_proxy" \
  --instance-logs "$work/instance-a.log" "$work/instance-b.log" \
  --shared-seconds "$DJANGO_SHARED_CACHE_SECONDS" || status=1

# Readiness follows the shared parts: with Redis gone, both instances stop claiming to be ready.
log "Stopping Redis: both instances must answer /readyz with 503"
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
sleep 0.5
for port in "$port_a" "$port_b"; do
  answer=$(python3 - "$port" <<'PY'
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=10) as r:
        print(r.status, r.read().decode().strip())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode().strip())
PY
)
  if [ "$answer" = "503 cache unavailable" ]; then
    echo "PASS  without Redis, 127.0.0.1:$port/readyz answers: $answer"
  else
    echo "FAIL  without Redis, 127.0.0.1:$port/readyz answers: $answer (expected 503)"
    status=1
  fi
done

if [ "$status" = 0 ]; then
  echo "SCALE-OUT: PASS"
else
  echo "SCALE-OUT: FAIL"
fi
exit "$status"
