#include "handlers/dashboard.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/civil_date.h"
#include "domain/london_time.h"
#include "html/svg_chart.h"
#include "report/table.h"

/* The longest period one page adds up: five years of months. */
#define DASHBOARD_MAX_DAYS (5 * 366)
/* Periods up to this many days are shown week by week, longer ones month by month. */
#define DASHBOARD_WEEKLY_DAYS 92
#define DASHBOARD_MAX_BUCKETS SVG_CHART_MAX_BARS

/* What the page and the CSV are about: a validated period and area, cut into stretches. */
struct dashboard {
	struct civil_date from, to; /* both included */
	int64_t authority_id;       /* 0: all of Scotland */
	const char *area_name;
	int weekly;
	size_t nbuckets;
	struct impact_figures buckets[DASHBOARD_MAX_BUCKETS];
	struct impact_figures total;
	struct impact_topic *topics;
	size_t ntopics;
};

/* ---- the period and area ------------------------------------------------------------ */

struct dashboard_errors {
	const char *from, *to, *area;
};

static int64_t day_of(struct civil_date d)
{
	return civil_date_to_days(d);
}

/* London midnight at the start of a day, in UTC seconds. */
static int64_t midnight(int64_t day)
{
	int64_t t = 0;
	london_to_utc(civil_date_from_days(day), 0, 0, &t);
	return t;
}

static void cut(struct dashboard *d)
{
	int64_t first = day_of(d->from), end = day_of(d->to) + 1;
	d->weekly = end - first <= DASHBOARD_WEEKLY_DAYS;
	d->nbuckets = 0;
	for (int64_t day = first; day < end && d->nbuckets < DASHBOARD_MAX_BUCKETS;) {
		int64_t next;
		if (d->weekly) {
			/* Weeks run Monday to Sunday; the first and last may be part weeks. */
			int weekday = civil_date_weekday(civil_date_from_days(day));
			next = day + (weekday == 0 ? 1 : 8 - weekday);
		} else {
			struct civil_date c = civil_date_from_days(day);
			c.day = 1;
			next = day_of(civil_date_add_months(c, 1));
		}
		if (next > end)
			next = end;
		struct impact_figures *f = &d->buckets[d->nbuckets++];
		memset(f, 0, sizeof(*f));
		f->from_day = day;
		f->to_day = next;
		f->from = midnight(day);
		f->to = midnight(next);
		day = next;
	}
	memset(&d->total, 0, sizeof(d->total));
	d->total.from_day = first;
	d->total.to_day = end;
	d->total.from = midnight(first);
	d->total.to = midnight(end);
}

/* Reads from, to and area from the query string. A local authority lead's area is their
 * own authority whatever the query says. 0, or -1 with messages in *errors. */
static int read_query(struct http_request *req, struct dashboard *d, struct authority *areas,
		      size_t nareas, struct dashboard_errors *errors)
{
	struct app_request *ar = app_req(req);
	memset(errors, 0, sizeof(*errors));
	struct civil_date today = london_date(app_now());
	/* The last 12 months: this month and the 11 before it. */
	struct civil_date start = today;
	start.day = 1;
	start = civil_date_add_months(start, -11);
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	d->from = start;
	d->to = today;
	if (from && from[0] && civil_date_parse(from, &d->from) != 0)
		errors->from = "Enter a real date for the start of the period, for example 1/12/2025";
	if (to && to[0] && civil_date_parse(to, &d->to) != 0)
		errors->to = "Enter a real date for the end of the period, for example 30/11/2026";
	if (!errors->from && !errors->to) {
		if (civil_date_compare(d->from, d->to) > 0)
			errors->to = "The end of the period must be on or after its start";
		else if (day_of(d->to) - day_of(d->from) + 1 > DASHBOARD_MAX_DAYS)
			errors->to = "Choose a period of 5 years or less";
	}
	d->authority_id = 0;
	d->area_name = "All of Scotland";
	if (ar->user.role == ROLE_AUTHORITY_LEAD) {
		d->authority_id = ar->user.authority_id;
		d->area_name = ar->user.authority_name;
	} else {
		const char *area = http_query(req, "area");
		if (area && area[0] && strcmp(area, "all") != 0) {
			errors->area = "Choose an area from the list";
			for (size_t i = 0; i < nareas; i++) {
				char id[24];
				snprintf(id, sizeof(id), "%lld", (long long)areas[i].id);
				if (strcmp(id, area) == 0) {
					d->authority_id = areas[i].id;
					d->area_name = areas[i].name;
					errors->area = NULL;
				}
			}
		}
	}
	return errors->from || errors->to || errors->area ? -1 : 0;
}

