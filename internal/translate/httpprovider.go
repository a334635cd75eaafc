package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxResponse bounds a provider's answer; a translated batch is at most a
// few times its source.
const maxResponse = 8 << 20

// postJSON sends body as JSON and decodes a 2xx answer into out. A non-2xx
// answer becomes a ProviderError carrying the provider's own message,
// read by errMsg from the body.
func postJSON(ctx context.Context, c *http.Client, p, from, to, url string, header http.Header, body, out any,
	errMsg func(status int, body []byte) string) error {
	b, err := json.Marshal(body)
	if err != nil {
		return providerError(p, from, to, err, "encode request")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return providerError(p, from, to, err, "bad URL")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return providerError(p, from, to, context.DeadlineExceeded, "timed out")
		}
		return providerError(p, from, to, err, "the service is unreachable")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return providerError(p, from, to, err, "read the answer")
	}
	if resp.StatusCode/100 != 2 {
		return providerError(p, from, to, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, data),
			"%s", errMsg(resp.StatusCode, data))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return providerError(p, from, to, err, "the answer is not the expected JSON")
	}
	return nil
}

// LibreTranslate calls a LibreTranslate-compatible API
// (https://libretranslate.com/docs): POST {URL}/translate with
// {"q": [...], "source", "target", "format": "html", "api_key"}.
type LibreTranslate struct {
	URL    string // base URL, such as https://libretranslate.example.org
	APIKey string
	Client *http.Client // 60 s timeout when nil
	// Languages limits Supports to these primary languages; every pair is
	// tried when empty, and the server's refusal names the pair.
	Languages []string
	// BatchSize is the number of segments per request; 50 when zero.
	BatchSize int

	mu      sync.Mutex
	targets map[string][]string // GET /languages: targets by source code
	fetched time.Time
}

// Name returns "libretranslate".
func (l *LibreTranslate) Name() string { return "libretranslate" }

// Supports reports whether the pair is offered: by Languages when set,
// else by the server's GET /languages (fetched once, then every ten
// minutes). While the server cannot say, every pair is tried, so the
// translation fails with the server's own error; Pairs reports it.
func (l *LibreTranslate) Supports(from, to string) bool {
	if baseLang(from) == baseLang(to) {
		return false
	}
	if len(l.Languages) == 0 {
		targets, err := l.languages(from, to)
		return err != nil || slices.Contains(targets[libreLang(from)], libreLang(to))
	}
	has := func(x string) bool {
		for _, s := range l.Languages {
			if baseLang(s) == baseLang(x) {
				return true
			}
		}
		return false
	}
	return has(from) && has(to)
}

// libreLanguage is one entry of LibreTranslate's GET /languages answer.
type libreLanguage struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Targets []string `json:"targets"`
}

// languages returns the server's targets by source code, cached.
func (l *LibreTranslate) languages(from, to string) (map[string][]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.targets != nil && time.Since(l.fetched) < 10*time.Minute {
		return l.targets, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(l.URL, "/")+"/languages", nil)
	if err != nil {
		return nil, providerError(l.Name(), from, to, err, "bad URL")
	}
	req.Header.Set("Accept", "application/json")
	c := l.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return nil, providerError(l.Name(), from, to, context.DeadlineExceeded, "timed out")
		}
		return nil, providerError(l.Name(), from, to, err, "the service is unreachable")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil || resp.StatusCode/100 != 2 {
		return nil, providerError(l.Name(), from, to, fmt.Errorf("HTTP %d: %v", resp.StatusCode, err), "could not list its languages")
	}
	var langs []libreLanguage
	if err := json.Unmarshal(data, &langs); err != nil {
		return nil, providerError(l.Name(), from, to, err, "its language list is not the expected JSON")
	}
	l.targets = map[string][]string{}
	for _, lg := range langs {
		l.targets[lg.Code] = lg.Targets
	}
	l.fetched = time.Now()
	return l.targets, nil
}

