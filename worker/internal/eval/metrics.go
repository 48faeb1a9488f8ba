package eval

import (
	"math"
	"slices"
)

// FNMRAtFMR sets a distance threshold on the impostor distances so that at
// most a fraction fmr of them match (distance below the threshold), and
// returns the fraction of genuine distances that do not match at it.
// A comparison that could not be made (face not found) is a distance of
// +Inf: it never matches. threshold is the smallest impostor distance that
// must be rejected: pairs match when their distance is strictly below it
// (+Inf when every impostor may match). With no genuine distances fnmr is 0.
func FNMRAtFMR(genuine, impostor []float64, fmr float64) (fnmr, threshold float64) {
	imp := slices.Clone(impostor)
	slices.Sort(imp)
	// k impostors may match: the k smallest; the (k+1)-th must not.
	k := int(math.Floor(fmr*float64(len(imp)) + 1e-9))
	threshold = math.Inf(1)
	if k < len(imp) {
		threshold = imp[k]
	}
	if len(genuine) == 0 {
		return 0, threshold
	}
	miss := 0
	for _, d := range genuine {
		if !(d < threshold) {
			miss++
		}
	}
	return float64(miss) / float64(len(genuine)), threshold
}

// RateBelow is the fraction of distances at or below threshold (for
// impostors: the false-match rate at that threshold). NaN for none.
func RateBelow(distances []float64, threshold float64) float64 {
	n := 0
	for _, d := range distances {
		if d <= threshold {
			n++
		}
	}
	return float64(n) / float64(len(distances))
}

// Components labels the connected components of an undirected graph of n
// nodes: the result gives each node the smallest node index of its component.
func Components(n int, edges [][2]int) []int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(e[0]), find(e[1])
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		parent[b] = a
	}
	out := make([]int, n)
	for i := range out {
		out[i] = find(i)
	}
	return out
}

// Median of xs (mean of the middle two for an even count); 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
