#!/usr/bin/env bash
# make bench: requests per second and p50/p99 latency of key pages under wrk, at starter size and
# at 1000 roles, plus page weight; writes benchmarks/RESULTS.md. Uses gunicorn with production
# settings (as make serve) on a throwaway SQLite database and cache; everything stops on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
log() { printf '== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "Installing Debian's wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
command -v wrk >/dev/null 2>&1 || { echo "FAIL: wrk is missing (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d -t cg-bench-XXXX)
server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=""; }
trap 'stop_server; rm -rf "$work"' EXIT

export DJANGO_SECRET_KEY=bench-only-not-secret DJANGO_MANIFEST_STATIC=1
export DATABASE_URL="sqlite:///$work/bench.sqlite3" DJANGO_CACHE_DIR="$work/cache"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_LEVEL=WARNING
$PY manage.py migrate --noinput -v0
$PY manage.py load_starter_content -v0
[ -f var/static/staticfiles.json ] || $PY manage.py collectstatic --noinput --verbosity 0
port=$(free_port)
base="http://127.0.0.1:$port"

start_server() {  # $1: page cache seconds (0 = off)
  DJANGO_PAGE_CACHE_SECONDS=$1 .venv/bin/gunicorn careerguide.wsgi --bind "127.0.0.1:$port" \
    --workers 2 --no-control-socket --log-level warning >"$work/gunicorn.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "FAIL: gunicorn did not start"; cat "$work/gunicorn.log"; exit 1
}

# One row: label, path -> "| label | rps | p50 | p99 | non-2xx/3xx |"
measure() {
  local label=$1 path=$2
  curl -fs -o /dev/null "$base$path"  # warm the cache and the process
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$base$path")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  printf '| %s | `%s` | %s | %s | %s | %s |\n' "$label" "$path" "$rps" "$p50" "$p99" "$bad"
}

SEED=/compare/account-manager-vs-project-manager/
GENERATED=/compare/business-analyst-vs-scrum-master/
rows=()
run_size() {  # $1: size label
  start_server 3600
  rows+=("$(measure "$1, healthz" /healthz)")
  rows+=("$(measure "$1, seed comparison (cached)" $SEED)")
  rows+=("$(measure "$1, generated comparison (cached)" $GENERATED)")
  rows+=("$(measure "$1, role list (cached)" /roles/)")
  rows+=("$(measure "$1, search (cached)" '/search/?q=project+manager')")
  rows+=("$(measure "$1, guide (cached)" /transitions/account-manager-to-project-manager/)")
  stop_server
  start_server 0
  rows+=("$(measure "$1, generated comparison (uncached)" $GENERATED)")
  rows+=("$(measure "$1, role list (uncached)" /roles/)")
  rows+=("$(measure "$1, search (uncached)" '/search/?q=project+manager')")
  stop_server
}

log "Starter content"
run_size "starter"
log "Adding 1000 demo roles"
$PY manage.py seed_demo --roles 1000 -v0
GENERATED=/compare/$( $PY manage.py shell -v0 -c "from roles.models import Role; print('-vs-'.join(sorted(Role.objects.filter(slug__startswith='demo-').values_list('slug', flat=True)[:2])))" )/
run_size "1000 roles"

# Page weight: the comparison's HTML, and the CSS and JS a first visit downloads (compressed).
start_server 3600
html=$(curl -fs "$base$SEED" | wc -c)
assets=$(curl -fs "$base$SEED" | grep -oE '(href|src)="/static/[^"]+\.(css|js)"' | sed -E 's/.*"(\/static\/[^"]+)"/\1/')
assets_gzip=0; assets_br=0
for asset in $assets; do
  assets_gzip=$((assets_gzip + $(curl -fs -H 'Accept-Encoding: gzip' "$base$asset" | wc -c)))
  assets_br=$((assets_br + $(curl -fs -H 'Accept-Encoding: br' "$base$asset" | wc -c)))
done
stop_server

{
  echo "# Benchmarks"
  echo
  echo "Recorded by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m),"
  echo "$(free -g | awk '/^Mem:/ {print $2}') GiB, Python $($PY -c 'import platform; print(platform.python_version())'),"
  echo "gunicorn with 2 workers, SQLite, the on-disk cache; wrk -t2 -c$CONNECTIONS -d$DURATION on the same machine."
  echo "Cached: anonymous page cache on (DJANGO_PAGE_CACHE_SECONDS=3600); uncached: off (0)."
  echo
  echo "| run | path | requests/s | p50 | p99 | non-2xx/3xx |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Page weight"
  echo
  echo "- Seed comparison HTML: $html bytes (target under 40 KB)."
  echo "- CSS and JavaScript of a first visit: $assets_br bytes with brotli, $assets_gzip bytes with gzip (target under 60 KB compressed)."
  echo "- Assets: $(echo $assets | tr '\n' ' ')"
  echo "- No JavaScript is needed to use any page."
} > benchmarks/RESULTS.md
cat benchmarks/RESULTS.md
