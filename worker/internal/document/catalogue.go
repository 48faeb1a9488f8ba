package document

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

//go:embed catalogue.json
var catalogueJSON []byte

// Series are the known design series of one kind of document of one state.
type Series struct {
	State string `json:"state"`
	Kind  string `json:"kind"`
	// ValidityYears is the usual validity, to estimate the year of issue
	// from the expiry date.
	ValidityYears int `json:"validityYears"`
	// Series are the years new designs were introduced, ascending.
	Series []int  `json:"series"`
	Note   string `json:"note,omitempty"`
}

// Catalogue names documents. It is immutable after LoadCatalogue.
type Catalogue struct{ byKey map[string]Series }

// LoadCatalogue returns the catalogue kept in catalogue.json.
func LoadCatalogue() (*Catalogue, error) {
	var list []Series
	if err := json.Unmarshal(catalogueJSON, &list); err != nil {
		return nil, fmt.Errorf("document: catalogue: %w", err)
	}
	c := &Catalogue{byKey: map[string]Series{}}
	for _, s := range list {
		if !sort.IntsAreSorted(s.Series) || s.ValidityYears <= 0 {
			return nil, fmt.Errorf("document: catalogue entry %s %s is malformed", s.State, s.Kind)
		}
		c.byKey[s.State+"/"+s.Kind] = s
	}
	return c, nil
}

// Name returns the docName of a document: "GBR — Passport (2006)". The year
// is the latest known series introduced no later than the estimated year
// of issue (expiry minus the usual validity); it is left out when the
// document is not in the catalogue or its expiry is unknown.
func (c *Catalogue) Name(state, kind string, expiry time.Time, haveExpiry bool) string {
	name := state + " — " + KindLabel(kind)
	if state == "" {
		name = KindLabel(kind)
	}
	s, ok := c.byKey[state+"/"+kind]
	if !ok || !haveExpiry {
		return name
	}
	issued := expiry.Year() - s.ValidityYears
	year := 0
	for _, y := range s.Series {
		if y <= issued {
			year = y
		}
	}
	if year == 0 {
		return name
	}
	return fmt.Sprintf("%s (%d)", name, year)
}
