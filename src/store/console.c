/* console.c — what the operator console reads across the program (store.h, "the operator
 * console", issue 19): the enrollment queue with its filters, one enrollment with its linked
 * MPN profiles, history and the reviewers who have it open. */
#include "store/db.h"

#define SQL_QUEUE_WHERE " WHERE (?1 = '' OR p.status = ?1) AND (?2 = '' OR t.country = ?2)"

/* Partner search: a name or domain containing ?1, or an MPN ID equal to it; ?2 a country.
 * One row per partner account, by organization. */
#define SQL_PARTNERS(pre) "SELECT t.id, t.name, t.domain, t.country, p.id, p.type, p.status" \
	" FROM " pre "partner_accounts p JOIN tenants t ON t.id = p.tenant_id" \
	" WHERE (?1 = '' OR " SQL_LITE_PG("instr", "strpos") "(p.name_key, lower(?1)) > 0" \
	"  OR " SQL_LITE_PG("instr", "strpos") "(lower(t.domain), lower(?1)) > 0" \
	"  OR EXISTS (SELECT 1 FROM tenant_mpn_ids m WHERE m.tenant_id = t.id AND m.mpn_id = ?1))" \
	" AND (?2 = '' OR t.country = ?2)"
#define SQL_PARTNERS_ORDER " ORDER BY p.name_key, t.id, p.type LIMIT ?3"

