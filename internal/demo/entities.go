package demo

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
)

// Loading each kind of demo data: settings, authors, terms and articles.

var noticeBlocks = []string{"note_to_readers", "republishing_policy", "disclaimer", "fair_use", "media_contact", "membership_call"}

func (ds *Dataset) loadSettings(fsys fs.FS) error {
	const name = "site.txt"
	lines, err := readLines(fsys, name)
	if err != nil {
		return err
	}
	s := content.DefaultSettings()
	s.Languages = nil
	seen := map[string]bool{}
	blocks := map[string]*strings.Builder{}
	var block *strings.Builder
	var footer []content.MenuItem
	for i, line := range lines {
		n := i + 1
		if strings.HasPrefix(line, "--- ") {
			bn := strings.TrimSpace(strings.TrimPrefix(line, "--- "))
			// "--- disclaimer.fa" is the notice in another language.
			if base, lang, ok := strings.Cut(bn, "."); ok && slices.Contains(noticeBlocks, base) && content.ValidLanguageTag(lang) {
				bn = base + "." + lang
			} else if !slices.Contains(noticeBlocks, bn) {
				return fileError(name, n, "unknown block %q (want one of %s)", bn, strings.Join(noticeBlocks, ", "))
			}
			if blocks[bn] != nil {
				return fileError(name, n, "block %q given twice", bn)
			}
			block = &strings.Builder{}
			blocks[bn] = block
			continue
		}
		if block != nil {
			block.WriteString(line)
			block.WriteByte('\n')
			continue
		}
		if isComment(line) {
			continue
		}
		key, v, ok := splitKV(line)
		if !ok {
			return fileError(name, n, "want \"key: value\", got %q", line)
		}
		repeatable := key == "social" || key == "footer_menu"
		if seen[key] && !repeatable {
			return fileError(name, n, "key %q given twice", key)
		}
		seen[key] = true
		switch key {
		case "title":
			s.Title = v
		case "tagline":
			s.Tagline = v
		case "description":
			s.Description = v
		case "base_url":
			s.BaseURL = v
		case "default_language":
			s.DefaultLanguage = v
		case "languages":
			s.Languages = splitList(v)
		case "time_zone":
			s.TimeZone = v
		case "default_license":
			s.DefaultLicense = v
		case "logo_url":
			s.LogoURL = v
		case "contact_email":
			s.ContactEmail = v
		case "per_page":
			p, err := strconv.Atoi(v)
			if err != nil {
				return fileError(name, n, "per_page: %q is not a number", v)
			}
			s.PerPage = p
		case "banner_kind", "banner_text", "banner_url":
			if s.Banner == nil {
				s.Banner = &content.Banner{}
			}
			switch key {
			case "banner_kind":
				s.Banner.Kind = v
			case "banner_text":
				s.Banner.Text = v
			default:
				s.Banner.URL = v
			}
		case "footer_menu":
			l, ok := parseLink(v)
			if !ok {
				return fileError(name, n, "footer_menu: want \"Label | URL\", got %q", v)
			}
			footer = append(footer, content.MenuItem{Label: l.Label, URL: l.URL})
		case "social":
			l, ok := parseLink(v)
			if !ok {
				return fileError(name, n, "social: want \"Label | URL\", got %q", v)
			}
			s.SocialLinks = append(s.SocialLinks, l)
		default:
			// translation.<lang>.<field>
			parts := strings.Split(key, ".")
			if len(parts) == 3 && parts[0] == "translation" &&
				(parts[2] == "title" || parts[2] == "tagline" || parts[2] == "description") {
				setTranslation(&s, parts[1], parts[2], v)
				continue
			}
			return fileError(name, n, "unknown key %q", key)
		}
	}
	if len(footer) > 0 {
		s.Menus = map[string]content.Menus{s.DefaultLanguage: {Footer: footer}}
	}
	text := func(bn string) string {
		if b := blocks[bn]; b != nil {
			return strings.TrimSpace(b.String())
		}
		return ""
	}
	s.Notices = content.Notices{
		NoteToReaders:      text("note_to_readers"),
		RepublishingPolicy: text("republishing_policy"),
		Disclaimer:         text("disclaimer"),
		FairUse:            text("fair_use"),
		MediaContact:       text("media_contact"),
		MembershipCall:     text("membership_call"),
	}
	for bn, b := range blocks {
		if base, lang, ok := strings.Cut(bn, "."); ok {
			setTranslation(&s, lang, "notices."+base, strings.TrimSpace(b.String()))
		}
	}
	if len(s.Languages) == 0 {
		s.Languages = []string{s.DefaultLanguage}
	}
	if err := s.Validate(); err != nil {
		return fileError(name, 0, "%v", err)
	}
	ds.Settings = s
	return nil
}

