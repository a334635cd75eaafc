package content

import "time"

// Redirect maps an old path to a new one (Status 301) or marks it gone (410).
type Redirect struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Status    int       `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// Media is an uploaded file kept in the data directory.
type Media struct {
	ID          int64  `json:"id"`
	Path        string `json:"path"`     // relative to the media root, e.g. "2026/11/harbour.jpg"
	Filename    string `json:"filename"` // as uploaded
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Alt         string `json:"alt"`
	Caption     string `json:"caption"`
	Credit      string `json:"credit"`
	CreditURL   string `json:"credit_url"`
	// CreditType is what the credit names; empty is read from the credit.
	CreditType CreditType `json:"credit_type,omitempty"`
	// Republishable is true when the image's own rights let republishers
	// copy it with an article; off unless an editor says so.
	Republishable bool      `json:"republishable"`
	CreatedAt     time.Time `json:"created_at"`
}

// Token is an API bearer token. Only a hash of the secret is stored.
type Token struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Hash       string    `json:"-"` // hex SHA-256 of the secret
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
}
