-- +goose Up
-- public_counts keeps how many published articles each listing has, so that
-- "Page N of M" costs one row read instead of counting the listing (a
-- COUNT(*) over 100,000 index entries took 35 ms). Rows are (0, 0, lang) for
-- a language's home, (author, 0, lang) and (0, term, lang) for archives.
-- Triggers keep it exact on every write; an article counts while its status
-- is published and it has a publish time. The reader subtracts the few
-- published articles whose time is still ahead (see counts.go).
CREATE TABLE public_counts (
    author_id INTEGER NOT NULL,
    term_id   INTEGER NOT NULL,
    language  TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (author_id, term_id, language)
) WITHOUT ROWID;

INSERT INTO public_counts (author_id, term_id, language, n)
SELECT 0, 0, language, COUNT(*) FROM articles
WHERE status = 'published' AND published_at IS NOT NULL GROUP BY language;

INSERT INTO public_counts (author_id, term_id, language, n)
SELECT x.author_id, 0, a.language, COUNT(*) FROM article_authors x JOIN articles a ON a.id = x.article_id
WHERE a.status = 'published' AND a.published_at IS NOT NULL GROUP BY x.author_id, a.language;

INSERT INTO public_counts (author_id, term_id, language, n)
SELECT 0, x.term_id, a.language, COUNT(*) FROM article_terms x JOIN articles a ON a.id = x.article_id
WHERE a.status = 'published' AND a.published_at IS NOT NULL GROUP BY x.term_id, a.language;

-- +goose StatementBegin
CREATE TRIGGER public_counts_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO public_counts (author_id, term_id, language, n) VALUES (0, 0, NEW.language, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- An update that makes an article stop counting, or moves it to another
-- language, takes it out of its old listings...
-- +goose StatementBegin
CREATE TRIGGER public_counts_article_leave AFTER UPDATE OF status, published_at, language ON articles
WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
 AND NOT (NEW.status = 'published' AND NEW.published_at IS NOT NULL AND NEW.language = OLD.language)
BEGIN
    UPDATE public_counts SET n = n - 1 WHERE author_id = 0 AND term_id = 0 AND language = OLD.language;
    UPDATE public_counts SET n = n - 1 WHERE term_id = 0 AND language = OLD.language
        AND author_id IN (SELECT author_id FROM article_authors WHERE article_id = OLD.id);
    UPDATE public_counts SET n = n - 1 WHERE author_id = 0 AND language = OLD.language
        AND term_id IN (SELECT term_id FROM article_terms WHERE article_id = OLD.id);
END;
-- +goose StatementEnd

-- ...and one that makes it count, or moves it, puts it in the new ones.
-- +goose StatementBegin
CREATE TRIGGER public_counts_article_join AFTER UPDATE OF status, published_at, language ON articles
WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
 AND NOT (OLD.status = 'published' AND OLD.published_at IS NOT NULL AND NEW.language = OLD.language)
BEGIN
    INSERT INTO public_counts (author_id, term_id, language, n) VALUES (0, 0, NEW.language, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO public_counts (author_id, term_id, language, n)
    SELECT author_id, 0, NEW.language, 1 FROM article_authors WHERE article_id = NEW.id
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO public_counts (author_id, term_id, language, n)
    SELECT 0, term_id, NEW.language, 1 FROM article_terms WHERE article_id = NEW.id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- A deleted article leaves its listings while it still exists: deleting its
-- relations here (rather than by the cascade, which runs once the row is
-- gone) lets their triggers find it and count it out.
-- +goose StatementBegin
CREATE TRIGGER public_counts_article_delete BEFORE DELETE ON articles
WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
BEGIN
    DELETE FROM article_authors WHERE article_id = OLD.id;
    DELETE FROM article_terms WHERE article_id = OLD.id;
    UPDATE public_counts SET n = n - 1 WHERE author_id = 0 AND term_id = 0 AND language = OLD.language;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER public_counts_author_insert AFTER INSERT ON article_authors
BEGIN
    INSERT INTO public_counts (author_id, term_id, language, n)
    SELECT NEW.author_id, 0, a.language, 1 FROM articles a
    WHERE a.id = NEW.article_id AND a.status = 'published' AND a.published_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER public_counts_author_delete AFTER DELETE ON article_authors
BEGIN
    UPDATE public_counts SET n = n - 1 WHERE author_id = OLD.author_id AND term_id = 0
        AND language = (SELECT a.language FROM articles a
            WHERE a.id = OLD.article_id AND a.status = 'published' AND a.published_at IS NOT NULL);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER public_counts_term_insert AFTER INSERT ON article_terms
BEGIN
    INSERT INTO public_counts (author_id, term_id, language, n)
    SELECT 0, NEW.term_id, a.language, 1 FROM articles a
    WHERE a.id = NEW.article_id AND a.status = 'published' AND a.published_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER public_counts_term_delete AFTER DELETE ON article_terms
BEGIN
    UPDATE public_counts SET n = n - 1 WHERE author_id = 0 AND term_id = OLD.term_id
        AND language = (SELECT a.language FROM articles a
            WHERE a.id = OLD.article_id AND a.status = 'published' AND a.published_at IS NOT NULL);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER public_counts_term_delete;
DROP TRIGGER public_counts_term_insert;
DROP TRIGGER public_counts_author_delete;
DROP TRIGGER public_counts_author_insert;
DROP TRIGGER public_counts_article_delete;
DROP TRIGGER public_counts_article_join;
DROP TRIGGER public_counts_article_leave;
DROP TRIGGER public_counts_article_insert;
DROP TABLE public_counts;
