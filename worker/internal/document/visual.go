package document

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/worker/internal/mrz"
)

// ItemConsistency is the document check item comparing the MRZ with the
// visual zone.
const ItemConsistency = "mrzVisualConsistency"

// VisualWord is a word read in the visual zone with its OCR confidence
// (0..100).
type VisualWord struct {
	Text string
	Conf float64
}

// Consistency is the comparison of an MRZ's fields with the visual zone:
// the titles of the fields found there with the same value, and of those
// found with another one.
type Consistency struct {
	Agree, Disagree []string
	// Chars counts the letters and digits read in the visual zone.
	Chars int
}

// minVisualChars is the least visual text (letters and digits) under which
// the visual zone is not compared at all.
const minVisualChars = 12

// cleanConf is the OCR confidence from which a visual date counts as read
// for sure, so that it may contradict the MRZ.
const cleanConf = 85

// CompareVisual compares the MRZ's surname, given names, document number,
// birth and expiry dates with the lines of words read in the visual zone.
// A field agrees when its value is found there (names and numbers up to
// OCR slips, dates in any usual printed format). Only dates can disagree,
// and only when they clearly do: the visual zone's birth date (the
// earliest of at least three dates, 12 years or more before the others) or
// expiry date (the latest of at least three) read with high confidence, differing from
// the MRZ's in at least two of day, month and year, while no visual date
// matches the MRZ's.
func CompareVisual(m *mrz.MRZ, lines [][]VisualWord, now time.Time) Consistency {
	var c Consistency
	var texts []string
	for _, l := range lines {
		var parts []string
		for _, w := range l {
			parts = append(parts, strings.ToUpper(w.Text))
			for _, r := range w.Text {
				if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
					c.Chars++
				}
			}
		}
		texts = append(texts, strings.Join(parts, " "))
	}
	if c.Chars < minVisualChars {
		return c
	}
	agree := func(title string, ok bool) {
		if ok {
			c.Agree = append(c.Agree, title)
		}
	}
	agree(TitleSurname, namesFound(strings.Fields(m.Surname), texts, true))
	agree(TitleGivenNames, namesFound(strings.Fields(m.GivenNames), texts, false))
	agree(TitleDocumentNumber, numberFound(strings.ReplaceAll(m.DocumentNumber, "<", ""), texts))

	var dates []visualDate
	for i, l := range lines {
		dates = append(dates, findDates(texts[i], l)...)
	}
	birth, okB := parseDate(m.BirthDate, now, false)
	expiry, okE := parseDate(m.ExpiryDate, now, true)
	switch {
	case okB && anyDate(dates, birth):
		c.Agree = append(c.Agree, TitleBirthDate)
	case okB && birthContradicted(dates, birth, now):
		c.Disagree = append(c.Disagree, TitleBirthDate)
	}
	switch {
	case okE && anyDate(dates, expiry):
		c.Agree = append(c.Agree, TitleExpiryDate)
	case okE && expiryContradicted(dates, expiry, now):
		c.Disagree = append(c.Disagree, TitleExpiryDate)
	}
	return c
}

// Item is the consistency check item: failed when a field disagrees,
// success when at least one agrees, idle when too little was read to say
// (little text, or none of the MRZ's fields in it).
func (c Consistency) Item() kyc.CheckItem {
	switch {
	case len(c.Disagree) > 0:
		return kyc.CheckItem{Caption: ItemConsistency, Status: kyc.StatusFailed, Value: "differs: " + strings.Join(c.Disagree, ", ")}
	case len(c.Agree) > 0:
		return kyc.CheckItem{Caption: ItemConsistency, Status: kyc.StatusSuccess, Value: "agrees: " + strings.Join(c.Agree, ", ")}
	case c.Chars >= minVisualChars:
		return kyc.CheckItem{Caption: ItemConsistency, Status: kyc.StatusIdle, Value: "no MRZ field found in the visual zone"}
	}
	return kyc.CheckItem{Caption: ItemConsistency, Status: kyc.StatusIdle, Value: "not enough visual text"}
}

// Confirm raises the confidence of the fields the visual zone agrees with
// by one step (low to medium, medium to high).
func (c Consistency) Confirm(fields []kyc.Field) {
	for i := range fields {
		for _, t := range c.Agree {
			if fields[i].Title != t {
				continue
			}
			switch fields[i].Conf {
			case kyc.ConfLow:
				fields[i].Conf = kyc.ConfMedium
			case kyc.ConfMedium:
				fields[i].Conf = kyc.ConfHigh
			}
		}
	}
}

// tolerance is the edit distance accepted for a name or number of n
// characters read by OCR.
func tolerance(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 8:
		return 1
	}
	return 2
}

