package twin_test

import (
	"fmt"

	"example.org/smartcity/analysis/panel"
	"example.org/smartcity/analysis/twin"
)

func ExampleGenerate() {
	tw, err := twin.Generate(twin.Config{Seed: twin.DefaultSeed})
	if err != nil {
		panic(err)
	}
	f, rep, err := tw.StudyFrame(panel.StudyOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.Label)
	fmt.Println(f.Len(), "city-years;", len(tw.Pilots), "pilot cities")
	fmt.Printf("true ATT, 2012 batch: %.4f\n", tw.Truth.ATT2012.ATT)
	// Output:
	// SYNTHETIC TWIN (seed 20121205)
	// 2752 city-years; 78 pilot cities
	// true ATT, 2012 batch: 0.0185
}
