/* compliance.c — the Global admin's multi-factor compliance view (store.h, "compliance"):
 * an organization's users with whether they have multi-factor sign-in, and their last
 * sign-in. The MFA columns are written by the sign-in and setup code (schema section 7). */
#include "store/db.h"

#include "base/paging.h"

/* The users of tenant ?1 in the view's filter ?2: 'all', 'with' or 'without' MFA. */
#define SQL_MFA_WHERE " FROM users WHERE tenant_id = ?1" \
	" AND (?2 = 'all' OR (?2 = 'with') = (mfa_enabled_at IS NOT NULL))"

#define QUERIES(Q) \
	Q(Q_TOTALS, 2, "SELECT count(*), count(mfa_enabled_at) FROM users WHERE tenant_id = ?") \
	Q(Q_COUNT, 1, "SELECT count(*)" SQL_MFA_WHERE) \
	Q(Q_PAGE, 7, "SELECT id, name, email, roles, coalesce(mfa_enabled_at, 0), coalesce(last_signin_at, 0)," \
	  " last_signin_mfa" SQL_MFA_WHERE " ORDER BY name COLLATE NOCASE, email COLLATE NOCASE, id LIMIT ?3 OFFSET ?4")
SQL_AREA(compliance, QUERIES);

static const char *
filter_key(enum mfa_filter f)
{
	return f == MFA_WITH ? "with" : f == MFA_WITHOUT ? "without" : "all";
}

int
st_mfa_totals(struct store *s, int64_t tenant, int64_t *users, int64_t *with_mfa)
{
	struct db_stmt *st = db_q(s, Q_TOTALS, QI(tenant));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*users = db_i64(st, 0);
		*with_mfa = db_i64(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int64_t
st_mfa_count(struct store *s, int64_t tenant, enum mfa_filter f)
{
	return db_int(s, Q_COUNT, -1, QI(tenant), QT(filter_key(f)));
}

static void
read_mfa_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct mfa_status_row *)out = (struct mfa_status_row){ .id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .email = db_dup(a, st, 2), .roles = (unsigned)db_i64(st, 3), .mfa_since = db_i64(st, 4),
	    .last_signin_at = db_i64(st, 5), .last_signin_mfa = db_i64(st, 6) != 0 };
}

int
st_mfa_page(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, const struct paging *p,
    struct mfa_status_list *out)
{
	struct db_stmt *st = db_q(s, Q_PAGE, QI(tenant), QT(filter_key(f)), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, p->per_page > 0 ? p->per_page : 0, out, read_mfa_row);
}
