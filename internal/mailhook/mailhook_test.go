package mailhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS signature version 1
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/mailhook"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

const topic = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"

// env is a site with five members subscribed to a newsletter, the
// webhooks, and a local HTTPS server standing in for SNS's certificate
// and confirmation endpoints.
type env struct {
	db      *sqlite.DB
	svc     *editorial.Service
	nl      *store.Newsletter
	site    *httptest.Server
	sns     *httptest.Server
	key     *rsa.PrivateKey
	certURL string
	subURL  string
	visits  atomic.Int32 // GETs of the SubscribeURL
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{db: sqlitetest.New(t)}
	e.svc = editorial.New(e.db)
	sys := e.svc.System("test")
	e.nl = &store.Newsletter{Name: "Weekly"}
	if err := sys.CreateNewsletter(ctx, e.nl); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		m, err := sys.JoinMember(ctx, fmt.Sprintf("reader%04d@example.org", i), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AsMember(m).SetSubscription(ctx, e.nl.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if e.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.eu-west-1.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &e.key.PublicKey, e.key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	e.sns = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, ".pem"):
			_, _ = w.Write(certPEM)
		case r.URL.Query().Get("Action") == "ConfirmSubscription":
			e.visits.Add(1)
			_, _ = w.Write([]byte("<ConfirmSubscriptionResponse/>"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(e.sns.Close)
	e.certURL = e.sns.URL + "/SimpleNotificationService-test.pem"
	e.subURL = e.sns.URL + "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=2336412f37"
	snsHost := e.sns.Listener.Addr().String()
	mux := http.NewServeMux()
	mailhook.New(mailhook.Config{Events: e.svc.System("mail-webhook"), PostmarkUser: "postmark", PostmarkPassword: "hook-secret",
		SNSTopics: []string{topic}, Client: e.sns.Client(),
		TrustURL: func(u *url.URL) bool { return u.Scheme == "https" && u.Host == snsHost }}).Register(mux)
	e.site = httptest.NewServer(mux)
	t.Cleanup(e.site.Close)
	return e
}

func fixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) post(t *testing.T, path string, body []byte, user, pass string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.site.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// recipients is who a send made now would mail.
func (e *env) recipients(t *testing.T) map[string]bool {
	t.Helper()
	ctx := context.Background()
	a := &content.Article{Language: "en", Title: fmt.Sprintf("Piece %d", time.Now().UnixNano()), BodyMarkdown: "Text.", Status: content.StatusPublished}
	if err := e.svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	s := &store.NewsletterSend{NewsletterID: e.nl.ID, ArticleID: a.ID, Subject: a.Title}
	if err := e.db.CreateSend(ctx, s); err != nil {
		t.Fatal(err)
	}
	rs, err := e.db.PendingRecipients(ctx, s.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rs {
		out[r.Email] = true
	}
	return out
}

func (e *env) suppressed(t *testing.T, addr string) string {
	t.Helper()
	s, err := e.db.FindSuppression(context.Background(), addr)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return s.Reason
}

func TestPostmarkWebhook(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t.Run("ErrCredentials", func(t *testing.T) {
		for _, c := range [][2]string{{"", ""}, {"postmark", "wrong"}, {"other", "hook-secret"}} {
			code, _ := e.post(t, "/mail/postmark", fixture(t, "postmark/bounce.json"), c[0], c[1])
			if code != http.StatusUnauthorized {
				t.Errorf("credentials %q: status %d, want 401", c, code)
			}
		}
		if e.suppressed(t, "reader0001@example.org") != "" {
			t.Fatal("a refused delivery suppressed the address")
		}
	})
	t.Run("ErrUnknownEvent", func(t *testing.T) {
		code, body := e.post(t, "/mail/postmark", fixture(t, "postmark/open.json"), "postmark", "hook-secret")
		if code != http.StatusBadRequest || !strings.Contains(body, `RecordType: "Open"`) {
			t.Fatalf("open event: %d %s", code, body)
		}
		code, body = e.post(t, "/mail/postmark", []byte(`{"RecordType": "Bounce"`), "postmark", "hook-secret")
		if code != http.StatusBadRequest || !strings.Contains(body, "body:") {
			t.Fatalf("broken body: %d %s", code, body)
		}
	})
	t.Run("OK", func(t *testing.T) {
		for _, f := range []string{"bounce.json", "soft_bounce.json", "spam_complaint.json"} {
			code, body := e.post(t, "/mail/postmark", fixture(t, "postmark/"+f), "postmark", "hook-secret")
			if code != http.StatusOK {
				t.Fatalf("%s: %d %s", f, code, body)
			}
		}
		for addr, want := range map[string]string{"reader0001@example.org": store.SuppressBounce, "reader0002@example.org": "",
			"reader0003@example.org": store.SuppressComplaint} {
			if got := e.suppressed(t, addr); got != want {
				t.Errorf("%s suppressed as %q, want %q", addr, got, want)
			}
		}
		m, err := e.db.FindMemberByEmail(ctx, "reader0003@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Newsletters) != 0 {
			t.Errorf("a member who complained is still subscribed to %v", m.Newsletters)
		}
		got := e.recipients(t)
		if got["reader0001@example.org"] || got["reader0003@example.org"] || !got["reader0002@example.org"] || len(got) != 3 {
			t.Errorf("a later send mails %v", got)
		}
	})
	t.Run("Replay", func(t *testing.T) {
		code, body := e.post(t, "/mail/postmark", fixture(t, "postmark/bounce.json"), "postmark", "hook-secret")
		if code != http.StatusOK || !strings.Contains(body, `"applied":0`) {
			t.Fatalf("replay: %d %s", code, body)
		}
	})
}

// envelope wraps message in the SNS envelope fixture with the fields of
// set, signs it with the test key (version "1" or "2"), lets tamper change
// it after signing and returns the body.
func (e *env) envelope(t *testing.T, file, message, version string, set map[string]any, tamper func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(fixture(t, "sns/"+file), &m); err != nil {
		t.Fatal(err)
	}
	if message != "" {
		m["Message"] = message
	}
	m["SignatureVersion"], m["SigningCertURL"] = version, e.certURL
	if m["Type"] == "SubscriptionConfirmation" {
		m["SubscribeURL"] = e.subURL
	}
	for k, v := range set {
		m[k] = v
	}
	// The canonical string, as SNS's documentation spells it.
	names := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if m["Type"] != "Notification" {
		names = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var s strings.Builder
	for _, n := range names {
		if v, ok := m[n].(string); ok {
			s.WriteString(n + "\n" + v + "\n")
		}
	}
	var sig []byte
	var err error
	if version == "1" {
		d := sha1.Sum([]byte(s.String())) //nolint:gosec // SNS signature version 1
		sig, err = rsa.SignPKCS1v15(rand.Reader, e.key, crypto.SHA1, d[:])
	} else {
		d := sha256.Sum256([]byte(s.String()))
		sig, err = rsa.SignPKCS1v15(rand.Reader, e.key, crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m["Signature"] = base64.StdEncoding.EncodeToString(sig)
	if tamper != nil {
		tamper(m)
	}
	b, _ := json.Marshal(m)
	return b
}

func TestSNSWebhook(t *testing.T) {
	e := newEnv(t)
	bounce := string(fixture(t, "ses/bounce_permanent.json"))
	t.Run("ErrSignature", func(t *testing.T) {
		for name, edit := range map[string]func(map[string]any){
			"altered message": func(m map[string]any) {
				m["Message"] = strings.Replace(m["Message"].(string), "reader0002", "reader0005", 1)
			},
			"other key": func(m map[string]any) {
				k, _ := rsa.GenerateKey(rand.Reader, 2048)
				d := sha256.Sum256([]byte("x"))
				s, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, d[:])
				m["Signature"] = base64.StdEncoding.EncodeToString(s)
			},
			"no signature":      func(m map[string]any) { m["Signature"] = "" },
			"unknown version":   func(m map[string]any) { m["SignatureVersion"] = "3" },
			"foreign cert host": func(m map[string]any) { m["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com.example.org/x.pem" },
		} {
			code, body := e.post(t, "/mail/ses", e.envelope(t, "notification.json", bounce, "2", nil, edit), "", "")
			if code != http.StatusBadRequest {
				t.Errorf("%s: %d %s, want 400", name, code, body)
			}
		}
		code, body := e.post(t, "/mail/ses", e.envelope(t, "notification.json", bounce, "2",
			map[string]any{"TopicArn": "arn:aws:sns:eu-west-1:999999999999:other"}, nil), "", "")
		if code != http.StatusForbidden || !strings.Contains(body, "TopicArn") {
			t.Errorf("other topic: %d %s", code, body)
		}
		if len(e.recipients(t)) != 5 {
			t.Fatal("a refused message suppressed an address")
		}
	})
	t.Run("ErrUnknownEvent", func(t *testing.T) {
		code, body := e.post(t, "/mail/ses", e.envelope(t, "notification.json", `{"notificationType": "Teleport"}`, "2", nil, nil), "", "")
		if code != http.StatusBadRequest || !strings.Contains(body, "Teleport") {
			t.Fatalf("unknown type: %d %s", code, body)
		}
	})
	t.Run("Confirm", func(t *testing.T) {
		code, body := e.post(t, "/mail/ses", e.envelope(t, "subscription_confirmation.json", "", "1", nil,
			func(m map[string]any) { m["Token"] = "forged" }), "", "")
		if code != http.StatusBadRequest || e.visits.Load() != 0 {
			t.Fatalf("forged confirmation: %d %s, %d visits", code, body, e.visits.Load())
		}
		code, body = e.post(t, "/mail/ses", e.envelope(t, "subscription_confirmation.json", "", "1", nil, nil), "", "")
		if code != http.StatusNoContent || e.visits.Load() != 1 {
			t.Fatalf("confirmation: %d %s, %d visits", code, body, e.visits.Load())
		}
	})
	t.Run("OK", func(t *testing.T) {
		for i, msg := range []string{bounce, string(fixture(t, "ses/bounce_transient.json")), string(fixture(t, "ses/complaint.json")),
			string(fixture(t, "ses/delivery.json"))} {
			body := e.envelope(t, "notification.json", msg, []string{"1", "2"}[i%2],
				map[string]any{"MessageId": fmt.Sprintf("message-%d", i)}, nil)
			if code, resp := e.post(t, "/mail/ses", body, "", ""); code != http.StatusOK {
				t.Fatalf("notification %d: %d %s", i, code, resp)
			}
		}
		for addr, want := range map[string]string{"reader0001@example.org": store.SuppressBounce, "reader0002@example.org": store.SuppressBounce,
			"reader0003@example.org": store.SuppressComplaint, "reader0004@example.org": "", "reader0005@example.org": ""} {
			if got := e.suppressed(t, addr); got != want {
				t.Errorf("%s suppressed as %q, want %q", addr, got, want)
			}
		}
		if got := e.recipients(t); len(got) != 2 || !got["reader0004@example.org"] || !got["reader0005@example.org"] {
			t.Errorf("a later send mails %v", got)
		}
		// A replay (SNS delivers at least once) changes nothing.
		body := e.envelope(t, "notification.json", bounce, "2", map[string]any{"MessageId": "message-0"}, nil)
		if code, resp := e.post(t, "/mail/ses", body, "", ""); code != http.StatusOK || !strings.Contains(resp, `"applied":0`) {
			t.Fatalf("replay: %d %s", code, resp)
		}
	})
}

func TestSNSURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem": true,
		"https://sns.cn-north-1.amazonaws.com.cn/x.pem":                         true,
		"http://sns.eu-west-1.amazonaws.com/x.pem":                              false,
		"https://sns.eu-west-1.amazonaws.com.example.org/x.pem":                 false,
		"https://example.org/sns.eu-west-1.amazonaws.com/x.pem":                 false,
		"https://user@sns.eu-west-1.amazonaws.com/x.pem":                        false,
		"https://sns.eu-west-1.amazonaws.com:8443/x.pem":                        false,
		"https://s3.amazonaws.com/x.pem":                                        false,
	} {
		u, _ := url.Parse(raw)
		if got := mailhook.SNSURL(u); got != want {
			t.Errorf("SNSURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestApplyMailEvent_SystemOnly(t *testing.T) {
	e := newEnv(t)
	admin := e.svc.As(&content.User{ID: 1, Role: content.RoleAdmin})
	_, err := admin.ApplyMailEvent(context.Background(), editorial.MailEvent{ID: "x", Provider: "postmark", Reason: store.SuppressBounce,
		Email: "reader0001@example.org"})
	if content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("staff recorded a bounce: %v", err)
	}
	_, err = e.svc.System("mail-webhook").ApplyMailEvent(context.Background(), editorial.MailEvent{ID: "y", Reason: store.SuppressBounce,
		Email: "not an address"})
	if content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), "email") {
		t.Fatalf("a bad address: %v", err)
	}
}
