# Shared by scripts/start and scripts/test: create .venv on first use and (re)install the project
# whenever pyproject.toml changes. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SHOPCREW_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
EXTRAS="$1"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating a virtual environment in $VENV ..." >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
fi
stamp="$VENV/.shopcrew-installed-$EXTRAS"
hash="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "Installing ShopCrew and its dependencies ($EXTRAS) ..." >&2
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$EXTRAS]" >&2
  echo "$hash" > "$stamp"
fi
