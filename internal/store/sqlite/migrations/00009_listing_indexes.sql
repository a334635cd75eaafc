-- +goose Up
-- The listing filters (status, publish time, language, featured, group) sit
-- after the article bodies in each row, so reading them walks every body's
-- overflow pages: counting a term's articles at 100,000 articles read the
-- whole table. These indexes carry every column the listing filters and the
-- order use, so counts and page lookups never touch a row until the page's
-- own articles are loaded.
CREATE INDEX articles_listing_lang ON articles (status, language, sort_time DESC, id DESC, published_at, featured, translation_group);
CREATE INDEX articles_listing_all ON articles (status, sort_time DESC, id DESC, published_at, language, featured, translation_group);
