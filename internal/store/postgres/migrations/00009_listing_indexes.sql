-- +goose Up
-- Listing indexes matching SQLite's 00009. PostgreSQL keeps the article
-- bodies out of line (TOAST), so these mainly let counts and pages by
-- status and language be answered from the index (index-only scans).
CREATE INDEX articles_listing_lang ON articles (status, language, sort_time DESC, id DESC) INCLUDE (published_at, featured, translation_group);
CREATE INDEX articles_listing_all ON articles (status, sort_time DESC, id DESC) INCLUDE (published_at, language, featured, translation_group);
