package mrzread

import (
	"github.com/openkyc/kyc/worker/internal/mrz"
)

// Document-adapted templates.
//
// Printers, fonts and scans differ from the OCR-B specimen: a typewriter
// zero can look like a U, a faint E like an F. The characters a document
// prints for sure (those of fields whose check digit holds, and those the
// generic templates classify with a clear lead) show how this document
// renders them. adapt averages them into per-class templates of the
// document and scores every other cell against them too, so that the
// uncertain cells follow the document's own glyphs.

// Thresholds of adapted scoring.
const (
	// sureScore and sureLead select confidently classified cells as
	// examples outside the check-digit fields.
	sureScore = 0.9
	sureLead  = 0.1
	// adaptSX, adaptSY is the sampling margin (grid units) of adapted
	// scoring, as in the final pass of readLine.
	adaptSX, adaptSY = 3, 2
	// adaptLead is how much better than the generic best a check-proven
	// glyph of an unrelated class must match to take a cell.
	adaptLead = 0.02
)

// sureCells marks, per line, the cells whose character is established:
// positions of non-composite checks that hold in rd (check character
// included, with their resolved characters) and cells whose raw
// classification has a clear lead.
func sureCells(rd *Read, cells [][]cellScores) [][]sureKind {
	sure := make([][]sureKind, len(cells))
	for i := range cells {
		sure[i] = make([]sureKind, len(cells[i]))
		for j := range cells[i] {
			c := &cells[i][j]
			b, bs := c.best()
			if bs < sureScore || alphabet[b] != rd.Lines[i][j] {
				continue
			}
			var second float32 = -1
			for k := 0; k < nClasses; k++ {
				if k != b && c.score[k] > second {
					second = c.score[k]
				}
			}
			if bs-second >= sureLead {
				sure[i][j] = sureByLead
			}
		}
	}
	if rd.MRZ == nil {
		return sure
	}
	for _, ck := range rd.MRZ.Checks {
		if ck.Name == "composite" || !ck.Valid {
			continue
		}
		// A check over a field of fillers only proves nothing.
		if isFillers(ck.Data) {
			continue
		}
		layout := mrz.Layout(rd.MRZ.Format)
		for _, p := range checkPositions(rd.MRZ, ck) {
			if p[0] < len(sure) && p[1] < len(sure[p[0]]) && p[1] < len(layout[p[0]]) &&
				checkProves(mrz.Class(layout[p[0]][p[1]]), rd.Lines[p[0]][p[1]]) {
				sure[p[0]][p[1]] = sureByCheck
			}
		}
	}
	return sure
}

// checkProves tells whether a holding check digit establishes character c
// at a position of class cl: not when a look-alike allowed there has the
// same value modulo 10 (U and 0, K and <), as the check cannot tell them
// apart.
func checkProves(cl mrz.Class, c byte) bool {
	v := mrz.CharValue(c)
	for k := 0; k < nClasses; k++ {
		a := alphabet[k]
		if a != c && cl.Allowed(a) && confusable(a, c) && mrz.CharValue(a)%10 == v%10 {
			return false
		}
	}
	return true
}

// sureKind tells why a cell's character is established.
type sureKind uint8

const (
	notSure     sureKind = iota
	sureByLead           // classified with a clear lead
	sureByCheck          // in a field whose check digit holds
)

func isFillers(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != mrz.Filler {
			return false
		}
	}
	return true
}

// patchAt cuts the tw x th window at grid offset (ox, oy) out of a region
// sampled with margins sx, sy, normalised to zero mean and unit norm.
func patchAt(region []float32, sx, sy, ox, oy int) []float32 {
	rw := tw + 2*sx
	p := make([]float32, tsize)
	for y := 0; y < th; y++ {
		copy(p[y*tw:(y+1)*tw], region[(y+oy+sy)*rw+ox+sx:(y+oy+sy)*rw+ox+sx+tw])
	}
	normalize(p)
	return p
}

