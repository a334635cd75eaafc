package testutil

import (
	"os"
	"testing"
)

// TestBuildWeed builds the SeaweedFS binary into the cache when missing
// (scripts/seaweedfs.sh runs it ahead of the tests that need it).
func TestBuildWeed(t *testing.T) {
	bin, err := WeedBinary()
	if err != nil {
		missing(t, "SeaweedFS: "+err.Error())
	}
	if st, err := os.Stat(bin); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("%s: %v", bin, err)
	}
}
