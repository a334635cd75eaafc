-- +goose Up
-- Republishing and syndication: which images may travel with a republished
-- article, the daily counts of the republication tracking image (no reader
-- data: article, referring page, its domain and the day), domain rules,
-- syndication partners with the hash of their feed token, partner release
-- times, and webhook subscriptions with their delivery log.
ALTER TABLE media ADD COLUMN republishable INTEGER NOT NULL DEFAULT 0;

CREATE TABLE republish_views (
    article_id INTEGER NOT NULL,
    domain     TEXT    NOT NULL,
    page       TEXT    NOT NULL,
    day        TEXT    NOT NULL, -- YYYY-MM-DD, UTC
    views      INTEGER NOT NULL,
    PRIMARY KEY (article_id, domain, page, day)
) WITHOUT ROWID;
CREATE INDEX republish_views_day ON republish_views (day);

CREATE TABLE republish_domains (
    domain     TEXT NOT NULL PRIMARY KEY,
    rule       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE partners (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    TEXT    NOT NULL,
    revoked_at    TEXT,
    fetches       INTEGER NOT NULL DEFAULT 0,
    last_fetch_at TEXT
);

CREATE TABLE partner_releases (
    article_id INTEGER NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    release_at TEXT    NOT NULL
);

CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    events        TEXT    NOT NULL, -- JSON array of event names
    active        INTEGER NOT NULL DEFAULT 1,
    allow_private INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);

CREATE TABLE webhook_deliveries (
    id         INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id   TEXT    NOT NULL,
    event      TEXT    NOT NULL,
    attempt    INTEGER NOT NULL,
    status     INTEGER NOT NULL,
    error      TEXT    NOT NULL DEFAULT '',
    response   TEXT    NOT NULL DEFAULT '',
    millis     INTEGER NOT NULL DEFAULT 0,
    at         TEXT    NOT NULL
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id DESC);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE partner_releases;
DROP TABLE partners;
DROP TABLE republish_domains;
DROP TABLE republish_views;
ALTER TABLE media DROP COLUMN republishable;
