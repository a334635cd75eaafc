// Package server assembles HTTP middleware and runs the HTTP server with
// graceful shutdown. Handlers live in site, api and (later) admin.
package server
