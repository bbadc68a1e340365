/* links.c — rows behind emailed single-use links (store.h, "links"). */
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO link_tokens(purpose, subject_id, created_at, expires_at) VALUES (?, ?, ?, ?)") \
	Q(Q_GET, 4, "SELECT subject_id, expires_at, used_at IS NOT NULL, revoked_at IS NOT NULL FROM link_tokens" \
	  " WHERE id = ? AND purpose = ?") \
	Q(Q_USE, 0, "UPDATE link_tokens SET used_at = ?1 WHERE id = ?2 AND purpose = ?3 AND expires_at = ?4" \
	  " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?1") \
	Q(Q_REVOKE_SUBJECT, 0, "UPDATE link_tokens SET revoked_at = ? WHERE purpose = ? AND subject_id = ?" \
	  " AND used_at IS NULL AND revoked_at IS NULL")
SQL_AREA(links, QUERIES);

int64_t
st_link_insert(struct store *s, const char *purpose, int64_t subject, int64_t now, int64_t expires)
{
	if (st_links_revoke(s, purpose, subject, now) < 0)
		return -1;
	return db_insert(s, Q_INSERT, QT(purpose), QI(subject), QI(now), QI(expires));
}

static void
read_link(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	*(struct link_row *)out = (struct link_row){ .subject_id = db_i64(st, 0), .expires_at = db_i64(st, 1),
	    .used = db_i64(st, 2) != 0, .revoked = db_i64(st, 3) != 0 };
}

int
st_link_get(struct store *s, int64_t id, const char *purpose, struct link_row *out)
{
	return db_one(NULL, db_q(s, Q_GET, QI(id), QT(purpose)), read_link, out);
}

int
st_link_use(struct store *s, int64_t id, const char *purpose, int64_t expires, int64_t now)
{
	return db_run(s, Q_USE, QI(now), QI(id), QT(purpose), QI(expires));
}

int
st_links_revoke(struct store *s, const char *purpose, int64_t subject, int64_t now)
{
	return db_run(s, Q_REVOKE_SUBJECT, QI(now), QT(purpose), QI(subject));
}
