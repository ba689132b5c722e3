package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
)

// The answers' shapes against the two APIs carry serve is modelled on (the
// seeds): every field a seed documents is there with the seed's JSON type;
// carry's extensions are extra fields only. Each answer is decoded into
// map[string]json.RawMessage to check each required field's JSON kind, then
// its required fields alone are decoded, with DisallowUnknownFields, into a
// struct mirroring the seed's type.

// seedFundingRate mirrors the funding API's funding-rate object (the
// latest rates, one rate, and each element of a history).
type seedFundingRate struct {
	Symbol          string `json:"symbol"`
	FundingRate     string `json:"funding_rate"`
	NextFundingRate string `json:"next_funding_rate"`
	NextFundingTime int64  `json:"next_funding_time"`
	MarkPrice       string `json:"mark_price"`
	IndexPrice      string `json:"index_price"`
	UpdatedAt       string `json:"updated_at"`
}

// seedRates mirrors the envelope of the latest rates and of a history.
type seedRates struct {
	Rates []json.RawMessage `json:"rates"`
}

// seedSettlement mirrors the funding API's settlement object.
type seedSettlement struct {
	ID           string `json:"id"`
	Symbol       string `json:"symbol"`
	PositionID   string `json:"position_id"`
	FundingRate  string `json:"funding_rate"`
	PositionSize string `json:"position_size"`
	Payment      string `json:"payment"`
	SettledAt    string `json:"settled_at"`
}

// seedSettlements mirrors the settlements envelope.
type seedSettlements struct {
	Settlements []json.RawMessage `json:"settlements"`
}

// seedBasis mirrors the basis API's envelope, seedBasisData its data and
// seedBasisRow a row.
type seedBasis struct {
	Data json.RawMessage `json:"data"`
	Meta json.RawMessage `json:"meta"`
}

type seedBasisMeta struct {
	Total        int64 `json:"total"`
	TableMissing bool  `json:"tableMissing"`
}

type seedBasisData struct {
	Rows   []json.RawMessage `json:"rows"`
	LastTs *int64            `json:"lastTs"`
}

type seedBasisRow struct {
	Base          string  `json:"base"`
	Pair          string  `json:"pair"`
	SpotPrice     float64 `json:"spotPrice"`
	PerpPrice     float64 `json:"perpPrice"`
	BasisAbs      float64 `json:"basisAbs"`
	BasisPct      float64 `json:"basisPct"`
	AnnualizedPct float64 `json:"annualizedPct"`
	PerpSource    string  `json:"perpSource"`
	SpotSource    string  `json:"spotSource"`
	VenueCount    int64   `json:"venueCount"`
	Ts            int64   `json:"ts"`
}

// kind is a required field's JSON type, down to the string's content
// where the seed fixes it.
type kind int

const (
	kindString    kind = iota
	kindDecimal        // a string holding a plain decimal: "0.0001", "-65000.5"
	kindIntString      // a string holding a whole number: "2"
	kindRFC3339        // a string holding an RFC 3339 time
	kindEpochMs        // a whole JSON number
	kindNumber
	kindBool
	kindArray
	kindObject
)

var (
	plainDecimal = regexp.MustCompile(`^"-?[0-9]+(\.[0-9]+)?"$`)
	wholeString  = regexp.MustCompile(`^"-?[0-9]+"$`)
	wholeNumber  = regexp.MustCompile(`^-?[0-9]+$`)
	jsonNumber   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
)

func (k kind) matches(raw json.RawMessage) bool {
	s := string(raw)
	switch k {
	case kindString:
		return strings.HasPrefix(s, `"`)
	case kindDecimal:
		return plainDecimal.MatchString(s)
	case kindIntString:
		return wholeString.MatchString(s)
	case kindRFC3339:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return false
		}
		_, err := time.Parse(time.RFC3339Nano, v)
		return err == nil
	case kindEpochMs:
		return wholeNumber.MatchString(s)
	case kindNumber:
		return jsonNumber.MatchString(s)
	case kindBool:
		return s == "true" || s == "false"
	case kindArray:
		return strings.HasPrefix(s, "[")
	case kindObject:
		return strings.HasPrefix(s, "{")
	}
	return false
}

