-- +goose Up
-- Digest newsletters: a schedule ('' for none, 'weekly:fri' ...) and, on
-- a digest's send, the articles it gathers and the end of the period it
-- covers. One send per newsletter and period, so two ticks (or two nodes)
-- never make the same digest twice.
ALTER TABLE newsletters ADD COLUMN schedule text NOT NULL DEFAULT '';
ALTER TABLE newsletter_sends ADD COLUMN article_ids text NOT NULL DEFAULT '';
ALTER TABLE newsletter_sends ADD COLUMN period_end timestamptz;
CREATE UNIQUE INDEX newsletter_sends_period ON newsletter_sends (newsletter_id, period_end) WHERE period_end IS NOT NULL;
