/* sessions.c — sign-in sessions (store.h, "sessions"). Only a hash of the cookie is stored. */
#include "store/db.h"

#include <string.h>

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO sessions(token_hash, user_id, created_at, seen_at, ip, user_agent, auth_at, mfa)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)") \
	/* One round trip for everything a page header and the dispatcher need; the partner \
	 * accounts come as "type:status,type:status"; the operator role (NULL for a partner's \
	 * user) and the delegated admin relationship the session acts under (0: none) come \
	 * with it (issue 17: one statement per signed-in request instead of three), and the \
	 * user's time zone (issue 15). */ \
	Q(Q_LOAD, 20, \
	  "SELECT s.id, s.created_at, s.seen_at, u.id, u.tenant_id, u.email, u.name, u.roles, t.name, t.kind, t.country," \
	  " (SELECT " SQL_LITE_PG("group_concat(p.type || ':' || p.status)", "string_agg(p.type || ':' || p.status, ',')") \
	  " FROM partner_accounts p WHERE p.tenant_id = t.id)," \
	  " s.auth_at, s.mfa, u.mfa_enabled_at IS NOT NULL," \
	  " t.require_mfa = 1 OR EXISTS (SELECT 1 FROM program_settings WHERE name = 'require_mfa' AND value = '1')," \
	  " (SELECT o.role FROM operators o WHERE o.user_id = u.id), coalesce(s.acting_da_id, 0)," \
	  " u.lang, u.time_zone" /* issue 18, issue 15 */ \
	  " FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id" \
	  " WHERE s.token_hash = ?") \
	Q(Q_TOUCH, 0, "UPDATE sessions SET seen_at = ? WHERE id = ?") \
	Q(Q_DELETE, 0, "DELETE FROM sessions WHERE id = ?") \
	Q(Q_DELETE_HASH, 0, "DELETE FROM sessions WHERE token_hash = ?") \
	Q(Q_DELETE_USER, 0, "DELETE FROM sessions WHERE user_id = ?") \
	Q(Q_PURGE, 0, "DELETE FROM sessions WHERE seen_at < ? OR created_at < ?") \
	Q(Q_COUNT_USER, 1, "SELECT count(*) FROM sessions WHERE user_id = ?") \
	/* The sessions list (the account page): a user's live sessions, last seen first. */ \
	Q(Q_OF_USER, 6, "SELECT id, created_at, seen_at, ip, user_agent, mfa FROM sessions" \
	  " WHERE user_id = ?1 AND seen_at >= ?2 AND created_at >= ?3 ORDER BY seen_at DESC, id DESC") \
	Q(Q_DELETE_OF_USER, 0, "DELETE FROM sessions WHERE id = ? AND user_id = ?") \
	Q(Q_DELETE_USER_EXCEPT, 0, "DELETE FROM sessions WHERE user_id = ? AND id <> ?") \
	/* Why a user's sessions ended (issue 15): kept before they are deleted, read by the \
	 * cookie's hash, purged after a session's absolute lifetime. */ \
	Q(Q_ENDS_KEEP, 0, "INSERT INTO session_ends(token_hash, reason, ended_at)" \
	  " SELECT token_hash, CAST(? AS TEXT), CAST(? AS INTEGER) FROM sessions WHERE user_id = ?") \
	Q(Q_ENDS_REASON, 1, "SELECT reason FROM session_ends WHERE token_hash = ?") \
	Q(Q_ENDS_PURGE, 0, "DELETE FROM session_ends WHERE ended_at < ?")
SQL_AREA(sessions, QUERIES);

/* "indirect_reseller:approved,direct_bill:draft" into pa[] (PA_NONE where absent). */
void
db_parse_accounts(const char *text, int pa[PT__COUNT])
{
	for (int i = 0; i < PT__COUNT; i++)
		pa[i] = PA_NONE;
	char word[64];
	for (const char *p = text; p != NULL && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (colon != NULL && (size_t)(colon - p) < sizeof(word) && len - (size_t)(colon - p) - 1 < sizeof(word)) {
			memcpy(word, p, (size_t)(colon - p));
			word[colon - p] = '\0';
			int type = partner_type_parse(word);
			size_t sl = len - (size_t)(colon - p) - 1;
			memcpy(word, colon + 1, sl);
			word[sl] = '\0';
			if (type >= 0)
				pa[type] = pa_status_parse(word);
		}
		p = end ? end + 1 : NULL;
	}
}

