package analysis

import (
	"strings"
	"testing"
)

// TestHeteroTableDesignNames checks that the heterogeneity table takes the
// pilot dummy and the controls from the results' design: the same model
// under other column names gives the same table but for the term's label.
func TestHeteroTableDesignNames(t *testing.T) {
	d := simulate(120, 4)
	did, _ := d.Float("did")
	pop, _ := d.Float("lnpop")
	d.SetFloat("pilot", did)
	d.SetFloat("pop", pop)
	renamed := Design{Treat: "pilot", Controls: []string{"pop", "fiscal"}}

	table := func(des Design, opt HeteroOptions) string {
		t.Helper()
		h, err := Heterogeneity(d, des, SplitCoastal, opt)
		if err != nil {
			t.Fatal(err)
		}
		return HeteroTable([]*HeteroResult{h}, nil).Markdown()
	}
	want := table(simDesign, HeteroOptions{})
	got := table(renamed, HeteroOptions{})
	if !strings.Contains(want, "Pilot × post") || !strings.Contains(want, "| Controls | Yes") {
		t.Fatalf("table of the study's names:\n%s", want)
	}
	if strings.ReplaceAll(want, "Pilot × post", "pilot") != got {
		t.Errorf("renamed design:\n%s\nwant (but for the label)\n%s", got, want)
	}
	if md := table(renamed, HeteroOptions{NoControls: true}); !strings.Contains(md,
		"| Controls | No") || !strings.Contains(md, "| pilot |") {
		t.Errorf("without controls:\n%s", md)
	}
}

func TestRobustnessTableSameProvince(t *testing.T) {
	d := simulate(120, 4)
	b, err := Baseline(d, simDesign)
	if err != nil {
		t.Fatal(err)
	}
	des := simDesign
	des.SameProvince = true
	same, err := Baseline(d, des)
	if err != nil {
		t.Fatal(err)
	}
	md := RobustnessTable(b, nil, same).Markdown()
	if !strings.Contains(md, "| Baseline | Same-province controls |") ||
		!strings.Contains(md, "Same-province controls: only the never-pilot cities") {
		t.Errorf("robustness table:\n%s", md)
	}
	defer func() {
		if recover() == nil {
			t.Error("a model without same-province controls was accepted as one")
		}
	}()
	RobustnessTable(b, nil, b)
}
