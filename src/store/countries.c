/* countries.c — countries and the regions they belong to (store.h, "countries"). */
#include "store/db.h"

/* A country with its region's name. */
#define SQL_COUNTRY "SELECT c.code, c.name, c.region, r.name FROM countries c JOIN regions r ON r.code = c.region"

#define QUERIES(Q) \
	Q(Q_GET, 4, SQL_COUNTRY " WHERE c.code = ?") \
	Q(Q_ALL, 4, SQL_COUNTRY " ORDER BY c.name") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM countries")
SQL_AREA(countries, QUERIES);

static void
read_country(struct arena *a, sqlite3_stmt *st, void *out)
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
	int64_t n = db_int0(s, Q_COUNT, -1);
	return DB_LIST(s, a, db_q0(s, Q_ALL), n, out, read_country);
}
