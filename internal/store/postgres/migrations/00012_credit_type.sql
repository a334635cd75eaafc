-- +goose Up
-- What an image credit names (photo, illustration, chart, video), so pages
-- label it in the reader's language; empty is read from the credit text.
ALTER TABLE media ADD COLUMN credit_type text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE media DROP COLUMN credit_type;
