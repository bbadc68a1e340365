/* link.c — see link.h. */
#include "domain/link.h"

#include <string.h>

#include "store/db.h"
#include "base/util.h"

char *
link_issue_db(struct db *db, struct arena *a, enum token_purpose p, int64_t subject, int64_t ttl_seconds)
{
	int64_t now = now_sec(), expires = now + ttl_seconds;
	const char *purpose = token_purpose_name(p);
	if (db_run(db, Q_LINK_REVOKE_SUBJECT, QI(now), QT(purpose), QI(subject)) < 0 ||
	    db_run(db, Q_LINK_INSERT, QT(purpose), QI(subject), QI(now), QI(expires)) != 1)
		return NULL;
	return token_make(a, p, db_last_id(db), expires);
}

char *
link_issue(struct req *r, enum token_purpose p, int64_t subject, int64_t ttl_seconds)
{
	return link_issue_db(r->db, r->a, p, subject, ttl_seconds);
}

#define LANDING_COOKIE "tok"

int
link_landing(struct req *r)
{
	const char *t = req_query(r, "t");
	if (t == NULL)
		return 0;
	/* Only something shaped like a token is worth keeping; anything else is dropped and
	 * the page reports the link as not valid. */
	if (strlen(t) == TOKEN_TEXT_LEN && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == TOKEN_TEXT_LEN)
		resp_cookie(r, LANDING_COOKIE, t, r->path, 3600);
	else
		resp_cookie(r, LANDING_COOKIE, "invalid", r->path, 3600);
	return resp_redirect(r, r->path);
}

const char *
link_current(struct req *r)
{
	const char *t = req_form(r, "t");
	if (t != NULL)
		return t;
	/* Scoped to this path, the browser sends only ours. */
	return params_get(&r->cookies, LANDING_COOKIE);
}

void
link_forget(struct req *r)
{
	resp_cookie(r, LANDING_COOKIE, "", r->path, 0);
}

const char *
link_check(struct db *db, const char *text, enum token_purpose p, int64_t *subject, struct token *t)
{
	if (text == NULL)
		return "This page needs the link from your email. Open the link in the most recent email again.";
	enum token_error e = token_open(text, p, now_sec(), t);
	if (e != TOKEN_OK)
		return token_error_text(e);
	sqlite3_stmt *st = db_q(db, Q_LINK_GET, QI(t->row), QT(token_purpose_name(p)));
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return token_error_text(TOKEN_BAD_MAC);
	}
	int64_t subj = db_i64(st, 0), expires = db_i64(st, 1);
	bool used = !db_is_null(st, 2), revoked = !db_is_null(st, 3);
	sqlite3_reset(st);
	if (used)
		return "This link has already been used. Each link works once.";
	if (revoked || expires != t->expires)
		return "This link was replaced by a newer one. Use the link in the most recent email.";
	*subject = subj;
	return NULL;
}

bool
link_use(struct db *db, const struct token *t)
{
	return db_run(db, Q_LINK_USE, QI(now_sec()), QI(t->row), QT(token_purpose_name(t->purpose)),
	    QI(t->expires)) == 1;
}
