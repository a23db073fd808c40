package fe

import (
	"fmt"
	"strings"
)

// Formula is a model as written: the outcome, the regressors and the fixed
// effects. A term of Y or X is a column name or log(name); a fixed effect is
// a column name or an interaction of columns joined by "^" (province^year),
// which gives one effect per combination of levels.
type Formula struct {
	Y  string
	X  []string
	FE []string
}

// ParseFormula reads "y ~ x1 + log(x2) | fe1 + fe2^fe3". Without "|" the
// model has no fixed effects and Fit adds an intercept. Spaces are ignored.
// Column names may hold letters, digits, '_' and '.'.
func ParseFormula(s string) (Formula, error) {
	var f Formula
	lhs, rhs, ok := strings.Cut(s, "~")
	if !ok {
		return f, fmt.Errorf("formula %q: no '~' between the outcome and the regressors", s)
	}
	if strings.Contains(rhs, "~") {
		return f, fmt.Errorf("formula %q: more than one '~'", s)
	}
	y := stripSpace(lhs)
	if err := checkTerm(y); err != nil {
		return f, fmt.Errorf("formula %q: outcome: %v", s, err)
	}
	f.Y = y

	xs, fes, hasFE := strings.Cut(rhs, "|")
	if hasFE && strings.Contains(fes, "|") {
		return f, fmt.Errorf("formula %q: more than one '|'", s)
	}
	for _, t := range strings.Split(xs, "+") {
		t = stripSpace(t)
		if err := checkTerm(t); err != nil {
			return f, fmt.Errorf("formula %q: regressor: %v", s, err)
		}
		f.X = append(f.X, t)
	}
	if hasFE {
		for _, t := range strings.Split(fes, "+") {
			t = strings.TrimSpace(t)
			if t == "" {
				return f, fmt.Errorf("formula %q: empty fixed-effect term", s)
			}
			for _, part := range strings.Split(t, "^") {
				if !isName(strings.TrimSpace(part)) {
					return f, fmt.Errorf("formula %q: fixed effect %q: %q is not a column name",
						s, t, part)
				}
			}
			f.FE = append(f.FE, canonicalFE(t))
		}
	}
	if err := f.checkDuplicates(); err != nil {
		return f, fmt.Errorf("formula %q: %v", s, err)
	}
	return f, nil
}

// String writes the formula back in the syntax ParseFormula reads.
func (f Formula) String() string {
	s := f.Y + " ~ " + strings.Join(f.X, " + ")
	if len(f.FE) > 0 {
		s += " | " + strings.Join(f.FE, " + ")
	}
	return s
}

// Validate checks a Formula built by hand as ParseFormula checks a string.
func (f Formula) Validate() error {
	if err := checkTerm(f.Y); err != nil {
		return fmt.Errorf("outcome: %v", err)
	}
	if len(f.X) == 0 {
		return fmt.Errorf("no regressors")
	}
	for _, t := range f.X {
		if err := checkTerm(t); err != nil {
			return fmt.Errorf("regressor: %v", err)
		}
	}
	for _, t := range f.FE {
		for _, part := range strings.Split(t, "^") {
			if !isName(strings.TrimSpace(part)) {
				return fmt.Errorf("fixed effect %q: %q is not a column name", t, part)
			}
		}
	}
	return f.checkDuplicates()
}

func (f Formula) checkDuplicates() error {
	seen := map[string]bool{}
	for _, t := range f.X {
		if seen[t] {
			return fmt.Errorf("regressor %q appears twice", t)
		}
		seen[t] = true
	}
	seen = map[string]bool{}
	for _, t := range f.FE {
		if seen[t] {
			return fmt.Errorf("fixed effect %q appears twice", t)
		}
		seen[t] = true
	}
	return nil
}

func stripSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func canonicalFE(t string) string {
	parts := strings.Split(t, "^")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, "^")
}

// checkTerm accepts "name" and "log(name)".
func checkTerm(t string) error {
	if t == "" {
		return fmt.Errorf("empty term")
	}
	if _, inner, isLog := splitLog(t); isLog {
		if !isName(inner) {
			return fmt.Errorf("%q: log() must hold one column name", t)
		}
		return nil
	}
	if !isName(t) {
		return fmt.Errorf("%q is not a column name or log(column)", t)
	}
	return nil
}

// splitLog returns the function and the column of a term: ("log", "x", true)
// for "log(x)", ("", t, false) otherwise.
func splitLog(t string) (fn, col string, ok bool) {
	if strings.HasPrefix(t, "log(") && strings.HasSuffix(t, ")") {
		return "log", strings.TrimSpace(t[4 : len(t)-1]), true
	}
	return "", t, false
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}
