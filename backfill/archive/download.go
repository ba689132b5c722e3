package archive

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
)

// Downloader fetches archive files to disk and verifies them.
type Downloader struct {
	client *http.Client
	base   string
	dir    string
	log    *slog.Logger
}

// Option sets a knob of a Downloader.
type Option func(*Downloader)

// WithHTTPClient sets the client (default: a new http.Client without
// timeout; cancel through the context).
func WithHTTPClient(c *http.Client) Option { return func(d *Downloader) { d.client = c } }

// WithBaseURL sets the archive's host (default DefaultBaseURL).
func WithBaseURL(u string) Option { return func(d *Downloader) { d.base = strings.TrimRight(u, "/") } }

// WithTempDir sets where downloads are written (default os.TempDir()).
func WithTempDir(dir string) Option { return func(d *Downloader) { d.dir = dir } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(d *Downloader) { d.log = l } }

// NewDownloader returns a downloader with the options applied.
func NewDownloader(opts ...Option) *Downloader {
	d := &Downloader{client: &http.Client{}, base: DefaultBaseURL, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(d)
	}
	return d
}

// attempts is how many times a file is downloaded before it fails: a
// mismatch or a cut-off body is downloaded once more.
const attempts = 2

// Download is a verified file on disk. Remove it when done.
type Download struct {
	File   File
	Path   string
	SHA256 string // hex, as the .CHECKSUM says: keep it to notice a file replaced upstream
	Size   int64
}

// Remove deletes the downloaded file.
func (d *Download) Remove() error { return os.Remove(d.Path) }

// Checksum fetches f's .CHECKSUM and returns the SHA-256 it states: the
// cheap way to learn whether a file imported before was replaced.
func (d *Downloader) Checksum(ctx context.Context, f File) (string, error) {
	url := f.URL(d.base) + ".CHECKSUM"
	resp, err := d.get(ctx, f, url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	// "<64 hex>  <name>\n": a few hundred bytes at most.
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return "", fmt.Errorf("reading %s.CHECKSUM: %w", f, err)
	}
	fields := strings.Fields(string(body))
	if len(fields) != 2 || len(fields[0]) != 64 || strings.TrimPrefix(fields[1], "*") != f.Name() {
		return "", fmt.Errorf("%s.CHECKSUM: want \"<sha256>  %s\", got %q", f, f.Name(), body)
	}
	if _, err := hex.DecodeString(fields[0]); err != nil {
		return "", fmt.Errorf("%s.CHECKSUM: %w", f, err)
	}
	return strings.ToLower(fields[0]), nil
}

// Download fetches f to a temporary file, hashing as it streams, and
// verifies it against its .CHECKSUM. A mismatch or a cut-off body is
// downloaded once more (checksum too); then the file fails with a
// ChecksumError or TruncatedError naming it, and nothing is left on disk.
// A file the archive does not hold is a NotFoundError.
func (d *Downloader) Download(ctx context.Context, f File) (*Download, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var last error
	for attempt := 1; attempt <= attempts; attempt++ {
		want, dl, err := d.checksumAndZip(ctx, f)
		var trunc *TruncatedError
		switch {
		case errors.As(err, &trunc):
			trunc.Attempts = attempt
			last = trunc
			d.log.Warn("archive file cut off", "file", f.Path(), "attempt", attempt, "got", trunc.Got, "want", trunc.Want)
			continue
		case err != nil:
			return nil, err
		case dl.SHA256 != want:
			// A body that ended early without a Content-Length shows as
			// a mismatch; an unreadable zip says which it was.
			if zerr := checkZip(dl.Path); zerr != nil {
				last = &TruncatedError{File: f, Got: dl.Size, Want: -1, Attempts: attempt, Err: zerr}
			} else {
				last = &ChecksumError{File: f, Want: want, Got: dl.SHA256, Attempts: attempt}
			}
			dl.Remove()
			d.log.Warn("archive file fails its checksum", "file", f.Path(), "attempt", attempt, "want", want, "got", dl.SHA256, "err", last)
			continue
		}
		// A verified file that is no zip is what the archive holds; no
		// second download would change it. Only the central directory is
		// read here: the entries' data, inflated and CRC-checked, is read
		// once, by the reader of the rows, which refuses the whole file on
		// any error (a zip damaged upstream, ArchiveCorruptData in the fake).
		if err := checkZipDirectory(dl.Path); err != nil {
			dl.Remove()
			return nil, fmt.Errorf("%s: verified but unreadable: %w", f, err)
		}
		d.log.Debug("archive file verified", "file", f.Path(), "bytes", dl.Size, "sha256", dl.SHA256)
		return dl, nil
	}
	return nil, last
}

// checksumAndZip asks for f's .CHECKSUM and its zip at once — two round
// trips to a distant host cost one — and returns the checksum and the
// download. A failed .CHECKSUM (a file not in the archive: NotFoundError)
// fails both, and the zip is removed; otherwise the zip's own error comes
// back with the checksum.
func (d *Downloader) checksumAndZip(ctx context.Context, f File) (string, *Download, error) {
	type sum struct {
		hex string
		err error
	}
	sumc := make(chan sum, 1)
	go func() {
		s, err := d.Checksum(ctx, f)
		sumc <- sum{s, err}
	}()
	dl, err := d.fetch(ctx, f)
	s := <-sumc
	if s.err != nil {
		if dl != nil {
			dl.Remove()
		}
		return "", nil, s.err
	}
	return s.hex, dl, err
}

// fetch streams f's zip to a temporary file while hashing it.
func (d *Downloader) fetch(ctx context.Context, f File) (_ *Download, err error) {
	resp, err := d.get(ctx, f, f.URL(d.base))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	tmp, err := os.CreateTemp(d.dir, "carry-archive-*.zip")
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", f, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("downloading %s: %w", f, ctx.Err())
		}
		// The connection ended mid-body (net/http reports a short body
		// against its Content-Length as io.ErrUnexpectedEOF).
		return nil, &TruncatedError{File: f, Got: n, Want: resp.ContentLength, Err: err}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return nil, &TruncatedError{File: f, Got: n, Want: resp.ContentLength, Err: io.ErrUnexpectedEOF}
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("downloading %s: %w", f, err)
	}
	return &Download{File: f, Path: tmp.Name(), SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// get sends a GET and returns a 200 response, or a NotFoundError for a
// 404, or an error naming the file.
func (d *Downloader) get(ctx context.Context, f File, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("requesting %s: %w", f, err)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("requesting %s: %w", url, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusNotFound {
		e := &NotFoundError{File: f}
		var s3 s3Error
		if xml.Unmarshal(body, &s3) == nil {
			e.Code, e.Key = s3.Code, s3.Key
		}
		return nil, e
	}
	return nil, fmt.Errorf("requesting %s: HTTP %d: %.200s", url, resp.StatusCode, body)
}

// checkZipDirectory opens the zip's central directory.
func checkZipDirectory(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	return z.Close()
}

// checkZip opens the zip's central directory and reads its entries through,
// so a zip cut short is refused before any row of it is read.
func checkZip(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer z.Close()
	for _, e := range z.File {
		r, err := e.Open()
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		// The CRC-32 is checked at EOF.
		_, err = io.Copy(io.Discard, r)
		r.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	return nil
}
