/* operator.c — /operator: the program owner's console (issue 19). Its sign-in (the partner
 * sign-in's code, for operator accounts only: pages/signin.c) and its home page. Every page
 * here has an operator permission in routes.def; the dispatcher keeps partner sessions out
 * and operator sessions in (route_console_ok). */
#include "base/util.h"
#include "domain/access.h"
#include "domain/operators.h"
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
	struct tv *ctx = page_ctx(r, "Program console");
	struct tv *list = tv_list(ctx, "operators");
	for (size_t i = 0; i < ops.n; i++) {
		struct tv *o = tv_push(list);
		tv_set(o, "name", ops.v[i].name);
		tv_set(o, "email", ops.v[i].email);
		tv_set(o, "role", ops.v[i].role);
		tv_setb(o, "mfa", ops.v[i].mfa);
		tv_set(o, "last_signin", ops.v[i].last_signin_at ? fmt_datetime(r->a, ops.v[i].last_signin_at) : "Never");
	}
	return page_render(r, 200, "operator/home", ctx);
}
