package embeds

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The page-URL → iframe-source rules, one per provider. Each accepts only
// the shapes it knows and escapes what it copies, so a crafted URL cannot
// smuggle a different source.

var (
	youtubeID  = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	digits     = regexp.MustCompile(`^[0-9]{1,25}$`)
	token      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	handle     = regexp.MustCompile(`^[A-Za-z0-9.:-]{1,253}$`)
	scUserPath = regexp.MustCompile(`^/[A-Za-z0-9_-]{1,100}/[A-Za-z0-9_-]{1,200}(/[A-Za-z0-9_-]{1,200})?/?$`)
)

func segments(u *url.URL) []string { return strings.Split(strings.Trim(u.Path, "/"), "/") }

func youtube(u *url.URL) string {
	var id string
	switch u.Host {
	case "youtu.be":
		id = strings.Trim(u.Path, "/")
	case "www.youtube.com", "youtube.com", "m.youtube.com", "www.youtube-nocookie.com":
		s := segments(u)
		switch {
		case u.Path == "/watch":
			id = u.Query().Get("v")
		case len(s) == 2 && (s[0] == "shorts" || s[0] == "embed" || s[0] == "live"):
			id = s[1]
		}
	}
	if !youtubeID.MatchString(id) {
		return ""
	}
	src := "https://www.youtube-nocookie.com/embed/" + id
	if t := u.Query().Get("t"); t != "" {
		if n, err := strconv.Atoi(strings.TrimSuffix(t, "s")); err == nil && n > 0 {
			src += "?start=" + strconv.Itoa(n)
		}
	}
	return src
}

func vimeo(u *url.URL) string {
	s := segments(u)
	switch {
	case (u.Host == "vimeo.com" || u.Host == "www.vimeo.com") && len(s) >= 1 && digits.MatchString(s[len(s)-1]):
		return "https://player.vimeo.com/video/" + s[len(s)-1]
	case u.Host == "player.vimeo.com" && len(s) == 2 && s[0] == "video" && digits.MatchString(s[1]):
		return "https://player.vimeo.com/video/" + s[1]
	}
	return ""
}

func datawrapper(u *url.URL) string {
	s := segments(u)
	switch {
	case u.Host == "datawrapper.dwcdn.net" && len(s) >= 1 && token.MatchString(s[0]):
		out := "https://datawrapper.dwcdn.net/" + s[0] + "/"
		if len(s) >= 2 && digits.MatchString(s[1]) {
			out += s[1] + "/"
		}
		return out
	case (u.Host == "www.datawrapper.de" || u.Host == "datawrapper.de") && len(s) == 2 && s[0] == "_" && token.MatchString(s[1]):
		return "https://datawrapper.dwcdn.net/" + s[1] + "/"
	}
	return ""
}

func flourish(u *url.URL) string {
	s := segments(u)
	if (u.Host == "public.flourish.studio" || u.Host == "flo.uri.sh") && len(s) >= 2 &&
		(s[0] == "visualisation" || s[0] == "story") && digits.MatchString(s[1]) {
		return "https://flo.uri.sh/" + s[0] + "/" + s[1] + "/embed"
	}
	return ""
}

// openStreetMap embeds the view of a "#map=zoom/lat/lon" link, with a
// marker at its centre.
func openStreetMap(u *url.URL) string {
	if u.Host != "www.openstreetmap.org" && u.Host != "openstreetmap.org" {
		return ""
	}
	frag := u.Fragment
	if !strings.HasPrefix(frag, "map=") {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(frag, "map="), "/")
	if len(parts) != 3 {
		return ""
	}
	z, err1 := strconv.Atoi(parts[0])
	lat, err2 := strconv.ParseFloat(parts[1], 64)
	lon, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || z < 0 || z > 19 || math.Abs(lat) > 85 || math.Abs(lon) > 180 {
		return ""
	}
	// Half the width of the view in degrees, for a frame about 640 px wide.
	half := 360 / math.Pow(2, float64(z)) * 640 / 256 / 2
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 5, 64) }
	bbox := fmt.Sprintf("%s,%s,%s,%s", f(lon-half), f(lat-half/2), f(lon+half), f(lat+half/2))
	return "https://www.openstreetmap.org/export/embed.html?bbox=" + url.QueryEscape(bbox) +
		"&layer=mapnik&marker=" + url.QueryEscape(f(lat)+","+f(lon))
}

func xPost(u *url.URL) string {
	s := segments(u)
	if !slices.Contains([]string{"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}, u.Host) {
		return ""
	}
	if len(s) >= 3 && s[1] == "status" && digits.MatchString(s[2]) {
		return "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=" + s[2]
	}
	return ""
}

func bluesky(u *url.URL) string {
	s := segments(u)
	if u.Host != "bsky.app" || len(s) != 4 || s[0] != "profile" || s[2] != "post" || !handle.MatchString(s[1]) || !token.MatchString(s[3]) {
		return ""
	}
	return "https://embed.bsky.app/embed/" + s[1] + "/app.bsky.feed.post/" + s[3]
}

func mastodon(u *url.URL) string {
	s := segments(u)
	if !slices.Contains(mastodonHosts, u.Host) || len(s) != 2 || !strings.HasPrefix(s[0], "@") ||
		!token.MatchString(strings.TrimPrefix(s[0], "@")) || !digits.MatchString(s[1]) {
		return ""
	}
	return "https://" + u.Host + "/" + s[0] + "/" + s[1] + "/embed"
}

func soundCloud(u *url.URL) string {
	if (u.Host != "soundcloud.com" && u.Host != "www.soundcloud.com") || !scUserPath.MatchString(u.Path) {
		return ""
	}
	return "https://w.soundcloud.com/player/?url=" + url.QueryEscape("https://soundcloud.com"+strings.TrimSuffix(u.Path, "/")) +
		"&visual=true&show_comments=false"
}
