#!/usr/bin/env bash
# The outside check: Schemathesis fuzzes the running stack from its contract (/openapi.json) as a
# supervisor, a customer and a merchant (scripts/schemathesis.ts; docs/security.md, "Fuzzing the
# contract"). Installs Schemathesis, pinned, into .tools/schemathesis (a Python venv), compiles the
# processes (`npm run build`), then runs. `npm run schemathesis`; CI runs it before `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5 # PyPI schemathesis
venv="$PWD/.tools/schemathesis"
stamp="$venv/.stamp-$SCHEMATHESIS_VERSION"

bash scripts/setup.sh
if [ ! -f "$stamp" ]; then
  echo "[schemathesis] Schemathesis $SCHEMATHESIS_VERSION from PyPI into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$stamp"
fi

echo "[schemathesis] npm run build (the compiled processes the image runs)"
npm run -s build
exec node --import tsx scripts/schemathesis.ts
