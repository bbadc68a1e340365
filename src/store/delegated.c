/* delegated.c — delegated admin relationships between two organizations (store.h,
 * "delegated"; schema section 13). */
#include "store/db.h"

#include <string.h>

static const char *const state_keys[DA__COUNT] = {
	[DA_PENDING] = "pending", [DA_ACTIVE] = "active", [DA_EXPIRED] = "expired",
	[DA_DECLINED] = "declined", [DA_WITHDRAWN] = "withdrawn", [DA_TERMINATED] = "terminated",
};

const char *
da_state_key(enum da_state s)
{
	return s >= 0 && s < DA__COUNT ? state_keys[s] : "pending";
}

const char *
da_kind_key(enum da_kind k)
{
	return k == DAK_RESELLER ? "reseller" : k == DAK_CUSTOMER ? "customer" : "";
}

static enum da_state
state_parse(const char *key)
{
	for (int i = 0; i < DA__COUNT; i++)
		if (strcmp(key, state_keys[i]) == 0)
			return (enum da_state)i;
	return DA_PENDING;
}

static enum da_kind
kind_parse(const char *key)
{
	return strcmp(key, "reseller") == 0 ? DAK_RESELLER : strcmp(key, "customer") == 0 ? DAK_CUSTOMER : DAK_NONE;
}

/* The row with both organizations' names and the requesting user (25 columns). */
#define SQL_ROW "SELECT d.id, d.partner_tenant_id, d.customer_tenant_id, d.kind, d.state, d.name, d.message," \
	" d.end_reason, d.roles, d.global_admin, d.auto_extend, d.migrated, d.duration_days, d.created_at, d.sent_at," \
	" d.request_expires_at, coalesce(d.answered_at, 0), coalesce(d.approved_at, 0), coalesce(d.expires_at, 0)," \
	" coalesce(d.ended_at, 0), pt.name, ct.name, coalesce(u.name, ''), coalesce(u.email, ''), d.reminder_stage" \
	" FROM delegated_admins d JOIN tenants pt ON pt.id = d.partner_tenant_id" \
	" JOIN tenants ct ON ct.id = d.customer_tenant_id LEFT JOIN users u ON u.id = d.created_by"

/* The organizations a partner ?1 is related to as a partner of a customer, or as the
 * provider of a reseller (active relationships only). */
#define SQL_CUSTOMERS_OF "SELECT c.customer_tenant_id AS tid, 'customer' AS kind FROM customer_relationships c" \
	" JOIN partner_accounts pa ON pa.id = c.partner_id WHERE pa.tenant_id = ?1 AND c.status = 'active'"
#define SQL_RESELLERS_OF "SELECT ra.tenant_id AS tid, 'reseller' AS kind FROM provider_relationships r" \
	" JOIN partner_accounts pa ON pa.id = r.provider_id JOIN partner_accounts ra ON ra.id = r.reseller_id" \
	" WHERE pa.tenant_id = ?1 AND r.status = 'active'"

