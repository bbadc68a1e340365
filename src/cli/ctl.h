/* ctl.h — what portalctl's commands share: the command context and exit codes. The
 * commands live in portalctl.c (data directory, mail, keys), ctl_enroll.c (enrollments,
 * approve, reject, mpn import, create-partner), ctl_offers.c (offers import, offers list)
 * and ctl_demo.c (demo). */
#ifndef CTL_H
#define CTL_H

#include <stdint.h>

#include "base/arena.h"
#include "base/portal.h"
#include "store/store.h"

#define EXIT_OK 0
#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_SETUP 3	/* the installation: settings, templates, data, keys or database unusable */

struct ctl {
	const struct portal *portal;
	struct store *store;
	struct arena a;
	int argc;
	char **argv;			/* the command's own arguments */
};

/* Writes an audit entry by the operator (actor "operator"), in the open transaction. */
void ctl_audit(struct ctl *c, int64_t tenant_id, const char *action, const char *target, const char *outcome,
    const char *detail);
/* Takes "--name VALUE" or "--name=VALUE" at argv[*i]; returns VALUE and advances *i, or NULL. */
const char *ctl_option(struct ctl *c, int *i, const char *name);

/* Reads the whole file at path (at most max bytes) into the arena, NUL-terminated. Returns
 * the text with *len, or NULL after saying why on stderr ("portalctl: what: ..."). */
char *ctl_read_file(struct ctl *c, const char *what, const char *path, size_t max, size_t *len);
/* Says on stderr why an importer (domain/import.h) refused the file at path: rc -1, the
 * database refused it; rc 1, its numbered problems (at most shown of them, then how many
 * more). Either way "nothing was imported". Returns EXIT_REFUSED. */
int ctl_import_refused(const char *what, const char *path, int rc, const char *const *errors, int nerrors, int shown);

/* What an operator-created partner organization is made of (create-partner, demo). */
struct partner_spec {
	int type;			/* enum partner_type: indirect provider, direct bill (demo: also
				 * indirect reseller); -1: not given or not a partner type */
	const char *org, *domain, *country;
	const char *admin_email, *admin_name;
	const char *legal_name, *address1, *city, *postal_code, *phone;
	const char *support_email, *support_phone, *website;
	const char *mpn_id;		/* an MPN profile to link, or NULL */
};
/* Creates the tenant, its first user (Global admin, and Admin agent unless the type is
 * indirect_reseller, whose first user gets it on approval; password hash pw_hash),
 * the legal profile (contact verified: the operator vouches) and, unless type is
 * indirect_reseller, an approved partner account — in the caller's transaction. Returns
 * NULL and the ids, or why not (nothing is committed by the caller then). */
const char *ctl_create_partner(struct ctl *c, const struct partner_spec *p, const char *pw_hash,
    int64_t *tenant_id, int64_t *user_id, int64_t *account_id);

int cmd_doctor(struct ctl *c);
int cmd_counts(struct ctl *c);
int cmd_enrollments(struct ctl *c);
int cmd_approve(struct ctl *c);
int cmd_reject(struct ctl *c);
int cmd_mpn_import(struct ctl *c);
int cmd_create_partner(struct ctl *c);
int cmd_demo(struct ctl *c);
int cmd_offers_import(struct ctl *c);
int cmd_offers_list(struct ctl *c);
int cmd_security_require_mfa(struct ctl *c);
int cmd_security_status(struct ctl *c);
/* issue 19: the program team's operators (ctl_operator.c) */
int cmd_operator_add(struct ctl *c);
int cmd_operator_list(struct ctl *c);
int cmd_operator_remove(struct ctl *c);
/* Re-seals every stored TOTP secret under the current key (after rotate-key), saying how
 * many on stdout. 0 or -1. */
int ctl_mfa_reseal(struct ctl *c);

#endif
