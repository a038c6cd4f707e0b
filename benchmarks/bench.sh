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

# One row: label, path[, connections] -> "| label | path | connections | rps | p50 | p99 | non-2xx/3xx |"
# Many connections measure throughput; one connection measures the latency of a single reader.
measure() {
  local label=$1 path=$2 connections=${3:-$CONNECTIONS}
  for _ in 1 2 3; do curl -fs -o /dev/null "$base$path"; done  # warm both workers and the cache
  local threads=$((connections < 2 ? 1 : 2))
  local out; out=$(wrk -t"$threads" -c"$connections" -d"$DURATION" --latency "$base$path")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$label" "$path" "$connections" "$rps" "$p50" "$p99" "$bad"
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
  # The latency target: one reader at a time, nothing cached.
  rows+=("$(measure "$1, generated comparison (uncached, one reader)" $GENERATED 1)")
  rows+=("$(measure "$1, role list (uncached, one reader)" /roles/ 1)")
  rows+=("$(measure "$1, search (uncached, one reader)" '/search/?q=project+manager' 1)")
  stop_server
}

log "Starter content"
run_size "starter"
log "Adding 1000 demo roles"
$PY manage.py seed_demo --roles 1000 -v0
GENERATED=/compare/$( $PY manage.py shell -v0 -c "from roles.models import Role; print('-vs-'.join(sorted(Role.objects.filter(slug__startswith='demo-').values_list('slug', flat=True)[:2])))" )/
run_size "1000 roles"

# Full O*NET size: a fresh database with the starter content and a synthetic release in the
# official layout of 1,016 occupations (tests/onet_release.py: about 57,000 alternate titles,
# 69,000 ratings), imported by import_onet, as a site with the real release would be.
log "A fresh database with a release-sized O*NET import"
rm -f "$work/bench.sqlite3"; rm -rf "$work/cache"
$PY manage.py migrate --noinput -v0
$PY manage.py load_starter_content -v0
$PY - "$work" <<'EOF_PY'
import sys
from pathlib import Path

sys.path.insert(0, ".")
from tests.onet_release import write_release

write_release(Path(sys.argv[1]) / "onet", 1016, as_zip=True)
EOF_PY
$PY manage.py import_onet "$(ls "$work"/onet/*.zip)" >"$work/import.log" 2>&1 \
  || { cat "$work/import.log"; echo "FAIL: import_onet"; exit 1; }
read -r GENERATED PROFILE TERM MOVES PLAN < <($PY manage.py shell -v0 -c "
from roles.models import Role
a, b = Role.objects.filter(source='onet').order_by('onet_code')[:2]
print('/compare/' + '-vs-'.join(sorted([a.slug, b.slug])) + '/', '/roles/' + a.slug + '/', a.name.split()[0].lower(),
      '/roles/' + a.slug + '/moves/', '/transitions/' + a.slug + '-to-' + b.slug + '/')")
ONET_SEARCH="/search/?q=$TERM"
log "O*NET-sized: $GENERATED $PROFILE $ONET_SEARCH"
run_size "full O*NET"
start_server 0
rows+=("$(measure "full O*NET, imported role profile (uncached, one reader)" "$PROFILE" 1)")
rows+=("$(measure "full O*NET, search for a title word (uncached, one reader)" "$ONET_SEARCH" 1)")
rows+=("$(measure "full O*NET, next moves from an imported role (uncached, one reader)" "$MOVES" 1)")
rows+=("$(measure "full O*NET, generated plan between two imported roles (uncached, one reader)" "$PLAN" 1)")
stop_server

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

# field N (4 = requests/s, 5 = p50) of the row whose label is $1
field() { printf '%s\n' "${rows[@]}" | awk -F' [|] ' -v label="| $1" -v n="$2" '$1 == label {print $n}'; }
ratio() { awk -v a="$(field "$1" 4)" -v b="$(field "$2" 4)" 'BEGIN {printf "%.0f", 100 * a / b}'; }
in_ms() { awk -v t="$1" 'BEGIN {v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[^m]s$/) v *= 1000; printf "%.1f", v}'; }

{
  echo "# Benchmarks"
  echo
  echo "Recorded by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m),"
  echo "$(free -g | awk '/^Mem:/ {print $2}') GiB, Python $($PY -c 'import platform; print(platform.python_version())'),"
  echo "gunicorn with 2 workers, SQLite, the on-disk cache; wrk for $DURATION per row on the same machine,"
  echo "with $CONNECTIONS connections (throughput) or 1 (the latency of one reader)."
  echo "Cached: anonymous page cache on (DJANGO_PAGE_CACHE_SECONDS=3600); uncached: off (0). Each"
  echo "worker's memo of rendered Markdown (roles/markdown.py) is on in both, as in production."
  echo
  echo "| run | path | connections | requests/s | p50 | p99 | non-2xx/3xx |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Targets"
  echo
  for size in starter "1000 roles" "full O*NET"; do
    echo "- $size: the cached seed comparison serves $(ratio "$size, seed comparison (cached)" "$size, healthz")% and the cached generated comparison $(ratio "$size, generated comparison (cached)" "$size, healthz")% of \`/healthz\`'s requests per second (target at least 60%)."
  done
  echo "- 1000 roles: one reader's uncached generated comparison takes $(in_ms "$(field "1000 roles, generated comparison (uncached, one reader)" 5)") ms at p50 (target under 25 ms)."
  echo "- full O*NET: one reader's uncached comparison of two imported occupations takes $(in_ms "$(field "full O*NET, generated comparison (uncached, one reader)" 5)") ms at p50 (no target yet)."
  echo "- full O*NET: one reader's uncached next moves take $(in_ms "$(field "full O*NET, next moves from an imported role (uncached, one reader)" 5)") ms and a generated plan $(in_ms "$(field "full O*NET, generated plan between two imported roles (uncached, one reader)" 5)") ms at p50 (target under 50 ms each)."
  echo
  echo "## Page weight"
  echo
  echo "- Seed comparison HTML: $html bytes (target under 40 KB)."
  echo "- CSS and JavaScript of a first visit: $assets_br bytes with brotli, $assets_gzip bytes with gzip (target under 60 KB compressed)."
  echo "- Assets: $(echo $assets | tr '\n' ' ')"
  echo "- No JavaScript is needed to use any page."
} > benchmarks/RESULTS.md
cat benchmarks/RESULTS.md
