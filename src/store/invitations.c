/* invitations.c — what the three kinds of invitation share (store.h, "invitations"; schema
 * section 19): their dates for the states both sides see, the first opening of the landing
 * page, and the one reminder before expiry. */
#include "store/db.h"

/* The dates of each kind (6 columns; the last: stored as expired). */
#define SQL_DATES_RESELLER "SELECT sent_at, coalesce(opened_at, 0), coalesce(accepted_at, 0), 0," \
	" coalesce(revoked_at, 0), expires_at, CASE WHEN status = 'expired' THEN 1 ELSE 0 END FROM reseller_invitations"
#define SQL_DATES_CUSTOMER "SELECT created_at, coalesce(opened_at, 0), coalesce(accepted_at, 0), 0," \
	" coalesce(revoked_at, 0), expires_at, CASE WHEN status = 'expired' THEN 1 ELSE 0 END FROM customer_invitations"
#define SQL_DATES_DELEGATED "SELECT sent_at, coalesce(opened_at, 0), coalesce(approved_at, 0)," \
	" CASE WHEN state = 'declined' THEN answered_at ELSE 0 END," \
	" CASE WHEN state = 'withdrawn' THEN ended_at ELSE 0 END, request_expires_at," \
	" CASE WHEN state = 'expired' AND approved_at IS NULL THEN 1 ELSE 0 END FROM delegated_admins"

/* Due: pending, expiring in (?1, ?1 + ?2], no reminder for this expiry; at most ?3. */
#define SQL_NOT_REMINDED(exp) " AND " exp " > ?1 AND " exp " <= ?1 + ?2 AND (i.reminder_for IS NULL OR i.reminder_for <> " exp ")"

#define QUERIES(Q) \
	Q(Q_DATES_RESELLER, 7, SQL_DATES_RESELLER " WHERE id = ?") \
	Q(Q_DATES_CUSTOMER, 7, SQL_DATES_CUSTOMER " WHERE id = ?") \
	Q(Q_DATES_DELEGATED, 7, SQL_DATES_DELEGATED " WHERE id = ?") \
	Q(Q_OPENED_RESELLER, 0, "UPDATE reseller_invitations SET opened_at = ?1" \
	  " WHERE id = ?2 AND opened_at IS NULL AND status = 'pending' AND expires_at > ?1") \
	Q(Q_OPENED_CUSTOMER, 0, "UPDATE customer_invitations SET opened_at = ?1" \
	  " WHERE id = ?2 AND opened_at IS NULL AND status = 'pending' AND expires_at > ?1") \
	Q(Q_OPENED_DELEGATED, 0, "UPDATE delegated_admins SET opened_at = ?1" \
	  " WHERE id = ?2 AND opened_at IS NULL AND state = 'pending' AND request_expires_at > ?1") \
	Q(Q_DUE_RESELLER, 7, "SELECT i.id, i.expires_at, 0, i.email, t.name, '', t.id FROM reseller_invitations i" \
	  " JOIN partner_accounts a ON a.id = i.provider_id JOIN tenants t ON t.id = a.tenant_id" \
	  " WHERE i.status = 'pending'" SQL_NOT_REMINDED("i.expires_at") " ORDER BY i.id LIMIT ?3") \
	Q(Q_DUE_CUSTOMER, 7, "SELECT i.id, i.expires_at, 0, i.email, rt.name, pt.name, rt.id FROM customer_invitations i" \
	  " JOIN partner_accounts ra ON ra.id = i.reseller_id JOIN tenants rt ON rt.id = ra.tenant_id" \
	  " JOIN partner_accounts pa ON pa.id = i.provider_id JOIN tenants pt ON pt.id = pa.tenant_id" \
	  " WHERE i.status = 'pending'" SQL_NOT_REMINDED("i.expires_at") " ORDER BY i.id LIMIT ?3") \
	Q(Q_DUE_DELEGATED, 7, "SELECT i.id, i.request_expires_at, i.customer_tenant_id, '', pt.name, i.name, pt.id" \
	  " FROM delegated_admins i JOIN tenants pt ON pt.id = i.partner_tenant_id" \
	  " WHERE i.state = 'pending'" SQL_NOT_REMINDED("i.request_expires_at") " ORDER BY i.id LIMIT ?3") \
	Q(Q_CLAIM_RESELLER, 0, "UPDATE reseller_invitations SET reminder_for = ?1 WHERE id = ?2 AND status = 'pending'" \
	  " AND expires_at = ?1 AND (reminder_for IS NULL OR reminder_for <> ?1)") \
	Q(Q_CLAIM_CUSTOMER, 0, "UPDATE customer_invitations SET reminder_for = ?1 WHERE id = ?2 AND status = 'pending'" \
	  " AND expires_at = ?1 AND (reminder_for IS NULL OR reminder_for <> ?1)") \
	Q(Q_CLAIM_DELEGATED, 0, "UPDATE delegated_admins SET reminder_for = ?1 WHERE id = ?2 AND state = 'pending'" \
	  " AND request_expires_at = ?1 AND (reminder_for IS NULL OR reminder_for <> ?1)")
