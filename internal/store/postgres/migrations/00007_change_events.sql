-- +goose Up
-- change_events carries cache invalidations between processes and nodes
-- sharing one database. Each append also sends NOTIFY folio_changes with
-- the event's id; a node that lost its listening connection catches up
-- from this table.
CREATE TABLE change_events (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL,
    origin text NOT NULL, -- the writing process, so it can skip its own events
    deps   text NOT NULL  -- space-separated dependency keys
);
CREATE INDEX change_events_at ON change_events (at);
