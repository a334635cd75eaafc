package mailhook

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS signature version 1 is SHA1withRSA; version 2 is SHA-256
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/editorial"
	"folio/internal/store"
)

// snsMessage is an SNS HTTP(S) delivery (SNS "HTTP/HTTPS notification
// JSON format" and "subscription confirmation JSON format").
type snsMessage struct {
	Type             string
	MessageID        string `json:"MessageId"`
	Token            string
	TopicArn         string
	Subject          *string
	Message          string
	SubscribeURL     string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string
}

// stringToSign is the canonical form SNS signs: the named fields in byte
// order, each as "Name\nvalue\n" (SNS "Verifying the signatures of Amazon
// SNS messages"). Subject is in a notification's only when it has one.
func (m *snsMessage) stringToSign() (string, error) {
	var fields [][2]string
	switch m.Type {
	case "Notification":
		fields = [][2]string{{"Message", m.Message}, {"MessageId", m.MessageID}}
		if m.Subject != nil {
			fields = append(fields, [2]string{"Subject", *m.Subject})
		}
		fields = append(fields, [][2]string{{"Timestamp", m.Timestamp}, {"TopicArn", m.TopicArn}, {"Type", m.Type}}...)
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		fields = [][2]string{{"Message", m.Message}, {"MessageId", m.MessageID}, {"SubscribeURL", m.SubscribeURL},
			{"Timestamp", m.Timestamp}, {"Token", m.Token}, {"TopicArn", m.TopicArn}, {"Type", m.Type}}
	default:
		return "", fmt.Errorf("the Type field: %q is not an SNS message type", m.Type)
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f[0] + "\n" + f[1] + "\n")
	}
	return b.String(), nil
}

