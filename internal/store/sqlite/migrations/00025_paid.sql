-- +goose Up
-- Paid membership: tiers, members' subscriptions as the payment provider
-- reports them, and the provider events already handled (so a replayed
-- webhook changes nothing twice).
CREATE TABLE tiers (
    slug             TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    currency         TEXT    NOT NULL DEFAULT 'eur',
    monthly_cents    INTEGER NOT NULL DEFAULT 0,
    yearly_cents     INTEGER NOT NULL DEFAULT 0,
    monthly_price_id TEXT    NOT NULL DEFAULT '',
    yearly_price_id  TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE paid_subscriptions (
    subscription_id    TEXT    PRIMARY KEY,
    customer_id        TEXT    NOT NULL,
    member_id          INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tier_slug          TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    current_period_end TEXT,
    event_at           TEXT    NOT NULL
);
CREATE INDEX paid_subscriptions_member ON paid_subscriptions (member_id);
CREATE TABLE paid_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
