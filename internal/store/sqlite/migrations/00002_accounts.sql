-- +goose Up
-- Staff accounts, their sessions, sign-in throttling, mailed one-time
-- tokens and the audit log. Secrets are stored only as hashes: argon2id for
-- passwords, SHA-256 for session cookies and mailed tokens.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE, -- lower-cased by content.User.Validate
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    author_id     INTEGER REFERENCES authors (id) ON DELETE SET NULL,
    password_hash TEXT    NOT NULL DEFAULT '', -- empty until an invitation is accepted
    totp_secret   TEXT    NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY, -- hex SHA-256 of the cookie token
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT '',
    totp_ok      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_attempts (
    id    INTEGER PRIMARY KEY,
    kind  TEXT    NOT NULL DEFAULT 'login', -- login or reset
    email TEXT    NOT NULL,
    ip    TEXT    NOT NULL,
    at    TEXT    NOT NULL,
    ok    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_attempts_email ON login_attempts (kind, email, at);
CREATE INDEX login_attempts_ip ON login_attempts (kind, ip, at);

CREATE TABLE one_time_tokens (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT    NOT NULL, -- reset or invite
    hash       TEXT    NOT NULL UNIQUE, -- hex SHA-256 of the mailed secret
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor     TEXT    NOT NULL DEFAULT '', -- kept when the user is deleted
    action    TEXT    NOT NULL,
    item_kind TEXT    NOT NULL DEFAULT '',
    item_id   INTEGER NOT NULL DEFAULT 0,
    summary   TEXT    NOT NULL DEFAULT '',
    ip        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_user ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_item ON audit_log (item_kind, item_id, at DESC);
