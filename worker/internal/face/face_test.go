package face

import (
	"math"
	"testing"
)

func TestDistance(t *testing.T) {
	var zero, unit, three4 Descriptor
	unit[0] = 1
	three4[0], three4[127] = 3, 4
	tests := []struct {
		name string
		a, b Descriptor
		want float64
	}{
		{"identical", unit, unit, 0},
		{"unit", zero, unit, 1},
		{"3-4-5", zero, three4, 5},
		{"symmetric", three4, zero, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Distance(tt.a, tt.b); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Distance = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		d    float64
		want int
	}{
		{-1, 100},
		{0, 100},
		{similarityKnots()[1].d, int(similarityKnots()[1].p)},
		{DefaultThreshold, MatchPercent},
		{10, 0},
		{math.Inf(1), 0},
		{math.NaN(), 0},
	}
	for _, tt := range tests {
		if got := Similarity(tt.d); got != tt.want {
			t.Errorf("Similarity(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
	// Monotone, within [0, 100], and a percent threshold of MatchPercent is
	// the same decision as DefaultThreshold.
	prev := 101
	for d := 0.0; d <= 1.5; d += 0.001 {
		s := Similarity(d)
		if s < 0 || s > 100 {
			t.Fatalf("Similarity(%v) = %d out of range", d, s)
		}
		if s > prev {
			t.Fatalf("Similarity not monotone at %v: %d > %d", d, s, prev)
		}
		prev = s
		if d < DefaultThreshold-0.002 && s < MatchPercent {
			t.Errorf("Similarity(%v) = %d below MatchPercent though distance matches", d, s)
		}
		if d > DefaultThreshold+0.002 && s >= MatchPercent {
			t.Errorf("Similarity(%v) = %d reaches MatchPercent though distance does not match", d, s)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		d, threshold float64
		want         bool
	}{
		{0, DefaultThreshold, true},
		{DefaultThreshold, DefaultThreshold, true},
		{DefaultThreshold + 1e-9, DefaultThreshold, false},
		{0.59, 0.6, true},
		{0.61, 0.6, false},
		{math.NaN(), 0.6, false},
	}
	for _, tt := range tests {
		if got := Match(tt.d, tt.threshold); got != tt.want {
			t.Errorf("Match(%v, %v) = %v, want %v", tt.d, tt.threshold, got, tt.want)
		}
	}
}
