/* legacy.c — transitional: the statements of queries.def that have not yet moved into an
 * area file next to the code that reads them (their column counts are not checked). */
#include "store/db.h"
#include "base/tmpl.h"

static const struct sql_def legacy_defs[] = {
#define Q(name, sql) { #name, -1, sql },
#include "store/queries.def"
#undef Q
};
const struct sql_area sql_area_legacy = { "legacy", legacy_defs, Q__COUNT };

void
tv_row(struct tv *obj, sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			tv_seti(obj, name, sqlite3_column_int64(st, i));
			break;
		case SQLITE_NULL:
			tv_set(obj, name, NULL);
			break;
		default:
			tv_set(obj, name, (const char *)sqlite3_column_text(st, i));
			break;
		}
	}
}
