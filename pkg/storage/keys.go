package storage

import "fmt"

// ImagesRoot is the prefix of every image's objects.
const ImagesRoot = "images/"

// ImagePrefix is the prefix under which all objects of one image live.
func ImagePrefix(imageID string) string { return ImagesRoot + imageID + "/" }

// OriginalKey is the key of an image's upload, byte for byte.
func OriginalKey(imageID string) string { return ImagePrefix(imageID) + "original" }

// NormalizedKey is the key of an image's decoded, upright JPEG copy.
func NormalizedKey(imageID string) string { return ImagePrefix(imageID) + "normalized.jpg" }

// CropKey is the key of a named crop of an image, such as "face-0".
func CropKey(imageID, name string) string {
	return fmt.Sprintf("%s%s.jpg", ImagePrefix(imageID), name)
}
