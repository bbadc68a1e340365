/* tenants.c — organizations (tenants), their partner accounts and linked MPN IDs
 * (store.h, "tenants"): what every area reads about an organization. */
#include "store/db.h"

#include <string.h>

/* The Overview's organization in one statement (issue 17): the organization and its country
 * (Q_GET's columns 0-8), whether it has a legal profile and that profile (9, 10-21:
 * enroll.c's Q_LEGAL_GET), whether a version of the agreement is published and the standing
 * (22, 23-32: what agreement.c's Q_STANDING reads), then one partner account per row (33-44:
 * Q_PA_LIST; id 0 when the organization has none, in its one row). Every part is a lookup by
 * key: the current version and the organization's latest acceptance are found by max() on
 * their indexes, not as derived tables with ORDER BY ... LIMIT 1, which SQLite materialized
 * in two temporary tables on every execution; the accounts (at most one per partner type) are
 * put in id order by st_org_standing, not by a sorter (45.5k -> 23.1k instructions). */
#define SQL_STANDING "SELECT t.id, t.name, t.domain, t.kind, t.created_at, t.country, c.name, c.region, r.name," \
	" CASE WHEN l.tenant_id IS NULL THEN 0 ELSE 1 END, l.legal_name, l.address1, l.address2, l.city, l.state," \
	" l.postal_code, l.contact_first, l.contact_last, l.contact_email, l.contact_phone," \
	" coalesce(l.contact_verified_at, 0), coalesce(l.updated_at, 0)," \
	" CASE WHEN v.id IS NULL THEN 0 ELSE 1 END, coalesce(v.id, 0), coalesce(v.version, ''), coalesce(v.published_at, 0)," \
	" coalesce(a.version_id, 0), coalesce(av.version, ''), a.signer_first, a.signer_last, a.signer_email," \
	" a.signer_title, coalesce(a.accepted_at, 0)," \
	" coalesce(p.id, 0), p.tenant_id, p.type, p.status, p.support_email, p.support_phone, p.support_website," \
	" p.submitted_at, p.verified_at, p.decided_at, p.reject_reason, p.verify_sent_at" \
	" FROM tenants t JOIN countries c ON c.code = t.country JOIN regions r ON r.code = c.region" \
	" LEFT JOIN legal_profiles l ON l.tenant_id = t.id" \
	" LEFT JOIN agreement_versions v ON v.id = (SELECT max(id) FROM agreement_versions)" \
	" LEFT JOIN agreement_acceptances a ON v.id IS NOT NULL AND a.tenant_id = t.id" \
	"   AND a.version_id = (SELECT max(version_id) FROM agreement_acceptances WHERE tenant_id = ?1)" \
	" LEFT JOIN agreement_versions av ON av.id = a.version_id" \
	" LEFT JOIN partner_accounts p ON p.tenant_id = t.id" \
	" WHERE t.id = ?1"

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
	Q(Q_SIGNUP_DELETE, 0, "DELETE FROM signup_requests WHERE id = ?") \
	Q(Q_STANDING, 45, SQL_STANDING)
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

/* ---- issue 17: the Overview's organization in one statement ---- */

/* The account of the current row of Q_STANDING (columns 33-44). */
static void
read_standing_account(struct arena *a, struct db_stmt *st, struct partner_account *p)
{
	*p = (struct partner_account){ .id = db_i64(st, 33), .tenant_id = db_i64(st, 34),
	    .type = db_partner_type(st, 35), .status = db_pa_status(st, 36), .support_email = db_dup(a, st, 37),
	    .support_phone = db_dup(a, st, 38), .support_website = db_dup(a, st, 39), .submitted_at = db_i64(st, 40),
	    .verified_at = db_i64(st, 41), .decided_at = db_i64(st, 42), .reject_reason = db_dup(a, st, 43),
	    .verify_sent_at = db_i64(st, 44) };
}

int
st_org_standing(struct store *s, struct arena *a, int64_t tenant, struct org_standing *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_q(s, Q_STANDING, QI(tenant));
	size_t cap = 4;		/* at most one account per partner type */
	struct partner_account *v = arena_alloc(a, cap * sizeof *v);
	size_t n = 0;
	int rows = 0;
	while (v != NULL && db_step(st) == DB_ROW) {
		if (rows++ == 0) {
			read_tenant(a, st, &out->tenant);
			out->legal = (int)db_i64(st, 9);
			if (out->legal)
				out->legal_profile = (struct legal_profile){ .legal_name = db_dup(a, st, 10),
				    .address1 = db_dup(a, st, 11), .address2 = db_dup(a, st, 12), .city = db_dup(a, st, 13),
				    .state = db_dup(a, st, 14), .postal_code = db_dup(a, st, 15),
				    .contact_first = db_dup(a, st, 16), .contact_last = db_dup(a, st, 17),
				    .contact_email = db_dup(a, st, 18), .contact_phone = db_dup(a, st, 19),
				    .contact_verified_at = db_i64(st, 20), .updated_at = db_i64(st, 21) };
			out->agreement = (int)db_i64(st, 22);
			if (out->agreement) {
				out->current = (struct agreement_version){ .id = db_i64(st, 23), .version = db_dup(a, st, 24),
				    .published_at = db_i64(st, 25) };
				out->latest = (struct agreement_acceptance){ .version_id = db_i64(st, 26),
				    .version = db_dup(a, st, 27), .first = db_dup(a, st, 28), .last = db_dup(a, st, 29),
				    .email = db_dup(a, st, 30), .title = db_dup(a, st, 31), .accepted_at = db_i64(st, 32) };
			}
		}
		if (db_i64(st, 33) == 0)
			continue;
		v = arena_grow(a, v, n, &cap, sizeof *v, 4);
		if (v != NULL)
			read_standing_account(a, st, &v[n++]);
	}
	db_done(st);
	if (v == NULL || store_failed(s))
		return -1;
	for (size_t i = 1; i < n; i++)		/* id order (Q_PA_LIST's), a few rows */
		for (size_t j = i; j > 0 && v[j - 1].id > v[j].id; j--) {
			struct partner_account t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out->accounts = (struct partner_account_list){ v, n };
	return rows > 0;
}