#define QUERIES(Q) \
	Q(Q_GET, 25, SQL_ROW " WHERE d.id = ?") \
	Q(Q_COUNT_OF, 1, "SELECT count(*) FROM delegated_admins WHERE partner_tenant_id = ?1 OR customer_tenant_id = ?1") \
	Q(Q_PAGE_OF, 25, SQL_ROW " WHERE d.partner_tenant_id = ?1 OR d.customer_tenant_id = ?1" \
	  " ORDER BY d.id DESC LIMIT ?2 OFFSET ?3") \
	Q(Q_TARGETS, 3, "SELECT t.id, t.name, min(x.kind) FROM (" SQL_CUSTOMERS_OF " UNION " SQL_RESELLERS_OF ") x" \
	  " JOIN tenants t ON t.id = x.tid WHERE t.id <> ?1 GROUP BY t.id, t.name ORDER BY t.name COLLATE NOCASE, t.id") \
	Q(Q_KIND, 1, "SELECT min(x.kind) FROM (" SQL_CUSTOMERS_OF " UNION " SQL_RESELLERS_OF ") x WHERE x.tid = ?2") \
	Q(Q_NAME_TAKEN, 1, "SELECT count(*) FROM delegated_admins WHERE partner_tenant_id = ? AND customer_tenant_id = ?" \
	  " AND name = ? AND state IN ('pending', 'active')") \
	Q(Q_INSERT, 0, "INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles, global_admin," \
	  " duration_days, auto_extend, message, created_at, created_by, sent_at, request_expires_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_INSERT_ACTIVE, 0, "INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles," \
	  " global_admin, duration_days, state, created_at, created_by, sent_at, request_expires_at, answered_at," \
	  " answered_by, approved_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, 'active', ?7, ?8, ?7, ?7, ?7, ?8, ?7, ?9)") \
	Q(Q_RESEND, 0, "UPDATE delegated_admins SET sent_at = ?1, request_expires_at = ?2" \
	  " WHERE id = ?3 AND partner_tenant_id = ?4 AND state = 'pending'") \
	Q(Q_WITHDRAW, 0, "UPDATE delegated_admins SET state = 'withdrawn', ended_at = ?1, ended_by = ?2" \
	  " WHERE id = ?3 AND partner_tenant_id = ?4 AND state = 'pending'") \
	Q(Q_APPROVE, 0, "UPDATE delegated_admins SET state = 'active', answered_at = ?1, answered_by = ?2, approved_at = ?1," \
	  " expires_at = ?1 + duration_days * 86400 WHERE id = ?3 AND customer_tenant_id = ?4 AND state = 'pending'" \
	  " AND request_expires_at = ?5 AND request_expires_at > ?1") \
	Q(Q_DECLINE, 0, "UPDATE delegated_admins SET state = 'declined', answered_at = ?1, answered_by = ?2" \
	  " WHERE id = ?3 AND customer_tenant_id = ?4 AND state = 'pending'" \
	  " AND request_expires_at = ?5 AND request_expires_at > ?1") \
	Q(Q_ACTIVE_BETWEEN, 25, SQL_ROW " WHERE d.partner_tenant_id = ?1 AND d.customer_tenant_id = ?2" \
	  " AND d.state = 'active' AND d.expires_at > ?3 ORDER BY d.id LIMIT 50") \
	Q(Q_DUE, 25, SQL_ROW " WHERE (d.state = 'pending' AND d.request_expires_at <= ?1)" \
	  " OR (d.state = 'active' AND d.expires_at <= ?1 + 30 * 86400) ORDER BY d.id LIMIT ?2") \
	Q(Q_EXPIRE_REQUEST, 0, "UPDATE delegated_admins SET state = 'expired', ended_at = ?1" \
	  " WHERE id = ?2 AND state = 'pending' AND request_expires_at <= ?1") \
	Q(Q_CLAIM_REMINDER, 0, "UPDATE delegated_admins SET reminder_stage = ?1" \
	  " WHERE id = ?2 AND state = 'active' AND expires_at = ?3 AND reminder_stage < ?1") \
	Q(Q_EXPIRE, 0, "UPDATE delegated_admins SET state = 'expired', ended_at = ?1" \
	  " WHERE id = ?2 AND state = 'active' AND expires_at = ?3 AND expires_at <= ?1") \
	Q(Q_EXTEND, 0, "UPDATE delegated_admins SET expires_at = ?1, reminder_stage = 0" \
	  " WHERE id = ?2 AND state = 'active' AND expires_at = ?3 AND auto_extend = 1 AND global_admin = 0") \
	Q(Q_SET_ACTING, 0, "UPDATE sessions SET acting_da_id = ?1 WHERE id = ?2") \
	Q(Q_TERMINATE, 0, "UPDATE delegated_admins SET state = 'terminated', ended_at = ?1, ended_by = ?2," \
	  " end_reason = ?3 WHERE id = ?4 AND state = 'active' AND expires_at > ?1") \
	Q(Q_TERMINATE_PAIR, 0, "UPDATE delegated_admins SET state = 'terminated', ended_at = ?1, ended_by = ?2," \
	  " end_reason = ?3 WHERE partner_tenant_id = ?4 AND customer_tenant_id = ?5 AND state = 'active'")
SQL_AREA(delegated, QUERIES);

static void
read_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct da_row *)out = (struct da_row){ .id = db_i64(st, 0), .partner_tenant_id = db_i64(st, 1),
	    .customer_tenant_id = db_i64(st, 2), .kind = kind_parse(db_text(st, 3)), .state = state_parse(db_text(st, 4)),
	    .name = db_dup(a, st, 5), .message = db_dup(a, st, 6), .end_reason = db_dup(a, st, 7),
	    .roles = (unsigned)db_i64(st, 8), .global_admin = db_i64(st, 9) != 0, .auto_extend = db_i64(st, 10) != 0,
	    .migrated = db_i64(st, 11) != 0, .duration_days = (int)db_i64(st, 12), .created_at = db_i64(st, 13),
	    .sent_at = db_i64(st, 14), .request_expires_at = db_i64(st, 15), .answered_at = db_i64(st, 16),
	    .approved_at = db_i64(st, 17), .expires_at = db_i64(st, 18), .ended_at = db_i64(st, 19),
	    .partner_name = db_dup(a, st, 20), .customer_name = db_dup(a, st, 21), .creator_name = db_dup(a, st, 22),
	    .creator_email = db_dup(a, st, 23), .reminder_stage = (int)db_i64(st, 24) };
}

int
st_da_get(struct store *s, struct arena *a, int64_t id, struct da_row *out)
{
	return db_one(a, db_q(s, Q_GET, QI(id)), read_row, out);
}

int64_t
st_da_count_of(struct store *s, int64_t tenant)
{
	return db_checked(s, db_int(s, Q_COUNT_OF, -1, QI(tenant)));
}

int
st_da_page_of(struct store *s, struct arena *a, int64_t tenant, int64_t limit, int64_t offset, struct da_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_PAGE_OF, QI(tenant), QI(limit), QI(offset)), limit, out, read_row);
}

