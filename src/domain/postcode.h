/* postcode: UK postcodes as people type them, and distances on the Earth's surface, for
 * the directory's location search. No I/O. */
#ifndef CAIRN_POSTCODE_H
#define CAIRN_POSTCODE_H

/* "EH12 9XX" and its NUL. */
#define POSTCODE_MAX 9
/* Typed text longer than this is not a postcode, whatever its spacing. */
#define POSTCODE_INPUT_MAX 16

/* The mean radius of the Earth (IUGG), in metres. */
#define GEO_EARTH_RADIUS_M 6371008.8
#define GEO_METRES_PER_MILE 1609.344

/* Normalises a UK postcode as typed (any case, any spacing: " g11xq", "G1  1XQ") to its
 * written form "G1 1XQ" in out. 0, or -1 when the text is not shaped like a postcode
 * (outward code A9, A99, AA9, AA99, A9A or AA9A, then inward code 9AA). */
int postcode_normalise(const char *text, char out[POSTCODE_MAX]);

/* Great-circle distance by the haversine formula, in metres; degrees in. */
double geo_distance_metres(double lat1, double lon1, double lat2, double lon2);
double geo_miles_to_metres(double miles);
double geo_metres_to_miles(double metres);
/* The latitude and longitude box that holds every point within metres of (lat, lon):
 * what an R*Tree is asked for before the exact distance is checked. */
void geo_box(double lat, double lon, double metres, double *min_lat, double *max_lat,
	     double *min_lon, double *max_lon);
/* "0.4 miles", "1 mile", "12.5 miles" (one decimal under 10 miles) into out (24 bytes). */
void geo_miles_text(double metres, char *out, unsigned long n);

#endif
