package mrzread

import (
	"context"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/openkyc/kyc/worker/internal/mrz"
)

func readExact(t *testing.T, name string, img image.Image, want []string) *Read {
	t.Helper()
	rd, err := NewReader().Read(context.Background(), img)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	if strings.Join(rd.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %q\n want %q", name, rd.Lines, want)
		return nil
	}
	return rd
}

// Rows slanted beyond what row chaining follows are read on the image
// deskewed by the dominant angle of the text rows.
func TestReadStronglySkewed(t *testing.T) {
	for _, sp := range specimens[:3] {
		for _, angle := range []float64{-21, 17} {
			rd := readExact(t, sp.name+" at "+strconv.FormatFloat(angle, 'f', 0, 64)+"°", renderMRZ(sp.lines, 18, angle), sp.lines)
			if rd != nil && (!rd.Valid() || rd.Band.Empty()) {
				t.Errorf("%s at %v°: valid %v band %v", sp.name, angle, rd.Valid(), rd.Band)
			}
		}
	}
}

// Marks left of the first line (border print, punched holes) must not
// shift the character lattice.
func TestReadStrayMarksAtRowStart(t *testing.T) {
	const capPx = 18
	for _, sp := range specimens {
		img := renderMRZ(sp.lines, capPx, 0).(*image.Gray)
		b := img.Bounds()
		// Line 1's baseline sits at 7 cap heights; the text starts at 2.
		yc := 1 + 7*capPx - capPx/2
		for _, x0 := range []int{capPx / 4, capPx * 9 / 10} {
			for y := yc - capPx/3; y <= yc+capPx/3; y++ {
				for x := x0; x < x0+capPx*2/3 && x < b.Dx(); x++ {
					img.SetGray(x, y, color.Gray{Y: 30})
				}
			}
		}
		readExact(t, sp.name+" with stray marks", img, sp.lines)
	}
}

// Numeric state codes (non-ICAO issuers print them) are kept as digits
// when they read clearly as digits; letter codes keep the letter rule.
func TestReadNumericStateCode(t *testing.T) {
	cd := func(s string) string { return strconv.Itoa(mrz.CheckDigit(s)) }
	td2 := func(nat string) []string {
		doc, birth, expiry, opt := "HD198025<", "850509", "130509", "1204994"
		l2 := doc + cd(doc) + nat + birth + cd(birth) + "M" + expiry + cd(expiry) + opt
		l2 += cd(doc + cd(doc) + birth + cd(birth) + expiry + cd(expiry) + opt)
		return []string{"IDUTOSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<", l2}
	}
	for _, nat := range []string{"132", "407", "UTO", "D<<"} {
		lines := td2(nat)
		if rd := readExact(t, "nationality "+nat, renderMRZ(lines, 18, 0), lines); rd != nil && !rd.Valid() {
			t.Errorf("nationality %s: not valid", nat)
		}
	}
}

func TestLatticePhase(t *testing.T) {
	lattice := func(start, p float64, n int) []float64 {
		var ts []float64
		for i := 0; i < n; i++ {
			ts = append(ts, start+float64(i)*p)
		}
		return ts
	}
	cases := []struct {
		name string
		ts   []float64
		p    float64
		want float64
	}{
		{"clean", lattice(40, 20, 30), 20, 40},
		{"one stray mark half a pitch off", append([]float64{23.25}, lattice(60, 24.5, 44)...), 24.5, 60},
		{"two stray marks", append([]float64{16, 22.5}, lattice(59.5, 24.5, 44)...), 24.5, 59.5},
		{"stray mark in phase", append([]float64{20}, lattice(60, 20, 30)...), 20, 20},
	}
	for _, c := range cases {
		if got := latticePhase(c.ts, c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: phase %v, want %v", c.name, got, c.want)
		}
	}
}

// rowPiece builds a fitted row of n character components starting at
// lattice cell k0 (pitch p, origin x0).
func rowPiece(x0, p float64, k0, n int, y int) *textLine {
	var cs []comp
	for k := k0; k < k0+n; k++ {
		x := int(x0 + float64(k)*p)
		cs = append(cs, comp{x0: x, x1: x + int(0.7*p), y0: y, y1: y + int(1.2*p), n: 100})
	}
	return fitLine(cs)
}

