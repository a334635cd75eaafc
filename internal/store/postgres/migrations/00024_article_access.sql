-- +goose Up
-- Who may read an article's full text (SQLite's 00024).
ALTER TABLE articles ADD COLUMN access text NOT NULL DEFAULT 'public'
    CHECK (access IN ('public', 'members', 'members-first', 'paid'));
ALTER TABLE articles ADD COLUMN access_tier text NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN free_at timestamptz;
