#!/bin/sh
# One-shot: the namespace our processes use, with its retention, and the custom search attributes
# ops filter cases by. Run by compose (service `temporal-init`, image temporalio/admin-tools) and
# by `npm run cluster` (with the `temporal` CLI of scripts/setup.sh on PATH), both with the
# values of deploy/temporal/cluster.env in the environment.
# Safe to run again: it creates only what is missing and sets the retention to the configured one.
set -eu

ns="${TEMPORAL_NAMESPACE:?set in deploy/temporal/cluster.env}"
retention="${TEMPORAL_NAMESPACE_RETENTION:?set in deploy/temporal/cluster.env}"
# NAME=Type,NAME=Type (shared/searchAttributes.ts). The workflow fails a task that upserts an
# attribute the namespace lacks.
search_attributes="$(echo "${TEMPORAL_SEARCH_ATTRIBUTES:?set in deploy/temporal/cluster.env}" | tr ',' '\n' | tr '=' ' ')"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

retry() { # retry <what> <command...>: up to 60 tries, 2 s apart
  what="$1"
  shift
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "init: gave up waiting for $what" >&2; exit 1; }
    sleep 2
  done
}

retry "Temporal at $TEMPORAL_ADDRESS" temporal operator cluster health

if temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  echo "init: namespace $ns exists"
else
  echo "init: creating namespace $ns (retention $retention)"
  retry "namespace $ns" temporal operator namespace create --namespace "$ns" --retention "$retention"
fi
# A new namespace reaches the frontend's registry on its next refresh (seconds): wait for it.
retry "namespace $ns to be served" temporal operator search-attribute list --namespace "$ns" >/dev/null
temporal operator namespace update --namespace "$ns" --retention "$retention"

existing="$(temporal operator search-attribute list --namespace "$ns")"
echo "$search_attributes" | while read -r name type; do
  [ -n "$name" ] || continue
  if echo "$existing" | grep -Eq "^[[:space:]]*$name[[:space:]]"; then
    echo "init: search attribute $name exists"
  else
    echo "init: creating search attribute $name ($type)"
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
  fi
done

# A list query on the attributes is accepted only once the frontend knows them all: one clause each.
probe="$(echo "$search_attributes" | while read -r name type; do
  case "$type" in
    Int) echo "$name = 0" ;;
    Bool) echo "$name = false" ;;
    *) echo "$name = \"probe\"" ;;
  esac
done | sed ':a;N;$!ba;s/\n/ AND /g')"
retry "search attributes to be queryable" temporal workflow list --namespace "$ns" --limit 1 --query "$probe"
echo "init: namespace $ns ready"
