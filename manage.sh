#!/usr/bin/env bash
# Set up and run membership-dashboard on a fresh Debian 12 machine (as root) or an existing one.
#   bash manage.sh run [ARGS]        set everything up, then `membership serve ARGS` on the bundled data
#   bash manage.sh test [ARGS]       set everything up, then ruff, mypy, then pytest ARGS (browser tests included)
#   bash manage.sh bench [--only page,load]  set everything up, run the benchmarks under bench/, rewrite bench/RESULTS.md
#   bash manage.sh audit [--advisories DIR]  the dependencies against published advisories (SECURITY.md)
#   bash manage.sh mutate [core/view ...]    mutation testing of the pure modules with the fast tests, a score per module
#   bash manage.sh vendor-plotly     refresh the basic plotly.js bundle in dashboard/chart/vendor/ (needs npm)
#   bash manage.sh membership ARGS   any `membership` command (import, check, export, history, undo, ...)
#   bash manage.sh gunicorn ARGS     gunicorn from the project's venv, e.g. -w 4 -b 0.0.0.0:8050 dashboard.web.wsgi:server
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

# Debian packages, each for a reason:
#   python3-venv       creates .venv (a minimal Debian's python3 lacks ensurepip)
#   chromium           draws the PNG/SVG exports (Kaleido finds it on PATH) and runs the browser tests
#   libatomic1         Playwright's bundled node needs libatomic.so.1; without it every browser test fails
#                      with "Connection closed while reading from the driver" (a minimal Debian lacks it)
#   fonts-liberation2, fonts-dejavu-core   the chart's fonts (Liberation Sans, DejaVu for the rest of Latin)
#   tesseract-ocr(-eng) reads an exported PNG back as a reader would, scaled to a blog column, in the tests
#                      (tests/export/test_image_caveats.py): the caveats must be legible inside the image
#   npm                (test only) installs axe-core, the accessibility audit's engine, from the npm registry
#                      into tests/browser/node_modules, pinned by tests/browser/package-lock.json; (bench only)
#                      Lighthouse 12.2.3 into bench/lighthouse/node_modules, pinned by its package-lock.json
#                      (Debian 12's nodejs 18, which npm brings, runs it)
need_apt=()
have_python_venv() { "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; }
has_package() { command -v dpkg >/dev/null 2>&1 && dpkg -s "$1" >/dev/null 2>&1; }
command -v "$PYTHON" >/dev/null 2>&1 || need_apt+=(python3)
command -v "$PYTHON" >/dev/null 2>&1 && ! have_python_venv && need_apt+=(python3-venv)
command -v chromium >/dev/null 2>&1 || [ -n "${BROWSER_PATH:-}" ] || need_apt+=(chromium)
if command -v dpkg >/dev/null 2>&1; then
  has_package libatomic1 || need_apt+=(libatomic1)
  has_package fonts-liberation2 || need_apt+=(fonts-liberation2)
  has_package fonts-dejavu-core || need_apt+=(fonts-dejavu-core)
fi
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng)
case "${1:-run}" in test|bench) command -v npm >/dev/null 2>&1 || need_apt+=(npm) ;; esac
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
  "$VENV/bin/python" -m pip install -q --upgrade pip setuptools  # the venv's own setuptools is old (CVE-2022-40897)
  "$VENV/bin/python" -m pip install -q -e '.[test]'
  touch "$stamp"
fi

command=${1:-run}
shift || true
case "$command" in
  run)
    exec "$VENV/bin/membership" serve "$@"
    ;;
  membership)
    exec "$VENV/bin/membership" "$@"
    ;;
  gunicorn)
    exec "$VENV/bin/gunicorn" "$@"
    ;;
  test)
    echo "ruff: lint and import order"
    "$VENV/bin/ruff" check .
    echo "mypy: types (strict on dashboard/core)"
    "$VENV/bin/mypy"
    if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
      echo "npm: axe-core for the accessibility audit (tests/browser/package-lock.json)"
      npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
    fi
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
    # every benchmark under bench/ (page, load, growth, upload, export, ...), then the summary of every
    # target at the top of bench/RESULTS.md (run_all.py says how long it takes). `--only page,load` for a few.
    exec "$VENV/bin/python" -m bench.run_all "$@"
    ;;
  mutate)
    # mutmut (pinned in pyproject.toml) on the modules [tool.mutmut] lists, with the tests that need no browser,
    # Kaleido or other process; then each module's share of non-equivalent mutants killed (target 90%), the
    # equivalent ones being listed with why in tests/mutation_equivalents.toml. Work files go to mutants/.
    exec "$VENV/bin/python" -m testkit.mutation_report "$@"
    ;;
  audit)
    # Python packages against PyPI's advisories (and OSV files given with --advisories), Debian's against
    # the security archive; prints how many packages each source really covered. See SECURITY.md.
    exec "$VENV/bin/python" tools/audit.py "$@"
    ;;
  vendor-plotly)
    # Refresh dashboard/chart/vendor/ from the npm registry (needs npm): the version and integrity
    # pinned in dashboard/chart/plotly_bundle.py, checked before anything is written.
    command -v npm >/dev/null 2>&1 || { echo "vendor-plotly needs npm (apt-get install npm)" >&2; exit 1; }
    eval "$("$VENV/bin/python" -c 'from dashboard.chart import plotly_bundle as b
print(f"name={b.NPM_PACKAGE} version={b.VERSION} integrity={b.NPM_INTEGRITY} file={b.FILENAME} sha={b.SHA256}")')"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
    tarball="$work/$name-$version.tgz"
    got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    [ "$got" = "$integrity" ] || { echo "integrity mismatch: $got, pinned $integrity" >&2; exit 1; }
    tar -xzf "$tarball" -C "$work"
    minified=$(ls "$work"/package/*.min.js)
    [ "$(sha256sum "$minified" | cut -d' ' -f1)" = "$sha" ] || echo "note: the minified file differs from the pinned sha256; update SHA256" >&2
    cp "$minified" "dashboard/chart/vendor/$file"
    cp "$work/package/LICENSE" dashboard/chart/vendor/plotly-basic-LICENSE.txt
    echo "dashboard/chart/vendor/$file: $name $version, integrity checked"
    ;;
  *)
    echo "usage: bash manage.sh run|test|bench|mutate|audit|vendor-plotly|membership|gunicorn [args]" >&2
    exit 64
    ;;
esac