// ---- record files (authors, terms) ----

func (ds *Dataset) loadAuthors(fsys fs.FS) error {
	const name = "authors.txt"
	recs, err := readRecords(fsys, name)
	if err != nil {
		return err
	}
	slugs := map[string]bool{}
	for _, r := range recs {
		a := &content.Author{Slug: r.header}
		seen := map[string]bool{}
		for _, f := range r.fields {
			if seen[f.key] && f.key != "link" {
				return fileError(name, f.line, "key %q given twice", f.key)
			}
			seen[f.key] = true
			// name.<lang> and bio.<lang>: the name (transliterated) and bio
			// in another language.
			if field, lang, ok := strings.Cut(f.key, "."); ok && (field == "name" || field == "bio") {
				if a.Translations == nil {
					a.Translations = map[string]content.AuthorText{}
				}
				t := a.Translations[lang]
				if field == "name" {
					t.Name = f.value
				} else {
					t.Bio = f.value
				}
				a.Translations[lang] = t
				continue
			}
			switch f.key {
			case "name":
				a.Name = f.value
			case "bio":
				a.Bio = f.value
			case "email":
				a.Email = f.value
			case "link":
				l, ok := parseLink(f.value)
				if !ok {
					return fileError(name, f.line, "link: want \"Label | URL\", got %q", f.value)
				}
				a.Links = append(a.Links, l)
			case "photo":
				if _, ok := ds.Images[f.value]; !ok {
					return fileError(name, f.line, "photo: no image %q in data/images", f.value)
				}
				a.PhotoURL = ds.Settings.BaseURL + MediaPrefix + f.value
				ds.AuthorPhotos[a.Slug] = f.value
			default:
				return fileError(name, f.line, "unknown key %q", f.key)
			}
		}
		if err := a.Validate(); err != nil {
			return fileError(name, r.line, "author %q: %v", r.header, err)
		}
		if slugs[a.Slug] {
			return fileError(name, r.line, "duplicate author slug %q", a.Slug)
		}
		slugs[a.Slug] = true
		ds.Authors = append(ds.Authors, a)
	}
	return nil
}

func (ds *Dataset) loadTerms(fsys fs.FS) error {
	const name = "terms.txt"
	recs, err := readRecords(fsys, name)
	if err != nil {
		return err
	}
	seenSlug := map[TermRef]bool{}
	for _, r := range recs {
		kind, slug, ok := strings.Cut(r.header, " ")
		if !ok {
			return fileError(name, r.line, "header wants \"--- <kind> <slug>\", got %q", r.header)
		}
		t := &content.Term{Kind: content.TermKind(kind), Slug: strings.TrimSpace(slug)}
		seen := map[string]bool{}
		for _, f := range r.fields {
			if seen[f.key] {
				return fileError(name, f.line, "key %q given twice", f.key)
			}
			seen[f.key] = true
			switch {
			case f.key == "name":
				t.Name = f.value
			case f.key == "description":
				t.Description = f.value
			case f.key == "active":
				b, err := strconv.ParseBool(f.value)
				if err != nil {
					return fileError(name, f.line, "active: %q is not true or false", f.value)
				}
				t.Active = b
			case strings.HasPrefix(f.key, "name."):
				if t.Names == nil {
					t.Names = map[string]string{}
				}
				t.Names[strings.TrimPrefix(f.key, "name.")] = f.value
			case strings.HasPrefix(f.key, "description."):
				if t.Descriptions == nil {
					t.Descriptions = map[string]string{}
				}
				t.Descriptions[strings.TrimPrefix(f.key, "description.")] = f.value
			default:
				return fileError(name, f.line, "unknown key %q", f.key)
			}
		}
		if err := t.Validate(); err != nil {
			return fileError(name, r.line, "term %q: %v", r.header, err)
		}
		ref := TermRef{t.Kind, t.Slug}
		if seenSlug[ref] {
			return fileError(name, r.line, "duplicate %s %q", t.Kind, t.Slug)
		}
		seenSlug[ref] = true
		ds.Terms = append(ds.Terms, t)
	}
	return nil
}

