/* operator.c — /operator: the program owner's console (issue 19). Its sign-in (the partner
 * sign-in's code, for operator accounts only: pages/signin.c) and its home page. Every page
 * here has an operator permission in routes.def; the dispatcher keeps partner sessions out
 * and operator sessions in (route_console_ok). */
#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/operators.h"
#include "pages/console_parts.h"
#include "pages/signin.h"
#include "web/page.h"

/* GET /operator/signin — email, password; ?next= a console page. Public. */
int
page_op_signin(struct req *r)
{
	return signin_console_form(r);
}

/* POST /operator/signin — email, password, next. Operator accounts only (a partner's account
 * gets the answer of a wrong password); throttled as /signin; the second factor next. */
int
page_op_signin_post(struct req *r)
{
	return signin_submit(r, true);
}

/* GET /operator — the console's home: who is on the program team. OP_CONSOLE. */
int
page_op_home(struct req *r)
{
	struct operator_list ops;
	if (operators_list(r->store, r->a, &ops) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Program console"));
	tv_set(ctx, "zone", page_zone(r));	/* issue 15 */
	struct tv *list = tv_list(ctx, "operators");
	for (size_t i = 0; i < ops.n; i++) {
		struct tv *o = tv_push(list);
		tv_set(o, "name", ops.v[i].name);
		tv_set(o, "email", ops.v[i].email);
		tv_set(o, "role", str_eq(ops.v[i].role, "admin") ? _("admin") : str_eq(ops.v[i].role, "reviewer") ? _("reviewer") : ops.v[i].role);
		tv_setb(o, "mfa", ops.v[i].mfa);
		tv_set(o, "last_signin", ops.v[i].last_signin_at ? page_time(r, ops.v[i].last_signin_at) : _("Never"));
	}
	return page_render(r, 200, "operator/home", ctx);
}

void
console_users_tv(struct req *r, struct tv *ctx, const char *name, const struct user_list *l)
{
	struct tv *list = tv_list(ctx, name);
	for (size_t i = 0; i < l->n; i++) {
		struct tv *u = tv_push(list);
		tv_set(u, "name", l->v[i].name);
		tv_set(u, "email", l->v[i].email);
		tv_set(u, "roles", roles_local(r->a, l->v[i].roles));
	}
}

void
console_events_tv(struct req *r, struct tv *ctx, const char *name, const struct console_event_list *l)
{
	struct tv *list = tv_list(ctx, name);
	for (size_t i = 0; i < l->n; i++) {
		struct tv *e = tv_push(list);
		tv_set(e, "at", page_time(r, l->v[i].at));
		tv_set(e, "actor", l->v[i].actor);
		tv_set(e, "action", l->v[i].action);
		tv_set(e, "target", l->v[i].target);
		tv_set(e, "outcome", l->v[i].outcome);
		tv_set(e, "detail", l->v[i].detail);
	}
}
