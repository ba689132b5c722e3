package portfolio

// NewPlanRational is NewPlan with the funding signal in exact rationals
// throughout, for the test that holds the integer path to it.
func NewPlanRational(u *Universe, p Params) (*Plan, error) { return newPlan(u, p, false) }