// namesFound reports whether the name parts (of three letters or more;
// all of them when all is set, else the first) are in the visual text.
// Short parts must be whole words; longer ones may be run into other
// letters or split, up to OCR slips.
func namesFound(parts []string, texts []string, all bool) bool {
	var want []string
	for _, p := range parts {
		if len(p) >= 3 {
			want = append(want, p)
		}
	}
	if len(want) == 0 {
		return false
	}
	if !all {
		want = want[:1]
	}
	for _, p := range want {
		found := false
		for _, t := range texts {
			if len(p) <= 4 {
				for _, w := range splitAlnum(t) {
					if w == p {
						found = true
					}
				}
			} else if substringDistance(p, lettersOnly(t)) <= tolerance(len(p)) {
				found = true
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// numberFound reports whether the document number (five characters or
// more) is in the visual text, spaces ignored, up to one OCR slip when it
// is eight characters or longer.
func numberFound(num string, texts []string) bool {
	if len(num) < 5 {
		return false
	}
	tol := 0
	if len(num) >= 8 {
		tol = 1
	}
	for _, t := range texts {
		if substringDistance(num, alnumOnly(t)) <= tol {
			return true
		}
	}
	return false
}

func splitAlnum(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
}

func lettersOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, s)
}

func alnumOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// substringDistance is the least edit distance between p and any
// substring of t (Sellers' algorithm).
func substringDistance(p, t string) int {
	if len(p) == 0 {
		return 0
	}
	prev := make([]int, len(p)+1)
	cur := make([]int, len(p)+1)
	for i := range prev {
		prev[i] = i
	}
	best := prev[len(p)]
	for j := 1; j <= len(t); j++ {
		cur[0] = 0
		for i := 1; i <= len(p); i++ {
			cost := 1
			if p[i-1] == t[j-1] {
				cost = 0
			}
			cur[i] = min(prev[i-1]+cost, prev[i]+1, cur[i-1]+1)
		}
		best = min(best, cur[len(p)])
		prev, cur = cur, prev
	}
	return best
}

// visualDate is a date read in the visual zone.
type visualDate struct {
	y, m, d int // year as printed: four digits, or two (0..99)
	// alt is set for a numeric date whose day and month could be swapped.
	alt  bool
	conf float64
}

// The printed date formats: "17 JAN 1985", "12 AUG/AOUT 74", "17.01.1985",
// "17/01/85", "17-01-1985", "17 01 1985", "1985-01-17" (OCR may read a
// dot as a comma).
var (
	reNamed   = regexp.MustCompile(`\b(\d{1,2}) ?[ .\-/]? ?([A-Z]{3,5})(?: ?/ ?[A-Z]{3,5})* ?[ .\-/]? ?(\d{4}|\d{2})\b`)
	reNumeric = regexp.MustCompile(`\b(\d{1,2}) ?([.,/\- ]) ?(\d{1,2}) ?[.,/\- ] ?(\d{4}|\d{2})\b`)
	reISO     = regexp.MustCompile(`\b(\d{4})[./\-](\d{2})[./\-](\d{2})\b`)
)

// months maps the first letters of month names (English, French, German,
// Spanish, Italian, Dutch, Portuguese abbreviations) to months.
var months = map[string]int{
	"JAN": 1, "GEN": 1, "ENE": 1, "JANV": 1,
	"FEB": 2, "FEV": 2, "FEVR": 2,
	"MAR": 3, "MRZ": 3, "MRT": 3, "MARS": 3,
	"APR": 4, "AVR": 4, "ABR": 4,
	"MAY": 5, "MAI": 5, "MAG": 5, "MEI": 5,
	"JUN": 6, "JUIN": 6, "GIU": 6,
	"JUL": 7, "JUIL": 7, "LUG": 7,
	"AUG": 8, "AOUT": 8, "AGO": 8,
	"SEP": 9, "SEPT": 9, "SET": 9,
	"OCT": 10, "OKT": 10, "OTT": 10, "OUT": 10,
	"NOV": 11,
	"DEC": 12, "DEZ": 12, "DIC": 12,
}

func monthOf(s string) (int, bool) {
	if m, ok := months[s]; ok {
		return m, true
	}
	if len(s) > 4 {
		s = s[:4]
	}
	for len(s) >= 3 {
		if m, ok := months[s]; ok {
			return m, true
		}
		s = s[:len(s)-1]
	}
	return 0, false
}

// findDates returns the dates of a line of text (upper case, its words
// joined by single spaces), each with the least confidence of the words it
// spans.
func findDates(text string, words []VisualWord) []visualDate {
	// Word spans in text, for the confidence of a match.
	type span struct {
		a, b int
		conf float64
	}
	var spans []span
	pos := 0
	for _, w := range words {
		spans = append(spans, span{pos, pos + len(w.Text), w.Conf})
		pos += len(w.Text) + 1
	}
	confOf := func(a, b int) float64 {
		c := 100.0
		for _, s := range spans {
			if s.a < b && s.b > a {
				c = min(c, s.conf)
			}
		}
		return c
	}
	var out []visualDate
	add := func(y, m, d int, alt bool, a, b int) {
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		out = append(out, visualDate{y: y, m: m, d: d, alt: alt, conf: confOf(a, b)})
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, ix := range reNamed.FindAllStringSubmatchIndex(text, -1) {
		if m, ok := monthOf(text[ix[4]:ix[5]]); ok {
			add(atoi(text[ix[6]:ix[7]]), m, atoi(text[ix[2]:ix[3]]), false, ix[0], ix[1])
		}
	}
	for _, ix := range reNumeric.FindAllStringSubmatchIndex(text, -1) {
		d, m := atoi(text[ix[2]:ix[3]]), atoi(text[ix[6]:ix[7]])
		add(atoi(text[ix[8]:ix[9]]), m, d, d <= 12 && m <= 12 && d != m, ix[0], ix[1])
	}
	for _, ix := range reISO.FindAllStringSubmatchIndex(text, -1) {
		add(atoi(text[ix[2]:ix[3]]), atoi(text[ix[4]:ix[5]]), atoi(text[ix[6]:ix[7]]), false, ix[0], ix[1])
	}
	return out
}

// same reports whether v is the date t (two-digit years compare with the
// last two digits of t's year; a swappable numeric date matches either
// way).
func (v visualDate) same(t time.Time) bool {
	yOK := v.y == t.Year() || v.y < 100 && v.y == t.Year()%100
	if !yOK {
		return false
	}
	if v.m == int(t.Month()) && v.d == t.Day() {
		return true
	}
	return v.alt && v.d == int(t.Month()) && v.m == t.Day()
}

// time returns the date v stands for (two-digit years in the century that
// keeps them within 50 years of now).
func (v visualDate) time(now time.Time) time.Time {
	y := v.y
	if y < 100 {
		y += 2000
		if y > now.Year()+50 {
			y -= 100
		}
	}
	return time.Date(y, time.Month(v.m), min(v.d, 28), 0, 0, 0, 0, time.UTC)
}

// differsClearly reports whether v differs from t in at least two of day,
// month and year (either way round when its day and month could swap).
func (v visualDate) differsClearly(t time.Time) bool {
	if v.alt {
		s := visualDate{y: v.y, m: v.d, d: v.m}
		if !s.differsClearly(t) {
			return false
		}
	}
	n := 0
	if v.d != t.Day() {
		n++
	}
	if v.m != int(t.Month()) {
		n++
	}
	if v.y != t.Year() && !(v.y < 100 && v.y == t.Year()%100) {
		n++
	}
	return n >= 2
}

func anyDate(dates []visualDate, t time.Time) bool {
	for _, v := range dates {
		if v.same(t) {
			return true
		}
	}
	return false
}

// fullYears keeps the dates printed with plausible four-digit years, the
// only ones whose order is certain.
func fullYears(dates []visualDate, now time.Time) []visualDate {
	var out []visualDate
	for _, v := range dates {
		if v.y >= 1900 && v.y <= now.Year()+50 {
			out = append(out, v)
		}
	}
	return out
}

// birthContradicted: the earliest of at least three visual dates is surely
// a birth date (at least 12 years before every other one), read cleanly,
// and clearly another date than the MRZ's.
func birthContradicted(dates []visualDate, birth, now time.Time) bool {
	dates = fullYears(dates, now)
	if len(dates) < 3 {
		return false
	}
	first := 0
	for i := range dates {
		if dates[i].time(now).Before(dates[first].time(now)) {
			first = i
		}
	}
	v := dates[first]
	for i := range dates {
		if i != first && dates[i].time(now).Before(v.time(now).AddDate(12, 0, 0)) {
			return false
		}
	}
	return v.conf >= cleanConf && v.differsClearly(birth)
}

// expiryContradicted: the latest of at least three visual dates, read
// cleanly, is clearly another date than the MRZ's expiry.
func expiryContradicted(dates []visualDate, expiry, now time.Time) bool {
	dates = fullYears(dates, now)
	if len(dates) < 3 {
		return false
	}
	last := 0
	for i := range dates {
		if dates[i].time(now).After(dates[last].time(now)) {
			last = i
		}
	}
	v := dates[last]
	return v.conf >= cleanConf && v.differsClearly(expiry)
}