SQL_AREA(invitations, QUERIES);

static const int dates_q[INV__KINDS] = { Q_DATES_RESELLER, Q_DATES_CUSTOMER, Q_DATES_DELEGATED };
static const int opened_q[INV__KINDS] = { Q_OPENED_RESELLER, Q_OPENED_CUSTOMER, Q_OPENED_DELEGATED };
static const int due_q[INV__KINDS] = { Q_DUE_RESELLER, Q_DUE_CUSTOMER, Q_DUE_DELEGATED };
static const int claim_q[INV__KINDS] = { Q_CLAIM_RESELLER, Q_CLAIM_CUSTOMER, Q_CLAIM_DELEGATED };

static bool
kind_ok(enum inv_kind k)
{
	return k >= 0 && k < INV__KINDS;
}

static void
read_dates(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	*(struct inv_dates *)out = (struct inv_dates){ .sent_at = db_i64(st, 0), .opened_at = db_i64(st, 1),
	    .accepted_at = db_i64(st, 2), .declined_at = db_i64(st, 3), .revoked_at = db_i64(st, 4),
	    .expires_at = db_i64(st, 5), .ended_expired = db_i64(st, 6) != 0 };
}

int
st_inv_dates(struct store *s, enum inv_kind kind, int64_t id, struct inv_dates *out)
{
	if (!kind_ok(kind))
		return -1;
	return db_one(NULL, db_q(s, dates_q[kind], QI(id)), read_dates, out);
}

int
st_inv_opened(struct store *s, enum inv_kind kind, int64_t id, int64_t now)
{
	if (!kind_ok(kind))
		return -1;
	return db_run(s, opened_q[kind], QI(now), QI(id));
}


static void
read_due(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct inv_due *)out = (struct inv_due){ .id = db_i64(st, 0), .expires_at = db_i64(st, 1),
	    .other_tenant = db_i64(st, 2), .email = db_dup(a, st, 3), .from_name = db_dup(a, st, 4),
	    .also_name = db_dup(a, st, 5), .from_tenant = db_i64(st, 6) };
}

int
st_inv_due(struct store *s, struct arena *a, enum inv_kind kind, int64_t now, int64_t within, int64_t limit,
    struct inv_due_list *out)
{
	if (!kind_ok(kind))
		return -1;
	int rc = DB_LIST(s, a, db_q(s, due_q[kind], QI(now), QI(within), QI(limit)), limit, out, read_due);
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		out->v[i].kind = kind;
	return rc;
}

int
st_inv_claim_reminder(struct store *s, enum inv_kind kind, int64_t id, int64_t expires)
{
	if (!kind_ok(kind))
		return -1;
	return db_run(s, claim_q[kind], QI(expires), QI(id));
}
