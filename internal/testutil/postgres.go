package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"folio/internal/store/postgres"
)

// PostgresBinDirs are searched, in order, for initdb and postgres.
var PostgresBinDirs = []string{"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"}

// cluster is the one PostgreSQL server of a test binary.
type cluster struct {
	adminURL string    // a URL of the maintenance database "postgres"
	cmd      *exec.Cmd // nil when FOLIO_TEST_POSTGRES_URL names a server
	dir      string
	prefix   string // database names of this process start with it
}

var (
	clusterOnce sync.Once
	theCluster  *cluster
	clusterErr  error
	dbSeq       atomic.Int64
)

// PostgresAdminURL returns the URL of the test server's maintenance
// database, starting a throwaway cluster on first use (or using
// FOLIO_TEST_POSTGRES_URL when set). Without PostgreSQL the test is skipped
// on a laptop and fails when CI=true, where `make test` installs it. A
// package whose tests call it must stop the cluster with PostgresMain.
func PostgresAdminURL(tb testing.TB) string {
	tb.Helper()
	c := startCluster(tb)
	return c.adminURL
}

// PostgresDatabase creates an empty database for this test, copied from
// template when it is not "", and drops it when the test ends. It returns
// the database's URL.
func PostgresDatabase(tb testing.TB, template string) string {
	tb.Helper()
	c := startCluster(tb)
	name := fmt.Sprintf("%s_%d", c.prefix, dbSeq.Add(1))
	ctx := context.Background()
	if err := postgres.CreateDatabase(ctx, c.adminURL, name, template); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := postgres.DropDatabase(context.Background(), c.adminURL, name); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return databaseURL(c.adminURL, name)
}

// PostgresTemplate makes, once per test binary and name, a database that
// init fills (with migrations, say), for PostgresDatabase to copy: copying
// a template is much faster than migrating each test's database.
func PostgresTemplate(tb testing.TB, name string, init func(url string) error) string {
	tb.Helper()
	c := startCluster(tb)
	templatesMu.Lock()
	defer templatesMu.Unlock()
	full := c.prefix + "_" + name
	if err, ok := templates[full]; ok {
		if err != nil {
			tb.Fatalf("template database %s: %v", name, err)
		}
		return full
	}
	ctx := context.Background()
	err := postgres.CreateDatabase(ctx, c.adminURL, full, "")
	if err == nil {
		err = init(databaseURL(c.adminURL, full))
	}
	templates[full] = err
	if err != nil {
		tb.Fatalf("template database %s: %v", name, err)
	}
	return full
}

var (
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// PostgresMain runs the tests of a package and then stops the cluster they
// started, so no server outlives the test binary: call it from TestMain as
// os.Exit(testutil.PostgresMain(m)).
func PostgresMain(m *testing.M) int {
	code := m.Run()
	if theCluster != nil {
		theCluster.stop()
	}
	return code
}

func startCluster(tb testing.TB) *cluster {
	tb.Helper()
	clusterOnce.Do(func() { theCluster, clusterErr = newCluster() })
	if clusterErr != nil {
		if errors.Is(clusterErr, errNoPostgres) && os.Getenv("CI") != "true" {
			tb.Skipf("PostgreSQL is not available: %v", clusterErr)
		}
		tb.Fatalf("PostgreSQL test cluster: %v", clusterErr)
	}
	return theCluster
}

var errNoPostgres = errors.New("no PostgreSQL binaries (apt-get install postgresql-15) and no FOLIO_TEST_POSTGRES_URL")

func newCluster() (*cluster, error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	// Several test binaries may share one FOLIO_TEST_POSTGRES_URL server.
	prefix := "folio_test_" + strconv.Itoa(os.Getpid()) + "_" + hex.EncodeToString(b[:])
	if u := os.Getenv("FOLIO_TEST_POSTGRES_URL"); u != "" {
		return &cluster{adminURL: u, prefix: prefix}, nil
	}
	bin := ""
	for _, d := range PostgresBinDirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			bin = d
			break
		}
	}
	if bin == "" {
		return nil, errNoPostgres
	}
	c := &cluster{prefix: prefix}
	if err := c.start(bin); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// start runs initdb and postgres in a temporary directory on a free
// loopback port. PostgreSQL refuses to run as root, so under root (CI) both
// run as the unprivileged user nobody.
func (c *cluster) start(bin string) error {
	dir, err := os.MkdirTemp("", "folio-pg-")
	if err != nil {
		return err
	}
	c.dir = dir
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return fmt.Errorf("running as root and no user nobody to run PostgreSQL as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "folio", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return err
	}
	if cred != nil {
		_ = logf.Chown(int(cred.Uid), int(cred.Gid))
	}
	// Durability is worthless for a throwaway cluster; these settings make
	// each test's CREATE DATABASE and commits cheap.
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_buffers=64MB")
	c.cmd.Dir = dir
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	// Pdeathsig stops the server if the test binary dies without
	// PostgresMain's cleanup (a panic, a timeout, a kill).
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start postgres: %w", err)
	}
	logf.Close()
	c.adminURL = fmt.Sprintf("postgres://folio@127.0.0.1:%d/postgres?sslmode=disable", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := postgres.Ping(ctx, c.adminURL)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			return fmt.Errorf("postgres did not accept connections: %w\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down fast (SIGINT: abort sessions, checkpoint) and
// removes its directory.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = c.cmd.Process.Kill()
			<-done
		}
	}
	if c.dir != "" {
		_ = os.RemoveAll(c.dir)
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// databaseURL returns admin with its database replaced by name.
func databaseURL(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}
