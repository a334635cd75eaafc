-- +goose Up
-- Resized copies of media-library images for srcset, made by a background job.
CREATE TABLE media_variants (
    media_id bigint  NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width    integer NOT NULL,
    height   integer NOT NULL,
    format   text    NOT NULL,
    path     text    NOT NULL UNIQUE,
    PRIMARY KEY (media_id, format, width)
);
