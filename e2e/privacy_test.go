package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPersonalDataNeverStoredInTheClear sends every kind of personal data
// through the whole flow — API → workflow → PostgreSQL → supervisor push →
// API responses → logs — and scans the PostgreSQL dump, the embedded
// Temporal store under --data-dir, the server log, the API responses and the
// DingTalk pushes for the raw values (also with spaces and hyphens removed).
func TestPersonalDataNeverStoredInTheClear(t *testing.T) {
	t.Parallel()
	robot := newFakeRobot(t, "SECprivacy")
	in := start(t, "HARBORDESK_DINGTALK_WEBHOOK="+robot.webhook(), "HARBORDESK_DINGTALK_SECRET=SECprivacy")
	cases := []struct {
		text    string
		secrets []string
	}{
		{"我個身份證係 Y123456(1)，我要投訴你哋！", []string{"Y123456"}},
		{"我要投訴！打返 9123 4567 或者 +852 6234-5678 搵我", []string{"9123 4567", "6234-5678"}},
		{"refund to card 4111 1111 1111 1111 please, complaint! mail chan.taiman+hk@mail.example.com", []string{"4111 1111 1111 1111", "chan.taiman+hk@mail.example.com"}},
		{"投訴！送去九龍旺角彌敦道688號12樓B室，個師傅態度好差", []string{"彌敦道688號"}},
		{"I want to complain, Flat C, 23/F, 18 Queen's Road Central, my passport is K12345678", []string{"18 Queen's Road Central", "K12345678"}},
		{"我的手机 13812345678，我要投诉", []string{"13812345678"}},
		// Full-width and mixed-width forms mask like their ASCII forms.
		{"投訴！我身份證係 Ａ１２３４５６（３），電話 ９１２３ ４５６７，卡號 ４１１１ １１１１ １１１１ １１１１", []string{"Ａ１２３４５６", "９１２３ ４５６７", "１１１１ １１１１"}},
		{"complaint: call 6２３4 56７8 or mail ｃｈａｎ＠example.org", []string{"6２３4 56７8", "ｃｈａｎ＠example.org"}},
	}
	var ids []string
	for i, c := range cases {
		a := in.post("web", fmt.Sprintf("c-pii-%d", i), fmt.Sprintf("k-pii-%d", i), fmt.Sprintf("m-pii-%d", i), c.text)
		ids = append(ids, a.ContactID)
	}
	var responses bytes.Buffer
	for _, id := range ids {
		v := in.waitContact(id, 20*time.Second, func(v contactView) bool { return len(v.Transcript) == 1 && len(v.Replies) > 0 })
		fmt.Fprintf(&responses, "%+v\n", v)
		var raw map[string]any
		in.call("GET", "/v1/contacts/"+id, adminKey, nil, &raw)
		fmt.Fprintf(&responses, "%v\n", raw)
	}
	var tickets, handoffs map[string]any
	in.call("GET", "/v1/tickets", adminKey, nil, &tickets)
	in.call("GET", "/v1/handoffs", adminKey, nil, &handoffs)
	fmt.Fprintf(&responses, "%v\n%v\n", tickets, handoffs)

	deadline := time.Now().Add(15 * time.Second)
	for len(robot.all()) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	var pushes bytes.Buffer
	for _, p := range robot.all() {
		pushes.WriteString(p.Text + "\n")
	}
	if pushes.Len() == 0 {
		t.Error("no supervisor push for the complaints: the notification path was not exercised")
	}
	time.Sleep(time.Second) // let the last writes land before scanning

	places := map[string][]byte{"API responses": responses.Bytes(), "supervisor pushes": pushes.Bytes(), "server log": in.log.Bytes()}
	if dump, err := exec.Command("pg_dump", pgBase()+"/"+in.db).Output(); err == nil {
		places["PostgreSQL dump"] = dump
	} else {
		t.Logf("pg_dump unavailable (%v): scanning with SQL instead", err)
		places["PostgreSQL tables"] = tableText(t, in)
	}
	var store bytes.Buffer
	files := 0
	_ = filepath.Walk(in.dataDir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			store.Write(b)
			files++
		}
		return nil
	})
	if files == 0 || store.Len() == 0 {
		t.Fatal("no embedded Temporal store under --data-dir")
	}
	places["Temporal store"] = store.Bytes()
	for _, c := range cases {
		for _, secret := range c.secrets {
			forms := []string{secret, strings.NewReplacer(" ", "", "-", "").Replace(secret)}
			for where, data := range places {
				for _, f := range forms {
					if bytes.Contains(data, []byte(f)) {
						t.Errorf("%q found in %s", string([]rune(f)[:3])+"…", where)
					}
				}
			}
		}
	}
}

// tableText reads every text column of the instance's database.
func tableText(t *testing.T, in *instance) []byte {
	out, err := exec.Command("psql", pgBase()+"/"+in.db, "-Atc",
		`SELECT string_agg(t::text, E'\n') FROM (SELECT m.text FROM messages m UNION ALL SELECT r.text FROM replies r UNION ALL SELECT summary FROM tickets UNION ALL SELECT detail::text FROM audit_log UNION ALL SELECT detail::text FROM ticket_events) t`).Output()
	if err != nil {
		t.Fatalf("neither pg_dump nor psql work: %v", err)
	}
	return out
}