/* Adds up every stretch, the whole period and the hours by topic, in one snapshot. */
static int add_up(struct store *s, struct pool *p, struct dashboard *d)
{
	if (s->ops->read_begin(s) != 0)
		return -1;
	int rc = 0;
	struct impact_figures *t = &d->total;
	for (size_t i = 0; i < d->nbuckets && rc == 0; i++) {
		const struct impact_figures *b = &d->buckets[i];
		rc = s->ops->impact_figures(s, d->authority_id, &d->buckets[i]);
		/* Sums over the whole period are the sums of its stretches. */
		t->bookings += b->bookings;
		t->minutes += b->minutes;
		t->outcomes += b->outcomes;
		t->attended += b->attended;
		t->feedback += b->feedback;
		t->knowledge += b->knowledge;
		t->apply += b->apply;
	}
	/* Distinct counts are not: a client referred in two months is one client. */
	if (rc == 0)
		rc = s->ops->impact_referrals(s, d->authority_id, t);
	if (rc == 0)
		rc = s->ops->impact_topics(s, p, d->authority_id, d->total.from_day, d->total.to_day,
					   &d->topics, &d->ntopics);
	s->ops->read_end(s);
	return rc;
}

/* ---- words and numbers ------------------------------------------------------------- */

/* 1234567 -> "1,234,567", in the pool. */
static const char *grouped(struct pool *p, long long n)
{
	char digits[32], out[48];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return pool_strdup(p, out);
}

/* Counted minutes as hours for people: "1,234 hours", "2.5 hours", "1 hour". */
static const char *hours_text(struct pool *p, int64_t minutes)
{
	long long tenths = (long long)(minutes * 10 + (minutes >= 0 ? 30 : -30)) / 60;
	const char *whole = grouped(p, tenths / 10);
	long long frac = (tenths < 0 ? -tenths : tenths) % 10;
	if (frac)
		return pool_printf(p, "%s.%lld hours", whole, frac);
	return pool_printf(p, "%s hour%s", whole, tenths == 10 ? "" : "s");
}

/* A share as a whole percentage, or -1 when there is nothing to share out. */
static int percent(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return -1;
	return (int)((part * 200 + whole) / (2 * whole));
}

static const char *short_month(int month)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	return month >= 1 && month <= 12 ? names[month - 1] : "";
}

static const char *long_date(struct pool *p, int64_t day)
{
	char *s = pool_alloc(p, CIVIL_DATE_LONG_MAX);
	civil_date_long(civil_date_from_days(day), s, CIVIL_DATE_LONG_MAX);
	return s;
}

/* "March 2026" for a whole month, "Week from 2 March 2026" for a whole week, else the days
 * it covers. */
static const char *bucket_label(struct pool *p, const struct dashboard *d,
				const struct impact_figures *f)
{
	struct civil_date a = civil_date_from_days(f->from_day);
	struct civil_date last = civil_date_from_days(f->to_day - 1);
	if (!d->weekly && a.day == 1 && last.day == civil_date_days_in_month(a.year, a.month))
		return pool_printf(p, "%s %d", civil_date_month_name(a.month), a.year);
	if (d->weekly && f->to_day - f->from_day == 7 && civil_date_weekday(a) == 1)
		return pool_printf(p, "Week from %s", long_date(p, f->from_day));
	if (f->to_day - f->from_day == 1)
		return long_date(p, f->from_day);
	return pool_printf(p, "%s to %s", long_date(p, f->from_day), long_date(p, f->to_day - 1));
}

