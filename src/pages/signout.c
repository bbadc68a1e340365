/* signout.c — /signout: ends the session. */
#include "domain/session.h"
#include "web/page.h"

/* POST /signout — ends the session on the server and forgets the cookie. */
int
page_signout_post(struct req *r)
{
	if (tx_begin(r) < 0 || session_end(r->store, r->sess->id) < 0)
		return page_error(r, 500, NULL);
	audit(r, "signout", r->sess->email, "ok", NULL);
	resp_cookie(r, "sid", "", "/", 0);
	return resp_redirect(r, "/signin?m=signed-out");
}