#define QUERIES(Q) \
	Q(Q_QUEUE_COUNT, 1, "SELECT count(*) FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id" SQL_QUEUE_WHERE) \
	/* Oldest first: the submission (or creation, for drafts) time, then the id. */ \
	Q(Q_QUEUE, 7, "SELECT p.id, t.name, t.country, p.type, p.status, coalesce(p.submitted_at, 0), t.domain" \
	  " FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id" SQL_QUEUE_WHERE \
	  " ORDER BY coalesce(p.submitted_at, p.created_at), p.id LIMIT ?3") \
	Q(Q_ENROLLMENT, 14, "SELECT p.id, p.tenant_id, p.type, p.status, coalesce(p.submitted_at, 0)," \
	  " coalesce(p.decided_at, 0), p.reject_reason, coalesce(p.verify_sent_at, 0), t.name, t.domain, t.country," \
	  " p.support_email, p.support_phone, p.support_website" \
	  " FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = ?") \
	Q(Q_MPNS, 5, "SELECT m.mpn_id, m.company_name, m.country, m.status = 'active', l.linked_at" \
	  " FROM tenant_mpn_ids l JOIN mpn_profiles m ON m.mpn_id = l.mpn_id WHERE l.tenant_id = ?" \
	  " ORDER BY l.linked_at, m.mpn_id") \
	/* An organization's log entries of one kind of action (a LIKE prefix), newest first. */ \
	Q(Q_HISTORY, 6, "SELECT at, actor, action, outcome, target, detail FROM audit" \
	  " WHERE tenant_id = ?1 AND action LIKE ?2 ORDER BY id DESC LIMIT ?3") \
	Q(Q_SEEN, 0, "INSERT INTO console_presence(account_id, user_id, seen_at) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT(account_id, user_id) DO UPDATE SET seen_at = excluded.seen_at") \
	Q(Q_PARTNERS, 7, SQL_PARTNERS("") SQL_PARTNERS_ORDER) \
	/* issue 17: the same when the trigram index narrows the search (its key ?4): the \
	 * organizations it gives and the one whose MPN ID is ?1, then their accounts (the \
	 * statement's own test stays: the index gives a superset) and the few rows sorted. */ \
	Q(Q_PARTNERS_IX, 7, SQL_PARTNERS("(" SQL_SEARCH_IDS("?4") " UNION SELECT tenant_id FROM tenant_mpn_ids" \
	  " WHERE mpn_id = ?1) x CROSS JOIN ") " AND p.tenant_id = x.id" SQL_PARTNERS_ORDER) \
	Q(Q_REL_SIDES, 2, "SELECT provider_id, reseller_id FROM provider_relationships WHERE id = ? AND status = 'active'") \
	Q(Q_CUSTOMERS, 1, "SELECT count(DISTINCT customer_tenant_id) FROM customer_relationships" \
	  " WHERE partner_tenant_id = ? AND status = 'active'") \
	/* Uploads between preview and commit; a new one purges those of the day before. */ \
	Q(Q_UPLOAD_PURGE, 0, "DELETE FROM console_uploads WHERE created_at < ?") \
	Q(Q_UPLOAD_INSERT, 0, "INSERT INTO console_uploads(user_id, kind, label, name, body, created_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?)") \
	Q(Q_UPLOAD_GET, 4, "SELECT label, name, body, created_at FROM console_uploads" \
	  " WHERE id = ? AND user_id = ? AND kind = ?") \
	Q(Q_UPLOAD_FIND, 1, "SELECT id FROM console_uploads WHERE user_id = ? AND kind = ? AND label = ? AND created_at >= ?" \
	  " ORDER BY id DESC LIMIT 1") \
	Q(Q_UPLOAD_DELETE, 0, "DELETE FROM console_uploads WHERE id = ?") \
	/* Agreement versions: titles, one version, its acceptances (first first). */ \
	Q(Q_TITLE_INSERT, 0, "INSERT INTO agreement_titles(version_id, title) VALUES (?, ?)") \
	Q(Q_TITLE_OF, 1, "SELECT title FROM agreement_titles WHERE version_id = ?") \
	Q(Q_VERSION, 3, "SELECT v.id, v.version, v.published_at FROM agreement_versions v WHERE v.id = ?") \
	Q(Q_ACCEPTANCES, 9, "SELECT t.id, t.name, t.domain, a.signer_first, a.signer_last, a.signer_email," \
	  " a.signer_title, a.accepted_at, a.signer_phone" \
	  " FROM agreement_acceptances a JOIN tenants t ON t.id = a.tenant_id WHERE a.version_id = ?" \
	  " ORDER BY a.accepted_at, a.id") \
	Q(Q_ACCEPTANCES_COUNT, 1, "SELECT count(*) FROM agreement_acceptances WHERE version_id = ?") \
	/* The program-wide audit log (newest first, a page from cursor ?6; 0: the newest). */ \
	Q(Q_AUDIT_ALL, 10, "SELECT a.id, a.at, coalesce(a.tenant_id, 0), coalesce(t.name, ''), a.actor, a.action, a.target," \
	  " a.outcome, a.ip, a.detail FROM audit a LEFT JOIN tenants t ON t.id = a.tenant_id" \
	  " WHERE (?1 = '' OR a.actor = ?1) AND (?2 = '' OR a.action = ?2) AND (?3 = 0 OR a.tenant_id = ?3)" \
	  " AND a.at >= ?4 AND a.at < ?5 AND (?6 = 0 OR a.id < ?6) ORDER BY a.id DESC LIMIT ?7") \
	/* The mail outbox: what is not delivered yet (queued; failed: tried, with an error), oldest first. */ \
	Q(Q_OUTBOX_UNSENT_COUNT, 1, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") \
	Q(Q_OUTBOX_UNSENT, 6, "SELECT id, created_at, attempts, to_addr, subject, coalesce(last_error, '')" \
	  " FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?") \
	/* The program dashboard: each a list of (key, count); ?1 is now or the first week's start. */ \
	Q(Q_M_STATUS, 2, "SELECT status, count(*) FROM partner_accounts WHERE type = 'indirect_reseller' GROUP BY status") \
	Q(Q_M_AGE, 2, "SELECT CASE WHEN ?1 - coalesce(submitted_at, created_at) < 604800 THEN 0" \
	  " WHEN ?1 - coalesce(submitted_at, created_at) < 2592000 THEN 1 ELSE 2 END AS b, count(*)" \
	  " FROM partner_accounts WHERE type = 'indirect_reseller' AND status IN ('pending_verification', 'in_review')" \
	  " GROUP BY b") \
	Q(Q_M_APPROVALS, 2, "SELECT (decided_at - ?1) / 604800 AS w, count(*) FROM partner_accounts" \
	  " WHERE type = 'indirect_reseller' AND status = 'approved' AND decided_at >= ?1 GROUP BY w") \
	Q(Q_M_AGREEMENT, 2, "SELECT CASE WHEN EXISTS (SELECT 1 FROM agreement_acceptances a WHERE a.tenant_id = p.tenant_id" \
	  " AND a.version_id = (SELECT max(id) FROM agreement_versions)) THEN 1 ELSE 0 END AS s, count(*)" \
	  " FROM partner_accounts p WHERE p.type = 'indirect_reseller' AND p.status = 'approved' GROUP BY s") \
	Q(Q_M_INVITES, 2, "SELECT CASE WHEN ?1 - created_at < 604800 THEN 0 WHEN ?1 - created_at < 1209600 THEN 1" \
	  " ELSE 2 END AS b, count(*) FROM reseller_invitations WHERE status = 'pending' AND expires_at > ?1 GROUP BY b") \
	Q(Q_M_RELATIONSHIPS, 2, "SELECT (since - ?1) / 604800 AS w, count(*) FROM provider_relationships" \
	  " WHERE since >= ?1 GROUP BY w") \
	Q(Q_OTHERS, 3, "SELECT u.name, u.email, c.seen_at FROM console_presence c JOIN users u ON u.id = c.user_id" \
	  " WHERE c.account_id = ?1 AND c.user_id <> ?2 AND c.seen_at >= ?3 ORDER BY c.seen_at DESC, u.id")
SQL_AREA(console, QUERIES);

static void
read_queue(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct enrollment_row *)out = (struct enrollment_row){ .id = db_i64(st, 0), .org = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .type = db_partner_type(st, 3), .status = db_pa_status(st, 4),
	    .submitted_at = db_i64(st, 5), .domain = db_dup(a, st, 6) };
}

