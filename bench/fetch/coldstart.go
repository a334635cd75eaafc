package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// coldstart execs folio serve and measures the time to the first byte of
// /, then the resident memory after a warm-up of n requests over paths.
// It prints one line: "first_byte_ms=… rss_mib=… warm_requests=… warm_s=…".
func coldstart(args []string) error {
	fs := flag.NewFlagSet("coldstart", flag.ExitOnError)
	bin := fs.String("folio", "folio", "folio binary")
	data := fs.String("data", "", "data directory")
	addr := fs.String("addr", "127.0.0.1:8310", "listen address")
	paths := fs.String("paths", "", "file of article paths for the warm-up")
	n := fs.Int("warm", 10000, "warm-up requests")
	fs.Parse(args)
	list, err := readPaths(*paths)
	if err != nil {
		return err
	}
	cmd := exec.Command(*bin, "serve", "--data", *data, "--addr", *addr, "--log-level", "error")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	}()
	var firstByte time.Duration
	for {
		res, err := client.Get("http://" + *addr + "/")
		if err == nil {
			b := make([]byte, 1)
			_, rerr := io.ReadFull(res.Body, b)
			firstByte = time.Since(t0)
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if rerr != nil || res.StatusCode != 200 {
				return fmt.Errorf("coldstart: GET / answered %d %v", res.StatusCode, rerr)
			}
			break
		}
		if time.Since(t0) > 120*time.Second {
			return fmt.Errorf("coldstart: no answer in 120s: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
	warmList := make([]string, 0, *n)
	for i := 0; len(warmList) < *n && len(list) > 0; i++ {
		warmList = append(warmList, list[(i*7919)%len(list)])
	}
	w0 := time.Now()
	bad, first := getAll("http://"+*addr, warmList, 8, true)
	warmTime := time.Since(w0)
	if bad > 0 {
		return fmt.Errorf("coldstart: %d warm-up requests failed, first %s", bad, first)
	}
	rss, err := vmRSS(cmd.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("first_byte_ms=%.1f rss_mib=%.1f warm_requests=%d warm_s=%.1f\n",
		float64(firstByte.Microseconds())/1000, float64(rss)/1024, len(warmList), warmTime.Seconds())
	return nil
}

// vmRSS returns the process's resident set in KiB.
func vmRSS(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}
