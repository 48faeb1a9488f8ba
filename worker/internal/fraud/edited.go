package fraud

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// editors are names of image editors and generators, lower case, as they
// appear in the software fields of EXIF (Software, ProcessingSoftware) and
// XMP (CreatorTool, softwareAgent). A camera writes its firmware there.
var editors = []string{
	"photoshop", "gimp", "paint.net", "pixelmator", "affinity photo", "canva",
	"picsart", "snapseed", "lightroom", "photopea", "fotor", "corel",
	"paintshop", "krita", "inkscape", "illustrator", "acorn", "polarr",
	"facetune", "meitu", "photodirector", "luminar", "capture one",
}

// EditingSoftware returns the editor named in the metadata of the original
// upload bytes (JPEG APP1 EXIF or XMP, PNG text chunks), or "" when none is.
// Only the software fields are read, so a mere Adobe XMP toolkit signature
// or a Photoshop resource block does not count.
func EditingSoftware(original []byte) string {
	for _, v := range softwareFields(original) {
		lv := strings.ToLower(v)
		for _, e := range editors {
			if strings.Contains(lv, e) {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

// softwareFields extracts the values of the software fields.
func softwareFields(data []byte) []string {
	var out []string
	// EXIF: TIFF IFD entries 0x0131 Software and 0x000b ProcessingSoftware.
	if i := bytes.Index(data, []byte("Exif\x00\x00")); i >= 0 {
		out = append(out, exifSoftware(data[i+6:])...)
	}
	// XMP attributes or elements, anywhere (JPEG APP1, PNG iTXt, ...).
	for _, key := range []string{"CreatorTool", "softwareAgent", "Software"} {
		rest := data
		for {
			j := bytes.Index(rest, []byte(key))
			if j < 0 {
				break
			}
			rest = rest[j+len(key):]
			if len(rest) > 2 && (rest[0] == '=' || rest[0] == '>') {
				v := rest[1:]
				if v[0] == '"' {
					v = v[1:]
				}
				if k := bytes.IndexAny(v, "\"<\x00"); k >= 0 && k < 200 {
					out = append(out, string(v[:k]))
				}
			}
		}
	}
	// PNG tEXt "Software\0value".
	rest := data
	for {
		j := bytes.Index(rest, []byte("tEXtSoftware\x00"))
		if j < 0 {
			break
		}
		rest = rest[j+13:]
		k := min(len(rest), 100)
		out = append(out, string(rest[:k]))
	}
	return out
}

func exifSoftware(t []byte) []string {
	if len(t) < 8 {
		return nil
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil
	}
	off := int(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > len(t) {
		return nil
	}
	n := int(bo.Uint16(t[off:]))
	var out []string
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		tag, typ := bo.Uint16(t[e:]), bo.Uint16(t[e+2:])
		count := int(bo.Uint32(t[e+4:]))
		if (tag != 0x0131 && tag != 0x000b) || typ != 2 || count <= 0 || count > 1000 {
			continue
		}
		var v []byte
		if count <= 4 {
			v = t[e+8 : e+8+count]
		} else if vo := int(bo.Uint32(t[e+8:])); vo+count <= len(t) {
			v = t[vo : vo+count]
		}
		out = append(out, string(bytes.TrimRight(v, "\x00")))
	}
	return out
}