/* Under a column: "Mar", or "2 Mar" for a week. */
static const char *bucket_short(struct pool *p, const struct dashboard *d, size_t i)
{
	struct civil_date a = civil_date_from_days(d->buckets[i].from_day);
	if (d->weekly)
		return pool_printf(p, "%d %s", a.day, short_month(a.month));
	return short_month(a.month);
}

/* Under that, the year: under the first column and where a new year starts. */
static const char *bucket_year(struct pool *p, const struct dashboard *d, size_t i)
{
	struct civil_date a = civil_date_from_days(d->buckets[i].from_day);
	struct civil_date before = civil_date_from_days(d->buckets[i].from_day - 1);
	if (i == 0 || before.year != a.year)
		return pool_printf(p, "%d", a.year);
	return NULL;
}

/* ---- the measures --------------------------------------------------------------------- */

enum measure_kind { COUNT, HOURS, SHARE };

struct measure {
	const char *key, *title, *column;
	enum measure_kind kind;
	/* The figure (COUNT, HOURS: minutes) or, for SHARE, part of whole. */
	int64_t (*value)(const struct impact_figures *f);
	int64_t (*whole)(const struct impact_figures *f);
	const char *noun; /* "clients referred" */
};

#define FIGURE(name, field)                                                                    \
	static int64_t name(const struct impact_figures *f)                                    \
	{                                                                                      \
		return f->field;                                                               \
	}
FIGURE(clients_referred, clients_referred)
FIGURE(bookings, bookings)
FIGURE(minutes, minutes)
FIGURE(authorities, authorities)
FIGURE(case_workers, case_workers)
FIGURE(feedback, feedback)
FIGURE(knowledge, knowledge)
FIGURE(apply, apply)
FIGURE(outcomes, outcomes)
FIGURE(attended, attended)

static const struct measure measures[] = {
	{"clients", "Clients referred", "Clients referred", COUNT, clients_referred, NULL,
	 "clients referred"},
	{"bookings", "Bookings made", "Bookings made", COUNT, bookings, NULL, "bookings made"},
	{"hours", "Hours completed", "Hours completed", HOURS, minutes, NULL, "completed"},
	{"authorities", "Local authorities using the service", "Local authorities", COUNT,
	 authorities, NULL, "local authorities referring"},
	{"case-workers", "Case workers referring", "Case workers", COUNT, case_workers, NULL,
	 "case workers referring"},
	{"knowledge", "Feedback: knowledge improved", "Said knowledge improved", SHARE, knowledge,
	 feedback, "said their knowledge improved"},
	{"apply", "Feedback: intend to apply what they learned", "Intend to apply", SHARE, apply,
	 feedback, "said they intend to apply what they learned"},
	{"attendance", "Attendance rate", "Attendance rate", SHARE, attended, outcomes,
	 "were attended, in full or in part"},
};
#define NMEASURES (sizeof(measures) / sizeof(measures[0]))

static double chart_value(const struct measure *m, const struct impact_figures *f)
{
	switch (m->kind) {
	case HOURS:
		return (double)m->value(f) / 60.0;
	case SHARE: {
		int pc = percent(m->value(f), m->whole(f));
		return pc < 0 ? 0 : pc;
	}
	default:
		return (double)m->value(f);
	}
}

