package demo

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"

	"folio/internal/content"
)

// mediaFile lists the article images' republish flags.
const mediaFile = "media.txt"

// loadMedia reads media.txt and makes one library record per article
// image. Every image an article uses must be listed, and every listed file
// must exist, so no image's rights are left to a default by accident.
func (ds *Dataset) loadMedia(fsys fs.FS) error {
	lines, err := readLines(fsys, mediaFile)
	if errors.Is(err, fs.ErrNotExist) {
		lines = nil // then no article may have an image
	} else if err != nil {
		return err
	}
	flags := map[string]bool{}
	var order []string
	for i, line := range lines {
		if isComment(line) {
			continue
		}
		n := i + 1
		file, v, ok := strings.Cut(line, ":")
		file, v = strings.TrimSpace(file), strings.TrimSpace(v)
		if !ok || file == "" {
			return fileError(mediaFile, n, "want \"<file>: yes\" or \"<file>: no\", got %q", line)
		}
		if _, ok := ds.Images[file]; !ok {
			return fileError(mediaFile, n, "no file %q in data/images", file)
		}
		if _, dup := flags[file]; dup {
			return fileError(mediaFile, n, "%q listed twice", file)
		}
		switch v {
		case "yes":
			flags[file] = true
		case "no":
			flags[file] = false
		default:
			return fileError(mediaFile, n, "%s: want yes or no, got %q", file, v)
		}
		order = append(order, file)
	}
	byFile := map[string]*content.Media{}
	// Originals first: their English alt text and credit describe the image.
	for _, original := range []bool{true, false} {
		for _, a := range ds.Articles {
			if a.ImageFile == "" || (a.TranslationOf == "") != original || byFile[a.ImageFile] != nil {
				continue
			}
			republish, ok := flags[a.ImageFile]
			if !ok {
				return fileError(mediaFile, 0, "image %q of article %s is not listed", a.ImageFile, a.Slug)
			}
			m := &content.Media{Path: strings.TrimPrefix(MediaPrefix, "/media/") + a.ImageFile, Filename: a.ImageFile,
				ContentType: contentType(a.ImageFile), Size: int64(len(ds.Images[a.ImageFile])),
				Alt: a.Image.Alt, Caption: a.Image.Caption, Credit: a.Image.Credit, CreditURL: a.Image.CreditURL,
				Width: a.Image.Width, Height: a.Image.Height, Republishable: republish}
			byFile[a.ImageFile] = m
		}
	}
	for _, f := range order {
		m, ok := byFile[f]
		if !ok {
			return fileError(mediaFile, 0, "%q is used by no article", f)
		}
		ds.Media = append(ds.Media, m)
	}
	slices.SortFunc(ds.Media, func(a, b *content.Media) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

func contentType(file string) string {
	switch path.Ext(file) {
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".webp":
		return "image/webp"
	case ".gif":
		return "image/gif"
	}
	return "image/jpeg"
}
