-- +goose Up
-- Who may read an article's full text: public, members, members-first
-- (members until free_at, then everyone) or paid (access_tier, or any
-- paid tier when empty). Existing articles stay public.
ALTER TABLE articles ADD COLUMN access TEXT NOT NULL DEFAULT 'public'
    CHECK (access IN ('public', 'members', 'members-first', 'paid'));
ALTER TABLE articles ADD COLUMN access_tier TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN free_at TEXT;
