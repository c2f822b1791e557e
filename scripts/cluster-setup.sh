#!/usr/bin/env bash
# What `npm run cluster` and `npm run test:cluster` need beyond scripts/setup.sh (which they run
# first): PostgreSQL and HAProxy from Debian's packages, and the Temporal server, its SQL schema tool and the
# Web UI server built from their Go modules, pinned, into the ignored folder .tools/.
# Kept out of scripts/setup.sh on purpose: `npm start` and `npm test` must not pay for a Go build
# of several minutes or a database install.
# Idempotent: each part is skipped when its pinned version is already in place (a warm run < 1 s).
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest server release that builds with the Go of this kind of machine (1.26.8).
TEMPORAL_SERVER_VERSION=v1.32.0
# The newest UI server whose go.mod accepts Go 1.26.8 (2.56.0 and later ask for 1.26.9+).
TEMPORAL_UI_VERSION=v2.55.0
TOOLS="$PWD/.tools"
SERVER_DIR="$TOOLS/temporal-server-$TEMPORAL_SERVER_VERSION"
UI_DIR="$TOOLS/temporal-ui-$TEMPORAL_UI_VERSION"

say() { printf '[cluster-setup] %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { say "missing '$1' on PATH: $2"; exit 1; }; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need go "Go 1.26 or newer, to build the Temporal server"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
# From Debian's packages, in one apt-get run: PostgreSQL (Temporal's store) and HAProxy (the load
# balancer in front of the API processes, as a deployment would have; its configuration is written
# from the cluster's ports at each start, dev/stack/haproxy.ts).
debs=()
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ]; then debs+=(postgresql); fi
if [ ! -x /usr/sbin/haproxy ]; then debs+=(haproxy); fi
if [ ${#debs[@]} -gt 0 ]; then
  say "from Debian's packages: apt-get install ${debs[*]}"
  as_root apt-get update -qq
  # The packages' own services stay unused (PostgreSQL's 15/main on 5432, HAProxy's
  # /etc/haproxy): ours run with their data and configuration under .data/cluster/.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
fi

# `go install module/pkg@version` pins the version without a go.mod of ours, and leaves the module
# in the Go module cache, where the SQL schema files are copied from.
go_install() { # go_install <dir> <name> <package@version>: builds into <dir>/<name>
  local tmp
  tmp="$(mktemp -d)"
  say "building $3 (first time only: minutes on 2 cores)"
  (cd "$tmp" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOBIN="$tmp/bin" nice -n 10 go install "$3") \
    || { rm -rf "$tmp"; say "go install $3 failed"; exit 1; }
  mkdir -p "$1"
  mv "$tmp/bin/"* "$1/$2"
  rm -rf "$tmp"
}

if [ ! -x "$SERVER_DIR/temporal-server" ]; then
  go_install "$SERVER_DIR" temporal-server "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
fi
if [ ! -x "$SERVER_DIR/temporal-sql-tool" ]; then
  go_install "$SERVER_DIR" temporal-sql-tool "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
fi
if [ ! -d "$SERVER_DIR/schema/postgresql" ]; then
  src="$(GOTOOLCHAIN=local go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION/schema/postgresql"
  mkdir -p "$SERVER_DIR/schema"
  cp -r "$src" "$SERVER_DIR/schema/"
  chmod -R u+w "$SERVER_DIR/schema"
fi
if [ ! -x "$UI_DIR/temporal-ui-server" ]; then
  go_install "$UI_DIR" temporal-ui-server "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION"
fi

say "ready: PostgreSQL $("$(pg_bin)/postgres" --version | awk '{print $3}'), HAProxy $(/usr/sbin/haproxy -v | awk 'NR==1 {print $3}'), Temporal server $TEMPORAL_SERVER_VERSION, UI server $TEMPORAL_UI_VERSION"
