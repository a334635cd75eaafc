-- +goose Up
-- totp_last_step is the 30-second time step of the last authenticator code
-- a user signed in (or confirmed a setting) with. A code for that step or an
-- earlier one is refused, so a code seen over a shoulder or replayed from a
-- captured request cannot be used again within its validity window.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
