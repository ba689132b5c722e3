package lake

import (
	"io"
	"sync"

	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// arrow-go v17's zstd codec builds a new encoder for every page it
// compresses (EncodeLevel calls zstd.NewWriter), and building one costs far
// more than compressing a page of a few hundred rows: 70% of a backfill's CPU
// went there. reusedZstd keeps one encoder per level; klauspost's EncodeAll
// and DecodeAll are safe for concurrent use. The output is ordinary zstd.
type reusedZstd struct{}

// The lake reads with one decoder and writes at zstdFastest (and arrow's
// default level); all are built when the package initialises rather than
// on first use, so that the first use cannot happen inside a
// testing/synctest bubble, whose channels may not be used from outside it
// (a later test, or -count=2).
// Other levels (arrow's API allows them; the lake never asks) are made on
// first use.
var (
	registerZstd   sync.Once
	defaultEncoder = newEncoder(zstd.SpeedDefault)
	zstdEncoders   sync.Map // other zstd.EncoderLevels → *zstd.Encoder
	zstdDecoder    = newDecoder()
)

// The lake writes at zstdFastest: its encoder is built at initialisation
// too, for the same reason.
func init() {
	zstdEncoders.Store(zstd.EncoderLevelFromZstd(zstdFastest), newEncoder(zstd.EncoderLevelFromZstd(zstdFastest)))
}

// encoderWindow is the encoders' window: twice a Parquet page (1 MiB by
// default, a little more once cut), so a page compresses to the bytes it
// did with zstd's default 8 MiB window, but an encoder given a page of
// more than one block (128 KiB: a row group's long text column) holds
// 4 MiB of history, not 16 MiB.
const encoderWindow = 2 << 20

func newEncoder(l zstd.EncoderLevel) *zstd.Encoder {
	e, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(l), zstd.WithWindowSize(encoderWindow))
	if err != nil {
		panic(err) // only for an invalid option, which these are not
	}
	e.EncodeAll([]byte{0}, nil) // klauspost makes its pool on first use
	return e
}

func newDecoder() *zstd.Decoder {
	d, err := zstd.NewReader(nil)
	if err != nil {
		panic(err)
	}
	if _, err := d.DecodeAll(defaultEncoder.EncodeAll([]byte{0}, nil), nil); err != nil {
		panic(err) // as above: the pool is made on first use
	}
	return d
}

// useReusedZstd installs reusedZstd as arrow's zstd codec. Every Parquet
// read and write in this package calls it first, so the registration
// happens before any use of arrow's codec table.
func useReusedZstd() {
	registerZstd.Do(func() { compress.RegisterCodec(compress.Codecs.Zstd, reusedZstd{}) })
}

func encoder(level int) *zstd.Encoder {
	l := zstd.SpeedDefault
	if level != compress.DefaultCompressionLevel {
		l = zstd.EncoderLevelFromZstd(level)
	}
	if l == zstd.SpeedDefault {
		return defaultEncoder
	}
	if e, ok := zstdEncoders.Load(l); ok {
		return e.(*zstd.Encoder)
	}
	actual, _ := zstdEncoders.LoadOrStore(l, newEncoder(l))
	return actual.(*zstd.Encoder)
}

func (reusedZstd) Encode(dst, src []byte) []byte {
	return encoder(compress.DefaultCompressionLevel).EncodeAll(src, dst[:0])
}

func (reusedZstd) EncodeLevel(dst, src []byte, level int) []byte {
	return encoder(level).EncodeAll(src, dst[:0])
}

func (reusedZstd) Decode(dst, src []byte) []byte {
	out, err := zstdDecoder.DecodeAll(src, dst[:0])
	if err != nil {
		panic(err) // as arrow's own codec does: the page reader recovers it
	}
	return out
}

// CompressBound is ZSTD_COMPRESSBOUND from zstd.h.
func (reusedZstd) CompressBound(n int64) int64 {
	extra := ((128 << 10) - n) >> 11
	if n >= (128 << 10) {
		extra = 0
	}
	return n + (n >> 8) + extra
}

func (reusedZstd) NewReader(r io.Reader) io.ReadCloser {
	d, err := zstd.NewReader(r)
	if err != nil {
		panic(err)
	}
	return d.IOReadCloser()
}

func (reusedZstd) NewWriter(w io.Writer) io.WriteCloser {
	e, _ := zstd.NewWriter(w)
	return e
}

func (reusedZstd) NewWriterLevel(w io.Writer, level int) (io.WriteCloser, error) {
	l := zstd.SpeedDefault
	if level != compress.DefaultCompressionLevel {
		l = zstd.EncoderLevelFromZstd(level)
	}
	return zstd.NewWriter(w, zstd.WithEncoderLevel(l))
}
