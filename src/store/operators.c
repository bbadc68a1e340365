/* operators.c — the program team's operator accounts (store.h, "operators", issue 19): which
 * users are operators and with which role, the console's list of them, and the program team's
 * own work account (a tenant that is no partner organization). */
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_ROLE, 1, "SELECT role FROM operators WHERE user_id = ?") \
	Q(Q_INSERT, 0, "INSERT INTO operators(user_id, role, created_at) VALUES (?, ?, ?)") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM operators") \
	Q(Q_LIST, 8, "SELECT u.id, u.name, u.email, o.role, o.created_at, u.pw_hash IS NOT NULL," \
	  " u.mfa_enabled_at IS NOT NULL, coalesce(u.last_signin_at, 0)" \
	  " FROM operators o JOIN users u ON u.id = o.user_id ORDER BY u.email, u.id") \
	/* The program team's tenant: its country is only a required column (the first one). */ \
	Q(Q_TEAM_INSERT, 0, "INSERT INTO tenants(name, domain, country, kind, created_at)" \
	  " SELECT ?1, ?2, min(code), 'partner', ?3 FROM countries")
SQL_AREA(operators, QUERIES);

int
st_operator_role(struct store *s, struct arena *a, int64_t user_id, const char **role)
{
	*role = NULL;
	return db_one(a, db_q(s, Q_ROLE, QI(user_id)), db_read_text, role);
}

int
st_operator_insert(struct store *s, int64_t user_id, const char *role, int64_t now)
{
	return db_run(s, Q_INSERT, QI(user_id), QT(role), QI(now)) == 1 ? 0 : -1;
}

static void
read_operator(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct operator_row *)out = (struct operator_row){ .user_id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .email = db_dup(a, st, 2), .role = db_dup(a, st, 3), .created_at = db_i64(st, 4),
	    .has_password = db_i64(st, 5) != 0, .mfa = db_i64(st, 6) != 0, .last_signin_at = db_i64(st, 7) };
}

int
st_operators_list(struct store *s, struct arena *a, struct operator_list *out)
{
	int64_t n = db_int0(s, Q_COUNT, -1);
	return DB_LIST(s, a, db_q0(s, Q_LIST), n, out, read_operator);
}

int64_t
st_operator_team_insert(struct store *s, const char *name, const char *domain, int64_t now)
{
	return db_insert(s, Q_TEAM_INSERT, QT(name), QT(domain), QI(now));
}
