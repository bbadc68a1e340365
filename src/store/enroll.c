/* enroll.c — enrollment (store.h, "enroll"): the writes to partner accounts (creation,
 * support details, status changes), legal business profiles, enrollment drafts, the
 * web-mail list and the operator's list of enrollments. Reads of an organization's partner
 * accounts are the shared ones in tenants.c. */
#include "store/db.h"

/* Operator-created accounts (create-partner, demo) start approved: submitted, verified and
 * decided at creation. ?3 the status: draft or approved; ?8 now. */
#define SQL_IF_APPROVED "CASE WHEN ?3 = 'approved' THEN CAST(?8 AS BIGINT) END"
/* The support details, bound with QSUPPORT. */
#define SQL_SET_SUPPORT "UPDATE partner_accounts SET support_email = ?, support_phone = ?, support_website = ?"
#define QSUPPORT(sup) QTE((sup)->email), QTE((sup)->phone), QTE((sup)->website)
/* The operator's list of enrollments: ?1 a status, NULL any. */
#define SQL_ENROLLMENTS_WHERE " WHERE CAST(?1 AS TEXT) IS NULL OR p.status = ?1"

#define QUERIES(Q) \
	/* name_key, country, region: Find a provider's copy of the organization's (schema section 11) */ \
	Q(Q_PA_INSERT, 0, "INSERT INTO partner_accounts(tenant_id, type, status, support_email, support_phone," \
	  " support_website, enrolled_by, created_at, submitted_at, verified_at, decided_at, name_key, country, region)" \
	  " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " SQL_IF_APPROVED ", " SQL_IF_APPROVED ", " SQL_IF_APPROVED "," \
	  " lower(t.name), t.country, c.region FROM tenants t JOIN countries c ON c.code = t.country WHERE t.id = ?1") \
	Q(Q_PA_SET_SUPPORT, 0, SQL_SET_SUPPORT ", enrolled_by = ? WHERE id = ?") \
	Q(Q_PA_SET_SUPPORT_ALL, 0, SQL_SET_SUPPORT " WHERE tenant_id = ?") \
	Q(Q_PA_VERIFY_SENT, 0, "UPDATE partner_accounts SET verify_sent_at = ? WHERE id = ?") \
	/* What a status change needs to decide and to tell the primary contact. */ \
	Q(Q_PA_FACTS, 12, "SELECT p.tenant_id, p.type, p.status, t.name, coalesce(p.enrolled_by, 0)," \
	  " l.contact_verified_at IS NOT NULL, coalesce(l.contact_email, ''), coalesce(l.contact_first, '')," \
	  " coalesce(l.contact_last, ''), coalesce(l.legal_name, t.name), p.reject_reason, coalesce(p.submitted_at, 0)" \
	  " FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN legal_profiles l ON l.tenant_id = p.tenant_id" \
	  " WHERE p.id = ?") \
	/* The one write of a status change: conditional on the status read, so that two \
	 * concurrent changes cannot both succeed. ?1 id, ?2 from, ?3 to, ?4 now, ?5 reason. */ \
	Q(Q_PA_MOVE, 0, "UPDATE partner_accounts SET status = ?3," \
	  " submitted_at = CASE WHEN ?2 IN ('draft', 'rejected') THEN ?4 ELSE submitted_at END," \
	  " verified_at = CASE WHEN ?3 = 'in_review' THEN ?4 WHEN ?3 = 'pending_verification' THEN NULL ELSE verified_at END," \
	  " decided_at = CASE WHEN ?3 IN ('approved', 'rejected') THEN ?4 WHEN ?3 = 'pending_verification' THEN NULL" \
	  " ELSE decided_at END," \
	  " reject_reason = CASE WHEN ?3 = 'rejected' THEN ?5 ELSE '' END" \
	  " WHERE id = ?1 AND status = ?2") \
	Q(Q_ENROLLMENTS_COUNT, 1, "SELECT count(*) FROM partner_accounts p" SQL_ENROLLMENTS_WHERE) \
	Q(Q_ENROLLMENTS, 7, "SELECT p.id, t.name, t.country, p.type, p.status, coalesce(p.submitted_at, 0), t.domain" \
	  " FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id" SQL_ENROLLMENTS_WHERE \
	  " ORDER BY coalesce(p.submitted_at, p.created_at), p.id") \
	Q(Q_LEGAL_GET, 12, "SELECT legal_name, address1, address2, city, state, postal_code, contact_first, contact_last," \
	  " contact_email, contact_phone, coalesce(contact_verified_at, 0), updated_at FROM legal_profiles WHERE tenant_id = ?") \
	/* Keeps the contact's verification while the contact's address stays the same. */ \
	Q(Q_LEGAL_UPSERT, 0, "INSERT INTO legal_profiles(tenant_id, legal_name, address1, address2, city, state, postal_code," \
	  " contact_first, contact_last, contact_email, contact_phone, contact_verified_at, updated_at)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)" \
	  " ON CONFLICT(tenant_id) DO UPDATE SET legal_name = excluded.legal_name, address1 = excluded.address1," \
	  " address2 = excluded.address2, city = excluded.city, state = excluded.state, postal_code = excluded.postal_code," \
	  " contact_first = excluded.contact_first, contact_last = excluded.contact_last," \
	  " contact_email = excluded.contact_email, contact_phone = excluded.contact_phone, updated_at = excluded.updated_at," \
	  " contact_verified_at = CASE WHEN lower(legal_profiles.contact_email) = lower(excluded.contact_email)" \
	  " THEN legal_profiles.contact_verified_at ELSE excluded.contact_verified_at END") \
	Q(Q_LEGAL_SET_VERIFIED, 0, "UPDATE legal_profiles SET contact_verified_at = ? WHERE tenant_id = ?") \
	Q(Q_DRAFT_GET, 4, "SELECT fields, coalesce(pmc_id, 0), coalesce(pmc_user_id, 0), coalesce(pmc_at, 0)" \
	  " FROM enrollment_drafts WHERE tenant_id = ?") \
	Q(Q_DRAFT_SAVE, 0, "INSERT INTO enrollment_drafts(tenant_id, fields, updated_at) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT(tenant_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at") \
	Q(Q_DRAFT_PMC, 0, "INSERT INTO enrollment_drafts(tenant_id, fields, pmc_id, pmc_user_id, pmc_at, updated_at)" \
	  " VALUES (?1, '', ?2, ?3, ?4, ?5)" \
	  " ON CONFLICT(tenant_id) DO UPDATE SET pmc_id = ?2, pmc_user_id = ?3, pmc_at = ?4, updated_at = ?5") \
	Q(Q_DRAFT_DELETE, 0, "DELETE FROM enrollment_drafts WHERE tenant_id = ?") \
	Q(Q_WEBMAIL_COUNT, 1, "SELECT count(*) FROM webmail_domains") \
	Q(Q_WEBMAIL_ALL, 1, "SELECT pattern FROM webmail_domains ORDER BY pattern") \
	Q(Q_FIRST_USER_WITH_ROLES, 1, "SELECT id FROM users WHERE tenant_id = ? AND (roles & ?) <> 0 ORDER BY id LIMIT 1") \
	Q(Q_USER_ADD_ROLES, 0, "UPDATE users SET roles = roles | ? WHERE id = ?")