static const char *value_text(struct pool *p, const struct measure *m,
			      const struct impact_figures *f)
{
	switch (m->kind) {
	case HOURS:
		return hours_text(p, m->value(f));
	case SHARE: {
		int pc = percent(m->value(f), m->whole(f));
		if (pc < 0)
			return m->whole == feedback ? "No answers" : "No register taken";
		return pool_printf(p, "%d%% (%s of %s)", pc, grouped(p, m->value(f)),
				   grouped(p, m->whole(f)));
	}
	default:
		return grouped(p, m->value(f));
	}
}

/* One sentence a screen reader (and anyone) can take in instead of the chart. */
static const char *summary(struct pool *p, const struct dashboard *d, const struct measure *m,
			   const char *period)
{
	const struct impact_figures *t = &d->total;
	const char *whole;
	if (m->kind == SHARE) {
		int pc = percent(m->value(t), m->whole(t));
		if (pc < 0)
			return pool_printf(p, "%s: %s, so there is no figure for this period.",
					   m->title, m->whole == feedback ? "no answers yet"
									  : "no registers taken yet");
		whole = pool_printf(p, "%d%% of %s %s %s", pc, grouped(p, m->whole(t)),
				    m->whole == feedback ? "answers" : "bookings with a register taken",
				    m->noun);
	} else {
		whole = pool_printf(p, "%s %s", value_text(p, m, t), m->noun);
	}
	size_t best = 0;
	double best_value = -1;
	for (size_t i = 0; i < d->nbuckets; i++) {
		if (m->kind == SHARE && m->whole(&d->buckets[i]) <= 0)
			continue;
		double v = chart_value(m, &d->buckets[i]);
		if (v > best_value) {
			best_value = v;
			best = i;
		}
	}
	if (best_value <= 0 || d->nbuckets < 2)
		return pool_printf(p, "%s, %s.", whole, period);
	return pool_printf(p, "%s, %s. The highest %s was %s, in %s.", whole, period,
			   d->weekly ? "week" : "month", value_text(p, m, &d->buckets[best]),
			   bucket_label(p, d, &d->buckets[best]));
}

static const char *tick_text(struct pool *p, const struct measure *m, double v)
{
	long long n = (long long)(v + 0.5);
	return m->kind == SHARE ? pool_printf(p, "%lld%%", n) : grouped(p, n);
}

/* The gridlines of a chart, labelled as the measure's values (m NULL: hours). */
static void chart_vars(struct pool *p, struct tpl_vars *c, const struct svg_chart *g,
		       const struct measure *m)
{
	tpl_set_int(c, "width", g->width);
	tpl_set_int(c, "height", g->height);
	for (size_t i = 0; i < g->nticks; i++) {
		struct tpl_vars *t = tpl_add(c, "ticks");
		tpl_set_int(t, "x1", g->ticks[i].x1);
		tpl_set_int(t, "y1", g->ticks[i].y1);
		tpl_set_int(t, "x2", g->ticks[i].x2);
		tpl_set_int(t, "y2", g->ticks[i].y2);
		tpl_set_int(t, "label_x", g->ticks[i].label_x);
		tpl_set_int(t, "label_y", g->ticks[i].label_y);
		tpl_set(t, "text", m ? tick_text(p, m, g->ticks[i].value)
				     : grouped(p, (long long)(g->ticks[i].value + 0.5)));
	}
}

static void bar_vars(struct tpl_vars *b, const struct svg_bar *bar)
{
	tpl_set_int(b, "x", bar->x);
	tpl_set_int(b, "y", bar->y);
	tpl_set_int(b, "w", bar->width);
	tpl_set_int(b, "h", bar->height);
	tpl_set_int(b, "label_x", bar->label_x);
	tpl_set_int(b, "label_y", bar->label_y);
}

