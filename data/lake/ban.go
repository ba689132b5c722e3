package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/carry-research/carry/internal/atomicfile"
)

// An exchange's ban of this machine's IP (Binance's HTTP 418) outlives the
// process that received it: it is stored in the lake, so that the next run
// sends no request into it, which would only make it longer.

// storedBans is the ban file: each host's ban end.
type storedBans struct {
	BannedUntil map[string]time.Time `json:"banned_until"`
}

// BanPath is the file holding the stored bans.
func (l *Lake) BanPath() string { return filepath.Join(l.root, ".carry", "ban.json") }

// SaveBan records that host bans this machine until until. A stored ban
// that ends later is kept; bans already over are dropped. A ban file that
// cannot be read is replaced.
func (l *Lake) SaveBan(until time.Time, host string) error {
	host = strings.ToLower(host)
	if host == "" {
		return errors.New("storing a ban: no host given")
	}
	bans, err := l.readBans()
	if err != nil {
		bans = storedBans{} // what matters now is the ban just received
	}
	if bans.BannedUntil == nil {
		bans.BannedUntil = map[string]time.Time{}
	}
	now := l.now()
	for h, end := range bans.BannedUntil {
		if !end.After(now) {
			delete(bans.BannedUntil, h)
		}
	}
	if until.After(bans.BannedUntil[host]) {
		bans.BannedUntil[host] = until.UTC()
	}
	err = atomicfile.Write(l.BanPath(), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(bans)
	})
	if err != nil {
		return fmt.Errorf("storing the ban by %s: %w", host, err)
	}
	return nil
}

// Ban returns when the stored ban by host ends (it may be over), or zero
// when none is stored. It creates nothing: a lake that does not exist yet
// holds no ban.
func (l *Lake) Ban(host string) (time.Time, error) {
	bans, err := l.readBans()
	if err != nil {
		return time.Time{}, err
	}
	return bans.BannedUntil[strings.ToLower(host)], nil
}

func (l *Lake) readBans() (storedBans, error) {
	var bans storedBans
	b, err := os.ReadFile(l.BanPath())
	if errors.Is(err, fs.ErrNotExist) {
		return bans, nil
	}
	if err == nil {
		err = json.Unmarshal(b, &bans)
	}
	if err != nil {
		return storedBans{}, fmt.Errorf("reading the stored bans (delete %s if it is damaged): %w", l.BanPath(), err)
	}
	return bans, nil
}
