//go:build tools

// This file pins modules that the notebooks use but no package of the module
// imports, so that go.mod records their versions.
package tools

import (
	_ "github.com/go-gota/gota/dataframe"
	_ "github.com/janpfeifer/gonb/gonbui"
)
