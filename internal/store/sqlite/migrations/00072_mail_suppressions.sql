-- +goose Up
-- Addresses the mail provider reported as bounced or complained, which
-- newsletter sends leave out, and the provider events already handled
-- (a replayed webhook changes nothing). Pruned by retention (docs/readers.md).
CREATE TABLE mail_suppressions (
    email      TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    provider   TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE mail_events (
    id          TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);
CREATE INDEX mail_events_received ON mail_events (received_at);
