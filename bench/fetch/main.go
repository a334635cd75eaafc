// Command fetch is the benchmark harness's HTTP helper.
//
//	fetch crawl --base URL --out DIR      crawl a running Folio into the static-export
//	                                      layout (a stand-in until folio export-static exists)
//	fetch warm --base URL --paths FILE    GET every path once (identity and gzip)
//	fetch cold --base URL --paths FILE [--gzip]
//	                                      GET every path once over 64 connections and print
//	                                      a BENCH line like wrk's (the cold-cache scenario)
//	fetch coldstart --folio BIN --data DIR --addr HOST:PORT --paths FILE --warm N
//	                                      time from exec to the first byte of /, then RSS after N requests
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fetch crawl|warm|cold|coldstart [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "crawl":
		err = crawl(os.Args[2:])
	case "warm":
		err = warm(os.Args[2:])
	case "coldstart":
		err = coldstart(os.Args[2:])
	case "cold":
		err = cold(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fetch:", err)
		os.Exit(1)
	}
}
