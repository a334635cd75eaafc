-- +goose Up
-- Comments written on the site name their member (0 for imported ones and
-- anonymous ones on open articles). A deleted member's comments go with them.
ALTER TABLE comments ADD COLUMN member_id bigint NOT NULL DEFAULT 0;
CREATE INDEX comments_member ON comments (member_id) WHERE member_id <> 0;
CREATE INDEX comments_status ON comments (status, created_at);

-- comment_modes holds each article's comment setting when it differs
-- from the default, members: open (anyone, held for moderation),
-- members (signed-in members) or closed (no new comments).
CREATE TABLE comment_modes (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    mode       text    NOT NULL
);
