-- +goose Up
-- Pages (About, Contact, Masthead ...) are rows of articles with type
-- 'page': they share slugs, translations, revisions and the editor with
-- articles, and the listings leave them out by type. parent_id puts a page
-- under another page (0: top level); template picks its layout. seo holds
-- the per-piece search and social overrides (JSON content.SEO, NULL: none).
ALTER TABLE articles ADD COLUMN type TEXT NOT NULL DEFAULT 'article';
ALTER TABLE articles ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN template TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo TEXT;
-- Pages are few; the listing counts subtract them through this index.
CREATE INDEX articles_pages ON articles (language, parent_id) WHERE type = 'page';

-- +goose Down
DROP INDEX articles_pages;
ALTER TABLE articles DROP COLUMN seo;
ALTER TABLE articles DROP COLUMN template;
ALTER TABLE articles DROP COLUMN parent_id;
ALTER TABLE articles DROP COLUMN type;