SQL_AREA(enroll, QUERIES);

/* ---- partner accounts ---- */

int64_t
st_pa_insert(struct store *s, int64_t tenant, enum partner_type t, enum pa_status status,
    const struct support_details *sup, int64_t enrolled_by, int64_t now)
{
	if (status != PA_DRAFT && status != PA_APPROVED)
		return -1;
	return db_insert(s, Q_PA_INSERT, QI(tenant), QT(partner_type_key(t)), QT(pa_status_key(status)), QSUPPORT(sup),
	    QID(enrolled_by), QI(now));
}

int
st_pa_set_support(struct store *s, int64_t id, const struct support_details *sup, int64_t enrolled_by)
{
	return db_run(s, Q_PA_SET_SUPPORT, QSUPPORT(sup), QID(enrolled_by), QI(id));
}

int
st_pa_set_support_all(struct store *s, int64_t tenant, const struct support_details *sup)
{
	return db_run(s, Q_PA_SET_SUPPORT_ALL, QSUPPORT(sup), QI(tenant));
}

int
st_pa_verify_sent(struct store *s, int64_t id, int64_t now)
{
	return db_run(s, Q_PA_VERIFY_SENT, QI(now), QI(id));
}

/* Without the id (the caller's). */
static void
read_facts(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct pa_facts *)out = (struct pa_facts){
		.tenant_id = db_i64(st, 0), .type = db_partner_type(st, 1), .status = db_pa_status(st, 2),
		.org = db_dup(a, st, 3), .enrolled_by = db_i64(st, 4), .contact_verified = db_i64(st, 5) != 0,
		.contact_email = db_dup(a, st, 6), .contact_first = db_dup(a, st, 7), .contact_last = db_dup(a, st, 8),
		.legal_name = db_dup(a, st, 9), .reject_reason = db_dup(a, st, 10), .submitted_at = db_i64(st, 11),
	};
}

int
st_pa_facts(struct store *s, struct arena *a, int64_t id, struct pa_facts *out)
{
	int found = db_one(a, db_q(s, Q_PA_FACTS, QI(id)), read_facts, out);
	if (found == 1)
		out->id = id;
	return found;
}

