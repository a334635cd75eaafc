package content

import (
	"strings"
	"unicode/utf8"
)

// CreditType says what kind of work an image credit names, so the page can
// label it in the reader's language ("Photo:", "Illustration:"). Empty is
// read from the credit itself (see CreditLabel).
type CreditType string

// Credit types.
const (
	CreditPhoto        CreditType = "photo"
	CreditIllustration CreditType = "illustration"
	CreditChart        CreditType = "chart"
	CreditVideo        CreditType = "video"
)

// CreditTypes lists the credit types in the order forms offer them.
var CreditTypes = []CreditType{CreditPhoto, CreditIllustration, CreditChart, CreditVideo}

// Valid reports whether t is empty or one of CreditTypes.
func (t CreditType) Valid() bool {
	if t == "" {
		return true
	}
	for _, c := range CreditTypes {
		if t == c {
			return true
		}
	}
	return false
}

// creditLabels are the English labels credits imported or typed before
// credit types existed begin with, and the type each stands for.
var creditLabels = map[string]CreditType{
	"photo": CreditPhoto, "photos": CreditPhoto, "photograph": CreditPhoto, "photography": CreditPhoto,
	"illustration": CreditIllustration, "illustrations": CreditIllustration, "drawing": CreditIllustration,
	"chart": CreditChart, "chart design": CreditChart, "graphic": CreditChart, "graphics": CreditChart, "map": CreditChart, "infographic": CreditChart,
	"video": CreditVideo, "footage": CreditVideo,
}

// CreditLabel says how to label a credit: its type, and the credit text
// without a label it already carries. A credit that begins with a known
// English label ("Illustration: Ana") gives that label's type and the rest
// ("Ana"), so the label is shown in the reader's language and never twice.
// A credit that begins with another short label ("Source: UN", "Courtesy
// of: …") is labelled already: the type is empty and the page adds none.
// Otherwise the type is t, or photo when t is empty.
func CreditLabel(t CreditType, credit string) (CreditType, string) {
	credit = strings.TrimSpace(credit)
	label, after, ok := strings.Cut(credit, ":")
	rest := strings.TrimSpace(after)
	// A label is short and followed by a space: "https://…" is none.
	if ok && rest != "" && after != rest && utf8.RuneCountInString(label) <= 24 && !strings.ContainsAny(label, "/.") {
		if lt, known := creditLabels[strings.ToLower(strings.TrimSpace(label))]; known {
			if t == "" {
				t = lt
			}
			return t, rest
		}
		if t == "" {
			return "", credit
		}
	}
	if t == "" {
		t = CreditPhoto
	}
	return t, credit
}
