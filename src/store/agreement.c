/* agreement.c — the partner agreement: its published versions and the organizations'
 * acceptances (store.h, "agreement"). Both tables are append-only (schema.sql). */
#include "store/db.h"

/* The current version: the one published last. */
#define SQL_CURRENT " FROM agreement_versions ORDER BY id DESC LIMIT 1"

#define QUERIES(Q) \
	Q(Q_CURRENT, 4, "SELECT id, version, published_at, body" SQL_CURRENT) \
	Q(Q_STANDING, 10, "SELECT v.id, v.version, v.published_at, coalesce(a.version_id, 0), coalesce(av.version, '')," \
	  " a.signer_first, a.signer_last, a.signer_email, a.signer_title, coalesce(a.accepted_at, 0)" \
	  " FROM (SELECT id, version, published_at" SQL_CURRENT ") v" \
	  " LEFT JOIN (SELECT version_id, signer_first, signer_last, signer_email, signer_title, accepted_at" \
	  "   FROM agreement_acceptances WHERE tenant_id = ? ORDER BY version_id DESC LIMIT 1) a ON 1 = 1" \
	  " LEFT JOIN agreement_versions av ON av.id = a.version_id") \
	Q(Q_ACCEPT, 0, "INSERT INTO agreement_acceptances(tenant_id, version_id, signer_first, signer_last, signer_email," \
	  " signer_phone, signer_title, user_id, accepted_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" \
	  " ON CONFLICT (tenant_id, version_id) DO NOTHING") \
	Q(Q_VERSION_TAKEN, 1, "SELECT 1 FROM agreement_versions WHERE version = ?") \
	Q(Q_PUBLISH, 0, "INSERT INTO agreement_versions(version, body, published_at) VALUES (?, ?, ?)") \
	Q(Q_PENDING_ORGS, 1, "SELECT count(DISTINCT p.tenant_id) FROM partner_accounts p WHERE NOT EXISTS" \
	  " (SELECT 1 FROM agreement_acceptances a WHERE a.tenant_id = p.tenant_id AND a.version_id = ?)") \
	Q(Q_VERSIONS_COUNT, 1, "SELECT count(*) FROM agreement_versions") \
	Q(Q_VERSIONS, 5, "SELECT v.id, v.version, v.published_at, length(v.body)," \
	  " (SELECT count(*) FROM agreement_acceptances a WHERE a.version_id = v.id)" \
	  " FROM agreement_versions v ORDER BY v.id DESC")
SQL_AREA(agreement, QUERIES);

static void
read_current(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct agreement_version *)out = (struct agreement_version){ .id = db_i64(st, 0), .version = db_dup(a, st, 1),
	    .published_at = db_i64(st, 2), .body = db_dup(a, st, 3) };
}

int
st_agreement_current(struct store *s, struct arena *a, struct agreement_version *out)
{
	return db_one(a, db_q0(s, Q_CURRENT), read_current, out);
}

static void
read_version(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct agreement_version *)out = (struct agreement_version){ .id = db_i64(st, 0), .version = db_dup(a, st, 1),
	    .published_at = db_i64(st, 2), .bytes = db_i64(st, 3), .accepted = db_i64(st, 4) };
}

int
st_agreement_versions(struct store *s, struct arena *a, struct agreement_version_list *out)
{
	int64_t n = db_int0(s, Q_VERSIONS_COUNT, -1);
	return DB_LIST(s, a, db_q0(s, Q_VERSIONS), n, out, read_version);
}

int
st_agreement_version_taken(struct store *s, const char *version)
{
	int64_t taken = db_int(s, Q_VERSION_TAKEN, 0, QT(version));
	return store_failed(s) ? -1 : taken != 0;
}

int64_t
st_agreement_publish(struct store *s, const char *version, const char *body, int64_t now)
{
	return db_insert(s, Q_PUBLISH, QT(version), QT(body), QI(now));
}

int
st_agreement_standing(struct store *s, struct arena *a, int64_t tenant, struct agreement_version *current,
    struct agreement_acceptance *latest)
{
	struct db_stmt *st = db_q(s, Q_STANDING, QI(tenant));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*current = (struct agreement_version){ .id = db_i64(st, 0), .version = db_dup(a, st, 1),
		    .published_at = db_i64(st, 2) };
		*latest = (struct agreement_acceptance){ .version_id = db_i64(st, 3), .version = db_dup(a, st, 4),
		    .first = db_dup(a, st, 5), .last = db_dup(a, st, 6), .email = db_dup(a, st, 7),
		    .title = db_dup(a, st, 8), .accepted_at = db_i64(st, 9) };
	}
	db_done(st);
	return db_found(rc);
}

int
st_agreement_accept(struct store *s, int64_t tenant, const struct agreement_acceptance *acc)
{
	return db_run(s, Q_ACCEPT, QI(tenant), QI(acc->version_id), QT(acc->first), QT(acc->last), QT(acc->email),
	    QT(acc->phone), QT(acc->title), QI(acc->user_id), QI(acc->accepted_at), QTE(acc->ip));
}

int64_t
st_agreement_pending_orgs(struct store *s, int64_t version_id)
{
	return db_int(s, Q_PENDING_ORGS, -1, QI(version_id));
}
