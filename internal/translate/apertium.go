package translate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Apertium runs the Apertium engine installed on this machine (Debian
// packages apertium plus one package per pair, such as apertium-eng-spa).
// Each batch of segments is one process run in HTML mode, which keeps the
// tags of Segment.Text and translates only the text between them.
type Apertium struct {
	// Command is the apertium binary; "apertium" on PATH when empty.
	Command string
	// Timeout bounds one process run; 60 s when zero.
	Timeout time.Duration
	// BatchBytes caps the input of one run, so a long article is several
	// runs, each well within Timeout; 64 KiB when zero.
	BatchBytes int

	once  sync.Once
	modes map[string]bool // installed modes, such as "eng-spa"
	err   error
}

// apertiumCodes maps BCP 47 primary languages to Apertium's ISO 639-3 codes.
var apertiumCodes = map[string]string{
	"en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "gl": "glg", "it": "ita",
	"ro": "ron", "oc": "oci", "eu": "eus", "eo": "epo", "nb": "nob", "nn": "nno", "da": "dan",
	"sv": "swe", "is": "isl", "de": "deu", "nl": "nld", "cy": "cym", "br": "bre", "ga": "gle",
	"mt": "mlt", "ar": "ara", "he": "heb", "kk": "kaz", "tt": "tat", "ru": "rus", "uk": "ukr",
	"be": "bel", "bg": "bul", "mk": "mkd", "sr": "srp", "hr": "hrv", "bs": "bos", "sl": "slv",
	"cs": "ces", "sk": "slk", "pl": "pol", "hi": "hin", "ur": "urd", "ms": "msa", "id": "ind",
	"an": "arg", "ast": "ast", "sc": "srd", "fi": "fin", "se": "sme", "tr": "tur", "uz": "uzb",
}

// Name returns "apertium".
func (a *Apertium) Name() string { return "apertium" }

func (a *Apertium) command() string {
	if a.Command != "" {
		return a.Command
	}
	return "apertium"
}

// apertiumMacro are languages Apertium pairs under a macrolanguage code:
// Serbo-Croatian "hbs" covers Serbian, Croatian and Bosnian.
var apertiumMacro = map[string]string{"sr": "hbs", "hr": "hbs", "bs": "hbs"}

// candidates are the Apertium mode names a pair may be installed under:
// pairs are named with ISO 639-3 codes ("eng-spa", "isl-eng"), some with
// two-letter ones ("en-gl", "eu-en", "eo-en"), and Serbo-Croatian as "hbs".
func (a *Apertium) candidates(from, to string) []string {
	f, t := baseLang(from), baseLang(to)
	codes := func(l string) []string {
		out := []string{}
		for _, c := range []string{apertiumCodes[l], apertiumMacro[l], l} {
			if c != "" && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		return out
	}
	var out []string
	if apertiumCodes[f] == "" || apertiumCodes[t] == "" {
		return nil
	}
	for _, fc := range codes(f) {
		for _, tc := range codes(t) {
			out = append(out, fc+"-"+tc)
		}
	}
	return out
}

// mode returns the installed Apertium mode for a pair, such as "eng-spa",
// or "" when none is.
func (a *Apertium) mode(from, to string) string {
	if a.loadModes() != nil {
		return ""
	}
	for _, m := range a.candidates(from, to) {
		if a.modes[m] {
			return m
		}
	}
	return ""
}

// Pairs lists the installed pairs as BCP 47 primary languages ("en" →
// "es"), from "apertium -l", for the translation request form.
func (a *Apertium) Pairs() ([]Pair, error) {
	if err := a.loadModes(); err != nil {
		return nil, err
	}
	byCode := map[string]string{}
	for l, c := range apertiumCodes {
		byCode[c], byCode[l] = l, l
	}
	seen := map[Pair]bool{}
	var out []Pair
	for m := range a.modes {
		f, t, ok := strings.Cut(m, "-")
		if !ok || strings.Contains(t, "-") {
			continue // variants such as "en-eo-bytecode"
		}
		t, _, _ = strings.Cut(t, "_") // "eng-cat_valencia" is eng-cat
		fs, ts := []string{byCode[f]}, []string{byCode[t]}
		if f == "hbs" {
			fs = []string{"sr", "hr", "bs"}
		}
		if t == "hbs" {
			ts = []string{"sr", "hr", "bs"}
		}
		for _, fl := range fs {
			for _, tl := range ts {
				p := Pair{From: fl, To: tl}
				if fl != "" && tl != "" && !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	sortPairs(out)
	return out, nil
}

// loadModes lists the installed pairs once ("apertium -l").
func (a *Apertium) loadModes() error {
	a.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, a.command(), "-l").Output()
		if err != nil {
			a.err = fmt.Errorf("list apertium pairs: %w", err)
			return
		}
		a.modes = map[string]bool{}
		for _, f := range strings.Fields(string(out)) {
			a.modes[f] = true
		}
	})
	return a.err
}

// Supports reports whether the pair's mode is installed.
func (a *Apertium) Supports(from, to string) bool { return a.mode(from, to) != "" }

var reApertiumSeg = regexp.MustCompile(`(?s)<p id="s(\d+)">(.*?)</p>`)

// Translate runs one apertium process per batch of segments. Each segment
// is sent as <p id="sN">…</p>: a block boundary the engine keeps, so the
// answers can be matched to the questions by number.
func (a *Apertium) Translate(ctx context.Context, from, to string, segs []Segment) ([]string, error) {
	if !a.Supports(from, to) {
		if err := a.loadModes(); err != nil {
			return nil, providerError(a.Name(), from, to, err, "the apertium program is not available")
		}
		return nil, unsupported(a.Name(), from, to)
	}
	mode := a.mode(from, to)
	limit := a.BatchBytes
	if limit <= 0 {
		limit = 64 << 10
	}
	out := make([]string, 0, len(segs))
	for start := 0; start < len(segs); {
		end, size := start, 0
		for end < len(segs) && (end == start || size+len(segs[end].Text) < limit) {
			size += len(segs[end].Text) + 20
			end++
		}
		res, err := a.run(ctx, mode, from, to, segs[start:end])
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
		start = end
	}
	return out, nil
}

func (a *Apertium) run(ctx context.Context, mode, from, to string, segs []Segment) ([]string, error) {
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var in bytes.Buffer
	for i, s := range segs {
		// Newlines inside a segment would be paragraph breaks to the engine.
		fmt.Fprintf(&in, "<p id=\"s%d\">%s</p>\n", i, strings.ReplaceAll(s.Text, "\n", " "))
	}
	// -u: unknown words pass through unmarked (no "*" prefix), which is
	// what a reader should see for names and terms the engine lacks.
	cmd := exec.CommandContext(ctx, a.command(), "-f", "html", "-u", mode)
	cmd.Stdin = &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, providerError(a.Name(), from, to, ctx.Err(), "timed out")
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, providerError(a.Name(), from, to, errors.Join(err, errors.New(msg)), "the engine failed")
	}
	res := make([]string, len(segs))
	seen := make([]bool, len(segs))
	for _, m := range reApertiumSeg.FindAllStringSubmatch(stdout.String(), -1) {
		i, err := strconv.Atoi(m[1])
		if err != nil || i >= len(segs) || seen[i] {
			continue
		}
		res[i], seen[i] = strings.TrimSpace(m[2]), true
	}
	for i, ok := range seen {
		if !ok {
			return nil, providerError(a.Name(), from, to, nil, "segment %d of %d is missing from the engine's output", i+1, len(segs))
		}
	}
	return res, nil
}
