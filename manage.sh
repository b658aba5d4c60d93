#!/usr/bin/env bash
# Set up and run membership-dashboard on a fresh Debian machine (as root) or an existing one.
#   bash manage.sh run     set everything up, then serve the dashboard on the bundled data
#   bash manage.sh test    set everything up, then run the whole test suite (browser tests included)
#   bash manage.sh bench   set everything up, then run the benchmarks under bench/
# Extra arguments go to `membership serve`, pytest or the benchmark.
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

need_apt=()
have_python_venv() { "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; }
command -v "$PYTHON" >/dev/null 2>&1 || need_apt+=(python3)
command -v "$PYTHON" >/dev/null 2>&1 && ! have_python_venv && need_apt+=(python3-venv)
# Chromium draws the PNG/SVG exports (Kaleido) and runs the browser tests; the chart's fonts.
command -v chromium >/dev/null 2>&1 || [ -n "${BROWSER_PATH:-}" ] || need_apt+=(chromium)
has_font() { # $1 Debian package, $2 family name
  if command -v dpkg >/dev/null 2>&1; then dpkg -s "$1" >/dev/null 2>&1; else fc-list 2>/dev/null | grep -qi "$2"; fi
}
has_font fonts-liberation2 "Liberation Sans" || need_apt+=(fonts-liberation2)
has_font fonts-dejavu-core "DejaVu Sans" || need_apt+=(fonts-dejavu-core)
# Tesseract reads an exported PNG back as a reader would, scaled to a blog column, in the tests
# (tests/export/test_image_caveats.py): the caveats must be legible inside the image itself.
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]}. Install them (Debian: apt-get install ${need_apt[*]}) and retry." >&2
  fi
fi

stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e '.[test]'
  touch "$stamp"
fi

command=${1:-run}
shift || true
case "$command" in
  run)
    exec "$VENV/bin/membership" serve "$@"
    ;;
  test)
    set +e
    "$VENV/bin/python" -m pytest "$@"
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then
      echo "pytest collected no tests (exit 5)." >&2
      exit 0
    fi
    exit "$status"
    ;;
  bench)
    for script in bench/bench_*.py; do
      "$VENV/bin/python" "$script" "$@"
    done
    ;;
  *)
    echo "usage: bash manage.sh run|test|bench [args]" >&2
    exit 64
    ;;
esac
