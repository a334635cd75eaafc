package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio/internal/testutil"
)

// TestMain lets the test binary act as the folio binary, so signal handling
// is tested on a real process.
func TestMain(m *testing.M) {
	if os.Getenv("FOLIO_TEST_AS_MAIN") == "1" {
		os.Args = append([]string{"folio"}, strings.Fields(os.Getenv("FOLIO_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	// PostgreSQL tests share one throwaway cluster, stopped here.
	os.Exit(testutil.PostgresMain(m))
}

func TestServe_SIGTERM(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FOLIO_TEST_AS_MAIN=1",
		"FOLIO_TEST_ARGS=serve --addr 127.0.0.1:0 --data "+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "serving on http://") {
		cmd.Process.Kill()
		t.Fatalf("start: %q %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit 20s after SIGTERM")
	}
}
