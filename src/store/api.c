/* api.c — the JSON API's credentials and idempotency keys (store.h, "the JSON API"). Only a
 * hash of a credential's secret is stored. */
#include "store/db.h"

#include <string.h>

#define SQL_CRED "SELECT c.id, c.tenant_id, c.name, c.roles, c.allowed_ips, c.created_at, c.expires_at," \
	" coalesce(c.revoked_at, 0), coalesce(c.last_used_at, 0), coalesce(c.last_used_ip, ''), c.win_start, c.win_count," \
	" coalesce((SELECT u.email FROM users u WHERE u.id = c.created_by), '')"

#define QUERIES(Q) \
	/* The credential and what the dispatcher needs of its organization (as sessions.c's \
	 * Q_LOAD reads them for a user). */ \
	Q(Q_BY_HASH, 17, SQL_CRED ", t.name, t.kind, t.country," \
	  " (SELECT " SQL_LITE_PG("group_concat(p.type || ':' || p.status)", "string_agg(p.type || ':' || p.status, ',')") \
	  " FROM partner_accounts p WHERE p.tenant_id = t.id)" \
	  " FROM api_credentials c JOIN tenants t ON t.id = c.tenant_id WHERE c.secret_hash = ?") \
	Q(Q_INSERT, 0, "INSERT INTO api_credentials(tenant_id, name, roles, secret_hash, allowed_ips, created_by," \
	  " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_OF_TENANT, 13, SQL_CRED " FROM api_credentials c WHERE c.tenant_id = ? ORDER BY c.id DESC LIMIT ?") \
	Q(Q_IN_TENANT, 13, SQL_CRED " FROM api_credentials c WHERE c.id = ? AND c.tenant_id = ?") \
	Q(Q_REVOKE, 0, "UPDATE api_credentials SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL") \
	/* One call counted in the throttle's window, atomically on any node (issue 17): a new \
	 * window when the last one has ended, else one more call while under the rate; no row \
	 * changed when the rate is reached. The SET expressions read the row as it was. */ \
	Q(Q_CALL, 0, "UPDATE api_credentials SET last_used_at = ?1, last_used_ip = ?2," \
	  " win_count = CASE WHEN ?1 >= win_start + ?3 THEN 1 ELSE win_count + 1 END," \
	  " win_start = CASE WHEN ?1 >= win_start + ?3 THEN ?1 ELSE win_start END" \
	  " WHERE id = ?4 AND (?1 >= win_start + ?3 OR win_count < ?5)") \
	Q(Q_IDEM_GET, 3, "SELECT route, status, body FROM api_idempotency WHERE credential_id = ? AND idem_key = ?") \
	Q(Q_IDEM_PUT, 0, "INSERT INTO api_idempotency(credential_id, idem_key, route, status, body, created_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?)") \
	/* Keyset pages of users by id: a cursor is the last id seen, so inserts never shift a page. */ \
	Q(Q_USERS_ASC, 5, "SELECT id, tenant_id, name, email, roles FROM users WHERE tenant_id = ? AND id > ?" \
	  " ORDER BY id LIMIT ?") \
	/* A provider's invitations, newest first, after a cursor id. */ \
	Q(Q_INVITATIONS, 1, "SELECT id FROM reseller_invitations WHERE provider_id = ? AND id < ? ORDER BY id DESC LIMIT ?") \
	/* The organization behind MPN ID ?2 if it is an active reseller of provider account ?1. */ \
	Q(Q_RESELLER_BY_MPN, 1, "SELECT r.tenant_id FROM tenant_mpn_ids m" \
	  " JOIN partner_accounts r ON r.tenant_id = m.tenant_id AND r.type = 'indirect_reseller'" \
	  " JOIN provider_relationships pr ON pr.reseller_id = r.id AND pr.provider_id = ? AND pr.status = 'active'" \
	  " WHERE m.mpn_id = ?") \
	Q(Q_USERS_DESC, 5, "SELECT id, tenant_id, name, email, roles FROM users WHERE tenant_id = ? AND id < ?" \
	  " ORDER BY id DESC LIMIT ?")
SQL_AREA(api, QUERIES);

static void
read_cred(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct api_credential *)out = (struct api_credential){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .roles = (unsigned)db_i64(st, 3), .allowed_ips = db_dup(a, st, 4),
	    .created_at = db_i64(st, 5), .expires_at = db_i64(st, 6), .revoked_at = db_i64(st, 7),
	    .last_used_at = db_i64(st, 8), .last_used_ip = db_dup(a, st, 9), .win_start = db_i64(st, 10),
	    .win_count = db_i64(st, 11), .created_by = db_dup(a, st, 12) };
}

