package newsletter

import "testing"

func TestEmailPattern_RedactsAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"550 5.1.1 <jane.doe@example.org>: Recipient address rejected":                                                               "550 5.1.1 <[address]>: Recipient address rejected",
		"postmark: 406: You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: a@b.example.": "postmark: 406: You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: [address].",
		"connection refused": "connection refused",
	} {
		if got := emailPattern.ReplaceAllString(in, "[address]"); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