func TestMergeLinesAcrossDamagedStretch(t *testing.T) {
	cases := []struct {
		name  string
		a, b  *textLine
		lines int
	}{
		{"close pieces", rowPiece(50, 20, 0, 20, 300), rowPiece(50, 20, 22, 14, 300), 1},
		{"gap of nine cells on one lattice", rowPiece(50, 20, 0, 20, 300), rowPiece(50, 20, 29, 8, 300), 1},
		{"gap of nine cells off the lattice", rowPiece(50, 20, 0, 20, 300), rowPiece(60, 20, 29, 8, 300), 2},
		{"other pitch", rowPiece(50, 20, 0, 20, 300), rowPiece(50, 26, 24, 8, 300), 2},
		{"too far", rowPiece(50, 20, 0, 20, 300), rowPiece(50, 20, 40, 8, 300), 2},
	}
	for _, c := range cases {
		if got := mergeLines([]*textLine{c.a, c.b}); len(got) != c.lines {
			t.Errorf("%s: %d lines, want %d", c.name, len(got), c.lines)
		}
	}
}

func TestDominantSkew(t *testing.T) {
	line := func(b float64, n int) *textLine { return &textLine{b: b, comps: make([]comp, n)} }
	cases := []struct {
		name  string
		lines []*textLine
		ok    bool
		angle float64
	}{
		{"level", []*textLine{line(0.01, 40), line(-0.02, 30)}, false, 0},
		{"slanted", []*textLine{line(-0.36, 30), line(-0.36, 20)}, true, math.Atan(-0.36)},
		{"mostly level", []*textLine{line(0.3, 5), line(0, 40)}, false, 0},
	}
	for _, c := range cases {
		a, ok := dominantSkew(c.lines)
		if ok != c.ok || math.Abs(a-c.angle) > 1e-9 {
			t.Errorf("%s: %v %v, want %v %v", c.name, a, ok, c.angle, c.ok)
		}
	}
}

func TestSkewMapKeepsRowsLevel(t *testing.T) {
	g := newGray(400, 300)
	for _, b := range []float64{-0.4, 0.25} {
		m := newSkewMap(g, math.Atan(b))
		// Two source points on a row of slope b map to one output row.
		inv := func(x, y float64) (float64, float64) {
			// Search the output point whose source is (x, y).
			dx, dy := x-m.cxIn, y-m.cyIn
			return m.cxOut + m.cos*dx + m.sin*dy, m.cyOut - m.sin*dx + m.cos*dy
		}
		x1, y1 := inv(100, 150)
		x2, y2 := inv(300, 150+200*b)
		if math.Abs(y1-y2) > 1e-6 || x2 <= x1 {
			t.Errorf("slope %v: (%v,%v) (%v,%v) not on one row", b, x1, y1, x2, y2)
		}
		if sx, sy := m.src(x1, y1); math.Abs(sx-100) > 1e-6 || math.Abs(sy-150) > 1e-6 {
			t.Errorf("slope %v: src %v,%v", b, sx, sy)
		}
	}
}

func TestLocalDrift(t *testing.T) {
	mk := func(offs []int8, score float32) []cellScores {
		cs := make([]cellScores, len(offs))
		for i, o := range offs {
			cs[i].score[5] = score
			cs[i].offX[5] = o
			cs[i].offY[5] = o / 2
		}
		return cs
	}
	cases := []struct {
		name  string
		cells []cellScores
		ok    bool
		dt0   float64 // drift of cell 0, pitches
	}{
		{"centred", mk([]int8{0, 1, 0, -1, 0, 0, 1, 0}, 0.9), false, 0},
		{"drift at the left", mk([]int8{-3, -3, -3, -2, -1, 0, 0, 0, 0, 0}, 0.9), true, -3.0 / tw},
		{"one outlier", mk([]int8{0, 0, 0, 3, 0, 0, 0, 0}, 0.9), false, 0},
		{"weak cells ignored", mk([]int8{-3, -3, -3, -3, -3, -3}, 0.4), false, 0},
	}
	for _, c := range cases {
		dt, _, ok := localDrift(c.cells, 3)
		if ok != c.ok || math.Abs(dt[0]-c.dt0) > 1e-9 {
			t.Errorf("%s: dt0 %v ok %v, want %v %v", c.name, dt[0], ok, c.dt0, c.ok)
		}
	}
}

// cellsFor builds cell scores that classify text with score s, with an
// optional runner-up per position.
func cellsFor(text string, s float32) []cellScores {
	cs := make([]cellScores, len(text))
	for i := range text {
		for k := range cs[i].score {
			cs[i].score[k] = 0.2
		}
		cs[i].score[strings.IndexByte(alphabet, text[i])] = s
	}
	return cs
}

