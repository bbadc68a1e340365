/* mpn.c — the operator's copy of the Partner Membership Center (store.h, "mpn"): PMC
 * accounts, MPN company profiles, which profiles a PMC account may link, and linking an
 * MPN ID to an organization. The organization's linked MPN IDs are read in tenants.c. */
#include "store/db.h"

/* A company profile with its country's name and the organization it is linked to (0 none),
 * from mpn_profiles m, countries c and tenant_mpn_ids x. */
#define SQL_PROFILE "SELECT m.mpn_id, m.company_name, m.country, c.name, m.status = 'active', coalesce(x.tenant_id, 0)"
#define SQL_PROFILE_JOIN " JOIN countries c ON c.code = m.country LEFT JOIN tenant_mpn_ids x ON x.mpn_id = m.mpn_id"
/* The company profiles PMC account ?1 may link (l). */
#define SQL_PMC_PROFILE SQL_PROFILE " FROM pmc_profile_links l JOIN mpn_profiles m ON m.mpn_id = l.mpn_id" \
	SQL_PROFILE_JOIN " WHERE l.pmc_id = ?"
/* Failed PMC sign-ins (narrowed by the statement). */
#define SQL_PMC_FAILS "SELECT count(*) FROM audit WHERE action = 'pmc.signin' AND outcome = 'failed'"

#define QUERIES(Q) \
	Q(Q_PMC_BY_NAME, 2, "SELECT id, pw_hash FROM pmc_accounts WHERE username = ?") \
	Q(Q_PMC_FAILS_NAME, 1, SQL_PMC_FAILS " AND target = ? AND at > ?") \
	Q(Q_PMC_FAILS_IP, 1, SQL_PMC_FAILS " AND ip = ? AND at > ?") \
	Q(Q_PMC_PROFILES_COUNT, 1, "SELECT count(*) FROM pmc_profile_links WHERE pmc_id = ?") \
	/* The company profiles a PMC account may link, with whose they already are. */ \
	Q(Q_PMC_PROFILES, 6, SQL_PMC_PROFILE " ORDER BY m.company_name, m.mpn_id") \
	Q(Q_PMC_PROFILE_GET, 6, SQL_PMC_PROFILE " AND l.mpn_id = ?") \
	Q(Q_MPN_GET, 6, SQL_PROFILE " FROM mpn_profiles m" SQL_PROFILE_JOIN " WHERE m.mpn_id = ?") \
	Q(Q_MPN_LINK, 0, "INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_by, linked_at) VALUES (?, ?, ?, ?)") \
	/* portalctl mpn import: adds and updates, never deletes. */ \
	Q(Q_PMC_UPSERT, 0, "INSERT INTO pmc_accounts(username, pw_hash) VALUES (?1, ?2)" \
	  " ON CONFLICT(username) DO UPDATE SET pw_hash = ?2") \
	Q(Q_PMC_ID, 1, "SELECT id FROM pmc_accounts WHERE username = ?") \
	Q(Q_MPN_UPSERT, 0, "INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES (?1, ?2, ?3, ?4)" \
	  " ON CONFLICT(mpn_id) DO UPDATE SET company_name = ?2, country = ?3, status = ?4") \
	Q(Q_PMC_LINK, 0, "INSERT INTO pmc_profile_links(pmc_id, mpn_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
SQL_AREA(mpn, QUERIES);

static void
read_profile(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct mpn_profile *)out = (struct mpn_profile){ .mpn_id = db_dup(a, st, 0), .company_name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .country_name = db_dup(a, st, 3), .active = db_i64(st, 4) != 0,
	    .linked_to = db_i64(st, 5) };
}

/* ---- PMC sign-in ---- */

int
st_pmc_account(struct store *s, struct arena *a, const char *username, int64_t *id, const char **pw_hash)
{
	struct db_stmt *st = db_q(s, Q_PMC_BY_NAME, QT(username));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_i64(st, 0);
		*pw_hash = db_dup(a, st, 1);
	}
	db_done(st);
	return db_found(rc);
}

int64_t
st_pmc_failures_of(struct store *s, const char *username, int64_t since)
{
	return db_int(s, Q_PMC_FAILS_NAME, -1, QT(username), QI(since));
}

int64_t
st_pmc_failures_from(struct store *s, const char *ip, int64_t since)
{
	return db_int(s, Q_PMC_FAILS_IP, -1, QTE(ip), QI(since));
}

/* ---- company profiles ---- */

int
st_pmc_profiles(struct store *s, struct arena *a, int64_t pmc_id, struct mpn_profile_list *out)
{
	int64_t n = db_int(s, Q_PMC_PROFILES_COUNT, -1, QI(pmc_id));
	return DB_LIST(s, a, db_q(s, Q_PMC_PROFILES, QI(pmc_id)), n, out, read_profile);
}

int
st_pmc_profile(struct store *s, struct arena *a, int64_t pmc_id, const char *mpn_id, struct mpn_profile *out)
{
	return db_one(a, db_q(s, Q_PMC_PROFILE_GET, QI(pmc_id), QT(mpn_id)), read_profile, out);
}

int
st_mpn_profile(struct store *s, struct arena *a, const char *mpn_id, struct mpn_profile *out)
{
	return db_one(a, db_q(s, Q_MPN_GET, QT(mpn_id)), read_profile, out);
}

int
st_mpn_link(struct store *s, const char *mpn_id, int64_t tenant, int64_t user, int64_t now)
{
	return db_run(s, Q_MPN_LINK, QT(mpn_id), QI(tenant), QID(user), QI(now));
}

/* ---- the operator's import ---- */

int
st_mpn_profile_upsert(struct store *s, const char *mpn_id, const char *company, const char *country, bool active)
{
	return db_run(s, Q_MPN_UPSERT, QT(mpn_id), QT(company), QT(country), QT(active ? "active" : "inactive"));
}

int
st_pmc_upsert(struct store *s, const char *username, const char *pw_hash)
{
	return db_run(s, Q_PMC_UPSERT, QT(username), QT(pw_hash));
}

int64_t
st_pmc_id(struct store *s, const char *username)
{
	return db_checked(s, db_int(s, Q_PMC_ID, 0, QT(username)));
}

int
st_pmc_link(struct store *s, int64_t pmc_id, const char *mpn_id)
{
	return db_run(s, Q_PMC_LINK, QI(pmc_id), QT(mpn_id));
}
