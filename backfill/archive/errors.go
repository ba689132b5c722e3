package archive

import (
	"encoding/xml"
	"errors"
	"fmt"
)

// ErrNotFound is matched (errors.Is) by a NotFoundError.
var ErrNotFound = errors.New("not in the archive")

// NotFoundError is the archive's 404: S3 answers a key it does not hold
// with an XML body (<Error><Code>NoSuchKey</Code>…<Key>…</Key></Error>).
// The file is missing, not failed: its span falls back (Fallback).
type NotFoundError struct {
	File File
	Code string // the S3 code, "NoSuchKey"; "" when the body was not S3's XML
	Key  string // the key S3 names
}

func (e *NotFoundError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("%s: 404 %v", e.File, ErrNotFound)
	}
	return fmt.Sprintf("%s: 404 %s (%v)", e.File, e.Code, ErrNotFound)
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// s3Error is S3's XML error body.
type s3Error struct {
	XMLName xml.Name `xml:"Error"`
	Code    string   `xml:"Code"`
	Message string   `xml:"Message"`
	Key     string   `xml:"Key"`
}

// ChecksumError is a file whose SHA-256 differed from its .CHECKSUM on
// every attempt: nothing of it may be stored.
type ChecksumError struct {
	File      File
	Want, Got string
	Attempts  int
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s: SHA-256 %s, its .CHECKSUM says %s (%d attempts)", e.File, e.Got, e.Want, e.Attempts)
}

// TruncatedError is a body that ended before its Content-Length, or a zip
// that cannot be read, on every attempt.
type TruncatedError struct {
	File      File
	Got, Want int64 // bytes received and announced (-1: not announced)
	Attempts  int
	Err       error
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("%s: cut off after %d of %d bytes (%d attempts): %v", e.File, e.Got, e.Want, e.Attempts, e.Err)
}

func (e *TruncatedError) Unwrap() error { return e.Err }
