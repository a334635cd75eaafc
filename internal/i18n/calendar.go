package i18n

import (
	"strconv"
	"strings"
	"time"

	jalaali "github.com/jalaali/go-jalaali"
)

// Calendars Folio shows dates in.
const (
	Gregorian = "gregorian"
	// SolarHijri is the Persian (Jalali, Solar Hijri) calendar, CLDR "persian",
	// the official calendar of Iran and Afghanistan.
	SolarHijri = "persian"
)

// calendars are the CLDR preferred calendars (calendarPreferenceData for the
// language's main territory) where they are not Gregorian: Persian for
// Iran (fa) and Afghanistan (ps).
var calendars = map[string]string{"fa": SolarHijri, "ps": SolarHijri}

// solarMonths are the CLDR wide format month names of the Persian calendar.
var solarMonths = map[string][12]string{
	"fa": {"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"},
	"ps": {"وری", "غویی", "غبرگولی", "چنگاښ", "زمری", "وږی", "تله", "لړم", "لیندۍ", "مرغومی", "سلواغه", "کب"},
}

// solarPatterns are the long date patterns ({d} day, {m} month name, {y}
// year), as CLDR writes the language's long dates.
var solarPatterns = map[string]string{"fa": "{d} {m} {y}", "ps": "د {y} د {m} {d}"}

// Calendar is the calendar the locale shows dates in by default.
func (l *Locale) Calendar() string {
	if c, ok := calendars[l.lang.Tag]; ok {
		return c
	}
	return Gregorian
}

// SolarHijriDate is a day of the Solar Hijri calendar.
type SolarHijriDate struct {
	Year, Month, Day int // Month 1 is Farvardin
}

// ToSolarHijri converts the civil date of t (in its own location) to the
// Solar Hijri calendar, by the arithmetic of github.com/jalaali/go-jalaali
// (valid for years -61 to 3177 of that calendar).
func ToSolarHijri(t time.Time) (SolarHijriDate, error) {
	y, m, d, err := jalaali.ToJalaali(t.Year(), t.Month(), t.Day())
	if err != nil {
		return SolarHijriDate{}, err
	}
	return SolarHijriDate{y, int(m), d}, nil
}

// FromSolarHijri returns the Gregorian civil date of a Solar Hijri day, at
// midnight UTC.
func FromSolarHijri(d SolarHijriDate) (time.Time, error) {
	y, m, day, err := jalaali.ToGregorian(d.Year, jalaali.Month(d.Month), d.Day)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC), nil
}

// SolarHijriLeap reports whether year has 366 days (Esfand has 30).
func SolarHijriLeap(year int) bool {
	leap, err := jalaali.IsLeapYear(year)
	return err == nil && leap
}

// Date formats t in loc as the language writes a long date, in its default
// calendar and digits: "November 29, 2026", "29 ноября 2026 г.",
// "۱۲ آذر ۱۴۰۵" (Persian, Solar Hijri).
func (l *Locale) Date(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if l.Calendar() == SolarHijri {
		if d, err := ToSolarHijri(t); err == nil {
			r := strings.NewReplacer("{d}", strconv.Itoa(d.Day), "{m}", solarMonths[l.lang.Tag][d.Month-1],
				"{y}", strconv.Itoa(d.Year))
			return l.Digits(r.Replace(solarPatterns[l.lang.Tag]))
		}
	}
	return l.GregorianDate(t, loc)
}

// GregorianDate formats t in loc with the language's CLDR long Gregorian
// date format, month names and digits, whatever its default calendar.
func (l *Locale) GregorianDate(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return l.Digits(l.cldr.FmtDateLong(t.In(loc)))
}

// Number writes n in the locale's digits, without grouping: for years,
// counts and page numbers.
func (l *Locale) Number(n int) string { return l.Digits(strconv.Itoa(n)) }
