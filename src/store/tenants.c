/* tenants.c — organizations (tenants), their partner accounts and linked MPN IDs
 * (store.h, "tenants"): what every area reads about an organization. */
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_GET, 9, "SELECT t.id, t.name, t.domain, t.kind, t.created_at, t.country, c.name, c.region, r.name" \
	  " FROM tenants t JOIN countries c ON c.code = t.country JOIN regions r ON r.code = c.region WHERE t.id = ?") \
	Q(Q_BY_DOMAIN, 1, "SELECT id FROM tenants WHERE domain = ?") \
	Q(Q_INSERT, 0, "INSERT INTO tenants(name, domain, country, kind, created_at) VALUES (?, ?, ?, ?, ?)") \
	Q(Q_PA_LIST, 12, "SELECT id, tenant_id, type, status, support_email, support_phone, support_website, submitted_at," \
	  " verified_at, decided_at, reject_reason, verify_sent_at FROM partner_accounts WHERE tenant_id = ? ORDER BY id") \
	Q(Q_PA_OF_TYPE, 2, "SELECT id, status FROM partner_accounts WHERE tenant_id = ? AND type = ?") \
	Q(Q_PARTNER, 12, "SELECT a.id, a.type, a.status, t.id, t.name, t.domain, " SQL_MPN_LIST ", c.name, c.region," \
	  " g.name, a.support_email, a.support_website" \
	  " FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id JOIN countries c ON c.code = t.country" \
	  " JOIN regions g ON g.code = c.region WHERE a.id = ?") \
	Q(Q_MPN_COUNT, 1, "SELECT count(*) FROM tenant_mpn_ids WHERE tenant_id = ?") \
	Q(Q_MPNS, 5, "SELECT x.mpn_id, m.company_name, c.name, m.status = 'active', x.linked_at FROM tenant_mpn_ids x" \
	  " JOIN mpn_profiles m ON m.mpn_id = x.mpn_id JOIN countries c ON c.code = m.country" \
	  " WHERE x.tenant_id = ? ORDER BY x.linked_at, x.mpn_id") \
	Q(Q_SIGNUP_PURGE, 0, "DELETE FROM signup_requests WHERE expires_at <= ?") \
	Q(Q_SIGNUP_INSERT, 0, "INSERT INTO signup_requests(kind, org, domain, country, name, email, pw_hash, next," \
	  " invitation_id, invitation_expires, created_at, expires_at, without_da)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_SIGNUP_GET, 13, "SELECT id, kind, org, domain, country, name, email, pw_hash, next," \
	  " coalesce(invitation_id, 0), coalesce(invitation_expires, 0), expires_at, without_da" \
	  " FROM signup_requests WHERE id = ?") \
	Q(Q_SIGNUP_DELETE, 0, "DELETE FROM signup_requests WHERE id = ?")
SQL_AREA(tenants, QUERIES);

static void
read_tenant(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct tenant_row *)out = (struct tenant_row){ .id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .domain = db_dup(a, st, 2), .kind = db_tenant_kind(st, 3), .created_at = db_i64(st, 4),
	    .country = { .code = db_dup(a, st, 5), .name = db_dup(a, st, 6), .region = db_dup(a, st, 7),
		    .region_name = db_dup(a, st, 8) } };
}

int
st_tenant_get(struct store *s, struct arena *a, int64_t id, struct tenant_row *out)
{
	return db_one(a, db_q(s, Q_GET, QI(id)), read_tenant, out);
}

int64_t
st_tenant_by_domain(struct store *s, const char *domain)
{
	return db_checked(s, db_int(s, Q_BY_DOMAIN, 0, QT(domain)));
}

int64_t
st_tenant_insert(struct store *s, const char *name, const char *domain, const char *country,
    enum tenant_kind kind, int64_t now)
{
	return db_insert(s, Q_INSERT, QT(name), QT(domain), QT(country), QT(tenant_kind_key(kind)), QI(now));
}

static void
read_account(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct partner_account *)out = (struct partner_account){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .type = db_partner_type(st, 2), .status = db_pa_status(st, 3), .support_email = db_dup(a, st, 4),
	    .support_phone = db_dup(a, st, 5), .support_website = db_dup(a, st, 6), .submitted_at = db_i64(st, 7),
	    .verified_at = db_i64(st, 8), .decided_at = db_i64(st, 9), .reject_reason = db_dup(a, st, 10),
	    .verify_sent_at = db_i64(st, 11) };
}

