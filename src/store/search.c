/* search.c — the searches' trigram index (issue 17, schema section 29; db.h SQL_SEARCH_IDS):
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
 * pg_trgm indexes serve. */
static const char *
key_of(struct store *s, struct arena *a, const char *q)
{
	if (s->pg != NULL)
		return like_contains(a, q);
	size_t n = strlen(q), quotes = 0;
	for (const char *c = q; *c; c++)
		quotes += *c == '"';
	char *p = arena_alloc(a, n + quotes + 3);
	if (p == NULL)
		return NULL;
	char *w = p;
	*w++ = '"';
	for (const char *c = q; *c; c++) {
		if (*c == '"')
			*w++ = '"';
		*w++ = *c;
	}
	*w++ = '"';
	*w = '\0';
	return p;
}

const char *
db_search_key(struct store *s, struct arena *a, const char *q)
{
	if (utf8_chars(q) < 3)
		return "";
	const char *key = key_of(s, a, q);
	if (key == NULL)
		return NULL;
	int64_t n = db_int(s, Q_CANDIDATES, -1, QT(key), QI(SEARCH_FEW + 1));
	if (n < 0)
		return NULL;
	return n > SEARCH_FEW ? "" : key;
}
