#!/bin/sh
# One-shot (compose service `temporal-init`, image temporalio/admin-tools): the namespace our
# processes use, with its retention, and the custom search attributes ops filter cases by.
# Safe to run again: it creates only what is missing and sets the retention to the configured one.
#
# The attributes must match shared/searchAttributes.ts (name and type); add a line here when one
# is added there. The workflow fails a task that upserts an attribute the namespace lacks.
set -eu

ns="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

search_attributes='
ComplaintStatus Keyword
Priority Keyword
Category Keyword
MerchantId Keyword
EscalationLevel Int
SlaBreached Bool
OwnerId Keyword
'

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

# A list query on the attributes is accepted only once the frontend knows them all.
retry "search attributes to be queryable" temporal workflow list --namespace "$ns" --limit 1 \
  --query 'ComplaintStatus = "probe" AND Priority = "probe" AND Category = "probe" AND MerchantId = "probe" AND EscalationLevel = 0 AND SlaBreached = false AND OwnerId = "probe"'
echo "init: namespace $ns ready"
