-- +goose Up
-- When a recipient was handed to a sending worker (SQLite's 00023).
ALTER TABLE newsletter_recipients ADD COLUMN claimed_at timestamptz;
