-- +goose Up
-- Paid membership (SQLite's 00025).
CREATE TABLE tiers (
    slug             text    PRIMARY KEY,
    name             text    NOT NULL,
    description      text    NOT NULL DEFAULT '',
    currency         text    NOT NULL DEFAULT 'eur',
    monthly_cents    bigint  NOT NULL DEFAULT 0,
    yearly_cents     bigint  NOT NULL DEFAULT 0,
    monthly_price_id text    NOT NULL DEFAULT '',
    yearly_price_id  text    NOT NULL DEFAULT '',
    active           boolean NOT NULL DEFAULT true
);
CREATE TABLE paid_subscriptions (
    subscription_id    text        PRIMARY KEY,
    customer_id        text        NOT NULL,
    member_id          bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tier_slug          text        NOT NULL,
    status             text        NOT NULL,
    current_period_end timestamptz,
    event_at           timestamptz NOT NULL
);
CREATE INDEX paid_subscriptions_member ON paid_subscriptions (member_id);
CREATE TABLE paid_events (
    id          text        PRIMARY KEY,
    type        text        NOT NULL,
    received_at timestamptz NOT NULL
);
