package importer

import (
	"context"
	"io"
	"reflect"
	"testing"
)

// TestDryRunEqualsRealRun: the dry run's report is the real run's, on an
// empty site and again on a site that holds the first import (when the
// run updates and finds what is unchanged), for every fixture.
func TestDryRunEqualsRealRun(t *testing.T) {
	for _, tt := range []struct {
		file string
		run  func(context.Context, io.ReadSeeker, Options) (*Report, error)
	}{
		{"wp5-classic.xml", ImportWordPress},
		{"wp6-block.xml", ImportWordPress},
		{"wp-theme-unit-test.xml", ImportWordPress},
		{"wpimporter-wxr-utf-8-challenges.xml", ImportWordPress},
		{"wpimporter-valid-wxr-1.1.xml", ImportWordPress},
		{"ghost-0.json", ghostSeeker},
		{"ghost-2.json", ghostSeeker},
		{"ghost-4.json", ghostSeeker},
		{"ghost-5.json", ghostSeeker},
	} {
		t.Run(tt.file, func(t *testing.T) {
			s := newSite(t)
			ctx := context.Background()
			for round := 1; round <= 2; round++ {
				opt := s.opts()
				opt.Uploads = uploadsFor(tt.file)
				opt.DryRun = true
				before := s.counts(t)
				dry, err := tt.run(ctx, open(t, tt.file), opt)
				if err != nil {
					t.Fatal(err)
				}
				if s.counts(t) != before {
					t.Fatalf("round %d: the dry run wrote: %+v → %+v", round, before, s.counts(t))
				}
				opt.DryRun = false
				real, err := tt.run(ctx, open(t, tt.file), opt)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(countsOf(dry), countsOf(real)) {
					t.Errorf("round %d: counts differ:\ndry  %v\nreal %v", round, countsOf(dry), countsOf(real))
				}
				if !reflect.DeepEqual(dry.Warnings, real.Warnings) {
					t.Errorf("round %d: warnings differ:\ndry  %v\nreal %v", round, dry.Warnings, real.Warnings)
				}
				if !reflect.DeepEqual(dry.Withheld, real.Withheld) {
					t.Errorf("round %d: withheld differ:\ndry  %v\nreal %v", round, dry.Withheld, real.Withheld)
				}
			}
		})
	}
}

func ghostSeeker(ctx context.Context, r io.ReadSeeker, opt Options) (*Report, error) {
	return ImportGhost(ctx, r, opt)
}

func uploadsFor(file string) string {
	if len(file) > 5 && file[:5] == "ghost" {
		return "testdata/ghost-images"
	}
	return "testdata/uploads"
}

func countsOf(r *Report) map[string]Count {
	out := map[string]Count{}
	for k, c := range r.Counts {
		out[k] = *c
	}
	return out
}
