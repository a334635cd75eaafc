-- +goose Up
-- Named positions in the change log, for consumers that must see every
-- event once across restarts and nodes (webhook delivery): the position is
-- the ID of the last event the consumer has handled.
CREATE TABLE event_cursors (
    name       TEXT    NOT NULL PRIMARY KEY,
    position   INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);

-- +goose Down
DROP TABLE event_cursors;