/* Field by field: out->token_hash is the caller's. */
static void
read_session(struct arena *a, struct db_stmt *st, void *out)
{
	struct session *o = out;
	o->id = db_i64(st, 0);
	o->created_at = db_i64(st, 1);
	o->seen_at = db_i64(st, 2);
	o->user_id = db_i64(st, 3);
	o->tenant_id = db_i64(st, 4);
	o->email = db_dup(a, st, 5);
	o->name = db_dup(a, st, 6);
	o->roles = (unsigned)db_i64(st, 7);
	o->tenant_name = db_dup(a, st, 8);
	o->tenant_kind = db_tenant_kind(st, 9);
	o->country = db_dup(a, st, 10);
	db_parse_accounts(db_text(st, 11), o->pa);
	o->auth_at = db_i64(st, 12);
	o->mfa = db_i64(st, 13) != 0;
	o->mfa_enabled = db_i64(st, 14) != 0;
	o->mfa_required = db_i64(st, 15) != 0;
	o->op_role = db_dup_null(a, st, 16);
	o->acting_da_id = db_i64(st, 17);
	o->lang = db_dup(a, st, 18);
	o->time_zone = db_dup_null(a, st, 19);
}

int
st_session_load(struct store *s, struct arena *a, const unsigned char hash[32], struct session *out)
{
	return db_one(a, db_q(s, Q_LOAD, QB(hash, 32)), read_session, out);
}

int64_t
st_session_insert(struct store *s, const unsigned char hash[32], int64_t user_id, int64_t now, const char *ip,
    const char *user_agent, int64_t auth_at, bool mfa)
{
	return db_insert(s, Q_INSERT, QB(hash, 32), QI(user_id), QI(now), QI(now), QTE(ip), QTE(user_agent), QI(auth_at),
	    QI(mfa ? 1 : 0));
}

int
st_session_touch(struct store *s, int64_t id, int64_t now)
{
	return db_run(s, Q_TOUCH, QI(now), QI(id));
}

int
st_session_delete(struct store *s, int64_t id)
{
	return db_run(s, Q_DELETE, QI(id));
}

int
st_session_delete_hash(struct store *s, const unsigned char hash[32])
{
	return db_run(s, Q_DELETE_HASH, QB(hash, 32));
}

int
st_sessions_delete_user(struct store *s, int64_t user_id)
{
	return db_run(s, Q_DELETE_USER, QI(user_id));
}

int
st_sessions_purge(struct store *s, int64_t idle_before, int64_t created_before)
{
	return db_run(s, Q_PURGE, QI(idle_before), QI(created_before));
}

int64_t
st_sessions_count_user(struct store *s, int64_t user_id)
{
	return db_int(s, Q_COUNT_USER, -1, QI(user_id));
}

/* ---- the sessions list ---- */

static void
read_session_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct session_row *)out = (struct session_row){ .id = db_i64(st, 0), .created_at = db_i64(st, 1),
	    .seen_at = db_i64(st, 2), .ip = db_dup(a, st, 3), .user_agent = db_dup(a, st, 4), .mfa = db_i64(st, 5) != 0 };
}

int
st_sessions_of_user(struct store *s, struct arena *a, int64_t user_id, int64_t seen_since, int64_t created_since,
    struct session_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_OF_USER, QI(user_id), QI(seen_since), QI(created_since)), DB_ALL, out,
	    read_session_row);
}

int
st_session_delete_of_user(struct store *s, int64_t id, int64_t user_id)
{
	return db_run(s, Q_DELETE_OF_USER, QI(id), QI(user_id));
}

int
st_sessions_delete_user_except(struct store *s, int64_t user_id, int64_t keep)
{
	return db_run(s, Q_DELETE_USER_EXCEPT, QI(user_id), QI(keep));
}

/* ---- why sessions ended ---- */

int
st_session_ends_keep(struct store *s, int64_t user_id, const char *reason, int64_t now)
{
	return db_run(s, Q_ENDS_KEEP, QT(reason), QI(now), QI(user_id));
}

static void
read_reason(struct arena *a, struct db_stmt *st, void *out)
{
	*(char **)out = db_dup(a, st, 0);
}

int
st_session_ends_reason(struct store *s, struct arena *a, const unsigned char hash[32], char **reason)
{
	return db_one(a, db_q(s, Q_ENDS_REASON, QB(hash, 32)), read_reason, reason);
}

int
st_session_ends_purge(struct store *s, int64_t before)
{
	return db_run(s, Q_ENDS_PURGE, QI(before));
}