// ---- articles ----

// termKeys maps front-matter keys to term kinds, in the order refs are kept.
var termKeys = []struct {
	key  string
	kind content.TermKind
}{
	{"regions", content.KindRegion},
	{"themes", content.KindTheme},
	{"dossiers", content.KindDossier},
	{"tags", content.KindTag},
}

func (ds *Dataset) loadArticles(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "data/articles")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	authors := map[string]bool{}
	for _, a := range ds.Authors {
		authors[a.Slug] = true
	}
	terms := map[TermRef]bool{}
	for _, t := range ds.Terms {
		terms[TermRef{t.Kind, t.Slug}] = true
	}
	type langSlug struct{ lang, slug string }
	slugs := map[langSlug]string{}
	bySlug := map[string]*Article{}
	transLines := map[*Article]int{}
	names := map[*Article]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".md" {
			continue
		}
		name := "articles/" + e.Name()
		a, tline, err := ds.parseArticle(fsys, name, authors, terms)
		if err != nil {
			return err
		}
		k := langSlug{a.Language, a.Slug}
		if prev, ok := slugs[k]; ok {
			return fileError(name, 0, "slug %q (%s) is already used by %s", a.Slug, a.Language, prev)
		}
		slugs[k] = name
		if a.Language == ds.Settings.DefaultLanguage {
			bySlug[a.Slug] = a
		}
		transLines[a] = tline
		names[a] = name
		ds.Articles = append(ds.Articles, a)
	}
	for _, a := range ds.Articles {
		if a.TranslationOf == "" {
			continue
		}
		orig := bySlug[a.TranslationOf]
		switch {
		case orig == nil:
			return fileError(names[a], transLines[a], "translation_of: no %s article with slug %q", ds.Settings.DefaultLanguage, a.TranslationOf)
		case orig.TranslationOf != "":
			return fileError(names[a], transLines[a], "translation_of: %q is itself a translation", a.TranslationOf)
		case orig.Language == a.Language:
			return fileError(names[a], transLines[a], "translation_of: %q is in the same language", a.TranslationOf)
		}
	}
	return nil
}

// slugFromFile turns "07-some-title.md" into "some-title".
func slugFromFile(file string) string {
	s := strings.TrimSuffix(path.Base(file), ".md")
	if i := strings.IndexByte(s, '-'); i > 0 {
		if _, err := strconv.Atoi(s[:i]); err == nil {
			s = s[i+1:]
		}
	}
	return s
}

