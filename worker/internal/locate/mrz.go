package locate

import (
	"github.com/openkyc/kyc/worker/internal/mrz"
	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// FromRead returns what the locator needs of an MRZ read by mrzread; false
// when its rows match no ICAO layout.
func FromRead(r *mrzread.Read) (MRZ, bool) {
	if r == nil || len(r.Lines) == 0 {
		return MRZ{}, false
	}
	visa := r.Lines[0][0] == 'V'
	if r.MRZ != nil {
		visa = r.MRZ.Format == mrz.MRVA || r.MRZ.Format == mrz.MRVB
	}
	l, ok := LayoutFor(len(r.Lines), len(r.Lines[0]), visa)
	if !ok {
		return MRZ{}, false
	}
	return MRZ{Band: r.Band, Rotation: r.Rotation, Layout: l}, true
}
