package content

// License says how others may reuse an article.
type License struct {
	Code string `json:"code"`
	Name string `json:"name"`
	URL  string `json:"url"` // legal text, empty for the site's own terms
	// Republish is true when community sites may cross-post without asking.
	Republish bool `json:"republish"`
	// Summary is the short reuse statement shown under an article.
	Summary string `json:"summary"`
	// Changes is true when republishers may edit or adapt the text.
	Changes bool `json:"changes"`
	// Commercial is true when commercial (and print) reuse needs no permission.
	Commercial bool `json:"commercial"`
}

// License codes.
const (
	LicenseAllRights = "all-rights-reserved"
	LicenseCommunity = "community-crosspost"
	LicenseCCBY      = "cc-by-4.0"
	LicenseCCBYSA    = "cc-by-sa-4.0"
	LicenseCCBYND    = "cc-by-nd-4.0"
	LicenseCCBYNC    = "cc-by-nc-4.0"
	LicenseCCBYNCSA  = "cc-by-nc-sa-4.0"
	LicenseCCBYNCND  = "cc-by-nc-nd-4.0"
	// LicenseCustom takes its name, text, link and whether it allows
	// republishing from the site settings (Settings.CustomLicense).
	LicenseCustom = "custom"
)

// Licenses is the fixed list Folio knows. The community cross-post policy's
// full wording comes from the site settings.
var Licenses = []License{
	{Code: LicenseAllRights, Name: "All rights reserved",
		Summary: "All rights reserved. Write to the publication for permission to reuse this article."},
	{Code: LicenseCommunity, Name: "Community cross-post with attribution", Republish: true,
		Summary: "Community sites may cross-post this article with its source, copyright line and a link back. Commercial or print reuse needs permission."},
	{Changes: true, Commercial: true, Code: LicenseCCBY, Name: "Creative Commons Attribution 4.0", URL: "https://creativecommons.org/licenses/by/4.0/", Republish: true,
		Summary: "You may share and adapt this article for any purpose, crediting the authors and the publication."},
	{Changes: true, Commercial: true, Code: LicenseCCBYSA, Name: "Creative Commons Attribution-ShareAlike 4.0", URL: "https://creativecommons.org/licenses/by-sa/4.0/", Republish: true,
		Summary: "You may share and adapt this article, crediting the authors and the publication, under the same license."},
	{Commercial: true, Code: LicenseCCBYND, Name: "Creative Commons Attribution-NoDerivatives 4.0", URL: "https://creativecommons.org/licenses/by-nd/4.0/", Republish: true,
		Summary: "You may republish this article unchanged for any purpose, crediting the authors and the publication."},
	{Changes: true, Code: LicenseCCBYNC, Name: "Creative Commons Attribution-NonCommercial 4.0", URL: "https://creativecommons.org/licenses/by-nc/4.0/", Republish: true,
		Summary: "You may share and adapt this article for non-commercial purposes, crediting the authors and the publication."},
	{Changes: true, Code: LicenseCCBYNCSA, Name: "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", URL: "https://creativecommons.org/licenses/by-nc-sa/4.0/", Republish: true,
		Summary: "You may share and adapt this article for non-commercial purposes, crediting the authors and the publication, under the same license."},
	{Code: LicenseCCBYNCND, Name: "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0", URL: "https://creativecommons.org/licenses/by-nc-nd/4.0/", Republish: true,
		Summary: "You may republish this article unchanged for non-commercial purposes, crediting the authors and the publication."},
	{Code: LicenseCustom, Name: "Custom terms",
		Summary: "Write to the publication for permission to reuse this article."},
}

// FindLicense returns the license with code, or nil.
func FindLicense(code string) *License {
	for i := range Licenses {
		if Licenses[i].Code == code {
			return &Licenses[i]
		}
	}
	return nil
}

// ResolveLicense returns the license an article with code carries on site
// st: code, else the site default, else all rights reserved (also for an
// unknown code). The custom
// license takes its wording from the settings. Every outward form of the
// license (the notice under the article, its JSON-LD, feeds, the republish
// tool) starts here, so they cannot disagree.
func ResolveLicense(st *Settings, code string) *License {
	for _, c := range []string{code, st.DefaultLicense} {
		if c == "" {
			continue
		}
		l := FindLicense(c)
		if l == nil {
			break // an unknown code must not fall through to a more permissive default
		}
		if l.Code != LicenseCustom {
			return l
		}
		cl := *l
		if cu := st.CustomLicense; cu.Name != "" {
			cl.Name, cl.URL, cl.Republish, cl.Changes, cl.Commercial = cu.Name, cu.URL, cu.Republish, cu.Changes, cu.Commercial
			if cu.Text != "" {
				cl.Summary = cu.Text
			}
		}
		return &cl
	}
	return FindLicense(LicenseAllRights)
}

// CustomLicense is the site's own license, used by articles with the
// custom license code.
type CustomLicense struct {
	Name       string `json:"name"`
	Text       string `json:"text"` // the reuse statement shown to readers
	URL        string `json:"url,omitempty"`
	Republish  bool   `json:"republish"` // offer the republish tool
	Changes    bool   `json:"changes"`
	Commercial bool   `json:"commercial"`
}
