package document

import (
	"context"
	"errors"
	"image"
	"runtime"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/worker/internal/face"
	"github.com/openkyc/kyc/worker/internal/mrz"
	"github.com/openkyc/kyc/worker/internal/mrzread"
	"github.com/openkyc/kyc/worker/internal/ocr"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// Check captions and items of a document result.
const (
	CheckCaption   = "document"
	ItemMRZ        = "mrzCheckDigits"
	ItemExpiry     = "expiry"
	faceCropMargin = 0.35
)

// Stage is the pipeline stage that reads the MRZ, classifies the image,
// names the faces' roles and, for documents, locates and rectifies the
// document and fills the type, docName, OCR fields and document checks. It
// runs after the face stage.
type Stage struct {
	reader    *mrzread.Reader
	catalogue *Catalogue
	ocr       *ocr.Pool
	now       func() time.Time
}

// NewStage returns the document stage; now is the clock (time.Now if nil).
// Its Tesseract clients (one per CPU at most) start on first need.
func NewStage(now func() time.Time) (*Stage, error) {
	cat, err := LoadCatalogue()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Stage{reader: mrzread.NewReader(), catalogue: cat, ocr: ocr.NewPool(runtime.NumCPU()), now: now}, nil
}

// Close frees the stage's idle Tesseract clients.
func (s *Stage) Close() { s.ocr.Close() }

// Reader is the stage's MRZ reader.
func (s *Stage) Reader() *mrzread.Reader { return s.reader }

// Name implements pipeline.Stage.
func (*Stage) Name() string { return "document" }

// Run implements pipeline.Stage.
func (s *Stage) Run(ctx context.Context, in *pipeline.Input, rec *sessions.Record) error {
	read, err := s.reader.Read(ctx, in.Image)
	if err != nil && !errors.Is(err, mrzread.ErrNotFound) {
		return err
	}
	var band *image.Rectangle
	kind := ""
	if err == nil && read != nil {
		band = &read.Band
		kind = KindDocument
		if read.MRZ != nil {
			kind = Kind(read.MRZ.DocumentCode, read.MRZ.Format)
		}
		in.MRZ = &pipeline.MRZFinding{Band: read.Band, DocKind: kind}
	}
	// Rows of print around the largest face stand for a document whose MRZ
	// was not found (the front of a card, a driving licence).
	text := func(f image.Rectangle) []mrzread.TextRow { return PortraitText(in.Image, f) }
	d := Classify(in.Faces, band, text)
	res := &rec.Result
	crop := func(i int, name string) (string, []float32, error) {
		f := in.Faces[i]
		key, err := in.SaveCrop(ctx, name, face.Crop(in.Image, f.Rect, faceCropMargin))
		return key, f.Descriptor, err
	}
	// portrait stores the document's portrait, if one was found, as the
	// result's faceDoc and a face of the given role.
	portrait := func(role, kind string) error {
		if d.Portrait < 0 {
			return nil
		}
		key, desc, err := crop(d.Portrait, "face-doc")
		if err != nil {
			return err
		}
		res.FaceDoc = key
		rec.Faces = append(rec.Faces, sessions.Face{Role: role, DocKind: kind, Crop: key, Descriptor: desc})
		return nil
	}
	switch d.Class {
	case ClassUnknown:
		// Neither a document nor a face: both of the API's words apply.
		res.Type = kyc.TypeUnknown
		res.Errors = append(res.Errors, kyc.ErrNoDocuments, kyc.ErrNotSelfie)
		return nil
	case ClassSelfie, ClassSelfieWithDocument:
		res.Type = kyc.TypeSelfie
		key, desc, err := crop(d.Person, "face-selfie")
		if err != nil {
			return err
		}
		res.FaceSelfie = key
		person := sessions.Face{Role: sessions.RoleSelfie, Crop: key, Descriptor: desc}
		if d.Class == ClassSelfieWithDocument {
			res.WithDoc = kind
			person.DocKind = kind
		}
		rec.Faces = append(rec.Faces, person)
		return portrait(sessions.RoleHeldDocument, kind)
	}

	// A document; without an MRZ, recognised by the print around its
	// portrait, its kind is unknown.
	if kind == "" {
		kind = KindDocument
	}
	res.Type = kind
	if err := portrait(sessions.RoleDocument, kind); err != nil {
		return err
	}
	// The document's own image: rectified when its outline is found, the
	// whole image otherwise.
	loc, err := Localise(ctx, in.Image, read)
	if err != nil {
		return err
	}
	if loc != nil {
		key, err := in.SaveCrop(ctx, "document", loc.Crop)
		if err != nil {
			return err
		}
		res.Image = key
	}
	if read == nil {
		// Recognised by the print around its portrait: there is text, but
		// no reader for documents without an MRZ, so no fields.
		res.OCR = &kyc.OCR{Status: kyc.StatusFailed, Fields: []kyc.Field{}}
		return nil
	}
	if read.MRZ == nil {
		// A zone was found but could not be read.
		res.Errors = append(res.Errors, kyc.ErrTextNotVisible)
		res.OCR = &kyc.OCR{Status: kyc.StatusFailed, Fields: []kyc.Field{}}
		return nil
	}
	now := s.now()
	expiry, haveExpiry := ExpiryDate(read.MRZ, now)
	res.DocName = s.catalogue.Name(read.MRZ.IssuingState, kind, expiry, haveExpiry)
	checks := documentChecks(read.MRZ, expiry, haveExpiry, now)
	if !in.Task.OCR {
		res.Checks = append(res.Checks, checks)
		res.OCR = &kyc.OCR{Status: kyc.StatusIdle, Fields: []kyc.Field{}}
		return nil
	}
	fields := Fields(read.MRZ, now)
	if loc != nil {
		cons, err := s.ReadVisual(ctx, in.Image, loc, read.MRZ)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			// Tesseract could not run: the MRZ still stands alone.
			checks.Items = append(checks.Items, kyc.CheckItem{Caption: ItemConsistency, Status: kyc.StatusIdle, Value: "visual zone not read"})
		default:
			cons.Confirm(fields)
			checks.Items = append(checks.Items, cons.Item())
		}
	}
	res.Checks = append(res.Checks, checks)
	res.OCR = &kyc.OCR{Status: kyc.StatusSuccess, Fields: fields}
	return nil
}

