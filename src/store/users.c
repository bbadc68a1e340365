/* users.c — an organization's users (store.h, "users"). */
#define SQL_THIS_AREA AREA_users
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_WITH_ROLES, 4, "SELECT id, name, email, roles FROM users WHERE tenant_id = ? AND (roles & ?) <> 0" \
	  " ORDER BY name COLLATE NOCASE, email, id") \
	Q(Q_WITH_ROLES_COUNT, 1, "SELECT count(*) FROM users WHERE tenant_id = ? AND (roles & ?) <> 0")
SQL_AREA(users, QUERIES);

/* Reads the rows of st (id, name, email, roles) into out, at most cap of them. */
static int
read_users(struct store *s, struct arena *a, sqlite3_stmt *st, int64_t tenant, size_t cap, struct user_list *out)
{
	out->n = 0;
	out->v = arena_alloc(a, sizeof(*out->v) * (cap ? cap : 1));
	if (out->v == NULL) {
		db_done(st);
		return -1;
	}
	while (out->n < cap && db_step(st) == SQLITE_ROW) {
		struct user_row *u = &out->v[out->n++];
		*u = (struct user_row){ .id = db_i64(st, 0), .tenant_id = tenant, .name = db_dup(a, st, 1),
		    .email = db_dup(a, st, 2), .roles = (unsigned)db_i64(st, 3) };
	}
	db_done(st);
	return store_failed(s) ? -1 : 0;
}

int
st_users_with_roles(struct store *s, struct arena *a, int64_t tenant, unsigned mask, struct user_list *out)
{
	int64_t n = db_int(s, Q_WITH_ROLES_COUNT, -1, QI(tenant), QI(mask));
	if (n < 0)
		return -1;
	return read_users(s, a, db_q(s, Q_WITH_ROLES, QI(tenant), QI(mask)), tenant, (size_t)n, out);
}
