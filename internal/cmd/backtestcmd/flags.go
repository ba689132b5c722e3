package backtestcmd

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/carry-research/carry/strategy"
)

// paramFlag is one of the engine's parameters (strategy.ParamTable) bound
// as a flag: Set reads its text into the options' Settings at once and
// keeps any error for ParamFlags.Err, which reports them in the table's
// order, naming the flag and the value as written.
type paramFlag struct {
	param strategy.Param
	dst   *strategy.Settings
	text  string
	err   error
	set   bool // given on the command line
}

func (f *paramFlag) String() string { return f.text }

func (f *paramFlag) Type() string { return f.param.FlagType() }

func (f *paramFlag) Set(s string) error {
	if f.param.FlagType() == "int" {
		// Refused as pflag refuses an int flag, with its message.
		if _, err := strconv.ParseInt(s, 0, 64); err != nil {
			return err
		}
	}
	f.text, f.set = s, true
	if f.err = f.param.Check(s, strategy.FromFlag); f.err != nil {
		return nil
	}
	v, err := f.param.Read(s, strategy.FromFlag)
	if f.err = err; err == nil {
		v.Apply(f.dst)
	}
	return nil
}

// ParamFlags are the engine's parameters as flags, shared by every command
// that runs the engine.
type ParamFlags []*paramFlag

// AddParamFlags binds a flag for each parameter of strategy.ParamTable
// into s, which starts as the model's defaults (strategy.DefaultSettings).
func AddParamFlags(fs *pflag.FlagSet, s *strategy.Settings) ParamFlags {
	return AddParamFlagsOf(fs, s)
}

// AddParamFlagsOf is AddParamFlags for the parameters named (their
// ParamTable names; none: all of them): `carry portfolio` binds the pair's
// money parameters, not the single pair's rules.
func AddParamFlagsOf(fs *pflag.FlagSet, s *strategy.Settings, names ...string) ParamFlags {
	*s = strategy.DefaultSettings()
	var flags ParamFlags
	for _, p := range strategy.ParamTable() {
		if len(names) > 0 && !slices.Contains(names, p.Name) {
			continue
		}
		f := &paramFlag{param: p, dst: s, text: p.Default()}
		usage := p.Usage
		if f.text == "0" && p.FlagType() == "string" {
			// pflag shows no default it takes for a zero value ("0"), as it
			// would for a number flag; the model's 0 is a default like any
			// other, shown as a string flag's.
			usage += fmt.Sprintf(" (default %q)", f.text)
		}
		fs.Var(f, p.Flag, usage)
		flags = append(flags, f)
	}
	return flags
}

// Err is the first flag's error, in the table's order, then the model's
// check of the parameters together (strategy.Params.Validate).
func (flags ParamFlags) Err() error {
	for _, f := range flags {
		if f.err != nil {
			return f.err
		}
	}
	if len(flags) == 0 {
		return nil
	}
	return flags.named(flags[0].dst.Params.Validate())
}

// named rewrites the model's check (strategy.Params.Validate names a
// parameter as "leverage 300: …", "spot fee 0.6: …") to name the flag
// that sets it ("--leverage 300: …"), each of errors.Join's errors on its
// own; an error naming no bound parameter is left as it is.
func (flags ParamFlags) named(err error) error {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
		for _, f := range flags {
			msg := e.Error()
			if rest, ok := strings.CutPrefix(msg, strings.ReplaceAll(f.param.Name, "_", " ")+" "); ok {
				out[i] = &flagNamed{flag: f.param.Flag, rest: rest, err: e}
				break
			}
			if rest, ok := strings.CutPrefix(msg, f.param.Flag+" "); ok {
				out[i] = &flagNamed{flag: f.param.Flag, rest: rest, err: e}
				break
			}
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// flagNamed is a parameter's error with the flag put for its name.
type flagNamed struct {
	flag, rest string
	err        error
}

func (e *flagNamed) Error() string { return "--" + e.flag + " " + e.rest }

func (e *flagNamed) Unwrap() error { return e.err }

// Slips are the warnings for values given that are almost surely slips of
// units (strategy.Param.Slip: --funding-enter 10 is 1000 %/yr), in the
// table's order: the run goes ahead, warned on stderr and in the report.
func (flags ParamFlags) Slips() []string {
	var out []string
	for _, f := range flags {
		if f.set && f.err == nil {
			if w := f.param.Slip(f.text, strategy.FromFlag); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}
