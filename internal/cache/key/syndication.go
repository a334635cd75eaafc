package key

// Entities of republishing, syndication and webhooks. None is on a cached
// page (partner feeds are per partner and never cached; the admin is not
// cached), so their changes carry no keys and are announced for other
// consumers only.
const (
	EntityDomainRule     = "republish_domain" // Ref is the domain
	EntityPartner        = "partner"
	EntityPartnerRelease = "partner_release" // ID is the article's
	EntityWebhook        = "webhook"
)
