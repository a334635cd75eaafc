-- +goose Up
CREATE TABLE newsletters (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT '', -- '' for every language
    created_at  TEXT    NOT NULL
);

CREATE TABLE subscriptions (
    member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (member_id, newsletter_id)
);
CREATE INDEX subscriptions_newsletter ON subscriptions (newsletter_id, member_id);

-- newsletter_sends is one mailing of an article to a newsletter's
-- subscribers; newsletter_recipients is its list, fixed when the send is
-- made, with each address's state: pending, sending (handed to the mail
-- server, outcome not yet recorded), sent or failed. A recipient leaves
-- pending only once, so a resumed send mails nobody twice.
CREATE TABLE newsletter_sends (
    id            INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters (id),
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    subject       TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'sending', -- sending, done
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    finished_at   TEXT
);

CREATE TABLE newsletter_recipients (
    send_id   INTEGER NOT NULL REFERENCES newsletter_sends (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL,
    email     TEXT    NOT NULL,
    state     TEXT    NOT NULL DEFAULT 'pending',
    error     TEXT    NOT NULL DEFAULT '',
    sent_at   TEXT,
    PRIMARY KEY (send_id, member_id)
);
