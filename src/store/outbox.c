/* outbox.c — the mail outbox (store.h, "outbox"): messages are written with the action's
 * transaction and delivered after it commits. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO outbox(created_at, to_addr, subject, template, message) VALUES (?, ?, ?, ?, ?)") \
	Q(Q_GET, 1, "SELECT message FROM outbox WHERE id = ? AND sent_at IS NULL AND message IS NOT NULL") \
	Q(Q_CLAIM, 0, "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND sent_at IS NULL" \
	  " AND (claimed_until IS NULL OR claimed_until < ?)") \
	Q(Q_SENT, 0, "UPDATE outbox SET sent_at = ?, message = NULL, attempts = attempts + 1, last_error = NULL," \
	  " claimed_by = NULL, claimed_until = NULL WHERE id = ? AND sent_at IS NULL AND claimed_by = ?") \
	Q(Q_FAILED, 0, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_by = NULL, claimed_until = NULL" \
	  " WHERE id = ? AND claimed_by = ?") \
	Q(Q_UNSENT, 1, "SELECT id FROM outbox WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)" \
	  " ORDER BY id LIMIT ?") \
	Q(Q_LIST, 7, "SELECT id, created_at, to_addr, subject, coalesce(sent_at, 0), attempts, coalesce(last_error, '')" \
	  " FROM outbox ORDER BY id DESC LIMIT ?") \
	Q(Q_SIGNUP_MAILS, 1, "SELECT count(*) FROM outbox WHERE to_addr = ? AND created_at > ?" \
	  " AND template IN ('signup-confirm', 'signup-exists')") \
	Q(Q_INSERT_CLAIMED, 0, "INSERT INTO outbox(created_at, to_addr, subject, template, message, claimed_by, claimed_until)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_OWN, 1, "SELECT message FROM outbox WHERE id = ? AND sent_at IS NULL AND message IS NOT NULL" \
	  " AND claimed_by = ? AND claimed_until > ?")
SQL_AREA(outbox, QUERIES);

int64_t
st_outbox_insert(struct store *s, int64_t now, const char *to, const char *subject, const char *tmpl,
    const char *message)
{
	return db_insert(s, Q_INSERT, QI(now), QT(to), QT(subject), QT(tmpl), QB(message, strlen(message)));
}

int64_t
st_outbox_signup_mails(struct store *s, const char *to, int64_t since)
{
	return db_int(s, Q_SIGNUP_MAILS, -1, QT(to), QI(since));
}

static int
read_blob(struct db_stmt *st, char **message, size_t *len)
{
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? 0 : -1;
	}
	const void *bytes = db_bytes(st, 0, len);
	*message = malloc(*len + 1);
	if (*message != NULL) {
		memcpy(*message, bytes, *len);
		(*message)[*len] = '\0';
	}
	db_done(st);
	return *message != NULL ? 1 : -1;
}

int
st_outbox_message(struct store *s, int64_t id, char **message, size_t *len)
{
	return read_blob(db_q(s, Q_GET, QI(id)), message, len);
}

int64_t
st_outbox_insert_claimed(struct store *s, int64_t now, const char *to, const char *subject, const char *tmpl,
    const char *message, const char *by, int64_t until)
{
	return db_insert(s, Q_INSERT_CLAIMED, QI(now), QT(to), QT(subject), QT(tmpl), QB(message, strlen(message)), QT(by),
	    QI(until));
}

int
st_outbox_own_message(struct store *s, int64_t id, const char *by, int64_t now, char **message, size_t *len)
{
	return read_blob(db_q(s, Q_OWN, QI(id), QT(by), QI(now)), message, len);
}

int
st_outbox_claim(struct store *s, int64_t id, const char *by, int64_t now, int64_t until)
{
	return db_run(s, Q_CLAIM, QT(by), QI(until), QI(id), QI(now));
}

int
st_outbox_sent(struct store *s, int64_t id, const char *by, int64_t now)
{
	return db_run(s, Q_SENT, QI(now), QI(id), QT(by));
}

int
st_outbox_failed(struct store *s, int64_t id, const char *by, const char *error)
{
	return db_run(s, Q_FAILED, QT(error), QI(id), QT(by));
}

int
st_outbox_unsent(struct store *s, int64_t now, int64_t *ids, int max)
{
	struct db_stmt *st = db_q(s, Q_UNSENT, QI(now), QI(max));
	int n = 0;
	while (n < max && db_step(st) == DB_ROW)
		ids[n++] = db_i64(st, 0);
	db_done(st);
	return store_failed(s) ? -1 : n;
}

static void
read_message(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct outbox_row *)out = (struct outbox_row){ .id = db_i64(st, 0), .created_at = db_i64(st, 1),
	    .to = db_dup(a, st, 2), .subject = db_dup(a, st, 3), .sent_at = db_i64(st, 4), .attempts = db_i64(st, 5),
	    .last_error = db_dup(a, st, 6) };
}

int
st_outbox_list(struct store *s, struct arena *a, int64_t limit, struct outbox_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_LIST, QI(limit)), limit > 0 ? limit : 0, out, read_message);
}
