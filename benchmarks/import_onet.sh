#!/usr/bin/env bash
# How long `import_onet` takes at O*NET's full size on SQLite: a synthetic release of 1,016
# occupations in the official layout (tests/onet_release.py: about 56,900 alternate titles,
# 20,300 tasks, 69,000 ratings, 30,500 technologies, 345,000 Work Context rows), imported into a
# fresh database with the starter content, then the same release again, then a newer one whose
# ratings and Work Context all differ. Writes benchmarks/RESULTS-import.md. Target: the first
# import under 2 minutes. Everything lives in a throwaway folder removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OCCUPATIONS=${OCCUPATIONS:-1016}
TARGET_SECONDS=120
log() { printf '== %s\n' "$*" >&2; }

work=$(mktemp -d -t cg-import-XXXX)
trap 'rm -rf "$work"' EXIT
export DJANGO_DEBUG=1 DATABASE_URL="sqlite:///$work/import.sqlite3" DJANGO_CACHE_DIR="$work/cache"
export DJANGO_LOG_LEVEL=WARNING

log "Writing synthetic releases of $OCCUPATIONS occupations"
$PY - "$work" "$OCCUPATIONS" <<'EOF'
import sys
from pathlib import Path

sys.path.insert(0, ".")
from tests.onet_release import write_release

work, count = Path(sys.argv[1]), int(sys.argv[2])
write_release(work / "a", count, as_zip=True)
write_release(work / "b", count, release="30.2", seed=18, as_zip=True)
EOF
$PY manage.py migrate --noinput -v0
$PY manage.py load_starter_content -v0

timed() {  # $1: label, rest: the command; prints seconds, keeps the output in $work/$1.txt
  local label=$1 start end
  shift
  start=$(date +%s.%N)
  "$@" >"$work/$label.txt" 2>"$work/$label.err"
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}
log "Importing the release"
first=$(timed first $PY manage.py import_onet "$work/a/db_30_1_text.zip")
log "Importing the same release again"
again=$(timed again $PY manage.py import_onet "$work/a/db_30_1_text.zip")
log "Importing a newer release"
newer=$(timed newer $PY manage.py import_onet "$work/b/db_30_2_text.zip")
verdict=$(python3 -c "print('met' if $first < $TARGET_SECONDS else 'MISSED')")

{
  echo "# import_onet at O*NET's size: results"
  echo
  echo "One run of \`benchmarks/import_onet.sh\`, recorded as printed."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- Machine: $(nproc) cores, $(uname -m), load average before the run:" \
    "$(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)"
  echo "- $($PY --version), Django $($PY -c 'import django; print(django.get_version())')," \
    "SQLite $($PY -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "- Input: a synthetic release of $OCCUPATIONS occupations in the official layout" \
    "(\`tests/onet_release.py\`), as a zip; a fresh database holding the starter content."
  echo
  echo "| run | wall time |"
  echo "|---|---|"
  echo "| first import (target under ${TARGET_SECONDS} s: $verdict) | ${first} s |"
  echo "| the same release again | ${again} s |"
  echo "| a newer release (every rating and Work Context value differs) | ${newer} s |"
  for label in first again newer; do
    echo
    echo "### $label"
    echo
    echo '```text'
    cat "$work/$label.txt"
    echo '```'
  done
} >benchmarks/RESULTS-import.md
log "first ${first} s, again ${again} s, newer ${newer} s (target under ${TARGET_SECONDS} s: $verdict)"
log "Wrote benchmarks/RESULTS-import.md"
[ "$verdict" = met ]
