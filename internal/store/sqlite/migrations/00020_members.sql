-- +goose Up
-- members are readers with an account: they sign in by a mailed link (no
-- password), comment and subscribe to newsletters. A row exists only once
-- an address confirmed a link, so unconfirmed sign-ups leave nothing but
-- their expiring link (member_links), pruned a day after it expires.
CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    email        TEXT    NOT NULL, -- lower case
    name         TEXT    NOT NULL DEFAULT '',
    languages    TEXT    NOT NULL DEFAULT '', -- space-separated language tags
    status       TEXT    NOT NULL DEFAULT 'active', -- active, blocked
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX members_email ON members (email);

-- member_sessions are signed-in reader browsers, apart from staff sessions:
-- another table, another cookie. id is the SHA-256 of the cookie token.
CREATE TABLE member_sessions (
    id           TEXT    PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX member_sessions_member ON member_sessions (member_id);

-- member_links are mailed sign-in links. hash is the SHA-256 of the
-- secret in the link, nonce_hash that of the cookie set in the browser
-- that asked: the link signs in only that browser, once, before expires_at.
CREATE TABLE member_links (
    hash        TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    nonce_hash  TEXT NOT NULL,
    next        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX member_links_expires ON member_links (expires_at);

-- reader_attempts counts anonymous or mail-sending actions for rate
-- limits: kind is what was done ("signin_ip", "comment_member" ...), key
-- whom it counts against (an IP, a hashed address, a member id).
CREATE TABLE reader_attempts (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX reader_attempts_key ON reader_attempts (kind, key, at);
CREATE INDEX reader_attempts_at ON reader_attempts (at);