int
st_api_credential_by_hash(struct store *s, struct arena *a, const unsigned char hash[32], struct api_credential *out,
    struct session *sess)
{
	struct db_stmt *st = db_q(s, Q_BY_HASH, QB(hash, 32));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_cred(a, st, out);
		*sess = (struct session){ .tenant_id = out->tenant_id, .roles = out->roles,
		    .tenant_name = db_dup(a, st, 13), .tenant_kind = db_tenant_kind(st, 14), .country = db_dup(a, st, 15) };
		db_parse_accounts(db_text(st, 16), sess->pa);
	}
	db_done(st);
	return db_found(rc);
}

int64_t
st_api_credential_insert(struct store *s, int64_t tenant, const char *name, unsigned roles, const unsigned char hash[32],
    const char *allowed_ips, int64_t created_by, int64_t now, int64_t expires_at)
{
	return db_insert(s, Q_INSERT, QI(tenant), QT(name), QI(roles), QB(hash, 32), QTE(allowed_ips), QID(created_by),
	    QI(now), QI(expires_at));
}

int
st_api_credentials_of(struct store *s, struct arena *a, int64_t tenant, int64_t max, struct api_credential_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_OF_TENANT, QI(tenant), QI(max)), max, out, read_cred);
}

int
st_api_credential_in_tenant(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct api_credential *out)
{
	return db_one(a, db_q(s, Q_IN_TENANT, QI(id), QI(tenant)), read_cred, out);
}

int
st_api_credential_revoke(struct store *s, int64_t id, int64_t tenant, int64_t now)
{
	return db_run(s, Q_REVOKE, QI(now), QI(id), QI(tenant));
}

int
st_api_credential_call(struct store *s, int64_t id, int64_t now, const char *ip, int64_t window, int64_t rate)
{
	return db_run(s, Q_CALL, QI(now), QTE(ip), QI(window), QI(id), QI(rate));
}

int
st_api_idem_get(struct store *s, struct arena *a, int64_t credential, const char *key, const char **route, int *status,
    const char **body)
{
	struct db_stmt *st = db_q(s, Q_IDEM_GET, QI(credential), QT(key));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*route = db_dup(a, st, 0);
		*status = (int)db_i64(st, 1);
		*body = db_dup(a, st, 2);
	}
	db_done(st);
	return db_found(rc);
}

int
st_api_idem_put(struct store *s, int64_t credential, const char *key, const char *route, int status, const char *body,
    int64_t now)
{
	return db_run(s, Q_IDEM_PUT, QI(credential), QT(key), QT(route), QI(status), QT(body), QI(now)) == 1 ? 0 : -1;
}

static void
read_id(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	*(int64_t *)out = db_i64(st, 0);
}

static void
read_user_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct user_row *)out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .email = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4) };
}

int
st_users_after(struct store *s, struct arena *a, int64_t tenant, int64_t after, bool desc, int64_t limit,
    struct user_list *out)
{
	struct db_stmt *st = desc ? db_q(s, Q_USERS_DESC, QI(tenant), QI(after), QI(limit))
	    : db_q(s, Q_USERS_ASC, QI(tenant), QI(after), QI(limit));
	return DB_LIST(s, a, st, limit, out, read_user_row);
}

int
st_invitation_ids_before(struct store *s, struct arena *a, int64_t provider, int64_t before, int64_t limit,
    struct id_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_INVITATIONS, QI(provider), QI(before), QI(limit)), limit, out, read_id);
}

int64_t
st_reseller_tenant_by_mpn(struct store *s, int64_t provider, const char *mpn)
{
	return db_int(s, Q_RESELLER_BY_MPN, 0, QI(provider), QT(mpn));
}
