// Package ocr reads printed text with Tesseract (through gosseract) for
// the visual zone of identity documents.
//
// A Tesseract client costs a few hundred milliseconds and tens of megabytes
// to start, so a Pool keeps them: a client is created on first need, up to
// the pool's size, and lent to one goroutine at a time.
package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"
)

// Whitelist is the set of characters the visual zone is read with: Latin
// capitals and small letters, digits and the punctuation of dates and
// numbers, and the space (without it, Tesseract runs words together).
const Whitelist = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./-,:'< "

// Word is one word read, with Tesseract's confidence (0..100).
type Word struct {
	Text string
	Conf float64
}

// Line is a line of words as Tesseract grouped them.
type Line struct {
	Words []Word
}

// Text is the line's words joined by spaces.
func (l Line) Text() string {
	s := make([]string, len(l.Words))
	for i, w := range l.Words {
		s[i] = w.Text
	}
	return strings.Join(s, " ")
}

// Pool lends Tesseract clients. It is safe for concurrent use; Close it
// when done.
type Pool struct {
	idle chan *gosseract.Client
	mu   sync.Mutex
	made int
	size int
}

// NewPool returns a pool of at most size clients (at least 1). It makes
// the process's OpenMP regions single-threaded (see singleThreaded).
func NewPool(size int) *Pool {
	singleThreaded()
	size = max(1, size)
	return &Pool{idle: make(chan *gosseract.Client, size), size: size}
}

func (p *Pool) get(ctx context.Context) (*gosseract.Client, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	p.mu.Lock()
	if p.made < p.size {
		p.made++
		p.mu.Unlock()
		c := gosseract.NewClient()
		if err := configure(c); err != nil {
			c.Close()
			p.mu.Lock()
			p.made--
			p.mu.Unlock()
			return nil, err
		}
		return c, nil
	}
	p.mu.Unlock()
	select {
	case c := <-p.idle:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Pool) put(c *gosseract.Client) { p.idle <- c }

func configure(c *gosseract.Client) error {
	if err := c.SetLanguage("eng"); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	if err := c.SetWhitelist(Whitelist); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	if err := c.SetPageSegMode(gosseract.PSM_SPARSE_TEXT); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	// Tesseract's diagnostics ("Image too small to scale!!") go nowhere.
	if err := c.SetVariable(gosseract.DEBUG_FILE, os.DevNull); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	return nil
}

// Close frees the idle clients; call it once no Read is running.
func (p *Pool) Close() {
	for {
		select {
		case c := <-p.idle:
			c.Close()
			p.mu.Lock()
			p.made--
			p.mu.Unlock()
		default:
			return
		}
	}
}

// Read reads the lines of text of img.
func (p *Pool) Read(ctx context.Context, img *image.Gray) ([]Line, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	defer p.put(c)
	if err := c.SetImageFromBytes(pgm(img)); err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	boxes, err := c.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	type key struct{ b, p, l int }
	byLine := map[key]*Line{}
	var order []key
	for _, b := range boxes {
		w := strings.TrimSpace(b.Word)
		if w == "" {
			continue
		}
		k := key{b.BlockNum, b.ParNum, b.LineNum}
		l, ok := byLine[k]
		if !ok {
			l = &Line{}
			byLine[k] = l
			order = append(order, k)
		}
		l.Words = append(l.Words, Word{Text: w, Conf: b.Confidence})
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.b != b.b {
			return a.b < b.b
		}
		if a.p != b.p {
			return a.p < b.p
		}
		return a.l < b.l
	})
	out := make([]Line, 0, len(order))
	for _, k := range order {
		out = append(out, *byLine[k])
	}
	return out, nil
}

// pgm encodes img as a binary PGM, which Leptonica reads without a codec.
func pgm(img *image.Gray) []byte {
	b := img.Bounds()
	var buf bytes.Buffer
	buf.WriteString("P5\n" + strconv.Itoa(b.Dx()) + " " + strconv.Itoa(b.Dy()) + "\n255\n")
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i := img.PixOffset(b.Min.X, y)
		buf.Write(img.Pix[i : i+b.Dx()])
	}
	return buf.Bytes()
}