int
st_partner_accounts(struct store *s, struct arena *a, int64_t tenant, struct partner_account_list *out)
{
	/* At most one account per partner type: no count first (issue 17, one statement less
	 * on the Overview and every page that lists them). */
	return DB_LIST(s, a, db_q(s, Q_PA_LIST, QI(tenant)), DB_ALL, out, read_account);
}

int
st_partner_account_of_type(struct store *s, int64_t tenant, enum partner_type t, int64_t *id, enum pa_status *status)
{
	struct db_stmt *st = db_q(s, Q_PA_OF_TYPE, QI(tenant), QT(partner_type_key(t)));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_i64(st, 0);
		*status = db_pa_status(st, 1);
	}
	db_done(st);
	return db_found(rc);
}

static void
read_partner(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct partner *)out = (struct partner){ .id = db_i64(st, 0), .type = db_partner_type(st, 1),
	    .status = db_pa_status(st, 2), .tenant_id = db_i64(st, 3), .name = db_dup(a, st, 4),
	    .domain = db_dup(a, st, 5), .mpn = db_dup(a, st, 6), .country = db_dup(a, st, 7), .region = db_dup(a, st, 8),
	    .region_name = db_dup(a, st, 9), .support_email = db_dup(a, st, 10), .support_website = db_dup(a, st, 11) };
}

int
st_partner_get(struct store *s, struct arena *a, int64_t account_id, struct partner *out)
{
	return db_one(a, db_q(s, Q_PARTNER, QI(account_id)), read_partner, out);
}

static void
read_mpn(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct tenant_mpn *)out = (struct tenant_mpn){ .mpn_id = db_dup(a, st, 0), .company_name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .active = db_i64(st, 3) != 0, .linked_at = db_i64(st, 4) };
}

int
st_tenant_mpns(struct store *s, struct arena *a, int64_t tenant, struct tenant_mpn_list *out)
{
	int64_t n = db_int(s, Q_MPN_COUNT, -1, QI(tenant));
	return DB_LIST(s, a, db_q(s, Q_MPNS, QI(tenant)), n, out, read_mpn);
}

/* ---- Create one waiting for its address (signup_requests) ---- */

int64_t
st_signup_insert(struct store *s, const struct signup_request *r)
{
	if (db_run(s, Q_SIGNUP_PURGE, QI(r->created_at)) < 0)
		return -1;
	bool customer = r->kind == TENANT_CUSTOMER;
	return db_insert(s, Q_SIGNUP_INSERT, QT(tenant_kind_key(r->kind)), QT(r->org), QT(r->domain),
	    QT(r->country), QT(r->name), QT(r->email), QT(r->pw_hash), QT(db_or_empty(r->next)),
	    customer ? QI(r->invitation_id) : QNULL, customer ? QI(r->invitation_expires) : QNULL,
	    QI(r->created_at), QI(r->expires_at), QI(customer && r->without_da));
}

int
st_signup_purge(struct store *s, int64_t now)
{
	return db_run(s, Q_SIGNUP_PURGE, QI(now));
}

static void
read_signup(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct signup_request *)out = (struct signup_request){ .id = db_i64(st, 0),
	    .kind = db_tenant_kind(st, 1),
	    .org = db_dup(a, st, 2), .domain = db_dup(a, st, 3), .country = db_dup(a, st, 4), .name = db_dup(a, st, 5),
	    .email = db_dup(a, st, 6), .pw_hash = db_dup(a, st, 7), .next = db_dup(a, st, 8),
	    .invitation_id = db_i64(st, 9), .invitation_expires = db_i64(st, 10), .expires_at = db_i64(st, 11),
	    .without_da = db_i64(st, 12) != 0 };
}

int
st_signup_get(struct store *s, struct arena *a, int64_t id, struct signup_request *out)
{
	return db_one(a, db_q(s, Q_SIGNUP_GET, QI(id)), read_signup, out);
}

int
st_signup_delete(struct store *s, int64_t id)
{
	return db_run(s, Q_SIGNUP_DELETE, QI(id));
}
