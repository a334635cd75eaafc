// Package newsletter turns an article into mail and sends it to a
// newsletter's subscribers: the copy-ready, attributed form of an article
// (also behind each article's Forward page), HTML with inlined CSS beside
// a plain-text part, signed one-click unsubscribe links (RFC 8058), and
// the durable batch jobs that deliver a send.
//
// Delivery is resumable and mails nobody twice: a send's recipient list is
// fixed when it is made, and each recipient is claimed (pending → sending)
// before the message goes to the mail server and marked sent after. A
// batch stopped by a shutdown ends between two messages and its job runs
// again; recipients already claimed are skipped. Only a process killed
// while one message is in the server's hands leaves a recipient in
// "sending": it is not retried, and the admin shows it.
//
// It imports content, editorial, mail, store, urls and render/markdown;
// the HTML walk uses golang.org/x/net/html. It never imports HTTP handlers.
package newsletter
