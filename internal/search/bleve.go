package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Bleve is the embedded Index, a bleve (scorch) index in one directory.
// A directory is opened by one process at a time.
type Bleve struct {
	idx  bleve.Index
	path string

	closeOnce sync.Once
	closeErr  error

	groupsMu sync.Mutex
	groupsAt time.Time
	present  []string // groups with documents, see presentGroups
}

// presentGroups returns the language groups that have documents, so a
// query does not ask two dozen empty fields. The list is refreshed every
// few seconds; a language's first article is searchable by then.
func (b *Bleve) presentGroups() []string {
	b.groupsMu.Lock()
	defer b.groupsMu.Unlock()
	if b.present != nil && time.Since(b.groupsAt) < 5*time.Second {
		return b.present
	}
	fields, err := b.idx.Fields()
	if err != nil {
		return groups
	}
	have := map[string]bool{}
	for _, f := range fields {
		have[f] = true
	}
	out := []string{}
	for _, g := range groups {
		if have[bodyField(g)] {
			out = append(out, g)
		}
	}
	b.present, b.groupsAt = out, time.Now()
	return out
}

// DirName is the index directory's name inside the data directory.
const DirName = "search.bleve"

// ErrLocked is returned by Open when another process holds the index.
var ErrLocked = errors.New("search: the index is open in another process (a running server?)")

const stateKey = "folio.state"
const versionKey = "folio.mapping"

// Open opens the index at path, creating it when missing. An index that
// cannot be read or was made with another mapping is moved aside and
// started afresh; State then reports no position, which makes the
// Follower rebuild it.
func Open(path string) (*Bleve, error) {
	cfg := map[string]any{"bolt_timeout": "2s"}
	idx, err := bleve.OpenUsing(path, cfg)
	if err == nil {
		v, verr := idx.GetInternal([]byte(versionKey))
		if verr == nil && string(v) == mappingVersion {
			return &Bleve{idx: idx, path: path}, nil
		}
		_ = idx.Close()
		err = fmt.Errorf("mapping version %q, want %q", v, mappingVersion)
	}
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		return create(path)
	}
	if isTimeout(err) {
		return nil, ErrLocked
	}
	// Unreadable or outdated: keep it for inspection, build a new one.
	aside := path + ".broken-" + time.Now().UTC().Format("20060102T150405")
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, fmt.Errorf("search: open %s: %w (and moving it aside: %v)", path, err, rerr)
	}
	return create(path)
}

func isTimeout(err error) bool {
	return err != nil && (errors.Is(err, os.ErrDeadlineExceeded) || err.Error() == "timeout")
}

func create(path string) (*Bleve, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	idx, err := bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]any{"bolt_timeout": "2s"})
	if err != nil {
		if isTimeout(err) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("search: create %s: %w", path, err)
	}
	if err := idx.SetInternal([]byte(versionKey), []byte(mappingVersion)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("search: create %s: %w", path, err)
	}
	return &Bleve{idx: idx, path: path}, nil
}

// State is the index's position in the change log, stored with the
// documents it covers so that a crash never separates the two.
type State struct {
	Event      int64 `json:"event"`      // the last change-log event applied
	Rebuilding bool  `json:"rebuilding"` // a full reindex started and has not finished
}

// Update is one atomic change to the index.
type Update struct {
	Upsert []*Doc
	Delete []int64
	State  *State // stored with the documents when not nil
}

// Apply writes u in one batch.
func (b *Bleve) Apply(ctx context.Context, u Update) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	batch := b.idx.NewBatch()
	for _, d := range u.Upsert {
		if err := batch.Index(strconv.FormatInt(d.ID, 10), fieldsOf(d)); err != nil {
			return fmt.Errorf("search: index article %d: %w", d.ID, err)
		}
	}
	for _, id := range u.Delete {
		batch.Delete(strconv.FormatInt(id, 10))
	}
	if u.State != nil {
		v, err := json.Marshal(u.State)
		if err != nil {
			return fmt.Errorf("search: state: %w", err)
		}
		batch.SetInternal([]byte(stateKey), v)
	}
	if err := b.idx.Batch(batch); err != nil {
		return fmt.Errorf("search: apply %d upserts, %d deletes: %w", len(u.Upsert), len(u.Delete), err)
	}
	if len(u.Upsert) > 0 {
		b.groupsMu.Lock()
		for _, d := range u.Upsert {
			if g := group(d.Language); b.present != nil && !slices.Contains(b.present, g) {
				b.present = nil // a new language: list again
			}
		}
		b.groupsMu.Unlock()
	}
	return nil
}

// State returns the stored position; ok is false when none was stored
// (a new index).
func (b *Bleve) State() (s State, ok bool, err error) {
	v, err := b.idx.GetInternal([]byte(stateKey))
	if err != nil {
		return s, false, fmt.Errorf("search: read state: %w", err)
	}
	if len(v) == 0 {
		return s, false, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return s, false, nil // unreadable: treat as new
	}
	return s, true, nil
}

// Upsert adds or replaces documents.
func (b *Bleve) Upsert(ctx context.Context, docs ...*Doc) error {
	return b.Apply(ctx, Update{Upsert: docs})
}

// Delete removes documents.
func (b *Bleve) Delete(ctx context.Context, ids ...int64) error {
	return b.Apply(ctx, Update{Delete: ids})
}

// Count returns the number of documents.
func (b *Bleve) Count() (uint64, error) {
	n, err := b.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// Close flushes and closes the index; later calls do nothing.
func (b *Bleve) Close() error {
	b.closeOnce.Do(func() {
		if err := b.idx.Close(); err != nil {
			b.closeErr = fmt.Errorf("search: close: %w", err)
		}
	})
	return b.closeErr
}

// IDs returns the IDs of every document in the index.
func (b *Bleve) IDs() ([]int64, error) {
	adv, err := b.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: list: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: list: %w", err)
	}
	defer r.Close()
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("search: list: %w", err)
	}
	defer dr.Close()
	var out []int64
	for {
		iid, err := dr.Next()
		if err != nil {
			return nil, fmt.Errorf("search: list: %w", err)
		}
		if iid == nil {
			return out, nil
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			return nil, fmt.Errorf("search: list: %w", err)
		}
		if id, err := strconv.ParseInt(ext, 10, 64); err == nil {
			out = append(out, id)
		}
	}
}

// fieldsOf lays a document out in the index's fields. The body field also
// carries the deck and title, so that every word of a query may be found
// anywhere in the article; the title field adds weight to title matches.
func fieldsOf(d *Doc) map[string]any {
	g := group(d.Language)
	all := d.Deck + "\n\n" + d.Body + "\n\n" + d.Title
	m := map[string]any{
		fieldLang:     d.Language,
		titleField(g): d.Title,
		bodyField(g):  all,
		fieldWords:    all,
		"author":      idStrings(d.Authors),
		"region":      idStrings(d.Regions),
		"theme":       idStrings(d.Themes),
		"dossier":     idStrings(d.Dossiers),
		fieldTag:      idStrings(d.Tags),
	}
	if !d.PublishedAt.IsZero() {
		m[fieldPublished] = d.PublishedAt.UTC()
		y := d.Year
		if y == 0 {
			y = d.PublishedAt.UTC().Year()
		}
		m["year"] = strconv.Itoa(y)
	}
	return m
}

func idStrings(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}
