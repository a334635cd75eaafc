-- +goose Up
-- When a recipient was handed to a sending worker: a send is done only
-- once no recipient is pending and none is in a worker's hands, and a
-- claim older than any message could take is one a killed process left.
ALTER TABLE newsletter_recipients ADD COLUMN claimed_at TEXT;
