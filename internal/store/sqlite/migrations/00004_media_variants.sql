-- +goose Up
-- Resized copies of media-library images (WebP plus a JPEG or PNG
-- fallback per width) for srcset. They are made by a background job after
-- the upload, so an image may have none yet; deleting the image's record
-- drops its variants' records with it.
CREATE TABLE media_variants (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    format   TEXT    NOT NULL,
    path     TEXT    NOT NULL UNIQUE,
    PRIMARY KEY (media_id, format, width)
);
