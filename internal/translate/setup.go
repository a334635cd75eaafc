package translate

import (
	"context"
	"fmt"
	"strings"

	"folio/internal/config"
	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/store"
)

// FromConfig returns the providers the configuration enables, the chosen
// one (cfg.TranslateProvider, or override when set) first. Apertium is
// always available as a fallback name; LibreTranslate and DeepL are added
// when their URL or key is set.
func FromConfig(cfg config.Config, override string) ([]Provider, error) {
	all := map[string]Provider{"apertium": &Apertium{}}
	if cfg.LibreTranslateURL != "" {
		all["libretranslate"] = &LibreTranslate{URL: cfg.LibreTranslateURL, APIKey: cfg.LibreTranslateKey}
	}
	if cfg.DeepLKey != "" {
		all["deepl"] = &DeepL{Key: cfg.DeepLKey}
	}
	first := cfg.TranslateProvider
	if override != "" {
		first = override
	}
	if first == "" {
		first = "apertium"
	}
	p := all[first]
	if p == nil {
		switch first {
		case "libretranslate":
			return nil, content.Errorf(content.EINVALID, "provider libretranslate needs FOLIO_LIBRETRANSLATE_URL")
		case "deepl":
			return nil, content.Errorf(content.EINVALID, "provider deepl needs FOLIO_DEEPL_KEY")
		}
		return nil, content.Errorf(content.EINVALID, "unknown translation provider %q (apertium, libretranslate or deepl)", first)
	}
	out := []Provider{p}
	for _, name := range []string{"apertium", "libretranslate", "deepl"} {
		if q := all[name]; q != nil && name != first {
			out = append(out, q)
		}
	}
	return out, nil
}

// MailNotifier mails outdated-translation notices to staff users.
type MailNotifier struct {
	Users interface {
		FindUserByID(context.Context, int64) (*content.User, error)
	}
	Mail     mail.Sender
	SiteName func() string // for the subject; "Folio" when nil
}

var _ Notifier = (*MailNotifier)(nil)

// Notify mails n to its user; disabled accounts are skipped silently.
func (m *MailNotifier) Notify(ctx context.Context, n *store.TranslationNotice) error {
	u, err := m.Users.FindUserByID(ctx, n.UserID)
	if err != nil {
		return fmt.Errorf("notify user %d: %w", n.UserID, err)
	}
	if u.Disabled || u.Email == "" {
		return nil
	}
	site := "Folio"
	if m.SiteName != nil {
		site = m.SiteName()
	}
	// Subjects may not carry line breaks (mail refuses them); titles could.
	subject := strings.Join(strings.Fields(fmt.Sprintf("[%s] A translation is out of date (article %d)", site, n.ArticleID)), " ")
	text := fmt.Sprintf("Hello %s,\n\n%s\n\nOpen the translation in the admin to compare it with the new source and mark it reviewed when it is up to date.\n",
		u.Name, n.Message)
	if err := m.Mail.Send(ctx, mail.Message{To: []string{u.Email}, Subject: subject, Text: text}); err != nil {
		return fmt.Errorf("notify user %d: %w", n.UserID, err)
	}
	return nil
}
