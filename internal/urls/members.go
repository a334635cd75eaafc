package urls

// Reader is a reader page (sign-in, profile, comment form, newsletters,
// forward) at path in lang: under /{lang}/ for every language but the
// default, like the articles, so the page speaks the reader's language.
func (b Builder) Reader(lang, path string) string { return b.prefix(lang) + path }