// adapt returns a copy of cells in which every cell that is not sure also
// scores each class against the document's own examples of that class,
// lines being the characters finally read (the better of the generic and
// the adapted score is kept). It returns nil when the document gives no
// examples.
func adapt(g *gray, geoms []lineGeom, cells [][]cellScores, lines []string, sure [][]sureKind) [][]cellScores {
	regions := make([][][]float32, len(cells))
	for i := range cells {
		regions[i] = make([][]float32, len(cells[i]))
		for j := range cells[i] {
			regions[i][j] = geoms[i].sample(g, float64(j), adaptSX, adaptSY)
		}
	}
	var sums [nClasses][]float32
	var checked [nClasses]bool
	found := false
	for i := range cells {
		for j := range cells[i] {
			if sure[i][j] == notSure || j >= len(lines[i]) {
				continue
			}
			k := classIndex(lines[i][j])
			if k < 0 {
				continue
			}
			c := &cells[i][j]
			p := patchAt(regions[i][j], adaptSX, adaptSY, int(c.offX[k]), int(c.offY[k]))
			if sums[k] == nil {
				sums[k] = make([]float32, tsize)
			}
			for x := range p {
				sums[k][x] += p[x]
			}
			checked[k] = checked[k] || sure[i][j] == sureByCheck
			found = true
		}
	}
	if !found {
		return nil
	}
	for k := range sums {
		if sums[k] != nil {
			normalize(sums[k])
		}
	}
	// Where the document prints two look-alikes the same way, examples
	// established by a check digit outweigh those established by a lead
	// over the generic templates (a typewriter zero classified as U).
	var tmpl [nClasses][]float32
	for k := range sums {
		tmpl[k] = sums[k]
		if sums[k] == nil || checked[k] {
			continue
		}
		for m := range sums {
			if m != k && checked[m] && sums[m] != nil && confusable(alphabet[k], alphabet[m]) && dot32(sums[k], sums[m]) > 0.85 {
				tmpl[k] = nil
				break
			}
		}
	}
	out := make([][]cellScores, len(cells))
	for i := range cells {
		out[i] = append([]cellScores(nil), cells[i]...)
		for j := range cells[i] {
			if sure[i][j] == sureByCheck {
				continue
			}
			if sure[i][j] == sureByLead {
				// Still sure unless its class's examples were set aside.
				if k := classIndex(lines[i][j]); k >= 0 && tmpl[k] != nil {
					continue
				}
			}
			scoreAdapted(&out[i][j], regions[i][j], &tmpl, &checked)
		}
	}
	return out
}

func dot32(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func classIndex(c byte) int {
	for k := 0; k < nClasses; k++ {
		if alphabet[k] == c {
			return k
		}
	}
	return -1
}

// scoreAdapted raises the scores of cs to the best correlation of the
// region with the document's templates (nil for classes without examples)
// at any offset, for the cell's best generic class and its look-alikes:
// the document's glyphs settle confusions, they do not let a class with
// examples win over an unrelated one without.
func scoreAdapted(cs *cellScores, region []float32, tmpl *[nClasses][]float32, checked *[nClasses]bool) {
	b, bs := cs.best()
	const sx, sy = adaptSX, adaptSY
	rw := tw + 2*sx
	nOx, nOy := 2*sx+1, 2*sy+1
	inv := windowInvNorms(region, sx, sy)
	for k := 0; k < nClasses; k++ {
		t := tmpl[k]
		if t == nil {
			continue
		}
		related := k == b || confusable(alphabet[k], alphabet[b])
		if !related && !checked[k] {
			continue
		}
		best, bx, by := float32(-2), 0, 0
		for oy := 0; oy < nOy; oy++ {
			for ox := 0; ox < nOx; ox++ {
				var s float32
				for y := 0; y < th; y++ {
					row := region[(y+oy)*rw+ox : (y+oy)*rw+ox+tw]
					tv := t[y*tw : y*tw+tw]
					for x := range tv {
						s += tv[x] * row[x]
					}
				}
				if v := s * inv[oy*nOx+ox]; v > best {
					best, bx, by = v, ox, oy
				}
			}
		}
		// An unrelated class may only win on the document's glyphs when
		// they were established by a check digit and match clearly better
		// than any generic template (a typewriter 7 read as Y).
		if best <= cs.score[k] || !related && !(checked[k] && best >= bs+adaptLead) {
			continue
		}
		cs.score[k] = best
		cs.offX[k] = int8(bx - sx)
		cs.offY[k] = int8(by - sy)
	}
}
