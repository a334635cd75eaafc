package demo

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
)

// Readers is the demo's reader side: newsletters, members and comments.
type Readers struct {
	Newsletters []DemoNewsletter
	Members     []DemoMember
	Comments    []DemoComment
	Tiers       []DemoTier
	Paid        []DemoPaid
}

// DemoTier is a paid tier; prices in cents.
type DemoTier struct {
	Slug, Name, Description   string
	MonthlyCents, YearlyCents int64
}

// DemoPaid gives a member a paid tier, as if Stripe had reported it.
type DemoPaid struct{ Member, Tier string }

// DemoNewsletter is one newsletter of the demo.
type DemoNewsletter struct{ Slug, Name, Language, Description, Schedule string }

// DemoMember is one member, with the slugs of their newsletters.
type DemoMember struct {
	Email, Name string
	Languages   []string
	Newsletters []string
}

// DemoComment is one approved comment; Parent is the label of the comment
// it replies to, "" for none.
type DemoComment struct{ Label, Article, Member, Parent, Body string }

// loadReaders reads data/readers.txt; a dataset without one has no readers.
func (ds *Dataset) loadReaders(fsys fs.FS) error {
	if _, err := fs.Stat(fsys, "data/readers.txt"); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	lines, err := readLines(fsys, "readers.txt")
	if err != nil {
		return err
	}
	members := map[string]bool{}
	labels := map[string]bool{}
	for i, line := range lines {
		if isComment(line) {
			continue
		}
		k, v, ok := splitKV(line)
		if !ok {
			return fileError("readers.txt", i+1, "want \"key: value\"")
		}
		f := strings.Split(v, "|")
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		switch {
		case k == "newsletter" && (len(f) == 4 || len(f) == 5):
			n := DemoNewsletter{Slug: f[0], Name: f[1], Language: f[2], Description: f[3]}
			if len(f) == 5 {
				n.Schedule = f[4] // a digest: "weekly:fri"
			}
			ds.Readers.Newsletters = append(ds.Readers.Newsletters, n)
		case k == "member" && len(f) == 4:
			ds.Readers.Members = append(ds.Readers.Members, DemoMember{Email: f[0], Name: f[1], Languages: strings.Fields(f[2]),
				Newsletters: strings.Fields(f[3])})
			members[f[0]] = true
		case k == "comment" && len(f) == 5:
			c := DemoComment{Label: f[0], Article: f[1], Member: f[2], Body: f[4]}
			if f[3] != "-" {
				if !labels[f[3]] {
					return fileError("readers.txt", i+1, "comment %s replies to %q, which is not an earlier comment", f[0], f[3])
				}
				c.Parent = f[3]
			}
			if !members[c.Member] {
				return fileError("readers.txt", i+1, "comment %s: no member %q above", f[0], c.Member)
			}
			labels[f[0]] = true
			ds.Readers.Comments = append(ds.Readers.Comments, c)
		case k == "tier" && len(f) == 5:
			mo, err1 := strconv.ParseInt(f[2], 10, 64)
			yr, err2 := strconv.ParseInt(f[3], 10, 64)
			if err1 != nil || err2 != nil {
				return fileError("readers.txt", i+1, "tier %s: prices must be whole cents", f[0])
			}
			ds.Readers.Tiers = append(ds.Readers.Tiers, DemoTier{Slug: f[0], Name: f[1], MonthlyCents: mo, YearlyCents: yr, Description: f[4]})
		case k == "paid" && len(f) == 2:
			if !members[f[0]] {
				return fileError("readers.txt", i+1, "paid: no member %q above", f[0])
			}
			ds.Readers.Paid = append(ds.Readers.Paid, DemoPaid{Member: f[0], Tier: f[1]})
		default:
			return fileError("readers.txt", i+1, "%q with %d fields is not a newsletter (4), member (4), comment (5), tier (5) or paid (2)", k, len(f))
		}
	}
	return nil
}
