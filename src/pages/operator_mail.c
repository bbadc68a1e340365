/* operator_mail.c — /operator/mail: the mail outbox in the console (issue 19, item 6): the
 * messages not delivered yet (queued, and failed with their last error), and Retry, which
 * delivers every one of them no process is delivering already, right after the answer, as a
 * request's own mail is (portalctl mail retry does the same from a terminal). */
#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/console.h"
#include "web/page.h"

#define RETRY_MAX 500

/* GET /operator/mail. OP_CONSOLE. */
int
page_op_mail(struct req *r)
{
	struct outbox_list l;
	int64_t total = 0;
	if (console_outbox(r->store, r->a, &l, &total) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Mail outbox"));
	tv_seti(ctx, "total", total);
	struct tv *rows = tv_list(ctx, "messages");
	for (size_t i = 0; i < l.n; i++) {
		const struct outbox_row *m = &l.v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", m->id);
		tv_set(row, "queued", page_time(r, m->created_at));
		tv_set(row, "to", m->to);
		tv_set(row, "subject", m->subject);
		tv_seti(row, "attempts", m->attempts);
		tv_set(row, "state", m->attempts > 0 && *m->last_error ? "failed" : "queued");
		tv_set(row, "error", m->last_error);
	}
	tv_setb(ctx, "more", (int64_t)l.n < total);
	tv_setb(ctx, "may_retry", total > 0 && route_allows(r->sess, &routes[R_OP_MAIL_RETRY_POST]));
	return page_render(r, 200, "operator/mail", ctx);
}

/* POST /operator/mail/retry — delivers the undelivered messages after the answer. OP_ADMIN. */
int
page_op_mail_retry_post(struct req *r)
{
	int64_t ids[RETRY_MAX];
	int n = console_outbox_pending(r->store, now_sec(), ids, RETRY_MAX);
	if (n < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	for (int i = 0; i < n; i++)
		if (page_mail_later(r, ids[i]) < 0)
			return page_error(r, 500, NULL);
	audit(r, "mail.retry", arena_printf(r->a, "%d message%s", n, n == 1 ? "" : "s"), "ok", NULL);
	return resp_redirect(r, "/operator/mail?m=mail-retried");
}
