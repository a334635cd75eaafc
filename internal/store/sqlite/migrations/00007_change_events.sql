-- +goose Up
-- change_events carries cache invalidations between processes sharing one
-- database: a `folio import` or `folio translate` run, or another node,
-- appends the dependency keys its writes touched; every serving process
-- polls the log and drops the pages that depend on them.
CREATE TABLE change_events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT    NOT NULL,
    origin TEXT    NOT NULL, -- the writing process, so it can skip its own events
    deps   TEXT    NOT NULL  -- space-separated dependency keys
);
CREATE INDEX change_events_at ON change_events (at);
