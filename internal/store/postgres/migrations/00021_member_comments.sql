-- +goose Up
-- Comments written on the site name their member (0 for imported and
-- anonymous ones); comment_modes holds an article's comment setting when it
-- differs from the default (open, members or closed).
ALTER TABLE comments ADD COLUMN member_id bigint NOT NULL DEFAULT 0;
CREATE INDEX comments_member ON comments (member_id) WHERE member_id <> 0;
CREATE INDEX comments_status ON comments (status, created_at);

CREATE TABLE comment_modes (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    mode       text   NOT NULL
);
