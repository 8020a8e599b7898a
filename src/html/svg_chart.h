/* svg_chart: the geometry of a bar chart that a template draws as SVG (templates/
 * dashboard.html): where each bar goes, and value-axis gridlines at round numbers. Numbers
 * only, no text and no I/O, so the template escapes everything it writes and nothing here
 * needs {{raw}}. Coordinates are in the SVG's viewBox units, y growing downwards. */
#ifndef CAIRN_SVG_CHART_H
#define CAIRN_SVG_CHART_H
#include <stddef.h>

#define SVG_CHART_WIDTH 640
#define SVG_CHART_MAX_BARS 64
#define SVG_CHART_MAX_TICKS 12

struct svg_bar {
	int x, y, width, height;
	int label_x, label_y; /* where its label goes: under a column, above a row's bar */
};

struct svg_tick {
	int x1, y1, x2, y2; /* the gridline */
	int label_x, label_y;
	double value;
};

struct svg_chart {
	int width, height; /* the viewBox */
	double axis_max;   /* the value at the top (columns) or right (rows) of the axis */
	size_t nbars;
	struct svg_bar bars[SVG_CHART_MAX_BARS];
	size_t nticks;
	struct svg_tick ticks[SVG_CHART_MAX_TICKS];
	int label_every; /* columns: label every nth bar, so labels do not overlap */
};

/* A round step for an axis from 0 to max with about `ticks` gridlines: 1, 2 or 5 times a
 * power of ten (a max of 0 or less gives 1). */
double svg_chart_step(double max, int ticks);

/* Columns over time: n values (at most SVG_CHART_MAX_BARS; a negative one is drawn as 0)
 * from left to right. axis_max above 0 fixes the top of the axis (100 for percentages);
 * otherwise it is the largest value rounded up to a step. Fills the caller's *out; -1
 * when n is 0 or too many. */
int svg_chart_columns(const double *values, size_t n, double axis_max, struct svg_chart *out);

/* Rows, one under another (a label above each bar): for values by category. */
int svg_chart_rows(const double *values, size_t n, struct svg_chart *out);

#endif
