-- +goose Up
-- Mail about replies and new comments: the addresses (by SHA-256) that
-- asked for none, and each comment and recipient mailed about it, so a
-- comment approved again mails nobody twice. See the SQLite migration.
CREATE TABLE reply_notice_optouts (
    email_hash text        PRIMARY KEY,
    created_at timestamptz NOT NULL
);
CREATE TABLE reply_notices (
    comment_id     bigint      NOT NULL,
    recipient_hash text        NOT NULL,
    sent_at        timestamptz NOT NULL,
    PRIMARY KEY (comment_id, recipient_hash)
);
CREATE INDEX reply_notices_recipient ON reply_notices (recipient_hash, sent_at);
