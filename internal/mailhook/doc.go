// Package mailhook takes mail providers' bounce and complaint reports:
// Postmark's bounce and spam-complaint webhook (checked by the basic-auth
// credentials in its URL) and Amazon SES notifications delivered by SNS
// (checked by the message's RSA signature against SNS's signing
// certificate; subscriptions confirmed once verified). Each verified
// report goes to the editorial service's ApplyMailEvent, which suppresses
// the address for later sends; a bad credential or signature, or an event
// it does not know, gets a 4xx and changes nothing, and a replay changes
// nothing twice.
//
// It imports editorial and store; it never writes the store itself.
package mailhook
