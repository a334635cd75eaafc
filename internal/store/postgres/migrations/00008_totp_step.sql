-- +goose Up
-- The 30-second time step of the last authenticator code a user used; a
-- code for that step or an earlier one is refused.
ALTER TABLE users ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