var snsHost = regexp.MustCompile(`^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)

// SNSURL reports whether u is an https URL on an SNS endpoint
// (sns.REGION.amazonaws.com), the only place a signing certificate or a
// subscription confirmation may come from: a certificate anywhere else
// could be anyone's.
func SNSURL(u *url.URL) bool {
	return u.Scheme == "https" && u.User == nil && (u.Port() == "" || u.Port() == "443") && snsHost.MatchString(u.Hostname())
}

type certEntry struct {
	key     *rsa.PublicKey
	fetched time.Time
}

// certTTL is how long a fetched signing certificate is reused.
const certTTL = 24 * time.Hour

// signingKey returns the RSA key of the certificate at raw, fetched once a day.
func (h *Hooks) signingKey(ctx context.Context, raw string) (*rsa.PublicKey, error) {
	u, err := url.Parse(raw)
	if err != nil || !h.cfg.TrustURL(u) || !strings.HasSuffix(u.Path, ".pem") {
		return nil, fmt.Errorf("SigningCertURL: %q is not an SNS certificate URL", raw)
	}
	h.mu.Lock()
	if e, ok := h.certs[raw]; ok && time.Since(e.fetched) < certTTL {
		h.mu.Unlock()
		return e.key, nil
	}
	h.mu.Unlock()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch signing certificate: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch signing certificate: HTTP %d %v", resp.StatusCode, err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, errors.New("signing certificate: not a PEM certificate")
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	key, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("signing certificate: not an RSA key")
	}
	if now := time.Now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return nil, errors.New("signing certificate: expired or not yet valid")
	}
	h.mu.Lock()
	if len(h.certs) > 32 { // SNS rotates rarely; a flood of URLs must not grow this
		clear(h.certs)
	}
	h.certs[raw] = &certEntry{key: key, fetched: time.Now()}
	h.mu.Unlock()
	return key, nil
}

// verify checks m's signature.
func (h *Hooks) verify(ctx context.Context, m *snsMessage) error {
	s, err := m.stringToSign()
	if err != nil {
		return err
	}
	var hash crypto.Hash
	var sum []byte
	switch m.SignatureVersion {
	case "1":
		d := sha1.Sum([]byte(s)) //nolint:gosec // the algorithm SNS signature version 1 uses
		hash, sum = crypto.SHA1, d[:]
	case "2":
		d := sha256.Sum256([]byte(s))
		hash, sum = crypto.SHA256, d[:]
	default:
		return fmt.Errorf("SignatureVersion: %q is not 1 or 2", m.SignatureVersion)
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil {
		return errors.New("the Signature field: not base64")
	}
	key, err := h.signingKey(ctx, m.SigningCertURL)
	if err != nil {
		return err
	}
	if err := rsa.VerifyPKCS1v15(key, hash, sum, sig); err != nil {
		return errors.New("the Signature field: does not match the message (signed by someone else, or altered)")
	}
	return nil
}

// sesNotification is the part of an SES bounce or complaint
// notification Folio reads (SES "Amazon SNS notification contents";
// event publishing names the type eventType instead).
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
}

// sesRecordOnly are SES notification types taken and otherwise ignored.
var sesRecordOnly = []string{"Delivery", "Send", "DeliveryDelay", "Reject", "Open", "Click", "RenderingFailure", "Subscription"}

func (h *Hooks) handleSNS(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if len(h.cfg.SNSTopics) == 0 {
		http.NotFound(w, r)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var m snsMessage
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, "body: not an SNS message: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !slices.Contains(h.cfg.SNSTopics, m.TopicArn) {
		http.Error(w, fmt.Sprintf("TopicArn: %q is not a topic this site takes (--ses-sns-topics)", m.TopicArn), http.StatusForbidden)
		return
	}
	if err := h.verify(ctx, &m); err != nil {
		h.log.WarnContext(ctx, "SNS message refused", "topic", m.TopicArn, "message_id", m.MessageID, "err", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		h.confirm(w, r, &m)
		return
	case "UnsubscribeConfirmation":
		h.log.WarnContext(ctx, "SNS subscription ended", "topic", m.TopicArn)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var n sesNotification
	if err := json.Unmarshal([]byte(m.Message), &n); err != nil {
		http.Error(w, "Message: not an SES notification: "+err.Error(), http.StatusBadRequest)
		return
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	id := "ses:" + m.MessageID
	var evs []editorial.MailEvent
	switch {
	case typ == "Bounce" && n.Bounce != nil:
		reason := ""
		if n.Bounce.BounceType == "Permanent" {
			reason = store.SuppressBounce
		}
		for i, rc := range n.Bounce.BouncedRecipients {
			evs = append(evs, editorial.MailEvent{ID: id + ":" + strconv.Itoa(i), Provider: "ses", Reason: reason, Email: rc.EmailAddress,
				Detail: n.Bounce.BounceType + "/" + n.Bounce.BounceSubType + ": " + rc.DiagnosticCode})
		}
	case typ == "Complaint" && n.Complaint != nil:
		for i, rc := range n.Complaint.ComplainedRecipients {
			evs = append(evs, editorial.MailEvent{ID: id + ":" + strconv.Itoa(i), Provider: "ses", Reason: store.SuppressComplaint,
				Email: rc.EmailAddress, Detail: "complaint: " + n.Complaint.ComplaintFeedbackType})
		}
	case slices.Contains(sesRecordOnly, typ):
		evs = []editorial.MailEvent{{ID: id, Provider: "ses"}}
	default:
		http.Error(w, fmt.Sprintf("notificationType: %q is not an SES notification this endpoint takes", typ), http.StatusBadRequest)
		return
	}
	if len(evs) == 0 {
		http.Error(w, typ+": names no recipient", http.StatusBadRequest)
		return
	}
	h.apply(w, r, "ses", evs)
}

// confirm visits the SubscribeURL of a verified confirmation, which is
// what subscribes this endpoint to the topic.
func (h *Hooks) confirm(w http.ResponseWriter, r *http.Request, m *snsMessage) {
	ctx := r.Context()
	u, err := url.Parse(m.SubscribeURL)
	if err != nil || !h.cfg.TrustURL(u) {
		http.Error(w, fmt.Sprintf("SubscribeURL: %q is not an SNS URL", m.SubscribeURL), http.StatusBadRequest)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		http.Error(w, "SubscribeURL: "+err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		h.log.ErrorContext(ctx, "SNS subscription not confirmed", "topic", m.TopicArn, "err", err)
		http.Error(w, "could not confirm the subscription; SNS sends the confirmation again", http.StatusBadGateway)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.log.ErrorContext(ctx, "SNS subscription not confirmed", "topic", m.TopicArn, "status", resp.StatusCode)
		http.Error(w, "could not confirm the subscription; SNS sends the confirmation again", http.StatusBadGateway)
		return
	}
	h.log.InfoContext(ctx, "SNS subscription confirmed", "topic", m.TopicArn)
	w.WriteHeader(http.StatusNoContent)
}
