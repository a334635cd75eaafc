// Package mail sends email: password resets, invitations and, later,
// newsletters. Sender is the seam; SMTP talks to a real server with
// net/smtp and Discard drops messages when no server is configured. Queued
// puts messages on the durable job queue and Worker sends them from there,
// with retries.
//
// It imports nothing of Folio's; the queue is any Enqueuer of River jobs.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Message is one email. Text is required; HTML, when set, is sent as the
// alternative part.
type Message struct {
	To      []string
	Subject string
	Text    string
	HTML    string
	// Headers are extra header fields (List-Unsubscribe, List-Id ...).
	// Names must be valid field names other than those compose writes;
	// values may not contain line breaks.
	Headers map[string]string `json:",omitempty"`
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// TLS modes of SMTP.
const (
	TLSNone     = "none"     // plain text, for a relay on localhost
	TLSStartTLS = "starttls" // upgrade after connecting, usually port 587
	TLSImplicit = "tls"      // TLS from the first byte, usually port 465
)

// SMTP sends through one SMTP server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string // address, optionally with a name: "Folio <news@example.org>"
	TLS      string // TLSNone, TLSStartTLS or TLSImplicit; empty means starttls

	// Timeout bounds a whole delivery when ctx has no earlier deadline;
	// zero means 30 seconds.
	Timeout time.Duration
	// TLSConfig overrides the default (verify Host); tests use it to trust
	// their own certificate.
	TLSConfig *tls.Config
}

// LogValue keeps the password out of logs.
func (s *SMTP) LogValue() slog.Value {
	pw := ""
	if s.Password != "" {
		pw = "[redacted]"
	}
	return slog.GroupValue(
		slog.String("host", s.Host), slog.Int("port", s.Port), slog.String("username", s.Username),
		slog.String("password", pw), slog.String("from", s.From), slog.String("tls", s.TLS))
}

// String keeps the password out of %v and %+v.
func (s *SMTP) String() string {
	return fmt.Sprintf("smtp://%s@%s:%d (tls %s)", s.Username, s.Host, s.Port, s.TLS)
}

var _ slog.LogValuer = (*SMTP)(nil)

// Send delivers m. Recipients and subject may not contain line breaks, so a
// value typed into a form cannot add headers.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("mail: from address %q: %w", s.From, err)
	}
	if len(m.To) == 0 {
		return errors.New("mail: no recipients")
	}
	to := make([]*mail.Address, len(m.To))
	for i, addr := range m.To {
		if strings.ContainsAny(addr, "\r\n") {
			return fmt.Errorf("mail: recipient %q contains a line break", addr)
		}
		a, err := mail.ParseAddress(addr)
		if err != nil {
			return fmt.Errorf("mail: recipient %q: %w", addr, err)
		}
		to[i] = a
	}
	if err := checkHeaders(m.Headers); err != nil {
		return err
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: subject contains a line break")
	}
	body, err := compose(from, to, m, time.Now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.deliver(ctx, from.Address, to, body); err != nil {
		return fmt.Errorf("mail: send %q via %s:%d: %w", m.Subject, s.Host, s.Port, err)
	}
	return nil
}

func (s *SMTP) deliver(ctx context.Context, from string, to []*mail.Address, body []byte) error {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	tlsConf := s.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	}
	d := &net.Dialer{}
	var conn net.Conn
	var err error
	if s.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConf}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	// net/smtp has no context: a deadline on the connection bounds every
	// exchange, and closing it on cancellation unblocks a stuck read.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if s.TLS == "" || s.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("server does not offer STARTTLS; set FOLIO_SMTP_TLS=none only for a trusted local relay")
		}
		if err := c.StartTLS(tlsConf); err != nil {
			return err
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, a := range to {
		if err := c.Rcpt(a.Address); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose renders m as a MIME message with CRLF line ends.
func compose(from *mail.Address, to []*mail.Address, m Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	addrs := make([]string, len(to))
	for i, a := range to {
		addrs[i] = a.String()
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	domain := "folio.invalid"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	h("From", from.String())
	h("To", strings.Join(addrs, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Auto-Submitted", "auto-generated")
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h(textproto.CanonicalMIMEHeaderKey(k), m.Headers[k])
	}
	if m.HTML == "" {
		h("Content-Type", `text/plain; charset="utf-8"`)
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + `; charset="utf-8"`},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		var pb bytes.Buffer
		if err := writeQP(&pb, part.body); err != nil {
			return nil, err
		}
		if _, err := pw.Write(pb.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(b *bytes.Buffer, s string) error {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	w := quotedprintable.NewWriter(b)
	if _, err := w.Write([]byte(s)); err != nil {
		return err
	}
	return w.Close()
}

// reserved are the fields compose writes itself.
var reserved = map[string]bool{"From": true, "To": true, "Cc": true, "Bcc": true, "Subject": true, "Date": true,
	"Message-Id": true, "Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true, "Auto-Submitted": true}

// checkHeaders refuses extra headers that could forge or break a message.
func checkHeaders(hs map[string]string) error {
	for k, v := range hs {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if k == "" || reserved[ck] || strings.ContainsAny(k, " :\r\n") {
			return fmt.Errorf("mail: header name %q is not allowed", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("mail: header %s contains a line break", ck)
		}
	}
	return nil
}

// Discard drops every message, logging that mail is not configured, so a
// site without SMTP still runs (password resets then need the CLI).
type Discard struct{ Log *slog.Logger }

// Send logs the subject and recipient count (never the body, which may
// carry a reset link) and returns nil.
func (d Discard) Send(ctx context.Context, m Message) error {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	log.WarnContext(ctx, "mail not configured; message dropped", "subject", m.Subject, "recipients", len(m.To))
	return nil
}
