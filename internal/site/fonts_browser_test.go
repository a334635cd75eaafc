package site_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/testutil"
)

// tofuProbe draws, for every font the page's visible text is set in, each
// distinct character beyond ASCII on a canvas and compares the pixels with
// those of two private-use code points no font covers: the browser draws a
// character it has no glyph for, in any font of the fallback chain, as that
// same missing-glyph box (tofu). Spaces and format characters, which draw
// nothing, are left out. SelfCheck is the same comparison for "A" (must
// draw a glyph) and for U+10FFFC (must not), so the probe cannot pass by
// seeing nothing.
const tofuProbe = `(() => {
	const byFont = new Map();
	const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = w.nextNode(); n; n = w.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest("script,style,[hidden]") || !el.getClientRects().length) continue;
		const cs = getComputedStyle(el);
		const font = cs.fontStyle + " " + cs.fontWeight + " 40px " + cs.fontFamily;
		let set = byFont.get(font);
		if (!set) byFont.set(font, set = new Set());
		for (const ch of n.data) {
			if (ch.codePointAt(0) > 0x7f && !/[\p{Z}\p{Cf}\p{Cc}]/u.test(ch)) set.add(ch);
		}
	}
	const c = document.createElement("canvas");
	c.width = 96; c.height = 64;
	const g = c.getContext("2d", {willReadFrequently: true});
	const draw = (font, ch) => {
		g.clearRect(0, 0, c.width, c.height);
		g.font = font;
		g.textBaseline = "middle";
		g.fillText(ch, 24, 32);
		const d = g.getImageData(0, 0, c.width, c.height).data;
		let h = 0;
		for (let i = 3; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i]) >>> 0;
		return h;
	};
	const out = {Chars: 0, Fonts: byFont.size, Tofu: [], SelfCheck: ""};
	const first = byFont.keys().next().value || "40px sans-serif";
	const missing = f => new Set([draw(f, "\u{10FFFD}"), draw(f, "\u{FFFFD}")]);
	const m0 = missing(first);
	if (m0.has(draw(first, "A"))) out.SelfCheck = "'A' drawn as a missing glyph";
	else if (!m0.has(draw(first, "\u{10FFFC}"))) out.SelfCheck = "U+10FFFC not drawn as a missing glyph";
	const seen = new Set();
	for (const [font, set] of byFont) {
		const m = missing(font);
		for (const ch of set) {
			out.Chars++;
			if (seen.has(ch)) continue; // one report per character
			if (m.has(draw(font, ch))) {
				seen.add(ch);
				out.Tofu.push("U+" + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + " " + ch + " in " + font);
			}
		}
	}
	return out;
})()`

type tofuResult struct {
	Chars, Fonts int
	Tofu         []string
	SelfCheck    string
}

// TestFonts_Browser opens the demo's home page in nine languages whose
// scripts need fonts beyond Latin (CJK, Hangul, Devanagari, Bengali, Thai,
// Arabic) in headless Chromium and fails on any character drawn as a
// missing glyph. The fonts are Debian's Noto packages (fonts-noto-core,
// fonts-noto-cjk), which scripts/test-deps.sh installs.
func TestFonts_Browser(t *testing.T) {
	ctx := testutil.Browser(t, 1200, 900)
	srv := httptest.NewServer(demoHandler(t))
	t.Cleanup(srv.Close)
	for _, lang := range []string{"ja", "zh-Hans", "zh-Hant", "ko", "hi", "bn", "th", "ar", "fa"} {
		t.Run(lang, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+lang+"/"), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
				t.Fatalf("browser: %v", err)
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[tofuResult](tofuProbe))
			if err != nil {
				t.Fatal(err)
			}
			if res.SelfCheck != "" {
				t.Fatalf("the missing-glyph probe does not work here: %s", res.SelfCheck)
			}
			// The interface alone is dozens of characters of the script.
			if res.Chars < 30 {
				t.Fatalf("only %d characters beyond ASCII checked", res.Chars)
			}
			for _, tofu := range res.Tofu {
				t.Errorf("drawn as a missing glyph (install fonts-noto-core and fonts-noto-cjk: scripts/test-deps.sh): %s", tofu)
			}
			t.Logf("/%s/: %d characters in %d fonts, %d missing", lang, res.Chars, res.Fonts, len(res.Tofu))
		})
	}
}
