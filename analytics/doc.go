// Package analytics computes the statistics of runs and of the lake's data
// on gonum: returns, annualized yields and risk, drawdowns, funding and
// basis statistics. Every annualized figure uses a 365-day calendar and
// comes with the periods per year it used. A figure that is undefined (zero
// variance, no returns, no trades) is a null Value, never NaN or 0.
package analytics
