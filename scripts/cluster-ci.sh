#!/usr/bin/env bash
# cluster-ci.sh: `make test-cluster` as CI runs it. It gates what must hold on
# a real Temporal cluster (PostgreSQL persistence and visibility, mTLS, 2 api
# + 2 worker processes, one of each SIGKILLed mid-load): every accepted
# contact answered exactly once. Throughput and the ratio to a bare workflow
# are printed, not gated: the `scale` check (`make checks`) gates the ratio.
set -euo pipefail
out=$(mktemp); trap 'rm -f "$out"' EXIT
if ! timeout 1200 make test-cluster >"$out" 2>&1; then
  tail -20 "$out"; echo "cluster: make test-cluster failed"; exit 1
fi
grep '^testcluster:' "$out" | grep -v 'schemas\|server up' || true
line=$(grep '^{' "$out" | tail -1)
[ -n "$line" ] || { echo "cluster: no JSON line"; exit 1; }
python3 - "$line" <<'PY'
import json, sys
j = json.loads(sys.argv[1]); bad = []
if j.get("lost") != 0: bad.append(f"lost={j.get('lost')}")
if j.get("duplicates") != 0: bad.append(f"duplicates={j.get('duplicates')}")
if (j.get("contacts") or 0) < 500 or j.get("answered") != j.get("contacts"): bad.append(f"answered {j.get('answered')}/{j.get('contacts')}")
if j.get("temporal") != "server" or j.get("persistence") != "postgresql" or not j.get("tls"): bad.append("not a TLS server on PostgreSQL")
if (j.get("killed_workers") or 0) < 1 or (j.get("killed_apis") or 0) < 1: bad.append("nothing killed")
print(f"cluster: {j['contacts']} contacts, {j['lost']} lost, {j['duplicates']} duplicates; "
      f"1 worker {j['one_worker_contacts_per_s']}/s, 2 workers {j['two_workers_contacts_per_s']}/s; "
      f"ratio {j['ratio']} ({j['contacts_per_s']} vs bare {j['baseline_contacts_per_s']}/s)")
if bad: print("cluster FAIL: " + ", ".join(bad)); sys.exit(1)
PY
