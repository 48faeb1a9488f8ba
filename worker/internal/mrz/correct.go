package mrz

// Class is the character class a position of an MRZ may hold.
type Class byte

// Character classes of MRZ positions.
const (
	// ClassAlpha positions hold letters or the filler (codes, names).
	ClassAlpha Class = 'A'
	// ClassNumeric positions hold digits only (dates).
	ClassNumeric Class = 'N'
	// ClassCheck positions hold a check digit (a digit, or a filler where
	// ICAO allows it).
	ClassCheck Class = 'C'
	// ClassAlnum positions hold letters, digits or the filler (document
	// number, optional data).
	ClassAlnum Class = 'X'
	// ClassSex positions hold M, F, X or the filler.
	ClassSex Class = 'S'
)

func rep(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// Layout returns, for each line of format f, a string of Class values giving
// the class of every position. It returns nil for an unknown format.
func Layout(f Format) []string {
	A, N, C, X, S := byte(ClassAlpha), byte(ClassNumeric), byte(ClassCheck), byte(ClassAlnum), byte(ClassSex)
	dates := rep(N, 6)
	switch f {
	case TD1:
		return []string{
			rep(A, 5) + rep(X, 9) + string(C) + rep(X, 15),
			dates + string(C) + string(S) + dates + string(C) + rep(A, 3) + rep(X, 11) + string(C),
			rep(A, 30),
		}
	case TD2, MRVB, TD3, MRVA:
		_, n := Shape(f)
		l2 := rep(X, 9) + string(C) + rep(A, 3) + dates + string(C) + string(S) + dates + string(C)
		switch f {
		case TD2:
			l2 += rep(X, 7) + string(C)
		case MRVB:
			l2 += rep(X, 8)
		case TD3:
			l2 += rep(X, 14) + string(C) + string(C)
		case MRVA:
			l2 += rep(X, 16)
		}
		return []string{rep(A, n), l2}
	}
	return nil
}

// Allowed tells whether character c may appear in a position of class cl.
func (cl Class) Allowed(c byte) bool {
	isDigit := c >= '0' && c <= '9'
	isLetter := c >= 'A' && c <= 'Z'
	switch cl {
	case ClassAlpha:
		return isLetter || c == Filler
	case ClassNumeric:
		return isDigit
	case ClassCheck:
		return isDigit || c == Filler
	case ClassSex:
		return c == 'M' || c == 'F' || c == 'X' || c == Filler
	}
	return isDigit || isLetter || c == Filler
}

// ToDigit maps letters that OCR commonly confuses with a digit to that digit.
var ToDigit = map[byte]byte{
	'O': '0', 'Q': '0', 'D': '0', 'U': '0',
	'I': '1', 'L': '1', 'T': '1',
	'Z': '2', 'S': '5', 'G': '6', 'B': '8',
}

// ToLetter maps digits that OCR commonly confuses with a letter to that
// letter.
var ToLetter = map[byte]byte{
	'0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B',
}

// Change records one character changed by Correct.
type Change struct {
	Line, Pos int
	From, To  byte
}

// Correct repairs OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6...) in a
// read MRZ using the field types and the check digits, conservatively:
//
//   - a character is only changed in a field covered by a check digit;
//   - in date and check-digit positions, letters are mapped to the digit they
//     resemble, and the change is kept only if the field's check digit then
//     holds;
//   - in alphanumeric fields (document number, optional data) a single
//     letter/digit swap is kept only if it is the one swap that makes the
//     failing check digit hold.
//
// A check digit that fails with digits that look like digits is never
// "fixed": no digit is invented. The lines are returned unchanged when their
// format is unknown. The input slice is not modified.
func Correct(lines []string) ([]string, []Change) {
	out := append([]string(nil), lines...)
	m, err := Parse(out)
	if err != nil {
		return out, nil
	}
	out = append([]string(nil), m.Lines...)
	layout := Layout(m.Format)
	buf := make([][]byte, len(out))
	for i := range out {
		buf[i] = []byte(out[i])
	}
	var changes []Change
	for _, ck := range m.Checks {
		if ck.Name == "composite" {
			continue
		}
		if ck.Valid {
			continue
		}
		positions := fieldPositions(m, ck)
		if positions == nil {
			continue
		}
		// Step 1: type-forced mapping of letters in numeric/check positions.
		trial := make([]Change, 0, 4)
		for _, p := range positions {
			cl := Class(layout[p[0]][p[1]])
			c := buf[p[0]][p[1]]
			if cl == ClassNumeric || cl == ClassCheck {
				if d, ok := ToDigit[c]; ok {
					trial = append(trial, Change{p[0], p[1], c, d})
				}
			}
		}
		apply(buf, trial)
		if checkHolds(buf, positions) {
			changes = append(changes, trial...)
			continue
		}
		// Step 2: exactly one single swap in an alphanumeric position.
		var found []Change
		for _, p := range positions {
			cl := Class(layout[p[0]][p[1]])
			if cl != ClassAlnum {
				continue
			}
			c := buf[p[0]][p[1]]
			var alt byte
			if d, ok := ToDigit[c]; ok {
				alt = d
			} else if l, ok := ToLetter[c]; ok {
				alt = l
			} else {
				continue
			}
			buf[p[0]][p[1]] = alt
			if checkHolds(buf, positions) {
				found = append(found, Change{p[0], p[1], c, alt})
			}
			buf[p[0]][p[1]] = c
		}
		if len(found) == 1 {
			changes = append(changes, trial...)
			apply(buf, found)
			changes = append(changes, found...)
			continue
		}
		undo(buf, trial)
	}
	for i := range out {
		out[i] = string(buf[i])
	}
	return out, changes
}

func apply(buf [][]byte, ch []Change) {
	for _, c := range ch {
		buf[c.Line][c.Pos] = c.To
	}
}

func undo(buf [][]byte, ch []Change) {
	for i := len(ch) - 1; i >= 0; i-- {
		buf[ch[i].Line][ch[i].Pos] = ch[i].From
	}
}

// fieldPositions returns the positions covered by a non-composite check:
// the data positions followed by the check character position. Data of every
// non-composite check lies on the check's own line just before it, except for
// the TD1/TD2 long document number that spans two fields.
func fieldPositions(m *MRZ, ck Check) [][2]int {
	var start int
	switch ck.Name {
	case "document_number":
		if m.Format == TD1 {
			start = 5
		} else {
			start = 0
		}
	case "birth_date":
		if m.Format == TD1 {
			start = 0
		} else {
			start = 13
		}
	case "expiry_date":
		if m.Format == TD1 {
			start = 8
		} else {
			start = 21
		}
	case "optional_data":
		start = 28
	default:
		return nil
	}
	var ps [][2]int
	if ck.Name == "document_number" && len(ck.Data) > 9 {
		// Long document number: 9 characters, then the overflow after the
		// filler that stands at the regular check position.
		for p := start; p < start+9; p++ {
			ps = append(ps, [2]int{ck.Line, p})
		}
		for p := start + 10; p <= ck.Pos; p++ {
			ps = append(ps, [2]int{ck.Line, p})
		}
		return ps
	}
	for p := start; p <= ck.Pos; p++ {
		ps = append(ps, [2]int{ck.Line, p})
	}
	return ps
}

// checkHolds recomputes the check over positions (data then check char).
func checkHolds(buf [][]byte, positions [][2]int) bool {
	data := make([]byte, 0, len(positions)-1)
	for _, p := range positions[:len(positions)-1] {
		data = append(data, buf[p[0]][p[1]])
	}
	last := positions[len(positions)-1]
	_, ok := checkMatches(string(data), buf[last[0]][last[1]], false)
	return ok
}