int
st_console_queue(struct store *s, struct arena *a, const char *status, const char *country, int64_t max,
    struct enrollment_list *out)
{
	int64_t n = db_int(s, Q_QUEUE_COUNT, -1, QT(status), QT(country));
	return DB_LIST(s, a, db_q(s, Q_QUEUE, QT(status), QT(country), QI(max)), n < max ? n : max, out, read_queue);
}

static void
read_enrollment(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_enrollment *)out = (struct console_enrollment){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .type = db_partner_type(st, 2), .status = db_pa_status(st, 3), .submitted_at = db_i64(st, 4),
	    .decided_at = db_i64(st, 5), .reject_reason = db_dup(a, st, 6), .verify_sent_at = db_i64(st, 7),
	    .org = db_dup(a, st, 8), .domain = db_dup(a, st, 9), .country = db_dup(a, st, 10),
	    .support_email = db_dup(a, st, 11), .support_phone = db_dup(a, st, 12), .support_website = db_dup(a, st, 13) };
}

int
st_console_enrollment(struct store *s, struct arena *a, int64_t id, struct console_enrollment *out)
{
	return db_one(a, db_q(s, Q_ENROLLMENT, QI(id)), read_enrollment, out);
}

static void
read_mpn(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_mpn *)out = (struct console_mpn){ .mpn_id = db_dup(a, st, 0), .company_name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .active = db_i64(st, 3) != 0, .linked_at = db_i64(st, 4) };
}

int
st_console_mpns(struct store *s, struct arena *a, int64_t tenant, struct console_mpn_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_MPNS, QI(tenant)), DB_ALL, out, read_mpn);
}

static void
read_history(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_event *)out = (struct console_event){ .at = db_i64(st, 0), .actor = db_dup(a, st, 1),
	    .action = db_dup(a, st, 2), .outcome = db_dup(a, st, 3), .target = db_dup(a, st, 4), .detail = db_dup(a, st, 5) };
}