static void measure_vars(struct http_request *req, const struct dashboard *d,
			 const struct measure *m, const char *period)
{
	struct app_request *ar = app_req(req);
	struct pool *p = req->pool;
	double values[DASHBOARD_MAX_BUCKETS];
	for (size_t i = 0; i < d->nbuckets; i++)
		values[i] = chart_value(m, &d->buckets[i]);
	struct svg_chart g;
	if (svg_chart_columns(values, d->nbuckets, m->kind == SHARE ? 100 : 0, &g) != 0)
		return;
	struct tpl_vars *c = tpl_add(ar->vars, "charts");
	tpl_set(c, "key", m->key);
	tpl_set(c, "title", m->title);
	tpl_set(c, "column", m->column);
	tpl_set(c, "summary", summary(p, d, m, period));
	tpl_set(c, "total", value_text(p, m, &d->total));
	chart_vars(p, c, &g, m);
	for (size_t i = 0; i < d->nbuckets; i++) {
		struct tpl_vars *b = tpl_add(c, "bars");
		bar_vars(b, &g.bars[i]);
		if (i % (size_t)g.label_every == 0) {
			tpl_set(b, "short", bucket_short(p, d, i));
			tpl_set(b, "year", bucket_year(p, d, i));
			tpl_set_int(b, "year_y", g.bars[i].label_y + 14);
		}
		tpl_set(b, "label", bucket_label(p, d, &d->buckets[i]));
		tpl_set(b, "value", value_text(p, m, &d->buckets[i]));
	}
}

static void topic_vars(struct http_request *req, const struct dashboard *d, const char *period)
{
	struct app_request *ar = app_req(req);
	struct pool *p = req->pool;
	size_t n = d->ntopics < SVG_CHART_MAX_BARS ? d->ntopics : SVG_CHART_MAX_BARS;
	double values[SVG_CHART_MAX_BARS];
	size_t best = 0;
	int64_t sum = 0;
	for (size_t i = 0; i < n; i++) {
		values[i] = (double)d->topics[i].minutes / 60.0;
		sum += d->topics[i].minutes;
		if (d->topics[i].minutes > d->topics[best].minutes)
			best = i;
	}
	struct svg_chart g;
	if (svg_chart_rows(values, n, &g) != 0)
		return;
	struct tpl_vars *c = tpl_add(ar->vars, "topic_chart");
	chart_vars(p, c, &g, NULL);
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *b = tpl_add(c, "bars");
		bar_vars(b, &g.bars[i]);
		tpl_set(b, "label", d->topics[i].name);
		tpl_set(b, "value", hours_text(p, d->topics[i].minutes));
	}
	if (sum <= 0)
		tpl_set(c, "summary", pool_printf(p, "No hours were credited %s.", period));
	else
		tpl_set(c, "summary",
			pool_printf(p, "Of %s credited %s, the most were for %s: %s.",
				    hours_text(p, sum), period, d->topics[best].name,
				    hours_text(p, d->topics[best].minutes)));
}

/* ---- the page ------------------------------------------------------------------------ */

static void form_vars(struct http_request *req, const struct dashboard *d,
		      const struct authority *areas, size_t nareas,
		      const struct dashboard_errors *errors)
{
	struct app_request *ar = app_req(req);
	struct tpl_vars *v = ar->vars;
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	char uk[11];
	civil_date_uk(d->from, uk);
	tpl_set(v, "from", errors->from || (from && from[0]) ? from : pool_strdup(req->pool, uk));
	civil_date_uk(d->to, uk);
	tpl_set(v, "to", errors->to || (to && to[0]) ? to : pool_strdup(req->pool, uk));
	tpl_set(v, "from_error", errors->from);
	tpl_set(v, "to_error", errors->to);
	tpl_set(v, "area_error", errors->area);
	const struct {
		const char *field, *message;
	} list[] = {{"from", errors->from}, {"to", errors->to}, {"area", errors->area}};
	for (size_t i = 0; i < 3; i++)
		if (list[i].message) {
			struct tpl_vars *e = tpl_add(v, "errors");
			tpl_set(e, "field", list[i].field);
			tpl_set(e, "message", list[i].message);
		}
	tpl_set(v, "area_name", d->area_name);
	if (ar->user.role == ROLE_AUTHORITY_LEAD)
		return;
	tpl_set_bool(v, "choose_area", 1);
	for (size_t i = 0; i < nareas; i++) {
		struct tpl_vars *a = tpl_add(v, "areas");
		tpl_set_int(a, "id", areas[i].id);
		tpl_set(a, "name", areas[i].name);
		tpl_set_bool(a, "selected", areas[i].id == d->authority_id);
	}
}

