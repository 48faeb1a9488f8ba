// Command genglyphs renders the MRZ alphabet (0-9, A-Z, '<') in the OCR-B
// font into a single grey-scale PNG strip that the mrzread package embeds as
// its character templates.
//
// Every glyph occupies one cell of the font's fixed advance width; the cell
// spans from a quarter of the cap height above the capitals to a quarter
// below the baseline, so that templates keep the relative size and position of
// each character (the filler '<' is small and centred).
//
// Glyph outlines are rasterised by ImageMagick (golang.org/x/image/font/sfnt
// cannot read some CFF operators of the Debian fonts-ocr-b files); metrics
// come from sfnt.
//
//	go run ./internal/genglyphs -font /usr/share/fonts/opentype/ocr-b/OCRB.otf -o ocrb_glyphs.png
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"os/exec"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Alphabet is the order of glyphs in the strip.
const Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"

const px = 200 // rendering size in pixels per em

func render(fontPath string, r rune) *image.Gray {
	// Pen origin at (100, 300) on a 500x400 canvas.
	text := string(r)
	cmd := exec.Command("convert", "-size", "500x400", "xc:white", "-font", fontPath,
		"-pointsize", fmt.Sprint(px), "-density", "72", "-fill", "black",
		"-draw", fmt.Sprintf("text 100,300 '%s'", text), "-colorspace", "Gray", "png:-")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("convert %q: %v", r, err)
	}
	img, err := png.Decode(&out)
	if err != nil {
		log.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

func main() {
	fontPath := flag.String("font", "/usr/share/fonts/opentype/ocr-b/OCRB.otf", "OCR-B font file")
	out := flag.String("o", "ocrb_glyphs.png", "output PNG")
	capH := flag.Int("cap", 48, "cap height in pixels of the output")
	flag.Parse()

	data, err := os.ReadFile(*fontPath)
	if err != nil {
		log.Fatal(err)
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	var buf sfnt.Buffer
	gi, err := f.GlyphIndex(&buf, '0')
	if err != nil {
		log.Fatal(err)
	}
	adv, err := f.GlyphAdvance(&buf, gi, fixed.I(px), font.HintingNone)
	if err != nil {
		log.Fatal(err)
	}
	advPx := float64(adv) / 64

	// Cap height measured on the rendered 'H'.
	h := render(*fontPath, 'H')
	top := -1
	for y := 0; y < 400 && top < 0; y++ {
		for x := 0; x < 500; x++ {
			if h.GrayAt(x, y).Y < 128 {
				top = y
				break
			}
		}
	}
	capPx := float64(300 - top)
	scale := float64(*capH) / capPx
	cellW := int(advPx*scale + 0.5)
	margin := *capH / 4
	cellH := *capH + 2*margin
	strip := image.NewGray(image.Rect(0, 0, cellW*len(Alphabet), cellH))
	for i, r := range Alphabet {
		g := render(*fontPath, r)
		// Area-average downsampling of the source cell into the output cell.
		for oy := 0; oy < cellH; oy++ {
			for ox := 0; ox < cellW; ox++ {
				sx0 := 100 + float64(ox)/scale
				sy0 := 300 - capPx - float64(margin)/scale + float64(oy)/scale
				n, sum := 0, 0
				for sy := int(sy0); sy < int(sy0+1/scale); sy++ {
					for sx := int(sx0); sx < int(sx0+1/scale); sx++ {
						sum += int(g.GrayAt(sx, sy).Y)
						n++
					}
				}
				strip.SetGray(i*cellW+ox, oy, color.Gray{uint8(sum / max(n, 1))})
			}
		}
	}
	w, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	if err := png.Encode(w, strip); err != nil {
		log.Fatal(err)
	}
	log.Printf("cell %dx%d, cap %d, advance/cap %.3f", cellW, cellH, *capH, advPx/capPx)
}
