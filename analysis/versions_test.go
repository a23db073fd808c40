package analysis

import (
	"runtime/debug"
	"testing"
)

func TestMainModuleVersion(t *testing.T) {
	gonb := &debug.Module{Path: "github.com/janpfeifer/gonb", Version: "v0.11.4"}
	local := &debug.Module{
		Path: "example.org/tool", Version: "v0.0.0",
		Replace: &debug.Module{Path: "../tool"},
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
		ok   bool
	}{
		{
			// How environment/setup.sh installs GoNB: `go install` of the
			// package from a throwaway module that requires it.
			name: "installed from a dependency",
			info: debug.BuildInfo{
				Path: "github.com/janpfeifer/gonb",
				Main: debug.Module{Path: "example.org/install-tmp", Version: "(devel)"},
				Deps: []*debug.Module{{Path: "github.com/janpfeifer", Version: "v9"}, gonb},
			},
			want: "v0.11.4", ok: true,
		},
		{
			name: "main package below the module root",
			info: debug.BuildInfo{
				Path: "golang.org/x/tools/cmd/goimports",
				Main: debug.Module{Path: "golang.org/x/tools", Version: "v0.52.0"},
			},
			want: "v0.52.0", ok: true,
		},
		{
			name: "module replaced by a directory",
			info: debug.BuildInfo{Path: "example.org/tool/cmd/x", Deps: []*debug.Module{local}},
			want: "(devel)", ok: true,
		},
		{
			name: "no module provides the main package",
			info: debug.BuildInfo{
				Path: "example.org/other",
				Main: debug.Module{Path: "example.org/otherwise"},
				Deps: []*debug.Module{gonb},
			},
			want: "", ok: false,
		},
	}
	for _, tt := range tests {
		got, ok := mainModuleVersion(&tt.info)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got (%q, %v), want (%q, %v)", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestModuleVersionAbsent(t *testing.T) {
	if v := ModuleVersion("example.org/not/linked"); v != "" {
		t.Errorf("ModuleVersion of an unlinked module = %q, want \"\"", v)
	}
}
