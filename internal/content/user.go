package content

import (
	"strings"
	"time"
)

// Role is a staff member's level of trust. Each role can do everything the
// roles before it can.
type Role string

// Staff roles, least to most trusted.
const (
	RoleContributor Role = "contributor" // writes own drafts, submits them for review
	RoleAuthor      Role = "author"      // also publishes own articles
	RoleEditor      Role = "editor"      // all content, taxonomy, authors, review queue
	RoleAdmin       Role = "admin"       // also settings, users and API tokens
)

// Roles lists the roles in order of trust.
var Roles = []Role{RoleContributor, RoleAuthor, RoleEditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

func (r Role) rank() int {
	for i, v := range Roles {
		if v == r {
			return i + 1
		}
	}
	return 0
}

// AtLeast reports whether r is as trusted as min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Action is a write a staff member may attempt.
type Action string

// Actions checked by the editorial services and the admin.
const (
	ActCreateArticle    Action = "article.create"
	ActEditOwnArticle   Action = "article.edit_own" // own draft or piece in review
	ActEditAnyArticle   Action = "article.edit_any" // anyone's, including published pieces
	ActSubmitForReview  Action = "article.submit"   // own piece to the review queue
	ActPublishOwn       Action = "article.publish_own"
	ActPublishAny       Action = "article.publish_any"
	ActDeleteOwnDraft   Action = "article.delete_own_draft"
	ActDeleteAnyArticle Action = "article.delete_any"
	ActManageTerms      Action = "terms.manage"
	ActManageAuthors    Action = "authors.manage"
	ActUploadMedia      Action = "media.upload"
	ActManageMedia      Action = "media.manage" // edit or delete anyone's media
	ActManageSettings   Action = "settings.manage"
	ActManageUsers      Action = "users.manage"
	ActManageTokens     Action = "tokens.manage"
	ActViewAudit        Action = "audit.view"
	// Readers: members, comments and newsletters.
	ActManageMembers     Action = "members.manage" // see, block and unblock members
	ActModerateComments  Action = "comments.moderate"
	ActSendNewsletter    Action = "newsletter.send"
	ActManageNewsletters Action = "newsletters.manage" // create newsletters
)

// permissions gives the least role allowed each action.
var permissions = map[Action]Role{
	ActCreateArticle:     RoleContributor,
	ActEditOwnArticle:    RoleContributor,
	ActSubmitForReview:   RoleContributor,
	ActDeleteOwnDraft:    RoleContributor,
	ActUploadMedia:       RoleContributor,
	ActPublishOwn:        RoleAuthor,
	ActEditAnyArticle:    RoleEditor,
	ActPublishAny:        RoleEditor,
	ActDeleteAnyArticle:  RoleEditor,
	ActManageTerms:       RoleEditor,
	ActManageAuthors:     RoleEditor,
	ActManageMedia:       RoleEditor,
	ActManageSettings:    RoleAdmin,
	ActManageUsers:       RoleAdmin,
	ActManageTokens:      RoleAdmin,
	ActViewAudit:         RoleAdmin,
	ActManageMembers:     RoleEditor,
	ActModerateComments:  RoleEditor,
	ActSendNewsletter:    RoleEditor,
	ActManageNewsletters: RoleAdmin,
}

// Can reports whether role r may perform act. Unknown actions are refused.
func (r Role) Can(act Action) bool {
	min, ok := permissions[act]
	return ok && r.AtLeast(min)
}

// User is a staff account. Secrets are never serialized.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	AuthorID     int64     `json:"author_id,omitempty"` // the byline this user writes under, if any
	PasswordHash string    `json:"-"`
	TOTPSecret   string    `json:"-"` // empty when the second factor is off
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the user's own fields.
func (u *User) Validate() error {
	p := Problems{}
	u.Email = strings.TrimSpace(strings.ToLower(u.Email))
	if !looksLikeEmail(u.Email) {
		p.Add("email", "%q is not an email address", u.Email)
	}
	checkText(p, "name", u.Name, 1, 200)
	if !u.Role.Valid() {
		p.Add("role", "must be one of contributor, author, editor, admin (got %q)", u.Role)
	}
	return p.Err("user")
}
