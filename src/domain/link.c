/* link.c — see link.h. */
#include "domain/link.h"

#include "base/i18n.h"
#include "base/util.h"

char *
link_issue(struct store *s, struct arena *a, enum token_purpose p, int64_t subject, int64_t ttl_seconds)
{
	int64_t now = now_sec(), expires = now + ttl_seconds;
	int64_t id = st_link_insert(s, token_purpose_name(p), subject, now, expires);
	return id > 0 ? token_make(a, p, id, expires) : NULL;
}

const char *
link_check(struct store *s, const char *text, enum token_purpose p, int64_t *subject, struct token *t)
{
	if (text == NULL)
		return _("This page needs the link from your email. Open the link in the most recent email again.");
	enum token_error e = token_open(text, p, now_sec(), t);
	if (e != TOKEN_OK)
		return token_error_text(e);
	struct link_row row;
	if (st_link_get(s, t->row, token_purpose_name(p), &row) != 1)
		return token_error_text(TOKEN_BAD_MAC);
	if (row.used)
		return _("This link has already been used. Each link works once.");
	if ((row.revoked || row.expires_at != t->expires) && (p == TP_PASSWORD_RESET || p == TP_SET_PASSWORD))
		return _("This link was replaced by a newer one, or the password has been changed since it was sent."
		    " Use the link in the most recent email, or ask for a new one.");
	if (row.revoked || row.expires_at != t->expires)
		return _("This link was replaced by a newer one. Use the link in the most recent email.");
	*subject = row.subject_id;
	return NULL;
}

bool
link_use(struct store *s, const struct token *t)
{
	return st_link_use(s, t->row, token_purpose_name(t->purpose), t->expires, now_sec()) == 1;
}

int
link_revoke(struct store *s, enum token_purpose p, int64_t subject)
{
	return st_links_revoke(s, token_purpose_name(p), subject, now_sec()) < 0 ? -1 : 0;
}
