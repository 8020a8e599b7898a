#include "domain/ics.h"

#include <stdio.h>
#include <string.h>

#include "domain/civil_date.h"
#include "domain/london_time.h"

/* A content line: folded so no physical line is over 75 octets, never inside a UTF-8
 * sequence, each continuation starting with a space (RFC 5545 section 3.1). */
static void line(struct buf *out, const char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (col + len > 75) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
		buf_append(out, s + i, len);
		col += len;
		i += len - 1;
	}
	buf_puts(out, "\r\n");
}

static void prop(struct buf *out, const char *name, const char *value)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, name);
	buf_putc(&b, ':');
	buf_puts(&b, value);
	line(out, b.data, b.len);
	buf_free(&b);
}

/* TEXT values escape backslash, semicolon, comma and newline. */
static void prop_text(struct buf *out, const char *name, const char *value)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, name);
	buf_putc(&b, ':');
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',') {
			buf_putc(&b, '\\');
			buf_putc(&b, *p);
		} else if (*p == '\n') {
			buf_puts(&b, "\\n");
		} else if (*p != '\r') {
			buf_putc(&b, *p);
		}
	}
	line(out, b.data, b.len);
	buf_free(&b);
}

static void local_stamp(int64_t utc, char out[20])
{
	int64_t local = utc + london_offset_seconds(utc);
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	struct civil_date d = civil_date_from_days(days);
	snprintf(out, 20, "%04d%02d%02dT%02d%02d%02d", d.year, d.month, d.day, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}

static void utc_stamp(int64_t utc, char out[20])
{
	int64_t days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
	int64_t secs = utc - days * 86400;
	struct civil_date d = civil_date_from_days(days);
	snprintf(out, 20, "%04d%02d%02dT%02d%02d%02dZ", d.year, d.month, d.day, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}

void ics_write(struct buf *out, const char *method, const struct ics_event *events, size_t n,
	       int64_t now)
{
	char stamp[24];
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cairn//Sessions//EN\r\n"
		      "CALSCALE:GREGORIAN\r\n");
	prop(out, "METHOD", method);
	buf_puts(out, "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
		      "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n"
		      "DTSTART:19810329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
		      "END:DAYLIGHT\r\n"
		      "BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n"
		      "DTSTART:19961027T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
		      "END:STANDARD\r\nEND:VTIMEZONE\r\n");
	for (size_t i = 0; i < n; i++) {
		const struct ics_event *e = &events[i];
		buf_puts(out, "BEGIN:VEVENT\r\n");
		prop_text(out, "UID", e->uid);
		utc_stamp(now, stamp);
		prop(out, "DTSTAMP", stamp);
		local_stamp(e->starts_at, stamp);
		prop(out, "DTSTART;TZID=Europe/London", stamp);
		local_stamp(e->starts_at + (int64_t)e->minutes * 60, stamp);
		prop(out, "DTEND;TZID=Europe/London", stamp);
		prop_text(out, "SUMMARY", e->summary);
		if (e->description)
			prop_text(out, "DESCRIPTION", e->description);
		if (e->url)
			prop(out, "URL", e->url);
		char seq[16];
		snprintf(seq, sizeof(seq), "%d", e->sequence);
		prop(out, "SEQUENCE", seq);
		prop(out, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED");
		buf_puts(out, "END:VEVENT\r\n");
	}
	buf_puts(out, "END:VCALENDAR\r\n");
}
