/* countries.c — countries and the regions they belong to (store.h, "countries"). */
#include "store/db.h"

/* A country with its region's name. */
#define SQL_COUNTRY "SELECT c.code, c.name, c.region, r.name FROM countries c JOIN regions r ON r.code = c.region"

#define QUERIES(Q) \
	Q(Q_GET, 4, SQL_COUNTRY " WHERE c.code = ?") \
	Q(Q_ALL, 4, SQL_COUNTRY " ORDER BY c.name")
SQL_AREA(countries, QUERIES);

static void
read_country(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct country *)out = (struct country){ .code = db_dup(a, st, 0), .name = db_dup(a, st, 1),
	    .region = db_dup(a, st, 2), .region_name = db_dup(a, st, 3) };
}

int
st_country_get(struct store *s, struct arena *a, const char *code, struct country *out)
{
	return db_one(a, db_q(s, Q_GET, QT(code)), read_country, out);
}

int
st_countries(struct store *s, struct arena *a, struct country_list *out)
{
	(void)a;
	/* Every form with a country list reads the same ~250 rows: read them once per
	 * connection into its cache (a short, fixed list: the room grows, no count first). */
	if (s->countries.n == 0 && DB_LIST(s, &s->cache, db_q0(s, Q_ALL), DB_ALL, &s->countries, read_country) < 0) {
		s->countries.n = 0;
		return -1;
	}
	*out = s->countries;
	return 0;
}
