/* ctl_security.c — `portalctl security require-mfa on|off` and `portalctl security status`:
 * the program-wide requirement of multi-factor sign-in (program_settings 'require_mfa'; on
 * for a new installation, see domain/setup.h), and after `rotate-key`, re-sealing the
 * stored TOTP secrets under the new key (ctl_mfa_reseal). */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/ctl.h"
#include "domain/mfa.h"
#include "domain/webhooks.h"

/* security require-mfa on|off */
int
cmd_security_require_mfa(struct ctl *c)
{
	if (c->argc != 1 || (strcmp(c->argv[0], "on") != 0 && strcmp(c->argv[0], "off") != 0))
		return EXIT_USAGE;
	bool on = strcmp(c->argv[0], "on") == 0;
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: security: the database is busy\n");
		return EXIT_REFUSED;
	}
	int was = mfa_program_required(c->store, &c->a);
	if (was < 0 || mfa_set_program_required(c->store, on) < 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: security: cannot write the setting\n");
		return EXIT_REFUSED;
	}
	if ((was != 0) != on)
		ctl_audit(c, 0, "security.require_mfa", "program", "ok", on ? "on" : "off");
	if (store_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: security: the database refused the change\n");
		return EXIT_REFUSED;
	}
	printf("multi-factor sign-in is now %s program-wide%s\n", on ? "required" : "not required",
	    on ? ": users without it are sent to set it up after their password" : " (organizations may still require it)");
	return EXIT_OK;
}

/* security status */
int
cmd_security_status(struct ctl *c)
{
	if (c->argc != 0)
		return EXIT_USAGE;
	int on = mfa_program_required(c->store, &c->a);
	struct mfa_counts n;
	if (on < 0 || st_mfa_counts(c->store, &c->a, &n) < 0) {
		fprintf(stderr, "portalctl: security: cannot read the settings\n");
		return EXIT_REFUSED;
	}
	printf("require-mfa (program-wide): %s\n", on ? "on" : "off");
	printf("organizations requiring it themselves: %lld\n", (long long)n.orgs_requiring);
	printf("users with multi-factor sign-in: %lld of %lld\n", (long long)n.users_with_mfa, (long long)n.users);
	return EXIT_OK;
}

int
ctl_mfa_reseal(struct ctl *c)
{
	int lost = 0;
	if (store_begin_write(c->store) < 0)
		return -1;
	int n = mfa_reseal_all(c->store, &c->a, &lost);
	/* issue 14: the webhook endpoints' signing secrets are sealed the same way */
	int wlost = 0, w = n < 0 ? -1 : webhook_reseal_all(c->store, &wlost);
	if (n < 0 || w < 0 || store_commit(c->store) < 0) {
		store_rollback(c->store);
		return -1;
	}
	printf("%d webhook signing secret%s sealed again under the new key", w, w == 1 ? "" : "s");
	if (wlost)
		printf("; %d could not be opened (their key was retired): make those endpoints again", wlost);
	printf(".\n");
	printf("%d TOTP secret%s sealed again under the new key", n, n == 1 ? "" : "s");
	if (lost)
		printf("; %d could not be opened (their key was retired): those users must set up MFA again", lost);
	printf(".\n");
	return 0;
}
