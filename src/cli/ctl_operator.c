/* ctl_operator.c — the program team's operator accounts (issue 19): operator add, list,
 * remove. An operator signs in to the console at /operator/signin; they choose a password
 * through the emailed link and set up a second factor at the first sign-in. Exit codes:
 * 0 done, 1 refused (the reason on stderr), 2 usage. */
#include <stdio.h>
#include <string.h>

#include "base/syntax.h"
#include "base/util.h"
#include "cli/ctl.h"
#include "domain/operators.h"
#include "domain/zones.h"
#include "mail/mail.h"

/* operator add EMAIL --role reviewer|admin [--name NAME] */
int
cmd_operator_add(struct ctl *c)
{
	const char *role_key = NULL, *name = NULL, *v;
	if (c->argc < 1)
		return EXIT_USAGE;
	for (int i = 1; i < c->argc;) {
		if ((v = ctl_option(c, &i, "--role")) != NULL)
			role_key = v;
		else if ((v = ctl_option(c, &i, "--name")) != NULL)
			name = v;
		else
			return EXIT_USAGE;
	}
	const char *email = str_lower_trim(&c->a, c->argv[0]);
	int role = op_role_parse(role_key);
	if (role < 0) {
		fprintf(stderr, "portalctl: operator add: --role is required: reviewer or admin\n");
		return EXIT_USAGE;
	}
	if (!email_valid(email)) {
		fprintf(stderr, "portalctl: operator add: '%s' is not an email address\n", c->argv[0]);
		return EXIT_USAGE;
	}
	if (name == NULL || *str_trim(&c->a, name) == '\0')
		name = email;
	else if (strlen(name) > 200 || strpbrk(name, "\r\n") != NULL) {
		fprintf(stderr, "portalctl: operator add: the name must be one line of at most 200 characters\n");
		return EXIT_USAGE;
	}
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: operator add: the database is busy\n");
		return EXIT_REFUSED;
	}
	int64_t id = 0, team = 0;
	int rc = operator_add(c->store, &c->a, email, str_trim(&c->a, name), (enum op_role)role, &id);
	if (rc == OPERATOR_EMAIL_TAKEN) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: operator add: %s already has an account (a partner's or an operator's): "
		    "an operator needs an address of their own\n", email);
		return EXIT_REFUSED;
	}
	char *link = rc == 0 ? operator_link(c->store, &c->a, c->portal->cfg.base_url, id) : NULL;
	int64_t mail = -1;
	if (link != NULL && operator_team(c->store, &c->a, &team) == 1) {
		struct tv *m = tv_new_obj(&c->a);
		tv_set(m, "name", str_trim(&c->a, name));
		tv_set(m, "email", email);
		tv_set(m, "role", op_role_key((enum op_role)role));
		tv_set(m, "link", link);
		tv_set(m, "expires", zone_time_for_address(c->store, &c->a, email, now_sec() + OPERATOR_LINK_TTL));
		mail = mail_enqueue(c->store, &c->a, c->portal, email, "operator-added", m);
	}
	if (mail >= 0)
		ctl_audit(c, team, "operator.add", email, "ok", arena_printf(&c->a, "role: %s", op_role_key((enum op_role)role)));
	if (mail < 0 || store_commit(c->store) < 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: operator add: could not add the operator (nothing changed)\n");
		return EXIT_REFUSED;
	}
	mail_deliver(&c->portal->cfg, c->store, mail);
	printf("added operator %s (%s); emailed a link to choose a password (7 days, once).\n"
	    "They sign in at %s/operator/signin and set up a second factor at the first sign-in.\n",
	    email, op_role_key((enum op_role)role), c->portal->cfg.base_url);
	return EXIT_OK;
}

/* operator list */
int
cmd_operator_list(struct ctl *c)
{
	if (c->argc != 0)
		return EXIT_USAGE;
	struct operator_list ops;
	if (operators_list(c->store, &c->a, &ops) < 0) {
		fprintf(stderr, "portalctl: operator list: cannot read the operators\n");
		return EXIT_REFUSED;
	}
	printf("%-40s %-9s %-9s %-4s %s\n", "EMAIL", "ROLE", "PASSWORD", "MFA", "LAST SIGN-IN");
	for (size_t i = 0; i < ops.n; i++) {
		const struct operator_row *o = &ops.v[i];
		printf("%-40s %-9s %-9s %-4s %s\n", o->email, o->role, o->has_password ? "set" : "not yet", o->mfa ? "yes" : "no",
		    o->last_signin_at ? fmt_stamp(&c->a, o->last_signin_at) : "never");
	}
	return EXIT_OK;
}

/* operator remove EMAIL */
int
cmd_operator_remove(struct ctl *c)
{
	if (c->argc != 1)
		return EXIT_USAGE;
	const char *email = str_lower_trim(&c->a, c->argv[0]);
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: operator remove: the database is busy\n");
		return EXIT_REFUSED;
	}
	int64_t id = 0, team = 0;
	int rc = operator_remove(c->store, &c->a, email, &id);
	if (rc == 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: operator remove: no operator has the address %s\n", email);
		return EXIT_REFUSED;
	}
	if (rc > 0 && operator_team(c->store, &c->a, &team) == 1)
		ctl_audit(c, team, "operator.remove", email, "ok", NULL);
	if (rc < 0 || team == 0 || store_commit(c->store) < 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: operator remove: could not remove the operator (nothing changed)\n");
		return EXIT_REFUSED;
	}
	printf("removed operator %s: signed out everywhere, their links no longer work.\n", email);
	return EXIT_OK;
}
