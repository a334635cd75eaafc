package content

// Status is an article's place in the editorial workflow.
type Status string

// Workflow statuses. Only StatusPublished articles whose publish time has come
// are public.
const (
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusDraft, StatusReview, StatusScheduled, StatusPublished, StatusArchived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}
