/* search.c — the searches' trigram index (issue 17, schema section 28; db.h SQL_SEARCH_IDS):
 * whether a search is better read from it, and its key. */
#include "store/db.h"

#include <string.h>

#include "base/util.h"

#define QUERIES(Q) \
	/* how many organizations the index gives for key ?1, up to ?2 */ \
	Q(Q_CANDIDATES, 1, "SELECT count(*) FROM (" SQL_SEARCH_IDS("?1") " LIMIT ?2) x")

SQL_AREA(search, QUERIES);

/* SQLite: an FTS5 phrase, the search in double quotes (its own quotes doubled), which the
 * trigram tokenizer matches anywhere in a value in any case; PostgreSQL: the LIKE pattern the
 * pg_trgm indexes serve (like_contains). Into p of n bytes; false when it does not fit. */
static bool
key_of(struct store *s, const char *q, char *p, size_t n)
{
	char quote = s->pg != NULL ? 0 : '"';
	size_t w = 0;
	if (n < 3)
		return false;
	p[w++] = quote ? quote : '%';
	for (const char *c = q; *c; c++) {
		if (w + 4 > n)
			return false;
		if (quote ? *c == quote : *c == '\\' || *c == '%' || *c == '_')
			p[w++] = quote ? quote : '\\';
		p[w++] = *c;
	}
	p[w++] = quote ? quote : '%';
	p[w] = '\0';
	return true;
}

bool
db_search_key_in(struct store *s, const char *q, char *key, size_t n)
{
	int64_t found;
	return db_search_key_found(s, q, key, n, &found);
}

bool
db_search_key_found(struct store *s, const char *q, char *key, size_t n, int64_t *found)
{
	*key = '\0';
	*found = -1;
	if (utf8_chars(q) < 3)
		return true;
	if (!key_of(s, q, key, n)) {	/* longer than any name: the statement without the index */
		*key = '\0';
		return true;
	}
	*found = db_int(s, Q_CANDIDATES, -1, QT(key), QI(SEARCH_FEW + 1));
	if (*found < 0)
		return false;
	if (*found > SEARCH_FEW)
		*key = '\0', *found = -1;
	return true;
}

const char *
db_search_key(struct store *s, struct arena *a, const char *q)
{
	size_t n = 2 * strlen(q) + 3;
	char *key = arena_alloc(a, n);
	if (key == NULL || !db_search_key_in(s, q, key, n))
		return NULL;
	return key;
}