/* Everything both the page and the CSV need; -1 when the response is already written. */
static int prepare(struct http_request *req, struct http_response *res, struct dashboard *d,
		   struct dashboard_errors *errors, struct authority **areas, size_t *nareas)
{
	struct app_request *ar = app_req(req);
	memset(d, 0, sizeof(*d));
	if (ar->store->ops->authorities_list(ar->store, req->pool, areas, nareas) != 0) {
		app_unavailable(req, res);
		return -1;
	}
	if (read_query(req, d, *areas, *nareas, errors) != 0)
		return 1;
	cut(d);
	if (add_up(ar->store, req->pool, d) != 0) {
		app_unavailable(req, res);
		return -1;
	}
	return 0;
}

void dashboard_show(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct dashboard *d = pool_alloc(req->pool, sizeof(*d));
	struct dashboard_errors errors;
	struct authority *areas;
	size_t nareas = 0;
	int rc = prepare(req, res, d, &errors, &areas, &nareas);
	if (rc < 0)
		return;
	form_vars(req, d, areas, nareas, &errors);
	if (rc > 0) {
		app_page(req, res, "dashboard", "Error: Impact dashboard");
		res->status = 400;
		return;
	}
	struct pool *p = req->pool;
	struct tpl_vars *v = ar->vars;
	const char *period = pool_printf(p, "from %s to %s", long_date(p, d->total.from_day),
					 long_date(p, d->total.to_day - 1));
	tpl_set_bool(v, "figures", 1);
	tpl_set(v, "period", period);
	tpl_set(v, "by", d->weekly ? "week" : "month");
	tpl_set(v, "by_title", d->weekly ? "Week" : "Month");
	char from_iso[11], to_iso[11];
	civil_date_iso(d->from, from_iso);
	civil_date_iso(d->to, to_iso);
	tpl_set(v, "csv_from", pool_strdup(p, from_iso));
	tpl_set(v, "csv_to", pool_strdup(p, to_iso));
	tpl_set(v, "csv_area", d->authority_id ? pool_printf(p, "%lld", (long long)d->authority_id)
					       : "all");
	for (size_t i = 0; i < NMEASURES; i++)
		measure_vars(req, d, &measures[i], period);
	topic_vars(req, d, period);
	app_page(req, res, "dashboard", "Impact dashboard");
}

/* ---- CSV and XLSX ------------------------------------------------------------------ */

static const char *const fixed_head[] = {
	"Area", "From", "To", "Clients referred", "Bookings made", "Hours completed",
	"Local authorities using the service", "Case workers referring", "Feedback answers",
	"Knowledge improved (%)", "Intend to apply (%)", "Register outcomes",
	"Attended or attended part", "Attendance rate (%)"};
#define FIXED_COLUMNS (sizeof(fixed_head) / sizeof(fixed_head[0]))

/* One row per week or month, then the whole period; each row's topic minutes beside it. */
struct dashboard_rows {
	const struct dashboard *d;
	const struct impact_topic **topics; /* per row, d->ntopics each */
};

