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
)

// Licenses is the fixed list Folio knows. The community cross-post policy's
// full wording comes from the site settings.
var Licenses = []License{
	{Code: LicenseAllRights, Name: "All rights reserved",
		Summary: "All rights reserved. Write to the publication for permission to reuse this article."},
	{Code: LicenseCommunity, Name: "Community cross-post with attribution", Republish: true,
		Summary: "Community sites may cross-post this article with its source, copyright line and a link back. Commercial or print reuse needs permission."},
	{Code: LicenseCCBY, Name: "Creative Commons Attribution 4.0", URL: "https://creativecommons.org/licenses/by/4.0/", Republish: true,
		Summary: "You may share and adapt this article for any purpose, crediting the authors and the publication."},
	{Code: LicenseCCBYSA, Name: "Creative Commons Attribution-ShareAlike 4.0", URL: "https://creativecommons.org/licenses/by-sa/4.0/", Republish: true,
		Summary: "You may share and adapt this article, crediting the authors and the publication, under the same license."},
	{Code: LicenseCCBYND, Name: "Creative Commons Attribution-NoDerivatives 4.0", URL: "https://creativecommons.org/licenses/by-nd/4.0/", Republish: true,
		Summary: "You may republish this article unchanged for any purpose, crediting the authors and the publication."},
	{Code: LicenseCCBYNC, Name: "Creative Commons Attribution-NonCommercial 4.0", URL: "https://creativecommons.org/licenses/by-nc/4.0/", Republish: true,
		Summary: "You may share and adapt this article for non-commercial purposes, crediting the authors and the publication."},
	{Code: LicenseCCBYNCSA, Name: "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", URL: "https://creativecommons.org/licenses/by-nc-sa/4.0/", Republish: true,
		Summary: "You may share and adapt this article for non-commercial purposes, crediting the authors and the publication, under the same license."},
	{Code: LicenseCCBYNCND, Name: "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0", URL: "https://creativecommons.org/licenses/by-nc-nd/4.0/", Republish: true,
		Summary: "You may republish this article unchanged for non-commercial purposes, crediting the authors and the publication."},
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
