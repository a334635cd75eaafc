package store

import (
	"context"
	"time"
)

// TranslationStore persists what machine translation needs beside the
// articles themselves: the segment memory, job progress and the notices
// sent to translators. An article's own content.TranslationInfo travels
// with the article through ArticleStore.
type TranslationStore interface {
	// LookupMemory returns the stored translations of the segments whose
	// hashes are given, keyed by hash, and counts a hit on each one found.
	// Missing hashes are simply absent from the map.
	LookupMemory(ctx context.Context, from, to, provider string, hashes []string) (map[string]string, error)
	// PutMemory stores entries, replacing any with the same key.
	PutMemory(ctx context.Context, entries []*MemoryEntry) error
	// FindMemory returns one entry, or not_found.
	FindMemory(ctx context.Context, from, to, provider, hash string) (*MemoryEntry, error)

	// CreateTranslationJob inserts j and sets its ID and times.
	CreateTranslationJob(ctx context.Context, j *TranslationJob) error
	// UpdateTranslationJob stores j's state, progress, result and error; not_found.
	UpdateTranslationJob(ctx context.Context, j *TranslationJob) error
	// FindTranslationJob returns the job, or not_found.
	FindTranslationJob(ctx context.Context, id int64) (*TranslationJob, error)
	// FindTranslationJobs returns the jobs of one source article, newest first.
	FindTranslationJobs(ctx context.Context, articleID int64) ([]*TranslationJob, error)

	// CreateTranslationNotice records that a user was (or is to be) told
	// about an outdated translation, and sets its ID and CreatedAt.
	CreateTranslationNotice(ctx context.Context, n *TranslationNotice) error
	// MarkTranslationNoticeDelivered records that the notice was mailed.
	MarkTranslationNoticeDelivered(ctx context.Context, id int64) error
	// FindTranslationNotices returns a user's notices, newest first; userID
	// 0 returns everyone's.
	FindTranslationNotices(ctx context.Context, userID int64) ([]*TranslationNotice, error)
}

// MemoryEntry is one translated segment in the translation memory.
type MemoryEntry struct {
	SourceLang string
	TargetLang string
	Provider   string
	SourceHash string // hex SHA-256 of SourceText
	SourceText string
	TargetText string
	CreatedAt  time.Time
	Hits       int // times the entry was reused
}

// Translation job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// TranslationJob is the progress of translating one article into one language.
type TranslationJob struct {
	ID            int64
	ArticleID     int64 // the source
	TargetLang    string
	Provider      string
	RequestedBy   int64 // user id; 0 for the system (on-demand, CLI)
	State         string
	SegmentsDone  int
	SegmentsTotal int
	ResultID      int64 // the translated article, once done
	Error         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TranslationNotice tells a translator that the source of their
// translation changed.
type TranslationNotice struct {
	ID          int64
	UserID      int64
	ArticleID   int64 // the outdated translation
	SourceID    int64
	Message     string
	CreatedAt   time.Time
	DeliveredAt time.Time // zero until mailed
}
