package analysis

import (
	"debug/buildinfo"
	"fmt"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
)

// ModuleVersions reports the versions of the modules linked into the running
// program, as [path, version] pairs sorted by path. A module replaced by a
// local directory reports "(devel)". It returns nil when the program carries
// no module information.
func ModuleVersions() [][2]string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var out [][2]string
	for _, m := range info.Deps {
		out = append(out, [2]string{m.Path, moduleVersion(m)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// ModuleVersion returns the version of the module with the given path that
// is linked into the running program, or "" when the program does not link
// it (a module counts only when one of its packages is imported).
func ModuleVersion(path string) string {
	for _, m := range ModuleVersions() {
		if m[0] == path {
			return m[1]
		}
	}
	return ""
}

func moduleVersion(m *debug.Module) string {
	if m.Replace != nil {
		if m.Replace.Version == "" {
			return "(devel)"
		}
		return m.Replace.Version
	}
	return m.Version
}

// Component is one piece of the toolchain that a study run depends on.
type Component struct {
	Name    string // short name: "Go", "GoNB", "gonum", ...
	Module  string // module path; "" for the Go toolchain
	Version string // version, or "not linked" / an error text
}

// StudyComponents lists the Go toolchain, the GoNB kernel and the numerical
// and plotting libraries, with the versions the running program uses.
//
// Go is the toolchain that built the running program. The libraries (gonum,
// plot, gota, gonbui) are read from the program's build information, so a
// library shows "not linked" unless the program imports one of its packages.
// The GoNB kernel is read from the build information of the gonb program
// found on PATH: its own --version flag can lag behind the module version it
// was built from. For that entry Version holds the error when the program is
// missing.
func StudyComponents() []Component {
	libs := []Component{
		{Name: "gonum", Module: "gonum.org/v1/gonum"},
		{Name: "plot", Module: "gonum.org/v1/plot"},
		{Name: "gota", Module: "github.com/go-gota/gota"},
		{Name: "gonbui", Module: "github.com/janpfeifer/gonb"},
	}
	for i := range libs {
		libs[i].Version = ModuleVersion(libs[i].Module)
		if libs[i].Version == "" {
			libs[i].Version = "not linked"
		}
	}

	kernel := Component{Name: "GoNB kernel", Module: "github.com/janpfeifer/gonb"}
	v, err := ProgramVersion("gonb")
	if err != nil {
		kernel.Version = err.Error()
	} else {
		kernel.Version = v
	}

	out := []Component{{Name: "Go", Version: runtime.Version()}, kernel}
	return append(out, libs...)
}

// ProgramVersion returns the version of the module that provides the main
// package of the Go program name, found on PATH, as recorded in the build
// information the Go linker writes into the binary (what `go version -m`
// prints). A program built from a module checkout reports "(devel)".
func ProgramVersion(name string) (string, error) {
	file, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found on PATH", name)
	}
	info, err := buildinfo.ReadFile(file)
	if err != nil {
		// The error text names the absolute path; keep it out of outputs.
		return "", fmt.Errorf("%s: no Go build information in the program", name)
	}
	v, ok := mainModuleVersion(info)
	if !ok {
		return "", fmt.Errorf("%s: build information names no module for %s", name, info.Path)
	}
	return v, nil
}

// mainModuleVersion returns the version of the module that provides the main
// package described by info. The program may have been installed from a
// module that depends on that module, so it picks the module whose path is
// the longest prefix of the main package path.
func mainModuleVersion(info *debug.BuildInfo) (string, bool) {
	best, version := "", ""
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m == nil || m.Path == "" {
			continue
		}
		if (info.Path == m.Path || strings.HasPrefix(info.Path, m.Path+"/")) &&
			len(m.Path) > len(best) {
			best, version = m.Path, moduleVersion(m)
		}
	}
	return version, best != ""
}
