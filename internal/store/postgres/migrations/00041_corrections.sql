-- +goose Up
-- Correction and update notes of articles: dated, public, shown on the
-- article (top or bottom), in its feeds and JSON-LD and in the corrections
-- log. A note goes with its article.
CREATE TABLE corrections (
    id         bigserial PRIMARY KEY,
    article_id bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       text        NOT NULL DEFAULT 'correction',
    text       text        NOT NULL,
    position   text        NOT NULL DEFAULT 'bottom',
    at         timestamptz NOT NULL,
    created_by bigint      NOT NULL DEFAULT 0
);
CREATE INDEX corrections_article ON corrections (article_id, at);
CREATE INDEX corrections_at ON corrections (at DESC, id DESC);

-- +goose Down
DROP TABLE corrections;