// field is a field the seed requires; nullable when it may be null here
// (a value the lake lacks, as docs/views.md says).
type field struct {
	name     string
	kind     kind
	nullable bool
}

// checkSeed checks that raw is an object with every required field of the
// JSON kind wanted, and decodes those fields alone, strictly, into mirror
// (whose JSON fields must be exactly the required ones). It returns the
// object's fields for nested checks.
func checkSeed(t *testing.T, what string, raw json.RawMessage, fields []field, mirror any) map[string]json.RawMessage {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("%s: not a JSON object: %v\n%s", what, err, raw)
	}
	required := map[string]json.RawMessage{}
	for _, f := range fields {
		v, ok := obj[f.name]
		switch {
		case !ok:
			t.Errorf("%s: no field %q", what, f.name)
			continue
		case string(v) == "null" && !f.nullable:
			t.Errorf("%s: %q is null", what, f.name)
		case string(v) != "null" && !f.kind.matches(v):
			t.Errorf("%s: %q is %s: not of the seed's type", what, f.name, v)
		}
		required[f.name] = v
	}
	if names := jsonNames(mirror); !sameNames(names, fields) {
		t.Fatalf("%s: the mirror's fields %v are not the required %v", what, names, fields)
	}
	b, err := json.Marshal(required)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(mirror); err != nil {
		t.Errorf("%s: its seed fields do not decode into the seed's type: %v\n%s", what, err, b)
	}
	return obj
}

// jsonNames are the JSON names of a *struct's fields.
func jsonNames(mirror any) []string {
	typ := reflect.TypeOf(mirror).Elem()
	var out []string
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func sameNames(names []string, fields []field) bool {
	if len(names) != len(fields) {
		return false
	}
	want := map[string]bool{}
	for _, f := range fields {
		want[f.name] = true
	}
	for _, n := range names {
		if !want[n] {
			return false
		}
	}
	return true
}

// fundingRateFields are the funding-rate object's required fields; the
// named ones may be null.
func fundingRateFields(nullable ...string) []field {
	fs := []field{
		{"symbol", kindString, false},
		{"funding_rate", kindDecimal, false},
		{"next_funding_rate", kindDecimal, false},
		{"next_funding_time", kindEpochMs, false},
		{"mark_price", kindDecimal, false},
		{"index_price", kindDecimal, false},
		{"updated_at", kindRFC3339, false},
	}
	for i := range fs {
		for _, n := range nullable {
			if fs[i].name == n {
				fs[i].nullable = true
			}
		}
	}
	return fs
}

func TestAnswersHaveTheSeedsShapes(t *testing.T) {
	l, reports := testLake(t)
	h := New(l, reports, nil, WithClock(clock))
	body := func(url string) json.RawMessage {
		t.Helper()
		status, _, b := get(t, h, "GET", url)
		if status != 200 {
			t.Fatalf("%s: %d %s", url, status, b)
		}
		return b
	}
	// Every field of the latest rates is there on the test lake.
	var rates seedRates
	checkSeed(t, "funding-rates", body("/api/v1/funding-rates"), []field{{"rates", kindArray, false}}, &rates)
	if len(rates.Rates) != 1 {
		t.Fatalf("%d rates", len(rates.Rates))
	}
	var rate seedFundingRate
	checkSeed(t, "funding-rates[0]", rates.Rates[0], fundingRateFields(), &rate)
	checkSeed(t, "funding-rates/BTCUSDT", body("/api/v1/funding-rates/BTCUSDT"), fundingRateFields(), &rate)
	if rate.NextFundingTime != time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).UnixMilli() || rate.FundingRate != "0.0003" || rate.MarkPrice != "60002.5" {
		t.Errorf("rate %+v", rate)
	}
	if rate.UpdatedAt != "2026-03-01T23:00:00Z" {
		t.Errorf("updated_at %s: want the newest data shown (the basis row behind the index price), not the request's time", rate.UpdatedAt)
	}

	// A history: the newest event's next rate is unknown; the lake has no
	// index price at the settlements.
	var history seedRates
	checkSeed(t, "history", body("/api/v1/funding-rates/BTCUSDT/history?limit=3"), []field{{"rates", kindArray, false}}, &history)
	if len(history.Rates) != 3 {
		t.Fatalf("%d events", len(history.Rates))
	}
	for i, ev := range history.Rates {
		// The oldest row has no mark price (Binance sent none before 2023).
		nullable := []string{"next_funding_rate", "index_price"}
		if i == 2 {
			nullable = append(nullable, "mark_price")
		}
		var e seedFundingRate
		checkSeed(t, "history event", ev, fundingRateFields(nullable...), &e)
		if i == 1 && e.NextFundingRate != "0.0003" {
			t.Errorf("the 08:00 event's next rate %q: want the 16:00 rate that settled", e.NextFundingRate)
		}
	}

	var settlements seedSettlements
	checkSeed(t, "settlements", body("/api/v1/funding/settlements?run=btc-run"), []field{{"settlements", kindArray, false}}, &settlements)
	if len(settlements.Settlements) != 2 {
		t.Fatalf("%d settlements", len(settlements.Settlements))
	}
	for _, raw := range settlements.Settlements {
		var s seedSettlement
		checkSeed(t, "settlement", raw, []field{
			{"id", kindIntString, false}, {"symbol", kindString, false}, {"position_id", kindIntString, false},
			{"funding_rate", kindDecimal, false}, {"position_size", kindDecimal, false}, {"payment", kindDecimal, false},
			{"settled_at", kindRFC3339, false},
		}, &s)
	}

	checkBasisShape(t, body("/api/v1/futures/basis"), 2)
}

