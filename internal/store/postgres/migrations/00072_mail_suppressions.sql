-- +goose Up
-- Addresses the mail provider reported as bounced or complained, which
-- newsletter sends leave out, and the provider events already handled
-- (a replayed webhook changes nothing). Pruned by retention (docs/readers.md).
CREATE TABLE mail_suppressions (
    email      text PRIMARY KEY,
    reason     text NOT NULL,
    provider   text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE TABLE mail_events (
    id          text PRIMARY KEY,
    received_at timestamptz NOT NULL
);
CREATE INDEX mail_events_received ON mail_events (received_at);
