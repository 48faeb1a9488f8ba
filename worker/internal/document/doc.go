// Package document decides what an image shows (a document, a selfie, a
// selfie holding a document) and reads documents: the MRZ's fields with
// confidences, the document's name and its checks.
package document
