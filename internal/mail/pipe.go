package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os/exec"
	"strings"
	"time"
)

// Pipe sends each message by running a sendmail-style command with the
// message on its standard input ("/usr/sbin/sendmail -t -i", or msmtp).
// The send benchmark uses it as its reference.
type Pipe struct {
	Command []string // program and arguments
	From    string
}

// Send composes m as SMTP would and pipes it to the command.
func (p *Pipe) Send(ctx context.Context, m Message) error {
	if len(p.Command) == 0 {
		return errors.New("mail: pipe: no command")
	}
	from, err := mail.ParseAddress(p.From)
	if err != nil {
		return fmt.Errorf("mail: from address %q: %w", p.From, err)
	}
	to := make([]*mail.Address, len(m.To))
	for i, addr := range m.To {
		a, err := mail.ParseAddress(addr)
		if err != nil || strings.ContainsAny(addr, "\r\n") {
			return fmt.Errorf("mail: recipient %q: not one address", addr)
		}
		to[i] = a
	}
	if err := checkHeaders(m.Headers); err != nil {
		return err
	}
	body, err := compose(from, to, m, time.Now())
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, p.Command[0], p.Command[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("mail: pipe to %s: %w: %s", p.Command[0], err, strings.TrimSpace(errb.String()))
	}
	return nil
}
