# Shared by scripts/start and scripts/test: find a Python 3.11+, create .venv on first use (or
# rebuild it when it is broken or too old), and (re)install the project whenever pyproject.toml
# changes. Sourced, not run. Set PYTHON to choose the interpreter.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SHOPCREW_VENV:-$ROOT/.venv}"
EXTRAS="$1"
NEED="3.11"

say() { echo "shopcrew: $*" >&2; }

# True when "$1" runs and is Python $NEED or newer.
recent_enough() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

pick_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && recent_enough "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ -e "$VENV" ] && ! recent_enough "$VENV/bin/python"; then
  say "the virtual environment in $VENV is broken or older than Python $NEED; rebuilding it"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! PY="$(pick_python)"; then
    found="$(command -v python3 >/dev/null 2>&1 && python3 --version 2>&1 || echo 'no python3')"
    say "ShopCrew needs Python $NEED or newer (found: $found)."
    say "Install it, or point PYTHON at one: PYTHON=/path/to/python3.12 $0"
    exit 1
  fi
  say "creating a virtual environment in $VENV with $("$PY" --version 2>&1)"
  "$PY" -m venv "$VENV"
fi

stamp="$VENV/.shopcrew-installed-$EXTRAS"
hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  log="$VENV/install.log"
  say "installing ShopCrew and its dependencies ($EXTRAS); the details go to $log"
  if ! { "$VENV/bin/python" -m pip install --upgrade pip \
      && "$VENV/bin/python" -m pip install -e "$ROOT[$EXTRAS]"; } >"$log" 2>&1; then
    say "installing failed; the end of $log:"
    tail -n 20 "$log" >&2
    exit 1
  fi
  say "installed"
  echo "$hash" > "$stamp"
fi