int
st_pa_move(struct store *s, int64_t id, enum pa_status from, enum pa_status to, int64_t now, const char *reason)
{
	return db_run(s, Q_PA_MOVE, QI(id), QT(pa_status_key(from)), QT(pa_status_key(to)), QI(now), QTE(reason));
}

static void
read_enrollment(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct enrollment_row *)out = (struct enrollment_row){
		.id = db_i64(st, 0), .org = db_dup(a, st, 1), .country = db_dup(a, st, 2), .type = db_partner_type(st, 3),
		.status = db_pa_status(st, 4), .submitted_at = db_i64(st, 5), .domain = db_dup(a, st, 6),
	};
}

int
st_enrollments(struct store *s, struct arena *a, int status, struct enrollment_list *out)
{
	struct dbv want = status >= 0 ? QT(pa_status_key((enum pa_status)status)) : QNULL;
	int64_t n = db_int(s, Q_ENROLLMENTS_COUNT, -1, want);
	return DB_LIST(s, a, db_q(s, Q_ENROLLMENTS, want), n, out, read_enrollment);
}

/* ---- legal business profiles ---- */

static void
read_legal(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct legal_profile *)out = (struct legal_profile){
		.legal_name = db_dup(a, st, 0), .address1 = db_dup(a, st, 1), .address2 = db_dup(a, st, 2),
		.city = db_dup(a, st, 3), .state = db_dup(a, st, 4), .postal_code = db_dup(a, st, 5),
		.contact_first = db_dup(a, st, 6), .contact_last = db_dup(a, st, 7), .contact_email = db_dup(a, st, 8),
		.contact_phone = db_dup(a, st, 9), .contact_verified_at = db_i64(st, 10), .updated_at = db_i64(st, 11),
	};
}

int
st_legal_get(struct store *s, struct arena *a, int64_t tenant, struct legal_profile *out)
{
	return db_one(a, db_q(s, Q_LEGAL_GET, QI(tenant)), read_legal, out);
}

int
st_legal_upsert(struct store *s, int64_t tenant, const struct legal_profile *p, int64_t now)
{
	return db_run(s, Q_LEGAL_UPSERT, QI(tenant), QTE(p->legal_name), QTE(p->address1), QTE(p->address2), QTE(p->city),
	    QTE(p->state), QTE(p->postal_code), QTE(p->contact_first), QTE(p->contact_last), QTE(p->contact_email),
	    QTE(p->contact_phone), QID(p->contact_verified_at), QI(now));
}

int
st_legal_set_verified(struct store *s, int64_t tenant, int64_t at)
{
	return db_run(s, Q_LEGAL_SET_VERIFIED, QID(at), QI(tenant));
}

/* ---- enrollment drafts ---- */

static void
read_draft(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct draft_row *)out = (struct draft_row){ .fields = db_dup(a, st, 0), .pmc_id = db_i64(st, 1),
	    .pmc_user_id = db_i64(st, 2), .pmc_at = db_i64(st, 3) };
}

int
st_draft_get(struct store *s, struct arena *a, int64_t tenant, struct draft_row *out)
{
	return db_one(a, db_q(s, Q_DRAFT_GET, QI(tenant)), read_draft, out);
}

int
st_draft_save(struct store *s, int64_t tenant, const char *fields, int64_t now)
{
	return db_run(s, Q_DRAFT_SAVE, QI(tenant), QTE(fields), QI(now));
}

int
st_draft_set_pmc(struct store *s, int64_t tenant, int64_t pmc_id, int64_t user, int64_t at, int64_t now)
{
	return db_run(s, Q_DRAFT_PMC, QI(tenant), QID(pmc_id), pmc_id ? QID(user) : QNULL, pmc_id ? QID(at) : QNULL, QI(now));
}

int
st_draft_delete(struct store *s, int64_t tenant)
{
	return db_run(s, Q_DRAFT_DELETE, QI(tenant));
}

/* ---- the web-mail list ---- */

int
st_webmail_patterns(struct store *s, struct arena *a, struct text_list *out)
{
	int64_t n = db_int0(s, Q_WEBMAIL_COUNT, -1);
	return DB_LIST(s, a, db_q0(s, Q_WEBMAIL_ALL), n, out, db_read_text);
}

/* ---- the enrolling user ---- */

int64_t
st_enroll_first_user_with_roles(struct store *s, int64_t tenant, unsigned mask)
{
	return db_checked(s, db_int(s, Q_FIRST_USER_WITH_ROLES, 0, QI(tenant), QI(mask)));
}

int
st_enroll_add_roles(struct store *s, int64_t user, unsigned mask)
{
	return db_run(s, Q_USER_ADD_ROLES, QI(mask), QI(user));
}
