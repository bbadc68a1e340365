/* countries.c — countries and the regions they belong to (store.h, "countries"). */
#define SQL_THIS_AREA AREA_countries
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_GET, 4, "SELECT c.code, c.name, c.region, r.name FROM countries c JOIN regions r ON r.code = c.region" \
	  " WHERE c.code = ?") \
	Q(Q_ALL, 4, "SELECT c.code, c.name, c.region, r.name FROM countries c JOIN regions r ON r.code = c.region" \
	  " ORDER BY c.name") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM countries")
SQL_AREA(countries, QUERIES);

static void
read_country(struct arena *a, sqlite3_stmt *st, struct country *c)
{
	c->code = db_dup(a, st, 0);
	c->name = db_dup(a, st, 1);
	c->region = db_dup(a, st, 2);
	c->region_name = db_dup(a, st, 3);
}

int
st_country_get(struct store *s, struct arena *a, const char *code, struct country *out)
{
	sqlite3_stmt *st = db_q(s, Q_GET, QT(code));
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		read_country(a, st, out);
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
st_countries(struct store *s, struct arena *a, struct country_list *out)
{
	int64_t n = db_int0(s, Q_COUNT, -1);
	out->n = 0;
	out->v = n >= 0 ? arena_alloc(a, sizeof(*out->v) * (size_t)(n + 1)) : NULL;
	if (out->v == NULL)
		return -1;
	sqlite3_stmt *st = db_q0(s, Q_ALL);
	while ((int64_t)out->n < n && db_step(st) == SQLITE_ROW)
		read_country(a, st, &out->v[out->n++]);
	db_done(st);
	return store_failed(s) ? -1 : 0;
}
