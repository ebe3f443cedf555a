#!/usr/bin/env bash
# Records fresh ContactWorkflow histories for the replay test
# (workflows/testdata/contact_*.json) from a real `harbordesk dev`.
# Only for a deliberate, incompatible workflow change before a release;
# after a release, gate changes with workflow.GetVersion instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=go1.27.3
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
DB=hd_replay_$$; HTTP=127.0.0.1:$(port); TEMPORAL=127.0.0.1:$(port); DATA=$(mktemp -d)
go build -o "$DATA/hd" ./cmd/harbordesk
HARBORDESK_SLA=P1=3s DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" \
  HARBORDESK_HTTP_ADDR=$HTTP TEMPORAL_ADDRESS=$TEMPORAL "$DATA/hd" dev --data-dir "$DATA/data" >"$DATA/log" 2>&1 &
PID=$!
trap 'kill -INT $PID 2>/dev/null; wait $PID 2>/dev/null; psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$DATA"' EXIT
for i in $(seq 1 120); do curl -sf "http://$HTTP/readyz" >/dev/null && break; sleep 0.5; done
K="Authorization: Bearer dev-admin-key"; B=http://$HTTP
post() { curl -sf -XPOST "$B$1" -H "$K" -d "$2" >/dev/null; }
code() { curl -s -o /dev/null -w '%{http_code}' -XPOST "$B$1" -H "$K" -d "${2:-}"; }
handoff_of() { curl -sf "$B/v1/handoffs?state=open" -H "$K" | jq -r --arg c "$1" '.items[] | select(.contact_id==$c) | .id' | head -1; }
cid() { curl -sf -XPOST "$B/v1/contacts" -H "$K" -d "$1" | jq -r .contact_id; }

CT1=$(cid '{"channel":"web","customer_id":"c-replay-1","conversation_id":"replay-kb","message_id":"m1","text":"你哋幾點收舖？"}')
CT=$(cid '{"channel":"web","customer_id":"c-replay-2","conversation_id":"replay-human","message_id":"m1","text":"同我轉真人客服啦"}')
sleep 1.5; HO=$(handoff_of "$CT")
code "/v1/handoffs/$HO/claim" >/dev/null
post "/v1/contacts/$CT/messages" '{"message_id":"m2","text":"仲有冇人喺度？"}'
sleep 0.5
post "/v1/handoffs/$HO/reply" '{"text":"你好，我幫你跟進。"}'
post "/v1/handoffs/$HO/resolve" '{"resolution":"answered by phone","code":"answered"}'
post "/v1/contacts/$CT/messages" '{"message_id":"m3","text":"5"}'
post "/v1/contacts" '{"channel":"web","customer_id":"c-replay-1","conversation_id":"replay-kb","message_id":"m1","text":"你哋幾點收舖？"}'
CT3=$(cid '{"channel":"web","customer_id":"c-replay-3","conversation_id":"replay-escalation","message_id":"m1","text":"你哋啲貨爛晒，我要投訴！我要搵你哋經理！"}')
sleep 1.5; HO2=$(handoff_of "$CT3")
sleep 6
code "/v1/handoffs/$HO2/claim" >/dev/null; code "/v1/handoffs/$HO2/claim" >/dev/null
post "/v1/handoffs/$HO2/release" ''
sleep 2.7
code "/v1/handoffs/$HO2/claim" >/dev/null
post "/v1/handoffs/$HO2/reply" '{"text":"經理會致電你。"}'
post "/v1/handoffs/$HO2/resolve" '{"resolution":"refund agreed","code":"refund"}'
sleep 1.5
go run ./workflows/testdata/fetchhistory -address "$TEMPORAL" -out workflows/testdata \
  contact_kb=contact/web/replay-kb contact_handoff=contact/web/replay-human \
  contact_escalation=contact/web/replay-escalation
echo "recorded: $CT1 $CT $CT3"
