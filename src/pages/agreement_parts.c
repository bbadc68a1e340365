/* agreement_parts.c — the partner agreement's parts of other pages: the overview's banner,
 * the Program info row, whom to ask (pages/agreement.h). */
#include "base/i18n.h"
#include "pages/agreement.h"

#include "domain/session.h"
#include "domain/words.h"
#include "base/util.h"

int
agreement_global_admins(struct req *r, struct tv *ctx, const char *key)
{
	struct user_list admins;
	if (agreement_acceptors(r->store, r->a, r->sess->tenant_id, &admins) < 0)
		return -1;
	struct tv *list = tv_list(ctx, key);
	struct buf line;
	buf_init(&line, ctx->a);
	for (size_t i = 0; i < admins.n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "name", admins.v[i].name);
		tv_set(it, "email", admins.v[i].email);
		buf_printf(&line, "%s%s (%s)", i ? ", " : "", admins.v[i].name, admins.v[i].email);
	}
	buf_putc(&line, '\0');
	tv_set(ctx, arena_printf(ctx->a, "%s_text", key), line.failed ? "" : line.p);
	return (int)admins.n;
}

bool
agreement_applies(const struct req *r)
{
	return r->sess != NULL && r->sess->tenant_kind != TENANT_CUSTOMER && session_in_program(r->sess);
}

/* The signed-in user may accept the agreement (the form on /agreement). */
static bool
may_accept(const struct req *r)
{
	return route_allows(r->sess, &routes[R_AGREEMENT_POST]);
}

/* Reads the organization's agreement state, if it is in the program, and fills ctx. */
static void
with_state(struct req *r, struct tv *ctx, void (*fill)(struct req *, struct tv *, const struct agreement_state *))
{
	struct agreement_state s;
	if (agreement_applies(r) && agreement_state(r->store, r->a, r->sess->tenant_id, &s) == 0)
		fill(r, ctx, &s);
}

void
agreement_banner_ctx(struct req *r, struct tv *ctx)
{
	with_state(r, ctx, agreement_banner_fill);
}

void
agreement_banner_fill(struct req *r, struct tv *ctx, const struct agreement_state *st)
{
	if (!agreement_applies(r) || !st->published)
		return;
	const struct agreement_state s = *st;
	struct tv *b = tv_obj(ctx, "agreement_banner");
	tv_set(b, "name", words_agreement());
	tv_set(b, "program", words_program());
	tv_set(b, "org", r->sess->tenant_name);
	tv_set(b, "version", s.version);
	tv_set(b, "published", fmt_date(r->a, s.published_at));
	tv_setb(b, "accepted", s.accepted);
	if (s.accepted_version_id != 0) {
		tv_set(b, "signer", s.signer_name);
		tv_set(b, "date", fmt_date(r->a, s.accepted_at));
		if (!s.accepted)
			tv_set(b, "older_version", s.accepted_version);
	}
	if (!s.accepted) {
		tv_setb(b, "can_accept", may_accept(r));
		if (!may_accept(r))
			agreement_global_admins(r, b, "admins");
	}
}

void
agreement_program_info_ctx(struct req *r, struct tv *ctx)
{
	with_state(r, ctx, agreement_program_info_fill);
}

void
agreement_program_info_fill(struct req *r, struct tv *ctx, const struct agreement_state *st)
{
	if (!agreement_applies(r))
		return;
	const struct agreement_state s = *st;
	struct tv *p = tv_obj(ctx, "agreement_info");
	tv_set(p, "name", words_agreement());
	tv_setb(p, "published", s.published);
	tv_set(p, "version", s.version);
	tv_setb(p, "signed", s.accepted);
	if (s.accepted_version_id != 0) {
		tv_set(p, "signer", s.signer_name);
		tv_set(p, "signer_title", s.signer_title);
		tv_set(p, "date", fmt_date(r->a, s.accepted_at));
		if (!s.accepted)
			tv_set(p, "older_version", s.accepted_version);
	}
	tv_setb(p, "can_accept", s.published && !s.accepted && may_accept(r));
}