// ReadVisual reads the visual zone of a located document (the part above
// its MRZ) and compares it with the MRZ.
func (s *Stage) ReadVisual(ctx context.Context, img image.Image, loc *Located, m *mrz.MRZ) (Consistency, error) {
	lines, err := s.ocr.Read(ctx, visualZone(img, loc))
	if err != nil {
		return Consistency{}, err
	}
	words := make([][]VisualWord, len(lines))
	for i, l := range lines {
		for _, w := range l.Words {
			words[i] = append(words[i], VisualWord{Text: w.Text, Conf: w.Conf})
		}
	}
	return CompareVisual(m, words, s.now()), nil
}

// documentChecks are the MRZ check digits and the expiry. MRZ check digits
// that fail are a sign of forgery or misprint and fail the item, which
// makes the result suspicious; an expired document is a business rule, not
// a sign of fraud: its item reads "expired" and leaves the result's status
// to the other checks.
func documentChecks(m *mrz.MRZ, expiry time.Time, haveExpiry bool, now time.Time) kyc.Check {
	digits := kyc.CheckItem{Caption: ItemMRZ, Status: kyc.StatusSuccess, Value: "valid"}
	if !m.Valid() {
		digits.Status, digits.Value = kyc.StatusFailed, describeFailed(m)
	}
	exp := kyc.CheckItem{Caption: ItemExpiry, Status: kyc.StatusSuccess}
	switch {
	case !haveExpiry:
		exp.Status, exp.Value = kyc.StatusFailed, "unreadable"
	case expiry.Before(now):
		exp.Status, exp.Value = kyc.StatusExpired, expiry.Format("2006-01-02")
	default:
		exp.Value = expiry.Format("2006-01-02")
	}
	return kyc.Check{Caption: CheckCaption, Items: []kyc.CheckItem{digits, exp}}
}
