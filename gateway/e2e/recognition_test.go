package e2e

import (
	"bytes"
	"image"
	_ "image/jpeg" // the document crop and the uploads
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
)

// results splits a session's results into image results and the faces result.
func splitResults(r kyc.ProcessResponse) (images []kyc.Result, faces *kyc.Result) {
	for i, res := range r.Results {
		if res.Type == kyc.TypeFaces {
			faces = &r.Results[i]
			continue
		}
		images = append(images, res)
	}
	return images, faces
}

func TestDocumentAndSelfieMatch(t *testing.T) {
	tests := []struct {
		name         string
		doc, selfie  string
		wantDocName  string
		wantMatching kyc.Status
	}{
		{name: "same person", doc: "doc_selfie_pairs/idenfy/TheresaMay.jpg", selfie: "doc_selfie_pairs/idenfy/TheresaMayFace.jpg",
			wantDocName: "GBR — Passport", wantMatching: kyc.StatusSuccess},
		{name: "same person, small selfie", doc: "doc_selfie_pairs/idenfy/BasanavicieneBirute.jpg", selfie: "doc_selfie_pairs/idenfy/BasanavicieneBiruteFace.jpg",
			wantDocName: "LTU — Passport", wantMatching: kyc.StatusSuccess},
		{name: "different person", doc: "doc_selfie_pairs/idenfy/BasanavicieneBirute.jpg", selfie: "doc_selfie_pairs/idenfy/TheresaMayFace.jpg",
			wantDocName: "LTU — Passport", wantMatching: kyc.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"mode": "sync"},
				files: []file{{name: "doc.jpg", data: sharedImage(t, tt.doc)}, {name: "selfie.jpg", data: sharedImage(t, tt.selfie)}}})
			if a.code != http.StatusOK {
				t.Fatalf("process: %d %s", a.code, a.body)
			}
			var r kyc.ProcessResponse
			mustJSON(t, a.body, &r)
			images, faces := splitResults(r)
			if len(images) != 2 {
				t.Fatalf("%d image results", len(images))
			}
			doc, selfie := images[0], images[1]
			if doc.Type != "passport" || !strings.HasPrefix(doc.DocName, tt.wantDocName) || doc.FaceDoc == "" {
				t.Errorf("document result: type %q docName %q faceDoc %q", doc.Type, doc.DocName, doc.FaceDoc)
			}
			if doc.OCR == nil || len(doc.OCR.Fields) < 8 {
				t.Fatalf("document OCR: %+v", doc.OCR)
			}
			// These specimens' MRZs pass every check digit: every field is high.
			for _, f := range doc.OCR.Fields {
				if f.Conf != kyc.ConfHigh || f.Value == "" {
					t.Errorf("field %+v, want a value with conf high", f)
				}
			}
			if selfie.Type != kyc.TypeSelfie || selfie.FaceSelfie == "" {
				t.Errorf("selfie result: type %q faceSelfie %q", selfie.Type, selfie.FaceSelfie)
			}
			fetch(t, doc.FaceDoc)
			fetch(t, selfie.FaceSelfie)
			// The document's image is its rectified crop: no wider than the
			// upload (these are tight crops already), at the TD3 aspect
			// ratio (88 × 125 mm) rather than the upload's.
			crop := decodeConfig(t, fetch(t, doc.Image))
			orig := decodeConfig(t, fetch(t, doc.ImageFull))
			if crop.Width > orig.Width || math.Abs(float64(crop.Height)/float64(crop.Width)-88.0/125) > 0.02 {
				t.Errorf("document image %d×%d, upload %d×%d", crop.Width, crop.Height, orig.Width, orig.Height)
			}
			if faces == nil || len(faces.Checks) != 1 || faces.Checks[0].Caption != "Face matching" || len(faces.Checks[0].Items) != 1 {
				t.Fatalf("faces result: %+v", faces)
			}
			item := faces.Checks[0].Items[0]
			if item.Caption != "selfie & passport" || item.Status != tt.wantMatching || !strings.HasSuffix(item.Value, "%") || len(item.Images) != 2 {
				t.Fatalf("face matching item: %+v", item)
			}
			if faces.Status != tt.wantMatching {
				t.Errorf("faces result status %s, want %s", faces.Status, tt.wantMatching)
			}
			if tt.wantMatching == kyc.StatusFailed && r.Status != kyc.StatusFailed {
				t.Errorf("session %s with a failed face match", r.Status)
			}
		})
	}
}

func decodeConfig(t *testing.T, b []byte) image.Config {
	t.Helper()
	c, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fraudItem returns the status of a fraud check item of a result.
func fraudItem(res kyc.Result, caption string) kyc.Status {
	for _, c := range res.Checks {
		if c.Caption != "fraud" {
			continue
		}
		for _, it := range c.Items {
			if it.Caption == caption {
				return it.Status
			}
		}
	}
	return ""
}

func TestPrintedCopyIsSuspicious(t *testing.T) {
	tests := []struct {
		name, image string
		printed     kyc.Status
		session     kyc.Status
	}{
		{"grey printed copy", "document_fraud/dlc2021_gray_copies/alb_id/00.cg0001_000113.jpg", kyc.StatusFailed, kyc.StatusSuspicious},
		{"genuine specimen", "mrz_documents/arg0s1080_mrz/passports/Japan.png", kyc.StatusSuccess, kyc.StatusSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := svc.process(t, processReq{headers: bearer(tokenA), files: []file{{name: "doc", data: sharedImage(t, tt.image)}}})
			var r kyc.ProcessResponse
			mustJSON(t, a.body, &r)
			if a.code != http.StatusOK || len(r.Results) != 1 {
				t.Fatalf("%d %s", a.code, a.body)
			}
			if got := fraudItem(r.Results[0], "isPrinted"); got != tt.printed {
				t.Errorf("isPrinted %s, want %s", got, tt.printed)
			}
			if r.Status != tt.session {
				t.Errorf("session %s, want %s: %s", r.Status, tt.session, a.body)
			}
		})
	}
}