int
st_console_history(struct store *s, struct arena *a, int64_t tenant, const char *action_prefix, int64_t max,
    struct console_event_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_HISTORY, QI(tenant), QT(action_prefix), QI(max)), max, out, read_history);
}

int
st_console_seen(struct store *s, int64_t account_id, int64_t user_id, int64_t now)
{
	return db_run(s, Q_SEEN, QI(account_id), QI(user_id), QI(now)) < 0 ? -1 : 0;
}

static void
read_viewer(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_viewer *)out = (struct console_viewer){ .name = db_dup(a, st, 0), .email = db_dup(a, st, 1),
	    .seen_at = db_i64(st, 2) };
}

int
st_console_others(struct store *s, struct arena *a, int64_t account_id, int64_t user_id, int64_t since,
    struct console_viewer_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_OTHERS, QI(account_id), QI(user_id), QI(since)), DB_ALL, out, read_viewer);
}

static void
read_partner_hit(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_partner *)out = (struct console_partner){ .tenant_id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .domain = db_dup(a, st, 2), .country = db_dup(a, st, 3), .account_id = db_i64(st, 4),
	    .type = db_partner_type(st, 5), .status = db_pa_status(st, 6) };
}

int
st_console_partners(struct store *s, struct arena *a, const char *q, const char *country, int64_t max,
    struct console_partner_list *out)
{
	char key[512];
	if (!db_search_key_in(s, q, key, sizeof(key)))
		return -1;
	struct db_stmt *st = *key ? db_q(s, Q_PARTNERS_IX, QT(q), QT(country), QI(max), QT(key))
	    : db_q(s, Q_PARTNERS, QT(q), QT(country), QI(max));
	return DB_LIST(s, a, st, max, out, read_partner_hit);
}

int
st_console_rel_sides(struct store *s, int64_t id, int64_t *provider, int64_t *reseller)
{
	struct db_stmt *st = db_q(s, Q_REL_SIDES, QI(id));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*provider = db_i64(st, 0);
		*reseller = db_i64(st, 1);
	}
	db_done(st);
	return db_found(rc);
}

int64_t
st_console_customers(struct store *s, int64_t tenant)
{
	return db_checked(s, db_int(s, Q_CUSTOMERS, -1, QI(tenant)));
}

/* ---- uploads between preview and commit ---- */

int64_t
st_console_upload_insert(struct store *s, int64_t user_id, const char *kind, const char *label, const char *name,
    const char *body, int64_t now, int64_t purge_before)
{
	if (db_run(s, Q_UPLOAD_PURGE, QI(purge_before)) < 0)
		return -1;
	return db_insert(s, Q_UPLOAD_INSERT, QI(user_id), QT(kind), QT(label), QT(name), QT(body), QI(now));
}

static void
read_upload(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_upload *)out = (struct console_upload){ .label = db_dup(a, st, 0), .name = db_dup(a, st, 1),
	    .body = db_dup(a, st, 2), .created_at = db_i64(st, 3) };
}

int
st_console_upload_get(struct store *s, struct arena *a, int64_t id, int64_t user_id, const char *kind,
    struct console_upload *out)
{
	return db_one(a, db_q(s, Q_UPLOAD_GET, QI(id), QI(user_id), QT(kind)), read_upload, out);
}

int
st_console_upload_delete(struct store *s, int64_t id)
{
	return db_run(s, Q_UPLOAD_DELETE, QI(id));
}

/* ---- agreement versions ---- */

int
st_agreement_title_insert(struct store *s, int64_t version_id, const char *title)
{
	return db_run(s, Q_TITLE_INSERT, QI(version_id), QT(title)) == 1 ? 0 : -1;
}

int
st_agreement_title_of(struct store *s, struct arena *a, int64_t version_id, const char **title)
{
	*title = NULL;
	return db_one(a, db_q(s, Q_TITLE_OF, QI(version_id)), db_read_text, title);
}

static void
read_version(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct agreement_version *)out = (struct agreement_version){ .id = db_i64(st, 0), .version = db_dup(a, st, 1),
	    .published_at = db_i64(st, 2) };
}

