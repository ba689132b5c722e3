package data

import "time"

// ContractRow is one futures contract of a pair.
type ContractRow struct {
	Symbol       string       // e.g. BTCUSDT_260327
	ContractType ContractType // as listed when last seen
	DeliveryDate time.Time    // delivery instant, UTC
	OnboardDate  time.Time
	Status       string
}
