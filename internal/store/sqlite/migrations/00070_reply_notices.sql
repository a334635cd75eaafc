-- +goose Up
-- Mail about replies and new comments. reply_notice_optouts holds the
-- addresses, by SHA-256, that asked for none (the one-click link in every
-- such mail, or the profile); reply_notices records each comment and
-- recipient mailed about it, so approving a comment again (after a hold)
-- mails nobody twice. Only hashes of addresses are kept here.
CREATE TABLE reply_notice_optouts (
    email_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
CREATE TABLE reply_notices (
    comment_id     INTEGER NOT NULL,
    recipient_hash TEXT    NOT NULL,
    sent_at        TEXT    NOT NULL,
    PRIMARY KEY (comment_id, recipient_hash)
);
CREATE INDEX reply_notices_recipient ON reply_notices (recipient_hash, sent_at);