func TestLetterDateFields(t *testing.T) {
	layout := mrz.Layout(mrz.TD2)
	line1 := "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<"
	cases := []struct {
		name  string
		line2 string
		free  []int // positions left as read
	}{
		{"dates", "D231458907UTO7408122F1204159<<<<<<<6", nil},
		{"misread dates", "D231458907UTO74O8I22F12O4159<<<<<<<6", nil},
		{"name in birth date", "9409923102854CORINNE<<<<<<<6512068F4", []int{13, 14, 15, 16, 17, 18}},
	}
	for _, c := range cases {
		raw := [][]byte{[]byte(line1), []byte(c.line2)}
		cells := [][]cellScores{cellsFor(line1, 0.9), cellsFor(c.line2, 0.9)}
		got := letterDateFields(layout, raw, cells)
		if len(got) != len(c.free) {
			t.Errorf("%s: %d free positions, want %v", c.name, len(got), c.free)
			continue
		}
		for _, p := range c.free {
			if !got[[2]int{1, p}] {
				t.Errorf("%s: position %d not free", c.name, p)
			}
		}
	}
}

func TestNumericCodeFields(t *testing.T) {
	line1 := "IDUTOSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<"
	cases := []struct {
		name  string
		line2 string
		score float32
		kept  bool
	}{
		{"digits", "HD198025<51328505095M130509012049941", 0.9, true},
		{"faint digits", "HD198025<51328505095M130509012049941", 0.6, false},
		{"letters", "HD198025<5UTO8505095M130509012049941", 0.9, false},
		{"mixed", "HD198025<5U3Z8505095M130509012049941", 0.9, false},
	}
	for _, c := range cases {
		raw := [][]byte{[]byte(line1), []byte(c.line2)}
		cells := [][]cellScores{cellsFor(line1, 0.9), cellsFor(c.line2, c.score)}
		got := numericCodeFields(mrz.TD2, raw, cells)
		if got[[2]int{1, 10}] != c.kept || got[[2]int{0, 2}] {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

func TestCheckProves(t *testing.T) {
	cases := []struct {
		cl   mrz.Class
		c    byte
		want bool
	}{
		{mrz.ClassNumeric, '0', true},
		{mrz.ClassCheck, '7', true},
		{mrz.ClassAlnum, '0', false}, // U has the value of 0 modulo 10
		{mrz.ClassAlnum, 'U', false},
		{mrz.ClassAlnum, '<', false}, // K
		{mrz.ClassAlnum, '8', true},  // B is 11
		{mrz.ClassAlnum, 'S', true},  // 5 differs
	}
	for _, c := range cases {
		if got := checkProves(c.cl, c.c); got != c.want {
			t.Errorf("checkProves(%c, %c) = %v, want %v", c.cl, c.c, got, c.want)
		}
	}
}

func TestAllHold(t *testing.T) {
	cases := []struct {
		valid map[string]bool
		want  bool
	}{
		{map[string]bool{"document_number": true, "birth_date": true, "composite": false}, true},
		{map[string]bool{"document_number": true, "birth_date": false, "composite": false}, false},
		{map[string]bool{}, true},
	}
	for _, c := range cases {
		if got := allHold(c.valid); got != c.want {
			t.Errorf("allHold(%v) = %v", c.valid, got)
		}
	}
}

// A failing field makes the composite unusable for repairs: a printed
// MRZ with a bad birth date check keeps its optional data as printed
// even when one look-alike swap there would satisfy the composite.
func TestCompositeNotRepairedWhenFieldFails(t *testing.T) {
	base := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408123F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	// Find an optional-data look-alike swap on line 1 that satisfies the
	// composite: put an 8 there such that B would make the composite hold.
	var lines []string
	for p := 18; p < 29 && lines == nil; p++ {
		l := []byte(base[1])
		l[p] = '8'
		for cd := '0'; cd <= '9'; cd++ {
			l[29] = byte(cd)
			withB := append([]byte(nil), l...)
			withB[p] = 'B'
			m8, _ := mrz.Parse([]string{base[0], string(l), base[2]})
			mB, _ := mrz.Parse([]string{base[0], string(withB), base[2]})
			if compositeValid(m8) == false && compositeValid(mB) {
				lines = []string{base[0], string(l), base[2]}
				break
			}
		}
	}
	if lines == nil {
		t.Fatal("the fixture found no optional-data swap that satisfies the composite")
	}
	cells := make([][]cellScores, 3)
	for i, l := range lines {
		cells[i] = cellsFor(l, 0.9)
	}
	// Make B a close runner-up of every 8.
	for j := range lines[1] {
		if lines[1][j] == '8' {
			cells[1][j].score[strings.IndexByte(alphabet, 'B')] = 0.88
		}
	}
	rd := NewReader().decode(cells)
	if strings.Join(rd.Lines, "\n") != strings.Join(lines, "\n") {
		t.Fatalf("got %q, want %q", rd.Lines, lines)
	}
	if rd.Valid() {
		t.Fatal("failing checks hidden")
	}
}

func compositeValid(m *mrz.MRZ) bool {
	if m == nil {
		return false
	}
	for _, c := range m.Checks {
		if c.Name == "composite" {
			return c.Valid
		}
	}
	return false
}
