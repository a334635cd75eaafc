-- +goose Up
-- First-party open and click tracking, off unless the operator turns it
-- on (--mail-tracking): when a recipient first opened or clicked a send.
-- On the recipient row, so deleting the member deletes it too.
ALTER TABLE newsletter_recipients ADD COLUMN opened_at TEXT;
ALTER TABLE newsletter_recipients ADD COLUMN clicked_at TEXT;