static void
read_target(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct da_target *)out = (struct da_target){ .tenant_id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .kind = kind_parse(db_text(st, 2)) };
}

int
st_da_targets(struct store *s, struct arena *a, int64_t partner_tenant, struct da_target_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_TARGETS, QI(partner_tenant)), DB_ALL, out, read_target);
}

int
st_da_kind(struct store *s, int64_t partner_tenant, int64_t other)
{
	struct db_stmt *st = db_q(s, Q_KIND, QI(partner_tenant), QI(other));
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	enum da_kind k = rc == DB_ROW && !db_is_null(st, 0) ? kind_parse(db_text(st, 0)) : DAK_NONE;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? (int)k : -1;
}

int
st_da_name_taken(struct store *s, int64_t partner_tenant, int64_t customer_tenant, const char *name)
{
	int64_t n = db_checked(s, db_int(s, Q_NAME_TAKEN, -1, QI(partner_tenant), QI(customer_tenant), QT(name)));
	return n < 0 ? -1 : n > 0;
}

int64_t
st_da_insert(struct store *s, const struct da_row *r)
{
	return db_insert(s, Q_INSERT, QI(r->partner_tenant_id), QI(r->customer_tenant_id), QT(da_kind_key(r->kind)),
	    QT(r->name), QI(r->roles), QI(r->global_admin), QI(r->duration_days), QI(r->auto_extend), QTE(r->message),
	    QI(r->created_at), QID(r->created_by), QI(r->sent_at), QI(r->request_expires_at));
}

int
st_da_resend(struct store *s, int64_t id, int64_t partner_tenant, int64_t now, int64_t request_expires)
{
	return db_run(s, Q_RESEND, QI(now), QI(request_expires), QI(id), QI(partner_tenant));
}

int
st_da_withdraw(struct store *s, int64_t id, int64_t partner_tenant, int64_t by, int64_t now)
{
	return db_run(s, Q_WITHDRAW, QI(now), QID(by), QI(id), QI(partner_tenant));
}

int
st_da_approve(struct store *s, int64_t id, int64_t customer_tenant, int64_t request_expires, int64_t by, int64_t now)
{
	return db_run(s, Q_APPROVE, QI(now), QID(by), QI(id), QI(customer_tenant), QI(request_expires));
}

int
st_da_decline(struct store *s, int64_t id, int64_t customer_tenant, int64_t request_expires, int64_t by, int64_t now)
{
	return db_run(s, Q_DECLINE, QI(now), QID(by), QI(id), QI(customer_tenant), QI(request_expires));
}

int
st_da_terminate_pair(struct store *s, int64_t partner_tenant, int64_t customer_tenant, int64_t by, int64_t now,
    const char *reason)
{
	return db_run(s, Q_TERMINATE_PAIR, QI(now), QID(by), QTE(reason), QI(partner_tenant), QI(customer_tenant));
}

int
st_da_session_set_acting(struct store *s, int64_t session_id, int64_t da_id)
{
	return db_run(s, Q_SET_ACTING, QID(da_id), QI(session_id));
}

int
st_da_terminate(struct store *s, int64_t id, int64_t by, int64_t now, const char *reason)
{
	return db_run(s, Q_TERMINATE, QI(now), QID(by), QTE(reason), QI(id));
}

int
st_da_due(struct store *s, struct arena *a, int64_t now, int64_t limit, struct da_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_DUE, QI(now), QI(limit)), limit, out, read_row);
}

int
st_da_expire_request(struct store *s, int64_t id, int64_t now)
{
	return db_run(s, Q_EXPIRE_REQUEST, QI(now), QI(id));
}

int
st_da_claim_reminder(struct store *s, int64_t id, int64_t expires, int stage)
{
	return db_run(s, Q_CLAIM_REMINDER, QI(stage), QI(id), QI(expires));
}

int
st_da_expire(struct store *s, int64_t id, int64_t expires, int64_t now)
{
	return db_run(s, Q_EXPIRE, QI(now), QI(id), QI(expires));
}

int
st_da_extend(struct store *s, int64_t id, int64_t expires, int64_t new_expires)
{
	return db_run(s, Q_EXTEND, QI(new_expires), QI(id), QI(expires));
}

int
st_da_active_between(struct store *s, struct arena *a, int64_t partner_tenant, int64_t customer_tenant, int64_t now,
    struct da_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_ACTIVE_BETWEEN, QI(partner_tenant), QI(customer_tenant), QI(now)), 50, out, read_row);
}

int64_t
st_da_insert_active(struct store *s, const struct da_row *r)
{
	return db_insert(s, Q_INSERT_ACTIVE, QI(r->partner_tenant_id), QI(r->customer_tenant_id), QT(da_kind_key(r->kind)),
	    QT(r->name), QI(r->roles), QI(r->duration_days), QI(r->created_at), QID(r->created_by), QI(r->expires_at));
}
