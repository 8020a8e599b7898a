#include "domain/postcode.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int is_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The outward code: A9, A99, AA9, AA99, A9A, AA9A. */
static int outward_ok(const char *s, size_t n)
{
	if (n < 2 || n > 4 || !is_letter(s[0]))
		return 0;
	size_t i = is_letter(s[1]) ? 2 : 1;
	if (i >= n || !is_digit(s[i]))
		return 0;
	i++;
	if (i == n)
		return 1;
	return i + 1 == n && (is_digit(s[i]) || is_letter(s[i]));
}

int postcode_normalise(const char *text, char out[POSTCODE_MAX])
{
	if (text == NULL)
		return -1;
	char compact[8];
	size_t n = 0;
	for (size_t i = 0; text[i]; i++) {
		if (i >= POSTCODE_INPUT_MAX)
			return -1;
		char c = text[i];
		if (c == ' ' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_letter(c) && !is_digit(c))
			return -1;
		if (n == 7)
			return -1;
		compact[n++] = c;
	}
	if (n < 5)
		return -1;
	const char *in = compact + n - 3;
	if (!is_digit(in[0]) || !is_letter(in[1]) || !is_letter(in[2]))
		return -1;
	if (!outward_ok(compact, n - 3))
		return -1;
	memcpy(out, compact, n - 3);
	out[n - 3] = ' ';
	memcpy(out + n - 2, in, 3);
	out[n + 1] = '\0';
	return 0;
}

static double radians(double degrees)
{
	return degrees * (M_PI / 180.0);
}

double geo_distance_metres(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = radians(lat2 - lat1), dlon = radians(lon2 - lon1);
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * GEO_EARTH_RADIUS_M * asin(sqrt(a));
}

double geo_miles_to_metres(double miles)
{
	return miles * GEO_METRES_PER_MILE;
}

double geo_metres_to_miles(double metres)
{
	return metres / GEO_METRES_PER_MILE;
}

void geo_box(double lat, double lon, double metres, double *min_lat, double *max_lat,
	     double *min_lon, double *max_lon)
{
	/* A degree of latitude is the same length everywhere; a degree of longitude shrinks
	 * with the cosine of the latitude, taken at the box's edge nearer a pole. The box is
	 * a little generous (1%), never short. */
	double dlat = metres * 1.01 / (GEO_EARTH_RADIUS_M * M_PI / 180.0);
	double edge = fabs(lat) + dlat;
	double c = edge >= 89.0 ? cos(radians(89.0)) : cos(radians(edge));
	double dlon = dlat / c;
	if (dlon > 180)
		dlon = 180;
	*min_lat = lat - dlat;
	*max_lat = lat + dlat;
	*min_lon = lon - dlon;
	*max_lon = lon + dlon;
}

void geo_miles_text(double metres, char *out, unsigned long n)
{
	double miles = geo_metres_to_miles(metres);
	if (miles < 9.95) {
		double r = round(miles * 10) / 10;
		snprintf(out, n, r == 1.0 ? "%.0f mile" : (r == floor(r) ? "%.0f miles" : "%.1f miles"), r);
	} else {
		snprintf(out, n, "%.0f miles", round(miles));
	}
}
