//go:build race

package site_test

// raceEnabled shortens the property test under the race detector, which
// slows the pure-Go SQLite driver about thirty times; the full sequence runs
// in the plain test pass.
const raceEnabled = true
