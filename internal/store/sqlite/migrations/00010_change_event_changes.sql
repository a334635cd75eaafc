-- +goose Up
-- A change event names the entities a write changed beside the cache keys,
-- so consumers other than the page cache (the search index, webhooks) can
-- follow writes made by other processes.
ALTER TABLE change_events ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE change_events DROP COLUMN changes;
