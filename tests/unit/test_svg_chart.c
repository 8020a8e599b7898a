/* Unit tests for html/svg_chart: round axis steps, and bars that stay inside the chart
 * with heights in proportion to their values. */
#include "html/svg_chart.h"
#include "unit.h"

static void test_step(void)
{
	CHECK(svg_chart_step(0, 4) == 1);
	CHECK(svg_chart_step(-5, 4) == 1);
	CHECK(svg_chart_step(3, 4) == 1);      /* never below 1: counts are whole */
	CHECK(svg_chart_step(100, 4) == 50);   /* 25 -> 50 */
	CHECK(svg_chart_step(80, 4) == 20);
	CHECK(svg_chart_step(7, 4) == 2);      /* 1.75 -> 2 */
	CHECK(svg_chart_step(1234, 4) == 500); /* 308.5 -> 500 */
	CHECK(svg_chart_step(40000, 4) == 10000);
}

static void test_columns(void)
{
	double v[12] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 45};
	struct svg_chart c;
	CHECK_INT(svg_chart_columns(v, 12, 0, &c), 0);
	CHECK_INT(c.nbars, 12);
	CHECK(c.axis_max == 100);
	int bottom = c.bars[0].y + c.bars[0].height;
	CHECK_INT(c.bars[0].height, 0);
	for (size_t i = 0; i < c.nbars; i++) {
		/* Inside the viewBox, on one baseline, left to right without overlapping. */
		CHECK(c.bars[i].x >= 0 && c.bars[i].x + c.bars[i].width <= c.width);
		CHECK(c.bars[i].y >= 0);
		CHECK_INT(c.bars[i].y + c.bars[i].height, bottom);
		if (i > 0)
			CHECK(c.bars[i].x >= c.bars[i - 1].x + c.bars[i - 1].width);
	}
	/* 100 fills the plot; 50 is half of it (to the nearest unit). */
	CHECK_INT(c.bars[5].height * 2, c.bars[10].height);
	/* Gridlines at 0, 50 and 100; the last at the top of the tallest bar. */
	CHECK_INT(c.nticks, 3);
	CHECK(c.ticks[1].value == 50);
	CHECK_INT(c.ticks[0].y1, bottom);
	CHECK_INT(c.ticks[2].y1, c.bars[10].y);
	CHECK_INT(c.label_every, 1);

	/* A fixed axis (percentages): 87 of 100 is 87% of the plot's height. */
	double share[2] = {87, 100};
	CHECK_INT(svg_chart_columns(share, 2, 100, &c), 0);
	CHECK(c.axis_max == 100);
	CHECK_INT(c.bars[0].height, (c.bars[1].height * 87 + 50) / 100);

	/* Negative and non-finite values are drawn as nothing; all zero still has an axis. */
	double odd[3] = {-5, 0, 0};
	CHECK_INT(svg_chart_columns(odd, 3, 0, &c), 0);
	CHECK_INT(c.bars[0].height, 0);
	CHECK(c.axis_max == 1);

	/* Many columns: labels thinned out so they do not overlap. */
	double many[60] = {0};
	CHECK_INT(svg_chart_columns(many, 60, 0, &c), 0);
	CHECK(c.label_every > 1);
	CHECK_INT(svg_chart_columns(many, 0, 0, &c), -1);
	CHECK_INT(svg_chart_columns(many, SVG_CHART_MAX_BARS + 1, 0, &c), -1);
}

static void test_rows(void)
{
	double v[3] = {120, 0, 60};
	struct svg_chart c;
	CHECK_INT(svg_chart_rows(v, 3, &c), 0);
	CHECK_INT(c.nbars, 3);
	CHECK(c.axis_max >= 120);
	for (size_t i = 0; i < 3; i++) {
		CHECK(c.bars[i].x + c.bars[i].width <= c.width);
		CHECK(c.bars[i].y + c.bars[i].height <= c.height);
		CHECK(c.bars[i].label_y < c.bars[i].y);
		if (i > 0)
			CHECK(c.bars[i].y > c.bars[i - 1].y + c.bars[i - 1].height);
	}
	CHECK_INT(c.bars[1].width, 0);
	CHECK_INT(c.bars[0].width, c.bars[2].width * 2);
}

int main(void)
{
	test_step();
	test_columns();
	test_rows();
	return unit_finish("svg_chart");
}
