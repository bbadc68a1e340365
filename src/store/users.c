/* users.c — an organization's users (store.h, "users"). */
#define SQL_THIS_AREA AREA_users
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_WITH_ROLES, 4, "SELECT id, name, email, roles FROM users WHERE tenant_id = ? AND (roles & ?) <> 0" \
	  " ORDER BY name COLLATE NOCASE, email, id") \
	Q(Q_WITH_ROLES_COUNT, 1, "SELECT count(*) FROM users WHERE tenant_id = ? AND (roles & ?) <> 0") \
	Q(Q_GET, 5, "SELECT id, tenant_id, email, name, roles FROM users WHERE id = ?") \
	Q(Q_BY_EMAIL, 3, "SELECT id, tenant_id, coalesce(pw_hash, '') FROM users WHERE email = ?") \
	Q(Q_INSERT, 0, "INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_SET_PASSWORD, 0, "UPDATE users SET pw_hash = ?, pw_changed_at = ? WHERE id = ?")
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

int
st_user_get(struct store *s, struct arena *a, int64_t id, struct user_row *out)
{
	sqlite3_stmt *st = db_q(s, Q_GET, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		*out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1), .email = db_dup(a, st, 2),
		    .name = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4) };
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
st_user_by_email(struct store *s, struct arena *a, const char *email, struct user_row *out, const char **pw_hash)
{
	sqlite3_stmt *st = db_q(s, Q_BY_EMAIL, QT(email));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		*out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1), .email = arena_strdup(a, email) };
		*pw_hash = db_dup(a, st, 2);
		out->has_password = **pw_hash != '\0';
	}
	db_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int64_t
st_user_insert(struct store *s, int64_t tenant, const char *email, const char *name, const char *pw_hash,
    unsigned roles, int64_t now)
{
	return db_insert(s, Q_INSERT, QI(tenant), QT(email), QT(name), QT(pw_hash), QI(roles), QI(now),
	    pw_hash != NULL ? QI(now) : QNULL);
}

int
st_user_set_password(struct store *s, int64_t id, const char *pw_hash, int64_t now)
{
	return db_run(s, Q_SET_PASSWORD, QT(pw_hash), QI(now), QI(id));
}

int64_t
st_users_count_with_roles(struct store *s, int64_t tenant, unsigned mask)
{
	return db_int(s, Q_WITH_ROLES_COUNT, -1, QI(tenant), QI(mask));
}
