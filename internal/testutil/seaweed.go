package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// SeaweedModule and SeaweedVersion pin the SeaweedFS release whose `weed`
// binary serves S3 in tests. It is built once from the module proxy into
// SeaweedCacheDir and reused by every later run.
const (
	SeaweedModule  = "github.com/seaweedfs/seaweedfs"
	SeaweedVersion = "v0.0.0-20261109003541-7506e5f91cd6"
)

// SeaweedCacheDir is where the built binary is kept:
// $FOLIO_TEST_CACHE, else $HOME/.cache/folio-test.
func SeaweedCacheDir() string {
	if d := os.Getenv("FOLIO_TEST_CACHE"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "folio-test")
	}
	return filepath.Join(home, ".cache", "folio-test")
}

// WeedBinary returns the path of the pinned `weed` binary, building it when
// missing. The module's go.mod has replace directives, so `go install
// module@version` refuses it: the module is downloaded and built in place.
func WeedBinary() (string, error) {
	bin := filepath.Join(SeaweedCacheDir(), "weed-"+SeaweedVersion)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	weedBuild.Do(func() { weedErr = buildWeedLocked(bin) })
	if weedErr != nil {
		return "", weedErr
	}
	return bin, nil
}

var (
	weedBuild sync.Once
	weedErr   error
)

// buildWeedLocked builds bin unless another process (a parallel test
// binary, or `make deps` building it in the background) is doing so, in
// which case it waits for that build.
func buildWeedLocked(bin string) error {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(bin+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return nil
	}
	return buildWeed(bin)
}

func buildWeed(bin string) error {
	dl := exec.Command("go", "mod", "download", "-json", SeaweedModule+"@"+SeaweedVersion)
	dl.Dir = os.TempDir()
	dl.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := dl.Output()
	if err != nil {
		return fmt.Errorf("download %s@%s: %w", SeaweedModule, SeaweedVersion, err)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return fmt.Errorf("download %s: %s", SeaweedModule, mod.Error)
	}
	tmp := bin + ".tmp"
	build := exec.Command("go", "build", "-trimpath", "-o", tmp, "./weed")
	build.Dir = mod.Dir
	var stderr bytes.Buffer
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build weed: %w: %s", err, lastBytes(stderr.Bytes(), 2000))
	}
	return os.Rename(tmp, bin)
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// S3Server is a running S3-compatible server for tests.
type S3Server struct {
	Endpoint string // http://127.0.0.1:PORT
	// AccessKey and SecretKey are accepted by the server (it runs without
	// identities, so any signed request is allowed).
	AccessKey, SecretKey string
}

// SeaweedS3 starts a SeaweedFS server (master, volume, filer and S3
// gateway in one process) in a temp directory and stops it when the test
// ends. Without the binary (no Go toolchain or module proxy) the test is
// skipped on a laptop and fails when CI=true.
func SeaweedS3(tb testing.TB) *S3Server {
	tb.Helper()
	bin, err := WeedBinary()
	if err != nil {
		missing(tb, "SeaweedFS: "+err.Error())
	}
	dir := tb.TempDir()
	ports := freePortsWithGRPC(tb, 4)
	s3Port := ports[3]
	cmd := exec.Command(bin, "server",
		"-dir="+dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port="+strconv.Itoa(ports[0]), "-volume.port="+strconv.Itoa(ports[1]),
		"-filer.port="+strconv.Itoa(ports[2]), "-filer", "-s3", "-s3.port="+strconv.Itoa(s3Port),
		"-volume.max=0", "-master.volumeSizeLimitMB=64")
	logf, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		missing(tb, "start weed: "+err.Error())
	}
	tb.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
	})
	s := &S3Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(s3Port), AccessKey: "folio-test", SecretKey: "folio-test-secret"}
	if err := waitS3(s, 120*time.Second); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
		tb.Fatalf("SeaweedFS did not start: %v\n%s", err, lastBytes(log, 3000))
	}
	return s
}

// missing skips, or fails under CI, for a component that cannot run.
func missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (required when CI=true)", why)
	}
	tb.Skip(why)
}

// waitS3 waits until the gateway takes a write: the master, volume server
// and filer behind it start in their own time.
func waitS3(s *S3Server, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	c, err := minio.New(strings.TrimPrefix(s.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return err
	}
	const probe = "folio-probe"
	var last error
	for ctx.Err() == nil {
		if last = c.MakeBucket(ctx, probe, minio.MakeBucketOptions{}); last == nil || minio.ToErrorResponse(last).Code == "BucketAlreadyOwnedByYou" {
			_, last = c.PutObject(ctx, probe, "ready", bytes.NewReader([]byte("ok")), 2, minio.PutObjectOptions{})
			if last == nil {
				_ = c.RemoveObject(ctx, probe, "ready", minio.RemoveObjectOptions{})
				_ = c.RemoveBucket(ctx, probe)
				return nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("no write accepted in %s: %w", limit, last)
}

// freePortsWithGRPC finds n free loopback ports p whose p+10000 is free
// too: SeaweedFS serves gRPC 10000 above each HTTP port.
func freePortsWithGRPC(tb testing.TB, n int) []int {
	tb.Helper()
	var out []int
	for tries := 0; len(out) < n && tries < 1000; tries++ {
		p := 20000 + rand.IntN(25000)
		if portFree(p) && portFree(p+10000) {
			out = append(out, p)
		}
	}
	if len(out) < n {
		tb.Fatal("no free ports for SeaweedFS")
	}
	return out
}

func portFree(p int) bool {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// FilesUnder lists the regular files under dir, relative to it.
func FilesUnder(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
