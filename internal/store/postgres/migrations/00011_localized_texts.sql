-- +goose Up
-- Authors carry their name (transliterated) and bio per language, terms
-- their description per language, as JSON objects keyed by BCP 47 tag.
ALTER TABLE authors ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
ALTER TABLE terms ADD COLUMN descriptions jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE terms DROP COLUMN descriptions;
ALTER TABLE authors DROP COLUMN translations;
