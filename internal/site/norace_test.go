//go:build !race

package site_test

const raceEnabled = false