// parseArticle reads one article file. It returns the line of translation_of
// (0 if absent) for later cross-checks.
func (ds *Dataset) parseArticle(fsys fs.FS, name string, authors map[string]bool, terms map[TermRef]bool) (*Article, int, error) {
	lines, err := readLines(fsys, name)
	if err != nil {
		return nil, 0, err
	}
	start := 0
	for start < len(lines) && strings.TrimSpace(lines[start]) == "" {
		start++
	}
	if start == len(lines) || strings.TrimSpace(lines[start]) != "---" {
		return nil, 0, fileError(name, start+1, "file must open with a \"---\" front-matter line")
	}
	a := &Article{}
	a.Language = ds.Settings.DefaultLanguage
	a.Status = content.StatusPublished
	im := &content.Image{}
	refs := map[content.TermKind][]string{}
	refLines := map[content.TermKind]int{}
	seen := map[string]bool{}
	var authorLine, imageLine, translationLine int
	end := -1
	for i := start + 1; i < len(lines); i++ {
		line, n := lines[i], i+1
		if strings.TrimSpace(line) == "---" {
			end = i
			break
		}
		if isComment(line) {
			continue
		}
		key, v, ok := splitKV(line)
		if !ok {
			return nil, 0, fileError(name, n, "want \"key: value\", got %q", line)
		}
		if seen[key] {
			return nil, 0, fileError(name, n, "key %q given twice", key)
		}
		seen[key] = true
		switch key {
		case "title":
			a.Title = v
		case "slug":
			a.Slug = v
		case "deck":
			a.Deck = v
		case "excerpt":
			a.Excerpt = v
		case "language":
			a.Language = v
		case "translation_of":
			a.TranslationOf = v
			translationLine = n
		case "machine_translation":
			// An unreviewed machine translation by the named provider: held
			// off the language's listings and front page.
			a.Translation = &content.TranslationInfo{SourceLang: ds.Settings.DefaultLanguage, Machine: true, Provider: v}
		case "authors":
			a.AuthorSlugs = splitList(v)
			authorLine = n
		case "regions", "themes", "dossiers", "tags":
			for _, tk := range termKeys {
				if tk.key == key {
					refs[tk.kind] = splitList(v)
					refLines[tk.kind] = n
				}
			}
		case "published":
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, 0, fileError(name, n, "published: %q is not an RFC 3339 time", v)
			}
			a.PublishedAt = t
		case "featured":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, 0, fileError(name, n, "featured: %q is not true or false", v)
			}
			a.Featured = b
		case "license":
			a.License = v
		case "access":
			a.Access = content.Access(v)
		case "access_tier":
			a.AccessTier = v
		case "source_url":
			a.SourceURL = v
		case "source_name":
			a.SourceName = v
		case "image":
			a.ImageFile = v
			imageLine = n
		case "image_alt":
			im.Alt = v
		case "image_caption":
			im.Caption = v
		case "image_credit":
			im.Credit = v
		case "image_credit_url":
			im.CreditURL = v
		default:
			return nil, 0, fileError(name, n, "unknown key %q", key)
		}
	}
	if end < 0 {
		return nil, 0, fileError(name, start+1, "front matter is not closed by a \"---\" line")
	}
	a.BodyMarkdown = strings.TrimSpace(strings.Join(lines[end+1:], "\n")) + "\n"
	if a.Slug == "" {
		a.Slug = slugFromFile(name)
	}
	if a.PublishedAt.IsZero() {
		return nil, 0, fileError(name, 0, "published is required")
	}
	if len(a.AuthorSlugs) == 0 {
		return nil, 0, fileError(name, 0, "authors is required")
	}
	seenAuthor := map[string]bool{}
	for _, s := range a.AuthorSlugs {
		if !authors[s] {
			return nil, 0, fileError(name, authorLine, "unknown author %q", s)
		}
		if seenAuthor[s] {
			return nil, 0, fileError(name, authorLine, "author %q listed twice", s)
		}
		seenAuthor[s] = true
	}
	for _, tk := range termKeys {
		for _, s := range refs[tk.kind] {
			ref := TermRef{tk.kind, s}
			if !terms[ref] {
				return nil, 0, fileError(name, refLines[tk.kind], "unknown %s %q", tk.kind, s)
			}
			if slices.Contains(a.TermRefs, ref) {
				return nil, 0, fileError(name, refLines[tk.kind], "%s %q listed twice", tk.kind, s)
			}
			a.TermRefs = append(a.TermRefs, ref)
		}
	}
	if a.ImageFile != "" {
		b, ok := ds.Images[a.ImageFile]
		if !ok {
			return nil, 0, fileError(name, imageLine, "image: no file %q in data/images", a.ImageFile)
		}
		im.URL = MediaPrefix + a.ImageFile
		if path.Ext(a.ImageFile) == ".svg" {
			im.Width, im.Height, _ = svgSize(b)
		}
		a.Image = im
	} else if *im != (content.Image{}) {
		return nil, 0, fileError(name, 0, "image_* keys given without image")
	}
	if a.Translation != nil && a.TranslationOf == "" {
		return nil, 0, fileError(name, 0, "machine_translation needs translation_of")
	}
	if err := a.Validate(); err != nil {
		return nil, 0, fileError(name, 0, "%v", err)
	}
	return a, translationLine, nil
}

// setTranslation sets a per-language settings field.
func setTranslation(s *content.Settings, lang, field, v string) {
	if s.Translations == nil {
		s.Translations = map[string]map[string]string{}
	}
	if s.Translations[lang] == nil {
		s.Translations[lang] = map[string]string{}
	}
	s.Translations[lang][field] = v
}
