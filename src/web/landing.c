/* landing.c — see landing.h. */
#include "web/landing.h"

#include <string.h>

#include "base/token.h"

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
