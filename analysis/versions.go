package analysis

import (
	"runtime/debug"
	"sort"
)

// ModuleVersions reports the versions of the modules linked into the running
// binary, keyed by module path, sorted by path. It returns nil when the build
// carries no module information (for example under some test runners).
func ModuleVersions() [][2]string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var out [][2]string
	for _, m := range info.Deps {
		v := m.Version
		if m.Replace != nil {
			v = m.Replace.Version
		}
		out = append(out, [2]string{m.Path, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