static void dashboard_cell(const void *ctx, size_t row, size_t col, struct report_cell *out)
{
	const struct dashboard_rows *r = ctx;
	const struct dashboard *d = r->d;
	const struct impact_figures *f = row < d->nbuckets ? &d->buckets[row] : &d->total;
	out->kind = CELL_INT;
	switch (col) {
	case 0: out->kind = CELL_TEXT; out->text = d->area_name; break;
	case 1: out->kind = CELL_DATE; out->date = civil_date_from_days(f->from_day); break;
	case 2: out->kind = CELL_DATE; out->date = civil_date_from_days(f->to_day - 1); break;
	case 3: out->number = f->clients_referred; break;
	case 4: out->number = f->bookings; break;
	case 5: out->kind = CELL_HOURS; out->number = f->minutes; break;
	case 6: out->number = f->authorities; break;
	case 7: out->number = f->case_workers; break;
	case 8: out->number = f->feedback; break;
	case 9: out->kind = CELL_PERCENT; out->number = f->knowledge; out->whole = f->feedback; break;
	case 10: out->kind = CELL_PERCENT; out->number = f->apply; out->whole = f->feedback; break;
	case 11: out->number = f->outcomes; break;
	case 12: out->number = f->attended; break;
	case 13: out->kind = CELL_PERCENT; out->number = f->attended; out->whole = f->outcomes; break;
	default:
		out->kind = CELL_HOURS;
		out->number = r->topics[row][col - FIXED_COLUMNS].minutes;
		break;
	}
}

/* The figures as a download (report/table.h: CSV is RFC 4180, UTF-8 with a byte order
 * mark, CRLF; text that a spreadsheet would run as a formula gets a leading '): hours to
 * two places, shares as percentages to one (empty when there is nothing to share out). */
static void download(struct http_request *req, struct http_response *res, int xlsx)
{
	struct app_request *ar = app_req(req);
	struct dashboard *d = pool_alloc(req->pool, sizeof(*d));
	struct dashboard_errors errors;
	struct authority *areas;
	size_t nareas = 0;
	int rc = prepare(req, res, d, &errors, &areas, &nareas);
	if (rc < 0)
		return;
	if (rc > 0) {
		form_vars(req, d, areas, nareas, &errors);
		app_page(req, res, "dashboard", "Error: Impact dashboard");
		res->status = 400;
		return;
	}
	struct pool *p = req->pool;
	struct store *s = ar->store;
	struct dashboard_rows rows = {.d = d};
	rows.topics = pool_alloc(p, (d->nbuckets + 1) * sizeof(*rows.topics));
	if (s->ops->read_begin(s) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < d->nbuckets; i++) {
		struct impact_topic *topics;
		size_t n = 0;
		if (s->ops->impact_topics(s, p, d->authority_id, d->buckets[i].from_day,
					  d->buckets[i].to_day, &topics, &n) != 0 ||
		    n != d->ntopics) {
			s->ops->read_end(s);
			app_unavailable(req, res);
			return;
		}
		rows.topics[i] = topics;
	}
	s->ops->read_end(s);
	rows.topics[d->nbuckets] = d->topics;
	const char **head = pool_alloc(p, (FIXED_COLUMNS + d->ntopics) * sizeof(*head));
	for (size_t i = 0; i < FIXED_COLUMNS; i++)
		head[i] = fixed_head[i];
	for (size_t i = 0; i < d->ntopics; i++)
		head[FIXED_COLUMNS + i] = pool_printf(p, "%s (hours)", d->topics[i].name);
	struct report_table t = {
		.title = "Impact",
		.ncols = FIXED_COLUMNS + d->ntopics,
		.nrows = d->nbuckets + 1,
		.headings = head,
		.cell = dashboard_cell,
		.ctx = &rows,
	};
	char from_iso[11], to_iso[11];
	civil_date_iso(d->from, from_iso);
	civil_date_iso(d->to, to_iso);
	app_download(req, res, &t, pool_printf(p, "cairn-impact-%s-to-%s", from_iso, to_iso), xlsx);
}

void dashboard_csv(struct http_request *req, struct http_response *res)
{
	download(req, res, 0);
}

void dashboard_xlsx(struct http_request *req, struct http_response *res)
{
	download(req, res, 1);
}
