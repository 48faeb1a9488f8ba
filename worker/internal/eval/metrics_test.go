package eval

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestFNMRAtFMR(t *testing.T) {
	inf := math.Inf(1)
	// 100 impostors at 0.50, 0.51, ..., 1.49.
	imp := make([]float64, 100)
	for i := range imp {
		imp[i] = 0.5 + float64(i)/100
	}
	tests := []struct {
		name          string
		genuine, imp  []float64
		fmr           float64
		wantFNMR, thr float64
	}{
		{"1% of 100 impostors: one may match", []float64{0.3, 0.505, 0.509, 0.52}, imp, 0.01, 0.25, 0.51},
		{"0.1% of 100: none may match", []float64{0.3, 0.49, 0.5, 0.7}, imp, 0.001, 0.5, 0.5},
		{"10%", []float64{0.55, 0.59, 0.6, 0.61}, imp, 0.1, 0.5, 0.6},
		{"failed genuine never matches", []float64{0.1, inf}, imp, 0.5, 0.5, 1.0},
		{"failed impostors sort last", []float64{0.8, 0.9}, []float64{inf, 0.85, inf, inf}, 0, 0.5, 0.85},
		{"failed impostors never match", []float64{0.8, 0.9}, []float64{inf, 0.85, inf, inf}, 0.25, 0, inf},
		{"all impostors may match", []float64{5, inf}, []float64{1, 2}, 1, 0.5, inf},
		{"no genuine", nil, imp, 0.01, 0, 0.51},
		{"unsorted impostors", []float64{0.45, 0.55}, []float64{0.9, 0.4, 0.6, 0.5}, 0.25, 0.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.imp)
			fnmr, thr := FNMRAtFMR(tt.genuine, tt.imp, tt.fmr)
			if math.Abs(fnmr-tt.wantFNMR) > 1e-12 || !(thr == tt.thr || math.Abs(thr-tt.thr) < 1e-12) {
				t.Errorf("FNMRAtFMR = (%v, %v), want (%v, %v)", fnmr, thr, tt.wantFNMR, tt.thr)
			}
			if !slices.Equal(in, tt.imp) {
				t.Error("impostor slice modified")
			}
		})
	}
}

func TestRateBelow(t *testing.T) {
	tests := []struct {
		d    []float64
		thr  float64
		want float64
	}{
		{[]float64{0.1, 0.2, 0.3, 0.4}, 0.2, 0.5},
		{[]float64{0.1, math.Inf(1)}, 10, 0.5},
		{[]float64{0.5}, 0.4, 0},
	}
	for _, tt := range tests {
		if got := RateBelow(tt.d, tt.thr); got != tt.want {
			t.Errorf("RateBelow(%v, %v) = %v, want %v", tt.d, tt.thr, got, tt.want)
		}
	}
}

func TestComponents(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		edges [][2]int
		want  []int
	}{
		{"no edges", 3, nil, []int{0, 1, 2}},
		{"chain", 4, [][2]int{{3, 2}, {2, 1}}, []int{0, 1, 1, 1}},
		{"two groups", 6, [][2]int{{0, 2}, {4, 2}, {1, 5}}, []int{0, 1, 0, 3, 0, 1}},
		{"cycle and self loop", 4, [][2]int{{0, 1}, {1, 2}, {2, 0}, {3, 3}}, []int{0, 0, 0, 3}},
		{"merge two groups late", 5, [][2]int{{3, 4}, {1, 2}, {4, 1}}, []int{0, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Components(tt.n, tt.edges); !slices.Equal(got, tt.want) {
				t.Errorf("Components = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := Median(tt.xs); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

func TestLoadCases(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.jsonl")
	data := `{"id": "a", "task": "face_pair", "images": ["x/1.png", "2.jpg"], "same": true}

{"id": "b", "task": "mrz", "image": "doc.jpg", "mrz": ["P<X"], "checkDigitsValid": false}
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cases, err := LoadCases(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("%d cases, want 2", len(cases))
	}
	a, b := cases[0], cases[1]
	if a.Task != "face_pair" || a.Same == nil || !*a.Same || len(a.Images) != 2 ||
		a.Images[0] != filepath.Join(dir, "x", "1.png") || a.Images[1] != filepath.Join(dir, "2.jpg") {
		t.Errorf("face_pair case decoded as %+v", a)
	}
	if b.Image != filepath.Join(dir, "doc.jpg") || b.Same != nil || len(b.Raw) == 0 {
		t.Errorf("mrz case decoded as %+v", b)
	}
	if err := os.WriteFile(path, []byte(`{"id": "c"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCases(path); err == nil {
		t.Error("case without task accepted")
	}
}
