// Command publish measures publish-to-live: it creates an API token with
// `folio token create`, then n times POSTs a published article in one
// region and, as soon as the POST returns, polls the home page, the region
// page and /feed.xml (no sleep, up to 5 s) until all three show the new
// title. It prints p50/p99 of the time from the POST returning to all three
// showing it.
//
//	go run ./bench/publish --folio BIN --data DIR --base http://127.0.0.1:P [--n 200] [--region central-asia]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	bin := flag.String("folio", "folio", "folio binary (for token create)")
	data := flag.String("data", "", "data directory of the running server")
	base := flag.String("base", "http://127.0.0.1:8080", "running server")
	n := flag.Int("n", 200, "publishes")
	region := flag.String("region", "central-asia", "slug of the region every new article is in")
	flag.Parse()
	if err := run(*bin, *data, *base, *n, *region); err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
}

var client = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}

func call(method, url, token string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, url, res.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(b, out)
	}
	return res.StatusCode, nil
}

type item struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
}

type itemList struct {
	Items []item `json:"items"`
}

func contains(url, s string) (bool, error) {
	res, err := client.Get(url)
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return false, err
	}
	return res.StatusCode == 200 && bytes.Contains(b, []byte(s)), nil
}

func run(bin, data, base string, n int, regionSlug string) error {
	var stdout bytes.Buffer
	cmd := exec.Command(bin, "token", "create", "--name", "bench-publish", "--data", data)
	cmd.Stdout, cmd.Stderr = &stdout, io.Discard
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("folio token create: %w", err)
	}
	token := strings.TrimSpace(stdout.String())

	var regions itemList
	if _, err := call("GET", base+"/api/v1/terms?kind=region&limit=100", token, nil, &regions); err != nil {
		return err
	}
	var regionID int64
	for _, t := range regions.Items {
		if t.Slug == regionSlug {
			regionID = t.ID
		}
	}
	if regionID == 0 {
		return fmt.Errorf("no region %q", regionSlug)
	}
	var authors itemList
	if _, err := call("GET", base+"/api/v1/authors?limit=1", token, nil, &authors); err != nil {
		return err
	}
	if len(authors.Items) == 0 {
		return fmt.Errorf("no authors")
	}
	run := time.Now().Format("150405")
	pages := []string{base + "/", base + "/region/" + regionSlug + "/", base + "/feed.xml"}
	var live, posts []time.Duration
	timeouts := 0
	for i := 0; i < n; i++ {
		title := fmt.Sprintf("Bench publish %s number %d", run, i)
		body := map[string]any{
			"language": "en", "title": title, "status": "published",
			"deck":          "A short article published by the publish-to-live benchmark.",
			"body_markdown": "The benchmark publishes this article and waits until readers can see it.\n\n## Why\n\nReaders must see a change the moment it is saved.\n",
			"author_ids":    []int64{authors.Items[0].ID}, "term_ids": []int64{regionID},
		}
		p0 := time.Now()
		if _, err := call("POST", base+"/api/v1/articles", token, body, nil); err != nil {
			return err
		}
		t0 := time.Now()
		posts = append(posts, t0.Sub(p0))
		pending := slices.Clone(pages)
		for len(pending) > 0 && time.Since(t0) < 5*time.Second {
			var still []string
			for _, u := range pending {
				ok, err := contains(u, title)
				if err != nil {
					return err
				}
				if !ok {
					still = append(still, u)
				}
			}
			pending = still
		}
		if len(pending) > 0 {
			timeouts++
			fmt.Fprintf(os.Stderr, "publish: %q not live after 5s on %v\n", title, pending)
			continue
		}
		live = append(live, time.Since(t0))
	}
	slices.Sort(live)
	slices.Sort(posts)
	fmt.Printf("n=%d live_p50_ms=%.1f live_p99_ms=%.1f live_max_ms=%.1f post_p50_ms=%.1f post_p99_ms=%.1f timeouts=%d\n",
		n, ms(pct(live, 50)), ms(pct(live, 99)), ms(pct(live, 100)), ms(pct(posts, 50)), ms(pct(posts, 99)), timeouts)
	return nil
}

// pct is the nearest-rank percentile of sorted d.
func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d))*p/100+0.999999) - 1
	i = max(0, min(i, len(d)-1))
	return d[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
