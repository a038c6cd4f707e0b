#!/usr/bin/env bash
# make bench: requests per second and p50/p99 latency of key pages under wrk, at starter size and
# with a release-sized O*NET import, cached and uncached, plus worker memory, import time and page
# weight; writes benchmarks/RESULTS.md. Uses gunicorn with production
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
GUIDE=/transitions/account-manager-to-project-manager/
rows=()
notes=()

# The pages measured at each size, as "label path" lines; set by pages_for below.
declare -a PAGES

# A worker's resident memory after the run: the largest of gunicorn's workers, in MiB.
worker_rss() {
  local most=0 pid kb
  for pid in $(pgrep -P "$server_pid" || true); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$most" ] && most=$kb
  done
  awk -v kb="$most" 'BEGIN {printf "%.0f", kb / 1024}'
}

# The paths of one size: the comparisons, a role profile, the role list, search by another title
# the role goes by, a guide, a role's career moves and a generated plan (those two where the
# site has them: a page that does not answer 200 is noted, not measured).
pages_for() {  # $1: size label
  local generated profile title moves plan
  read -r generated profile title moves plan < <($PY manage.py shell -v0 -c "
from urllib.parse import quote_plus
from roles.models import Guide, Role, RoleTitle
onet = list(Role.objects.filter(source='onet', published=True).order_by('onet_code')[:2])
if len(onet) == 2:
    a, b = onet
    titles = RoleTitle.objects.filter(role=a).exclude(title__iexact=a.name).order_by('title')
    title = titles.values_list('title', flat=True).first() or a.name
else:
    a, b = Role.objects.get(slug='business-analyst'), Role.objects.get(slug='scrum-master')
    titled = Role.objects.filter(published=True).exclude(alternative_titles='').order_by('slug')
    title = titled[0].alternative_title_list[0]
guided = set(Guide.objects.values_list('from_role__slug', 'to_role__slug'))
plan = next((x.slug, y.slug) for x in [a, b] for y in Role.objects.filter(published=True).order_by('slug') if x != y and (x.slug, y.slug) not in guided)
print('/compare/' + '-vs-'.join(sorted([a.slug, b.slug])) + '/', '/roles/' + a.slug + '/', quote_plus(title), '/roles/' + a.slug + '/moves/', '/transitions/' + plan[0] + '-to-' + plan[1] + '/')")
  PAGES=(
    "seed comparison|$SEED"
    "generated comparison|$generated"
    "role profile|$profile"
    "role list|/roles/"
    "search by another title|/search/?q=$title"
    "guide|$GUIDE"
    "moves|$moves"
    "generated plan|$plan"
  )
}

answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$1")" = 200 ]; }

run_size() {  # $1: size label
  local size=$1 page label path
  pages_for "$size"
  start_server 3600
  rows+=("$(measure "$size, healthz" /healthz)")
  for page in "${PAGES[@]}"; do
    label=${page%%|*}; path=${page#*|}
    if answers "$path"; then
      # A page held to a share of /healthz's rate is measured right after /healthz again, so
      # that the two see the machine alike (on a shared machine the rate drifts within a run).
      case $label in "seed comparison" | "generated comparison" | "role profile" | guide)
        rows+=("$(measure "$size, healthz (before the $label)" /healthz)") ;;
      esac
      rows+=("$(measure "$size, $label (cached)" "$path")")
    else
      notes+=("- $size, $label: \`$path\` does not answer 200 yet; not measured.")
    fi
  done
  stop_server
  start_server 0
  for page in "${PAGES[@]}"; do
    label=${page%%|*}; path=${page#*|}
    answers "$path" || continue
    rows+=("$(measure "$size, $label (uncached)" "$path")")
    # The latency target: one reader at a time, nothing cached.
    rows+=("$(measure "$size, $label (uncached, one reader)" "$path" 1)")
  done
  notes+=("- $size: a worker's resident memory after the uncached runs: $(worker_rss) MiB.")
  stop_server
}

log "Starter content"
run_size "starter"

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
import_start=$(date +%s.%N)
$PY manage.py import_onet "$(ls "$work"/onet/*.zip)" >"$work/import.log" 2>&1 \
  || { cat "$work/import.log"; echo "FAIL: import_onet"; exit 1; }
import_seconds=$(awk -v a="$import_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
run_size "full O*NET"

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
ratio() { awk -v a="$(field "$1" 4)" -v b="$(field "$2" 4)" 'BEGIN {printf "%.2f", a / b}'; }
in_ms() { awk -v t="$1" 'BEGIN {v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[^m]s$/) v *= 1000; printf "%.1f", v}'; }
met() { awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {ok = (op == "<") ? v < limit : v >= limit; print ok ? "met" : "NOT met"}'; }

{
  echo "# Benchmarks"
  echo
  echo "Recorded by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m),"
  echo "$(free -g | awk '/^Mem:/ {print $2}') GiB, Python $($PY -c 'import platform; print(platform.python_version())'),"
  echo "gunicorn with 2 workers, SQLite, the on-disk cache; wrk for $DURATION per row on the same machine,"
  echo "with $CONNECTIONS connections (throughput) or 1 (the latency of one reader)."
  echo "Cached: anonymous page cache on (DJANGO_PAGE_CACHE_SECONDS=3600); uncached: off (0). Each"
  echo "worker's memo of rendered Markdown (roles/markdown.py) and the public's picker roles"
  echo "(roles/picker.py) are on in both, as in production."
  echo
  echo "| run | path | connections | requests/s | p50 | p99 | non-2xx/3xx |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Targets"
  echo
  for size in starter "full O*NET"; do
    for label in "seed comparison" "generated comparison" "role profile" guide; do
      [ -n "$(field "$size, $label (cached)" 4)" ] || continue
      r=$(ratio "$size, $label (cached)" "$size, healthz (before the $label)")
      echo "- $size: the cached $label serves $r of \`/healthz\`'s requests per second, measured just before it (target at least 0.9: $(met "$r" 0.9 ">="))."
    done
    # Issue 22: uncached pages for one reader under 25 ms at p50, search under 50 ms.
    for page in "seed comparison" "generated comparison" "role profile" "role list" guide \
      "search by another title" moves "generated plan"; do
      [ -n "$(field "$size, $page (uncached, one reader)" 5)" ] || continue
      t=$(in_ms "$(field "$size, $page (uncached, one reader)" 5)")
      limit=25; [ "$page" = "search by another title" ] && limit=50
      echo "- $size: one reader's uncached $page takes $t ms at p50 (target under $limit ms: $(met "$t" "$limit" "<"))."
    done
  done
  echo
  echo "## Memory, import and what was not measured"
  echo
  printf '%s\n' "${notes[@]}"
  echo "- full O*NET: \`import_onet\` of the synthetic release-sized zip (1,016 occupations) took $import_seconds s on a fresh database with the starter content."
  echo
  echo "## Page weight"
  echo
  echo "- Seed comparison HTML: $html bytes (target under 40 KB)."
  echo "- CSS and JavaScript of a first visit: $assets_br bytes with brotli, $assets_gzip bytes with gzip (target under 60 KB compressed)."
  echo "- Assets: $(echo $assets | tr '\n' ' ')"
  echo "- No JavaScript is needed to use any page."
} > benchmarks/RESULTS.md
cat benchmarks/RESULTS.md
