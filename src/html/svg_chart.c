#include "html/svg_chart.h"

#include <math.h>
#include <string.h>

/* Room for the value labels at the left of columns and under the axis. */
#define COL_LEFT 56
#define COL_RIGHT 8
#define COL_TOP 12
#define COL_PLOT_HEIGHT 180
#define COL_BOTTOM 40
/* Each row: its label, then its bar; value labels along the bottom. */
#define ROW_LEFT 8
#define ROW_RIGHT 64
#define ROW_LABEL 18
#define ROW_BAR 16
#define ROW_GAP 10
#define ROW_BOTTOM 24
/* A column label is about this wide at the chart's font size. */
#define COL_LABEL_WIDTH 44

double svg_chart_step(double max, int ticks)
{
	if (!(max > 0) || ticks < 1)
		return 1;
	double raw = max / ticks;
	/* The power of ten at or below raw, by steps (no libm: the binary does not link it). */
	double power = 1;
	while (power * 10 <= raw)
		power *= 10;
	while (power > raw)
		power /= 10;
	double f = raw / power;
	double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	double step = nice * power;
	/* Whole numbers are counted: a step below 1 would label gridlines 0.2, 0.4... */
	return step < 1 ? 1 : step;
}

static double clamp0(double v)
{
	return v > 0 && isfinite(v) ? v : 0;
}

static double axis_for(const double *values, size_t n, double axis_max, double *step)
{
	if (axis_max > 0) {
		*step = svg_chart_step(axis_max, 4);
		return axis_max;
	}
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (clamp0(values[i]) > max)
			max = clamp0(values[i]);
	*step = svg_chart_step(max, 4);
	double units = max / *step;
	double whole = (double)(long long)units;
	double top = (whole < units ? whole + 1 : whole) * *step;
	return top > 0 ? top : *step;
}

static int scaled(double v, double axis, int length)
{
	long n = (long)(clamp0(v) / axis * length + 0.5);
	return n > length ? length : (int)n;
}

int svg_chart_columns(const double *values, size_t n, double axis_max, struct svg_chart *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > SVG_CHART_MAX_BARS)
		return -1;
	double step;
	out->axis_max = axis_for(values, n, axis_max, &step);
	out->width = SVG_CHART_WIDTH;
	out->height = COL_TOP + COL_PLOT_HEIGHT + COL_BOTTOM;
	int plot_width = SVG_CHART_WIDTH - COL_LEFT - COL_RIGHT;
	int bottom = COL_TOP + COL_PLOT_HEIGHT;
	int slot = plot_width / (int)n;
	int gap = slot / 5;
	for (size_t i = 0; i < n; i++) {
		struct svg_bar *b = &out->bars[i];
		b->height = scaled(values[i], out->axis_max, COL_PLOT_HEIGHT);
		b->width = slot - gap > 1 ? slot - gap : 1;
		b->x = COL_LEFT + (int)i * slot + gap / 2;
		b->y = bottom - b->height;
		b->label_x = b->x + b->width / 2;
		b->label_y = bottom + 18;
	}
	out->nbars = n;
	out->label_every = slot >= COL_LABEL_WIDTH ? 1 : (COL_LABEL_WIDTH + slot - 1) / slot;
	for (double v = 0; v <= out->axis_max + step / 2 && out->nticks < SVG_CHART_MAX_TICKS;
	     v += step) {
		struct svg_tick *t = &out->ticks[out->nticks++];
		t->value = v;
		t->x1 = COL_LEFT;
		t->x2 = SVG_CHART_WIDTH - COL_RIGHT;
		t->y1 = t->y2 = bottom - scaled(v, out->axis_max, COL_PLOT_HEIGHT);
		t->label_x = COL_LEFT - 6;
		t->label_y = t->y1 + 4;
	}
	return 0;
}

int svg_chart_rows(const double *values, size_t n, struct svg_chart *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > SVG_CHART_MAX_BARS)
		return -1;
	double step;
	out->axis_max = axis_for(values, n, 0, &step);
	int row = ROW_LABEL + ROW_BAR + ROW_GAP;
	int plot_width = SVG_CHART_WIDTH - ROW_LEFT - ROW_RIGHT;
	int plot_bottom = (int)n * row;
	out->width = SVG_CHART_WIDTH;
	out->height = plot_bottom + ROW_BOTTOM;
	for (size_t i = 0; i < n; i++) {
		struct svg_bar *b = &out->bars[i];
		b->label_x = ROW_LEFT;
		b->label_y = (int)i * row + ROW_LABEL - 4;
		b->x = ROW_LEFT;
		b->y = (int)i * row + ROW_LABEL;
		b->height = ROW_BAR;
		b->width = scaled(values[i], out->axis_max, plot_width);
	}
	out->nbars = n;
	out->label_every = 1;
	for (double v = 0; v <= out->axis_max + step / 2 && out->nticks < SVG_CHART_MAX_TICKS;
	     v += step) {
		struct svg_tick *t = &out->ticks[out->nticks++];
		t->value = v;
		t->x1 = t->x2 = ROW_LEFT + scaled(v, out->axis_max, plot_width);
		t->y1 = 0;
		t->y2 = plot_bottom;
		t->label_x = t->x1;
		t->label_y = plot_bottom + 16;
	}
	return 0;
}