// checkBasisShape checks a basis answer of rows rows against the seed's.
func checkBasisShape(t *testing.T, raw json.RawMessage, rows int) {
	t.Helper()
	var answer seedBasis
	checkSeed(t, "basis", raw, []field{{"data", kindObject, false}, {"meta", kindObject, false}}, &answer)
	var meta seedBasisMeta
	checkSeed(t, "basis meta", answer.Meta, []field{{"total", kindEpochMs, false}, {"tableMissing", kindBool, false}}, &meta)
	var d seedBasisData
	obj := checkSeed(t, "basis data", answer.Data, []field{{"rows", kindArray, false}, {"lastTs", kindEpochMs, rows == 0}}, &d)
	if rows == 0 && string(obj["lastTs"]) != "null" {
		t.Errorf("lastTs %s without rows: want null", obj["lastTs"])
	}
	if len(d.Rows) != rows || meta.Total != int64(rows) {
		t.Fatalf("%d rows, total %d: want %d", len(d.Rows), meta.Total, rows)
	}
	for _, r := range d.Rows {
		var row seedBasisRow
		// ETHUSDT has no perpetual: its perpetual figures are null, never zeros.
		checkSeed(t, "basis row", r, []field{
			{"base", kindString, false}, {"pair", kindString, false},
			{"spotPrice", kindNumber, false}, {"perpPrice", kindNumber, true}, {"basisAbs", kindNumber, true},
			{"basisPct", kindNumber, true}, {"annualizedPct", kindNumber, true},
			{"perpSource", kindString, false}, {"spotSource", kindString, false},
			{"venueCount", kindEpochMs, false}, {"ts", kindEpochMs, false},
		}, &row)
		if row.Ts != time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC).UnixMilli() {
			t.Errorf("%s ts %d: want the row's time", row.Base, row.Ts)
		}
	}
}

func TestEmptyBasisHasTheSeedsShape(t *testing.T) {
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, _, b := get(t, New(l, t.TempDir(), nil), "GET", "/api/v1/futures/basis")
	checkBasisShape(t, b, 0)
}
