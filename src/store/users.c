/* users.c — an organization's users (store.h, "users"): who signs in, with which roles, and
 * the reads and writes of Settings → User management and of the password pages. */
#include "store/db.h"

#include "base/paging.h"

/* A user as the lists and lookups read it (read_user), and whether they have a password
 * and ever had one (read_user_pw). */
#define SQL_USER "SELECT id, tenant_id, name, email, roles"
#define SQL_USER_PW SQL_USER ", pw_hash IS NOT NULL, pw_changed_at IS NOT NULL"
/* The users of tenant ?1 holding any role bit of ?2. */
#define SQL_WITH_ROLES " FROM users WHERE tenant_id = ? AND (roles & ?) <> 0"

#define QUERIES(Q) \
	Q(Q_WITH_ROLES, 5, SQL_USER SQL_WITH_ROLES " ORDER BY name COLLATE NOCASE, email, id") \
	Q(Q_WITH_ROLES_COUNT, 1, "SELECT count(*)" SQL_WITH_ROLES) \
	Q(Q_GET, 5, SQL_USER " FROM users WHERE id = ?") \
	Q(Q_BY_EMAIL, 3, "SELECT id, tenant_id, coalesce(pw_hash, '') FROM users WHERE email = ?") \
	Q(Q_INSERT, 0, "INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_SET_PASSWORD, 0, "UPDATE users SET pw_hash = ?, pw_changed_at = ? WHERE id = ?") \
	Q(Q_PASSWORD_HASH, 1, "SELECT coalesce(pw_hash, '') FROM users WHERE id = ?") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM users WHERE tenant_id = ?") \
	/* ?2 'name' or 'email', ?3 'asc' or 'desc'; the id keeps equal names in a stable order. */ \
	Q(Q_PAGE, 7, SQL_USER_PW " FROM users WHERE tenant_id = ?1" \
	  " ORDER BY CASE WHEN ?2 = 'name' AND ?3 = 'asc' THEN name END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'name' AND ?3 = 'desc' THEN name END COLLATE NOCASE DESC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'asc' THEN email END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'desc' THEN email END COLLATE NOCASE DESC," \
	  " id LIMIT ?4 OFFSET ?5") \
	/* Every lookup of a user by an id from a URL or form names the organization too. */ \
	Q(Q_IN_TENANT, 8, SQL_USER_PW ", created_at FROM users WHERE id = ? AND tenant_id = ?") \
	Q(Q_SET_ROLES, 0, "UPDATE users SET roles = ? WHERE id = ? AND tenant_id = ?") \
	Q(Q_CLEAR_PASSWORD, 0, "UPDATE users SET pw_hash = NULL, pw_changed_at = ? WHERE id = ? AND tenant_id = ?") \
	Q(Q_DELETE, 0, "DELETE FROM users WHERE id = ? AND tenant_id = ?") \
	/* issue 15: the zone a user reads times in (NULL: the organization's country's), and \
	 * the one an email to an address is written in. */ \
	Q(Q_SET_ZONE, 0, "UPDATE users SET time_zone = ? WHERE id = ?") \
	Q(Q_ZONE_BY_EMAIL, 2, "SELECT u.time_zone, t.country FROM users u JOIN tenants t ON t.id = u.tenant_id" \
	  " WHERE u.email = ?")
SQL_AREA(users, QUERIES);

/* A row of SQL_USER. */
static void
read_user(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct user_row *)out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .email = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4) };
}

/* A row of SQL_USER_PW. */
static void
read_user_pw(struct arena *a, struct db_stmt *st, void *out)
{
	struct user_row *u = out;
	read_user(a, st, u);
	u->has_password = db_i64(st, 5) != 0;
	u->had_password = db_i64(st, 6) != 0;
}

/* A row of Q_IN_TENANT. */
static void
read_user_full(struct arena *a, struct db_stmt *st, void *out)
{
	read_user_pw(a, st, out);
	((struct user_row *)out)->created_at = db_i64(st, 7);
}

int
st_users_with_roles(struct store *s, struct arena *a, int64_t tenant, unsigned mask, struct user_list *out)
{
	int64_t n = st_users_count_with_roles(s, tenant, mask);
	return DB_LIST(s, a, db_q(s, Q_WITH_ROLES, QI(tenant), QI(mask)), n, out, read_user);
}

int
st_user_get(struct store *s, struct arena *a, int64_t id, struct user_row *out)
{
	return db_one(a, db_q(s, Q_GET, QI(id)), read_user, out);
}

int
st_user_by_email(struct store *s, struct arena *a, const char *email, struct user_row *out, const char **pw_hash)
{
	struct db_stmt *st = db_q(s, Q_BY_EMAIL, QT(email));
	int rc = db_step(st);
	if (rc == DB_ROW) {
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
	return db_one(a, db_q(s, Q_PASSWORD_HASH, QI(id)), db_read_text, pw_hash);
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
	struct db_stmt *st = db_q(s, Q_PAGE, QI(tenant), QT(order == USER_ORDER_EMAIL ? "email" : "name"),
	    QT(desc ? "desc" : "asc"), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, p->per_page > 0 ? p->per_page : 0, out, read_user_pw);
}

int
st_user_in_tenant(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_row *out)
{
	return db_one(a, db_q(s, Q_IN_TENANT, QI(id), QI(tenant)), read_user_full, out);
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

/* ---- issue 15: time zones ---- */

int
st_user_set_zone(struct store *s, int64_t id, const char *zone)
{
	return db_run(s, Q_SET_ZONE, zone != NULL ? QT(zone) : QNULL, QI(id));
}

static void
read_zone(struct arena *a, struct db_stmt *st, void *out)
{
	struct user_zone *z = out;
	z->time_zone = db_dup_null(a, st, 0);
	z->country = db_dup(a, st, 1);
}

int
st_user_zone_by_email(struct store *s, struct arena *a, const char *email, struct user_zone *out)
{
	*out = (struct user_zone){ 0 };
	return db_one(a, db_q(s, Q_ZONE_BY_EMAIL, QT(email)), read_zone, out);
}
