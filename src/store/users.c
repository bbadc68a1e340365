/* users.c — an organization's users (store.h, "users"): who signs in, with which roles, and
 * the reads and writes of Settings → User management and of the password pages. */
#define SQL_THIS_AREA AREA_users
#include "store/db.h"

#include "base/paging.h"

#define QUERIES(Q) \
	Q(Q_WITH_ROLES, 4, "SELECT id, name, email, roles FROM users WHERE tenant_id = ? AND (roles & ?) <> 0" \
	  " ORDER BY name COLLATE NOCASE, email, id") \
	Q(Q_WITH_ROLES_COUNT, 1, "SELECT count(*) FROM users WHERE tenant_id = ? AND (roles & ?) <> 0") \
	Q(Q_GET, 5, "SELECT id, tenant_id, email, name, roles FROM users WHERE id = ?") \
	Q(Q_BY_EMAIL, 3, "SELECT id, tenant_id, coalesce(pw_hash, '') FROM users WHERE email = ?") \
	Q(Q_INSERT, 0, "INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_SET_PASSWORD, 0, "UPDATE users SET pw_hash = ?, pw_changed_at = ? WHERE id = ?") \
	Q(Q_PASSWORD_HASH, 1, "SELECT coalesce(pw_hash, '') FROM users WHERE id = ?") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM users WHERE tenant_id = ?") \
	/* ?2 'name' or 'email', ?3 'asc' or 'desc'; the id keeps equal names in a stable order. */ \
	Q(Q_PAGE, 6, "SELECT id, name, email, roles, pw_hash IS NOT NULL, pw_changed_at IS NOT NULL" \
	  " FROM users WHERE tenant_id = ?1" \
	  " ORDER BY CASE WHEN ?2 = 'name' AND ?3 = 'asc' THEN name END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'name' AND ?3 = 'desc' THEN name END COLLATE NOCASE DESC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'asc' THEN email END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'desc' THEN email END COLLATE NOCASE DESC," \
	  " id LIMIT ?4 OFFSET ?5") \
	/* Every lookup of a user by an id from a URL or form names the organization too. */ \
	Q(Q_IN_TENANT, 8, "SELECT id, tenant_id, name, email, roles, pw_hash IS NOT NULL, pw_changed_at IS NOT NULL," \
	  " created_at FROM users WHERE id = ? AND tenant_id = ?") \
	Q(Q_SET_ROLES, 0, "UPDATE users SET roles = ? WHERE id = ? AND tenant_id = ?") \
	Q(Q_CLEAR_PASSWORD, 0, "UPDATE users SET pw_hash = NULL, pw_changed_at = ? WHERE id = ? AND tenant_id = ?") \
	Q(Q_DELETE, 0, "DELETE FROM users WHERE id = ? AND tenant_id = ?")
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
	return db_found(rc);
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
	return db_found(rc);
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

int
st_user_password_hash(struct store *s, struct arena *a, int64_t id, const char **pw_hash)
{
	sqlite3_stmt *st = db_q(s, Q_PASSWORD_HASH, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		*pw_hash = db_dup(a, st, 0);
	db_done(st);
	return db_found(rc);
}

int64_t
st_users_count(struct store *s, int64_t tenant)
{
	return db_int(s, Q_COUNT, -1, QI(tenant));
}

int
st_users_page(struct store *s, struct arena *a, int64_t tenant, enum user_order order, bool desc,
    const struct paging *p, struct user_list *out)
{
	/* The LIMIT bounds the rows: room for a whole page, however the count moved since. */
	size_t cap = p->per_page > 0 ? (size_t)p->per_page : 0;
	out->n = 0;
	out->v = arena_alloc(a, sizeof(*out->v) * (cap ? cap : 1));
	if (out->v == NULL)
		return -1;
	sqlite3_stmt *st = db_q(s, Q_PAGE, QI(tenant), QT(order == USER_ORDER_EMAIL ? "email" : "name"),
	    QT(desc ? "desc" : "asc"), QI(p->per_page), QI(p->offset));
	while (out->n < cap && db_step(st) == SQLITE_ROW) {
		struct user_row *u = &out->v[out->n++];
		*u = (struct user_row){ .id = db_i64(st, 0), .tenant_id = tenant, .name = db_dup(a, st, 1),
		    .email = db_dup(a, st, 2), .roles = (unsigned)db_i64(st, 3), .has_password = db_i64(st, 4) != 0,
		    .had_password = db_i64(st, 5) != 0 };
	}
	db_done(st);
	return store_failed(s) ? -1 : 0;
}

int
st_user_in_tenant(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_row *out)
{
	sqlite3_stmt *st = db_q(s, Q_IN_TENANT, QI(id), QI(tenant));
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		*out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1), .name = db_dup(a, st, 2),
		    .email = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4), .has_password = db_i64(st, 5) != 0,
		    .had_password = db_i64(st, 6) != 0, .created_at = db_i64(st, 7) };
	db_done(st);
	return db_found(rc);
}

int
st_user_set_roles(struct store *s, int64_t id, int64_t tenant, unsigned roles)
{
	return db_run(s, Q_SET_ROLES, QI(roles), QI(id), QI(tenant));
}

int
st_user_clear_password(struct store *s, int64_t id, int64_t tenant, int64_t now)
{
	return db_run(s, Q_CLEAR_PASSWORD, QI(now), QI(id), QI(tenant));
}

int
st_user_delete(struct store *s, int64_t id, int64_t tenant)
{
	return db_run(s, Q_DELETE, QI(id), QI(tenant));
}
