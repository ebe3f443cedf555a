#!/bin/sh
# One-shot: registers the namespace Harbordesk uses, once the frontend answers.
set -eu
NS=${TEMPORAL_NAMESPACE:-default}
i=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
  i=$((i + 1)); [ "$i" -lt 30 ] || { echo "temporal not healthy"; exit 1; }
  sleep 2
done
temporal operator namespace describe -n "$NS" --address "$TEMPORAL_ADDRESS" \
  || temporal operator namespace create -n "$NS" --retention 168h --address "$TEMPORAL_ADDRESS"
