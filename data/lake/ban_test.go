package lake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBanIsStoredForLaterProcesses(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "lake")
	open := func() *Lake {
		l, err := Open(dir, WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	const host = "fapi.binance.com"

	until, err := open().Ban(host)
	if err != nil || !until.IsZero() {
		t.Fatalf("ban of a lake that does not exist: %v, %v; want none", until, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("reading a ban created the lake (%v)", err)
	}

	end := now.Add(time.Hour)
	if err := open().SaveBan(end, host); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".carry", "ban.json")); err != nil {
		t.Errorf("no ban file: %v", err)
	}
	// Another process, another Lake value.
	if got, err := open().Ban(host); err != nil || !got.Equal(end) {
		t.Errorf("stored ban %v, %v; want %v", got, err, end)
	}
	if got, _ := open().Ban("testnet.binancefuture.com"); !got.IsZero() {
		t.Errorf("another host's ban %v, want none", got)
	}

	// A shorter ban does not shorten the stored one; a longer one lengthens it.
	if err := open().SaveBan(now.Add(time.Minute), host); err != nil {
		t.Fatal(err)
	}
	if got, _ := open().Ban(host); !got.Equal(end) {
		t.Errorf("after a shorter ban: %v, want %v", got, end)
	}
	if err := open().SaveBan(end.Add(time.Hour), strings.ToUpper(host)); err != nil {
		t.Fatal(err)
	}
	if got, _ := open().Ban(host); !got.Equal(end.Add(time.Hour)) {
		t.Errorf("after a longer ban: %v, want %v", got, end.Add(time.Hour))
	}

	// Bans that are over are dropped by the next save.
	now = now.Add(3 * time.Hour)
	if err := open().SaveBan(now.Add(time.Minute), "127.0.0.1:8099"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ".carry", "ban.json"))
	if err != nil || strings.Contains(string(b), host) {
		t.Errorf("ban file %s (%v): the ended ban is still there", b, err)
	}
}

func TestUnreadableBanFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".carry"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".carry", "ban.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Ban("fapi.binance.com"); err == nil || !strings.Contains(err.Error(), "ban.json") {
		t.Errorf("err = %v, want one naming the file", err)
	}
	// A new ban replaces what cannot be read.
	until := time.Now().Add(time.Hour).UTC()
	if err := l.SaveBan(until, "fapi.binance.com"); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Ban("fapi.binance.com"); err != nil || !got.Equal(until) {
		t.Errorf("ban %v, %v; want %v", got, err, until)
	}
}
