package importer

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// Progress hears about every item an import finishes. Total is 0 when the
// number of items is not known yet.
type Progress interface {
	Start(total int, what string)
	Add(n int)
	Done()
}

// NewProgress returns a terminal progress bar on w when w is a terminal,
// and nil (no output) otherwise, so logs and pipes stay clean.
func NewProgress(w io.Writer) Progress {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return &bar{w: w}
}

type bar struct {
	w io.Writer
	b *progressbar.ProgressBar
}

func (p *bar) Start(total int, what string) {
	p.b = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("items"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}

func (p *bar) Add(n int) {
	if p.b != nil {
		_ = p.b.Add(n)
	}
}

func (p *bar) Done() {
	if p.b != nil {
		_ = p.b.Finish()
	}
}
