package i18n

import (
	"testing"
	"time"
)

// solarHijriTable pairs Gregorian and Solar Hijri dates as published in
// Iranian official calendars and histories: Nowruz of many years (1
// Farvardin), the last day of leap years (30 Esfand), and dated events.
var solarHijriTable = []struct {
	greg           string
	year, mon, day int
}{
	{"1921-03-21", 1300, 1, 1},
	{"1951-03-20", 1329, 12, 29}, // oil nationalisation
	{"1953-08-19", 1332, 5, 28},
	{"1978-09-08", 1357, 6, 17},
	{"1979-02-01", 1357, 11, 12},
	{"1979-02-11", 1357, 11, 22},
	{"1979-04-01", 1358, 1, 12},
	{"1979-11-04", 1358, 8, 13},
	{"1980-09-22", 1359, 6, 31},
	{"1989-06-04", 1368, 3, 14},
	{"2008-03-20", 1387, 1, 1},
	{"2012-03-20", 1391, 1, 1},
	{"2015-03-21", 1394, 1, 1},
	{"2016-03-20", 1395, 1, 1},
	{"2017-03-20", 1395, 12, 30}, // leap day
	{"2017-03-21", 1396, 1, 1},
	{"2018-03-21", 1397, 1, 1},
	{"2019-03-21", 1398, 1, 1},
	{"2020-03-20", 1399, 1, 1},
	{"2021-03-20", 1399, 12, 30}, // leap day
	{"2021-03-21", 1400, 1, 1},
	{"2022-03-21", 1401, 1, 1},
	{"2023-03-21", 1402, 1, 1},
	{"2023-12-21", 1402, 9, 30}, // Yalda
	{"2023-12-22", 1402, 10, 1},
	{"2024-03-20", 1403, 1, 1},
	{"2024-09-22", 1403, 7, 1},
	{"2025-03-20", 1403, 12, 30}, // leap day
	{"2025-03-21", 1404, 1, 1},
	{"2026-03-21", 1405, 1, 1},
}

func TestSolarHijri_Table(t *testing.T) {
	for _, c := range solarHijriTable {
		g, err := time.Parse("2006-01-02", c.greg)
		if err != nil {
			t.Fatal(err)
		}
		want := SolarHijriDate{c.year, c.mon, c.day}
		got, err := ToSolarHijri(g)
		if err != nil || got != want {
			t.Errorf("ToSolarHijri(%s) = %v, %v; want %v", c.greg, got, err, want)
		}
		back, err := FromSolarHijri(want)
		if err != nil || !back.Equal(g) {
			t.Errorf("FromSolarHijri(%v) = %s, %v; want %s", want, back.Format("2006-01-02"), err, c.greg)
		}
	}
}

func TestSolarHijri_Leap(t *testing.T) {
	for year, want := range map[int]bool{1395: true, 1399: true, 1403: true, 1408: true,
		1396: false, 1400: false, 1402: false, 1404: false, 1405: false} {
		if got := SolarHijriLeap(year); got != want {
			t.Errorf("SolarHijriLeap(%d) = %v, want %v", year, got, want)
		}
	}
	// Esfand 30 exists only in a leap year.
	if _, err := FromSolarHijri(SolarHijriDate{1404, 12, 30}); err == nil {
		t.Error("30 Esfand 1404 accepted; 1404 is not a leap year")
	}
}

func TestDate_CalendarAndDigits(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		tag, want, greg string
		latin           bool
	}{
		{tag: "fa", want: "۱۲ آذر ۱۴۰۵", greg: "۳ دسامبر ۲۰۲۶"},
		{tag: "ps", want: "د ۱۴۰۵ د لیندۍ ۱۲", greg: "د ۲۰۲۶ د دسمبر ۳"},
		{tag: "fa", want: "12 آذر 1405", greg: "3 دسامبر 2026", latin: true},
		{tag: "ar", want: "٣ ديسمبر ٢٠٢٦", greg: "٣ ديسمبر ٢٠٢٦"},
		{tag: "bn", want: "৩ ডিসেম্বর, ২০২৬", greg: "৩ ডিসেম্বর, ২০২৬"},
		{tag: "en", want: "December 3, 2026", greg: "December 3, 2026"},
		{tag: "ur", want: "3 دسمبر، 2026", greg: "3 دسمبر، 2026"},
	} {
		l := For(c.tag)
		if c.latin {
			l = l.LatinDigits()
		}
		if got := l.Date(day, time.UTC); got != c.want {
			t.Errorf("%s latin=%v: Date = %q, want %q", c.tag, c.latin, got, c.want)
		}
		if got := l.GregorianDate(day, time.UTC); got != c.greg {
			t.Errorf("%s latin=%v: GregorianDate = %q, want %q", c.tag, c.latin, got, c.greg)
		}
	}
	if got := For("fa").N("reading_time", 5); got == For("fa").LatinDigits().N("reading_time", 5) {
		t.Errorf("fa reading time %q keeps Latin digits", got)
	}
}
