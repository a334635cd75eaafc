package key

import "strconv"

// Comments is read by an article's own page, which shows its approved
// comments; emitted when one of them appears, changes or goes, and when
// the article's comment mode changes. Article cards do not read it, so a
// comment drops one page, not every listing that shows the article.
func Comments(articleID int64) string { return "comments:" + strconv.FormatInt(articleID, 10) }

// Entities of the reader side. Members, newsletters, subscriptions and
// sends are on no cached page (profiles, the newsletter list and the admin
// are never cached), so their changes carry no keys: they drop nothing and
// are announced for other consumers only.
const (
	EntityMember       = "member"
	EntityNewsletter   = "newsletter"
	EntitySubscription = "subscription" // ID is the member's
	EntitySend         = "newsletter_send"
	// EntityTier and EntityPaidSubscription are paid membership: the join
	// page and the members' copies of articles that show them are never
	// cached either. A paid subscription's Ref is the provider's ID.
	EntityTier             = "tier"
	EntityPaidSubscription = "paid_subscription"
)

// EntitySuppression is an address a mail provider reported as bounced or
// complained; on no page. Its ID is the member's when one has the address
// (0 otherwise), its Ref the provider: the address itself never travels
// in a change event.
const EntitySuppression = "mail_suppression"
