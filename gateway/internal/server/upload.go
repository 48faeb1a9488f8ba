package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of uploads
	_ "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/storage"
)

// maxFieldBytes bounds one text field of the multipart form.
const maxFieldBytes = 64 << 10

// headerPeek is how much of an upload is read ahead to find its
// dimensions; JPEG headers with large EXIF blocks may not fit, and then the
// worker decides.
const headerPeek = 256 << 10

// form is a parsed /v1/kyc/process request.
type form struct {
	fields map[string]string
	// images are the ids of the uploads, in order; each is stored already.
	images []string
}

// readForm streams the multipart body: text fields are kept, each file of
// the `images` field goes straight into the object store. On error the
// objects stored so far are removed before it returns.
func (s *Server) readForm(c echo.Context) (f *form, err error) {
	ctx := c.Request().Context()
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return nil, invalid("a multipart/form-data body is required")
	}
	f = &form{fields: map[string]string{}}
	defer func() {
		if err != nil {
			s.removeImages(context.WithoutCancel(ctx), f.images)
			f = nil
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			if bodyExceeded(c) {
				return f, errBodyTooLarge
			}
			return f, invalid("malformed multipart body")
		}
		name := part.FormName()
		switch {
		case name == "images" || name == "images[]":
			if len(f.images) >= s.cfg.MaxImages {
				return f, fail(http.StatusRequestEntityTooLarge, kyc.MsgTooManyImages)
			}
			id := uuid.NewString()
			if err := s.storeImage(ctx, c, id, part); err != nil {
				return f, err
			}
			f.images = append(f.images, id)
		case part.FileName() != "":
			// Files under other names are not ours to keep.
			if _, err := io.Copy(io.Discard, part); err != nil {
				return f, invalid("malformed multipart body")
			}
		default:
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				if bodyExceeded(c) {
					return f, errBodyTooLarge
				}
				return f, invalid("malformed multipart body")
			}
			if len(b) > maxFieldBytes {
				return f, invalid("field " + name + " too long")
			}
			f.fields[name] = strings.TrimSpace(string(b))
		}
		part.Close()
	}
}

// storeImage streams one upload into the object store. It refuses, before
// storing anything, an image whose header declares more pixels than
// allowed, and stops an upload past the per-file size limit.
func (s *Server) storeImage(ctx context.Context, c echo.Context, id string, part *multipart.Part) error {
	lr := &limitedReader{r: part, n: s.cfg.MaxFileBytes}
	br := bufio.NewReaderSize(lr, headerPeek)
	head, _ := br.Peek(headerPeek)
	if lr.exceeded {
		return fail(http.StatusRequestEntityTooLarge, kyc.MsgFileTooLarge)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(head)); err == nil {
		if int64(cfg.Width)*int64(cfg.Height) > s.cfg.MaxPixels {
			return fail(http.StatusRequestEntityTooLarge, kyc.MsgTooManyPixels)
		}
	}
	err := s.deps.Storage.Put(ctx, storage.OriginalKey(id), br, -1, http.DetectContentType(head))
	switch {
	case lr.exceeded:
		s.removeImages(context.WithoutCancel(ctx), []string{id})
		return fail(http.StatusRequestEntityTooLarge, kyc.MsgFileTooLarge)
	case bodyExceeded(c):
		s.removeImages(context.WithoutCancel(ctx), []string{id})
		return errBodyTooLarge
	case err != nil:
		s.removeImages(context.WithoutCancel(ctx), []string{id})
		return &apiError{code: http.StatusServiceUnavailable, msg: kyc.MsgUnavailable, err: fmt.Errorf("store upload: %w", err)}
	}
	s.metrics.uploadBytes.Add(float64(s.cfg.MaxFileBytes - lr.n))
	return nil
}

// removeImages deletes the objects of images that will not be processed.
func (s *Server) removeImages(ctx context.Context, ids []string) {
	for _, id := range ids {
		if err := s.deps.Storage.DeletePrefix(ctx, storage.ImagePrefix(id)); err != nil {
			s.log.WarnContext(ctx, "cannot remove upload", "image", id, "err", err)
		}
	}
}
