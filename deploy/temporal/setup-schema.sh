#!/bin/sh
# One-shot: creates Temporal's two PostgreSQL databases and brings each schema up to the newest
# version shipped with the server. Run by compose (service `temporal-schema`, image
# temporalio/admin-tools) and by `npm run cluster` (the tool and schema files that
# scripts/cluster-setup.sh builds and copies, named by SCHEMA_DIR).
# Safe to run again: `create` ignores an existing database, `setup-schema -v 0.0` leaves a newer
# recorded version alone and `update-schema` applies only the versions not yet applied. Run it
# with the admin-tools of the new release before upgrading the server (docs/operations.md).
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"
schema_dir="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

sql() {
  # The password comes from SQL_PASSWORD.
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  kind="${pair##*:}"
  echo "schema: database $db ($kind)"
  # PostgreSQL may still be starting: `create` is tried until the server answers.
  tries=0
  until sql --db "$db" create; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "PostgreSQL at $POSTGRES_SEEDS:$port does not answer" >&2; exit 1; }
    sleep 2
  done
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$schema_dir/$kind/versioned"
done
echo 'schema: up to date'