// Pairs lists the pairs the server offers (or Languages allows), as
// LibreTranslate codes ("zt" is Traditional Chinese, listed as zh-Hant).
func (l *LibreTranslate) Pairs() ([]Pair, error) {
	tag := func(c string) string {
		if c == "zt" {
			return "zh-Hant"
		}
		return c
	}
	var out []Pair
	if len(l.Languages) > 0 {
		for _, f := range l.Languages {
			for _, t := range l.Languages {
				if baseLang(f) != baseLang(t) {
					out = append(out, Pair{baseLang(f), baseLang(t)})
				}
			}
		}
		sortPairs(out)
		return out, nil
	}
	targets, err := l.languages("", "")
	if err != nil {
		return nil, err
	}
	for f, ts := range targets {
		for _, t := range ts {
			if f != t {
				out = append(out, Pair{tag(f), tag(t)})
			}
		}
	}
	sortPairs(out)
	return out, nil
}

// libreLang maps a BCP 47 tag to LibreTranslate's codes: primary subtags,
// except Chinese scripts.
func libreLang(tag string) string {
	switch strings.ToLower(tag) {
	case "zh-hant", "zh-tw", "zh-hk":
		return "zt"
	}
	return baseLang(tag)
}

type libreRequest struct {
	Q      []string `json:"q"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Format string   `json:"format"`
	APIKey string   `json:"api_key,omitempty"`
}

type libreResponse struct {
	TranslatedText []string `json:"translatedText"`
}

// Translate sends the segments in batches.
func (l *LibreTranslate) Translate(ctx context.Context, from, to string, segs []Segment) ([]string, error) {
	if !l.Supports(from, to) {
		return nil, unsupported(l.Name(), from, to)
	}
	return batches(segs, l.BatchSize, 50, func(batch []Segment) ([]string, error) {
		req := libreRequest{Source: libreLang(from), Target: libreLang(to), Format: "html", APIKey: l.APIKey}
		for _, s := range batch {
			req.Q = append(req.Q, s.Text)
		}
		var resp libreResponse
		err := postJSON(ctx, l.Client, l.Name(), from, to, strings.TrimRight(l.URL, "/")+"/translate", nil, req, &resp,
			func(status int, body []byte) string {
				var e struct {
					Error string `json:"error"`
				}
				_ = json.Unmarshal(body, &e)
				if e.Error == "" {
					e.Error = http.StatusText(status)
				}
				return fmt.Sprintf("the service answered %d: %s", status, e.Error)
			})
		if err != nil {
			return nil, err
		}
		if len(resp.TranslatedText) != len(batch) {
			return nil, providerError(l.Name(), from, to, nil, "asked for %d segments, got %d", len(batch), len(resp.TranslatedText))
		}
		return resp.TranslatedText, nil
	})
}

// batches calls fn on runs of at most size segments (def when size is 0)
// and concatenates the answers.
func batches(segs []Segment, size, def int, fn func([]Segment) ([]string, error)) ([]string, error) {
	if size <= 0 {
		size = def
	}
	out := make([]string, 0, len(segs))
	for i := 0; i < len(segs); i += size {
		res, err := fn(segs[i:min(i+size, len(segs))])
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// DeepL calls the DeepL API v2 (https://developers.deepl.com/docs/api-reference/translate):
// POST /v2/translate with {"text": [...], "source_lang", "target_lang",
// "tag_handling": "html"} and the header "Authorization: DeepL-Auth-Key KEY".
// Free-plan keys end in ":fx" and use api-free.deepl.com. The pairs it
// offers come from the account's GET /v2/languages (type=source and
// type=target), so a language DeepL adds appears without a new release and
// one it does not offer is never proposed.
type DeepL struct {
	Key    string
	URL    string       // overrides the base URL derived from the key (tests)
	Client *http.Client // 60 s timeout when nil

	mu      sync.Mutex
	sources map[string]bool   // primary subtags DeepL translates from ("en", "zh")
	targets map[string]string // DeepL target codes by upper-case code ("EN-US", "ZH-HANT")
	fetched time.Time
}

// Name returns "deepl".
func (d *DeepL) Name() string { return "deepl" }

func (d *DeepL) base() string {
	if d.URL != "" {
		return strings.TrimRight(d.URL, "/")
	}
	if strings.HasSuffix(d.Key, ":fx") {
		return "https://api-free.deepl.com"
	}
	return "https://api.deepl.com"
}

func (d *DeepL) endpoint() string { return d.base() + "/v2/translate" }

// deeplLanguage is one entry of DeepL's GET /v2/languages answer
// (https://developers.deepl.com/api-reference/languages).
type deeplLanguage struct {
	Language          string `json:"language"`
	Name              string `json:"name"`
	SupportsFormality bool   `json:"supports_formality"`
}

// languages returns DeepL's source languages (primary subtags) and target
// codes, fetched once and then every ten minutes.
func (d *DeepL) languages() (map[string]bool, map[string]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sources != nil && time.Since(d.fetched) < 10*time.Minute {
		return d.sources, d.targets, nil
	}
	if d.Key == "" {
		return nil, nil, providerError(d.Name(), "", "", nil, "no API key is configured (FOLIO_DEEPL_KEY)")
	}
	sources, targets := map[string]bool{}, map[string]string{}
	for _, typ := range []string{"source", "target"} {
		langs, err := d.fetchLanguages(typ)
		if err != nil {
			return nil, nil, err
		}
		for _, l := range langs {
			code := strings.ToUpper(strings.TrimSpace(l.Language))
			if code == "" {
				continue
			}
			if typ == "source" {
				sources[baseLang(code)] = true
			} else {
				targets[code] = code
			}
		}
	}
	if len(sources) == 0 || len(targets) == 0 {
		return nil, nil, providerError(d.Name(), "", "", nil, "its language list is empty")
	}
	d.sources, d.targets, d.fetched = sources, targets, time.Now()
	return sources, targets, nil
}

func (d *DeepL) fetchLanguages(typ string) ([]deeplLanguage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base()+"/v2/languages?type="+typ, nil)
	if err != nil {
		return nil, providerError(d.Name(), "", "", err, "bad URL")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "DeepL-Auth-Key "+d.Key)
	c := d.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return nil, providerError(d.Name(), "", "", context.DeadlineExceeded, "timed out")
		}
		return nil, providerError(d.Name(), "", "", err, "the service is unreachable")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, providerError(d.Name(), "", "", err, "could not list its %s languages", typ)
	}
	if resp.StatusCode/100 != 2 {
		return nil, providerError(d.Name(), "", "", fmt.Errorf("HTTP %d", resp.StatusCode),
			"could not list its %s languages: %s", typ, deeplError(resp.StatusCode, data))
	}
	var langs []deeplLanguage
	if err := json.Unmarshal(data, &langs); err != nil {
		return nil, providerError(d.Name(), "", "", err, "its %s language list is not the expected JSON", typ)
	}
	return langs, nil
}

// deeplTarget returns the code DeepL translates into for tag, among the
// target codes it lists, or "" when it offers none. English, Portuguese
// and Chinese are listed as variants; a bare tag takes the first variant
// listed here.
func deeplTarget(targets map[string]string, tag string) string {
	t := strings.ToLower(tag)
	var want []string
	switch {
	case t == "en" || t == "en-us":
		want = []string{"EN-US", "EN-GB", "EN"}
	case t == "en-gb":
		want = []string{"EN-GB"}
	case t == "pt" || t == "pt-pt":
		want = []string{"PT-PT", "PT"}
	case t == "pt-br":
		want = []string{"PT-BR"}
	case t == "zh-hant" || t == "zh-tw" || t == "zh-hk":
		want = []string{"ZH-HANT"}
	case t == "zh" || t == "zh-hans" || t == "zh-cn":
		want = []string{"ZH-HANS", "ZH"}
	default:
		want = []string{strings.ToUpper(baseLang(t))}
	}
	for _, w := range want {
		if c, ok := targets[w]; ok {
			return c
		}
	}
	return ""
}

// Supports reports whether DeepL lists the pair. While DeepL cannot say
// (no key, unreachable) every pair is tried, so a translation fails with
// DeepL's own error; Pairs reports it, and the request form leaves DeepL
// out.
func (d *DeepL) Supports(from, to string) bool {
	if baseLang(from) == baseLang(to) {
		return false
	}
	sources, targets, err := d.languages()
	if err != nil {
		return true
	}
	return sources[baseLang(from)] && deeplTarget(targets, to) != ""
}

// Pairs lists the pairs between interface-style tags DeepL offers: every
// source with every target of another language ("zh" sources as zh-Hans
// and zh-Hant; EN-US and EN-GB as en).
func (d *DeepL) Pairs() ([]Pair, error) {
	sources, targets, err := d.languages()
	if err != nil {
		return nil, err
	}
	tagOf := func(code string) string {
		switch code {
		case "ZH-HANS", "ZH":
			return "zh-Hans"
		case "ZH-HANT":
			return "zh-Hant"
		case "PT-BR":
			return "pt-BR"
		}
		return baseLang(code)
	}
	seen := map[Pair]bool{}
	var out []Pair
	for s := range sources {
		froms := []string{s}
		if s == "zh" {
			froms = []string{"zh-Hans", "zh-Hant"}
		}
		for _, f := range froms {
			for code := range targets {
				// Between variants of one language (zh-Hans to zh-Hant)
				// is no translation.
				p := Pair{f, tagOf(code)}
				if baseLang(p.From) == baseLang(p.To) || seen[p] {
					continue
				}
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sortPairs(out)
	return out, nil
}

type deeplRequest struct {
	Text        []string `json:"text"`
	SourceLang  string   `json:"source_lang"`
	TargetLang  string   `json:"target_lang"`
	TagHandling string   `json:"tag_handling"`
}

type deeplResponse struct {
	Translations []struct {
		DetectedSourceLanguage string `json:"detected_source_language"`
		Text                   string `json:"text"`
	} `json:"translations"`
}

// Translate sends the segments in batches of 50, DeepL's limit per request.
func (d *DeepL) Translate(ctx context.Context, from, to string, segs []Segment) ([]string, error) {
	if !d.Supports(from, to) {
		return nil, unsupported(d.Name(), from, to)
	}
	if d.Key == "" {
		return nil, providerError(d.Name(), from, to, nil, "no API key is configured (FOLIO_DEEPL_KEY)")
	}
	_, targets, err := d.languages()
	if err != nil {
		var pe *ProviderError
		if errors.As(err, &pe) {
			pe.From, pe.To = from, to
		}
		return nil, err
	}
	h := http.Header{"Authorization": {"DeepL-Auth-Key " + d.Key}}
	return batches(segs, 50, 50, func(batch []Segment) ([]string, error) {
		req := deeplRequest{SourceLang: strings.ToUpper(baseLang(from)), TargetLang: deeplTarget(targets, to), TagHandling: "html"}
		for _, s := range batch {
			req.Text = append(req.Text, s.Text)
		}
		var resp deeplResponse
		err := postJSON(ctx, d.Client, d.Name(), from, to, d.endpoint(), h, req, &resp, deeplError)
		if err != nil {
			return nil, err
		}
		if len(resp.Translations) != len(batch) {
			return nil, providerError(d.Name(), from, to, nil, "asked for %d segments, got %d", len(batch), len(resp.Translations))
		}
		out := make([]string, len(batch))
		for i, t := range resp.Translations {
			out[i] = t.Text
		}
		return out, nil
	})
}

// deeplError explains DeepL's documented error statuses.
func deeplError(status int, body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	switch status {
	case http.StatusForbidden:
		return "the API key was refused (403)"
	case 456:
		return "the account's character quota is used up (456)"
	case http.StatusTooManyRequests:
		return "too many requests; try again later (429)"
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return fmt.Sprintf("the service answered %d: %s", status, e.Message)
}