int
st_agreement_version_get(struct store *s, struct arena *a, int64_t id, struct agreement_version *out)
{
	return db_one(a, db_q(s, Q_VERSION, QI(id)), read_version, out);
}

static void
read_acceptance(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct acceptance_row *)out = (struct acceptance_row){ .tenant_id = db_i64(st, 0), .org = db_dup(a, st, 1),
	    .domain = db_dup(a, st, 2), .first = db_dup(a, st, 3), .last = db_dup(a, st, 4), .email = db_dup(a, st, 5),
	    .title = db_dup(a, st, 6), .accepted_at = db_i64(st, 7), .phone = db_dup(a, st, 8) };
}

int
st_agreement_acceptances(struct store *s, struct arena *a, int64_t version_id, struct acceptance_list *out)
{
	int64_t n = db_int(s, Q_ACCEPTANCES_COUNT, -1, QI(version_id));
	return DB_LIST(s, a, db_q(s, Q_ACCEPTANCES, QI(version_id)), n, out, read_acceptance);
}

/* ---- the program-wide audit log ---- */

static void
read_audit_all(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_audit_row *)out = (struct console_audit_row){ .row = { .id = db_i64(st, 0), .at = db_i64(st, 1),
	    .tenant_id = db_i64(st, 2), .actor = db_dup(a, st, 4), .action = db_dup(a, st, 5), .target = db_dup(a, st, 6),
	    .outcome = db_dup(a, st, 7), .ip = db_dup(a, st, 8), .detail = db_dup(a, st, 9) }, .org = db_dup(a, st, 3) };
}

int
st_console_audit(struct store *s, struct arena *a, const struct console_audit_filter *f, int64_t before, int64_t max,
    struct console_audit_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_AUDIT_ALL, QT(f->actor), QT(f->action), QI(f->tenant_id), QI(f->from), QI(f->to),
	    QI(before), QI(max)), max, out, read_audit_all);
}

/* ---- the mail outbox ---- */

static void
read_unsent(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct outbox_row *)out = (struct outbox_row){ .id = db_i64(st, 0), .created_at = db_i64(st, 1),
	    .attempts = db_i64(st, 2), .to = db_dup(a, st, 3), .subject = db_dup(a, st, 4), .last_error = db_dup(a, st, 5) };
}

int
st_console_outbox(struct store *s, struct arena *a, int64_t max, struct outbox_list *out, int64_t *total)
{
	*total = db_checked(s, db_int0(s, Q_OUTBOX_UNSENT_COUNT, -1));
	if (*total < 0)
		return -1;
	return DB_LIST(s, a, db_q(s, Q_OUTBOX_UNSENT, QI(max)), *total < max ? *total : max, out, read_unsent);
}

int64_t
st_console_upload_find(struct store *s, int64_t user_id, const char *kind, const char *label, int64_t since)
{
	return db_checked(s, db_int(s, Q_UPLOAD_FIND, 0, QI(user_id), QT(kind), QT(label), QI(since)));
}

/* ---- the program dashboard ---- */

static void
read_count(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct console_count *)out = (struct console_count){ .key = db_dup(a, st, 0), .ikey = db_i64(st, 0),
	    .n = db_i64(st, 1) };
}

int
st_console_metric(struct store *s, struct arena *a, int metric, int64_t t, struct console_count_list *out)
{
	static const int q[] = { Q_M_STATUS, Q_M_AGE, Q_M_APPROVALS, Q_M_AGREEMENT, Q_M_INVITES, Q_M_RELATIONSHIPS };
	if (metric < 0 || metric >= (int)(sizeof(q) / sizeof(q[0])))
		return -1;
	bool plain = metric == 0 || metric == 3;		/* the two without a time */
	struct db_stmt *st = plain ? db_q0(s, q[metric]) : db_q(s, q[metric], QI(t));
	return DB_LIST(s, a, st, DB_ALL, out, read_count);
}
