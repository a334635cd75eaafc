package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"folio/internal/config"
	"folio/internal/store/sqlite"
)

// cmdMigrateDB moves a whole site from an SQLite file into an empty
// PostgreSQL database and proves the copy: every table's row count and
// checksum must match on both sides. Stop the servers on the SQLite file
// first (and let its job queue drain): the copy reads one moment of it.
//
// It copies tables, not edits: the target is empty and no node serves from
// it yet, so there is no cache to tell and nothing for the editorial
// service to check.
func cmdMigrateDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var from, to string
	cfg, err := loadConfig("migrate-db", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "the SQLite database to move, as sqlite:PATH")
		fs.StringVar(&to, "to", "", "the empty PostgreSQL database to move it into, as postgres://…")
	})
	if err != nil {
		return err
	}
	src := config.Config{Database: from, DataDir: cfg.DataDir}
	dst := config.Config{Database: to, DataDir: cfg.DataDir}
	srcKind, srcPath, err := src.DatabaseKind()
	if err != nil || srcKind != config.SQLite || !strings.HasPrefix(from, "sqlite:") {
		return errors.New("migrate-db: --from must be sqlite:PATH")
	}
	dstKind, dstURL, err := dst.DatabaseKind()
	if err != nil || dstKind != config.Postgres {
		return errors.New("migrate-db: --to must be a postgres:// URL")
	}
	// Opening the source brings it to the current schema, so both sides
	// have the same columns.
	lite, err := sqlite.Open(ctx, srcPath)
	if err != nil {
		return fmt.Errorf("migrate-db: open %s: %w", srcPath, err)
	}
	defer lite.Close()
	pg, err := openPostgres(ctx, dstURL, true)
	if err != nil {
		return fmt.Errorf("migrate-db: %w", err)
	}
	defer pg.Close()
	if _, err := openJobs(ctx, pg, nil); err != nil {
		return fmt.Errorf("migrate-db: %w", err)
	}
	if err := pg.CopyFrom(ctx, lite.SQL()); err != nil {
		return fmt.Errorf("migrate-db: %w", err)
	}
	want, err := pg.Checksums(ctx, lite.SQL())
	if err != nil {
		return fmt.Errorf("migrate-db: verify: %w", err)
	}
	got, err := pg.Checksums(ctx, pg.SQL())
	if err != nil {
		return fmt.Errorf("migrate-db: verify: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "table\trows\tsqlite sha-256\tpostgres sha-256\t")
	var bad []string
	for i := range want {
		mark := ""
		if want[i] != got[i] {
			mark = "MISMATCH"
			bad = append(bad, want[i].Table)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", want[i].Table, got[i].Rows, want[i].Sum[:16], got[i].Sum[:16], mark)
	}
	tw.Flush()
	if len(bad) > 0 {
		return fmt.Errorf("migrate-db: the copy differs from the source in %s; the target is not to be used", strings.Join(bad, ", "))
	}
	fmt.Fprintf(stdout, "moved %s to %s: every table's rows and checksum match\n", srcPath, config.RedactURL(dstURL))
	return nil
}
