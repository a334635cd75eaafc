package content

import "testing"

func TestCreditLabel(t *testing.T) {
	tests := []struct {
		typ        CreditType
		credit     string
		want       CreditType
		wantCredit string
	}{
		{"", "Ahmad Rahimi", CreditPhoto, "Ahmad Rahimi"},
		{CreditIllustration, "Ana Ruiz", CreditIllustration, "Ana Ruiz"},
		// An old credit that names its kind keeps it, without the English label.
		{"", "Illustration: Ana Ruiz", CreditIllustration, "Ana Ruiz"},
		{"", "photo: Ahmad Rahimi", CreditPhoto, "Ahmad Rahimi"},
		{"", "Map: The Meridian Review", CreditChart, "The Meridian Review"},
		// A set type wins over the label, which is not repeated.
		{CreditChart, "Graphic: UN data", CreditChart, "UN data"},
		// Another label: shown as written, with no "Photo:" before it.
		{"", "Source: UNICEF", "", "Source: UNICEF"},
		{"", "Courtesy of the family: private archive", "", "Courtesy of the family: private archive"},
		{CreditVideo, "Source: UNICEF", CreditVideo, "Source: UNICEF"},
		// A colon in a URL or a long sentence is no label.
		{"", "https://example.org/a", CreditPhoto, "https://example.org/a"},
		{"", "Photographed for this article by the author on the river bank: Ana", CreditPhoto, "Photographed for this article by the author on the river bank: Ana"},
		{"", "Photo:", CreditPhoto, "Photo:"},
	}
	for _, tt := range tests {
		got, gotCredit := CreditLabel(tt.typ, tt.credit)
		if got != tt.want || gotCredit != tt.wantCredit {
			t.Errorf("CreditLabel(%q, %q) = %q, %q; want %q, %q", tt.typ, tt.credit, got, gotCredit, tt.want, tt.wantCredit)
		}
	}
}

func TestCreditType_Valid(t *testing.T) {
	for _, c := range append(CreditTypes, "") {
		if !c.Valid() {
			t.Errorf("%q is not valid", c)
		}
	}
	if CreditType("painting").Valid() {
		t.Error("painting is valid")
	}
}
