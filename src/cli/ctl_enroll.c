/* ctl_enroll.c — the operator's enrollment commands (SPEC §4): enrollments, approve,
 * reject, mpn import, create-partner. Exit codes: 0 done, 1 refused by a rule (the reason
 * on stderr), 2 usage. Every change is one transaction with its audit entry and email. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "cli/ctl.h"
#include "store/db.h"
#include "domain/audit.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "mail/mail.h"
#include "domain/mpn_import.h"
#include "domain/accounts.h"
#include "base/util.h"
#include "domain/words.h"

void
ctl_audit(struct ctl *c, int64_t tenant_id, const char *action, const char *target, const char *outcome,
    const char *detail)
{
	struct audit_row row = { .at = now_sec(), .tenant_id = tenant_id, .actor = "operator", .action = action,
	    .target = target, .outcome = outcome, .detail = detail };
	audit_write(c->store, &row);
}

const char *
ctl_option(struct ctl *c, int *i, const char *name)
{
	const char *arg = c->argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=') {
		(*i)++;
		return arg + n + 1;
	}
	if (arg[n] == '\0' && *i + 1 < c->argc) {
		*i += 2;
		return c->argv[*i - 1];
	}
	return NULL;
}

/* enrollments [--status S] — a table of partner enrollments, oldest submission first. */
int
cmd_enrollments(struct ctl *c)
{
	const char *status = NULL;
	for (int i = 0; i < c->argc;) {
		if ((status = ctl_option(c, &i, "--status")) == NULL)
			return EXIT_USAGE;
	}
	if (status != NULL && pa_status_parse(status) < 0) {
		fprintf(stderr, "portalctl: enrollments: unknown status '%s' (draft, pending_verification, in_review, approved, rejected)\n", status);
		return EXIT_USAGE;
	}
	sqlite3_stmt *st = db_q(c->store, Q_ENROLLMENTS, QT(status));
	int n = 0;
	printf("%-5s %-32s %-7s %-18s %-21s %s\n", "ID", "ORGANIZATION", "COUNTRY", "TYPE", "STATUS", "SUBMITTED");
	while (db_step(st) == SQLITE_ROW) {
		int64_t sub = db_i64(st, 5);
		printf("%-5lld %-32.32s %-7s %-18s %-21s %s\n", (long long)db_i64(st, 0), db_text(st, 1), db_text(st, 2),
		    db_text(st, 3), db_text(st, 4), sub ? fmt_datetime(&c->a, sub) : "-");
		n++;
	}
	sqlite3_reset(st);
	if (n == 0)
		printf("(no enrollments%s%s)\n", status ? " with status " : "", status ? status : "");
	return EXIT_OK;
}

/* approve ID / reject ID --reason R: one transaction — the status change (enroll_apply),
 * the audit entry, the email to the primary contact; the email is delivered after commit. */
static int
decide(struct ctl *c, enum pa_status to, const char *reason)
{
	int64_t id;
	if (c->argc < 1 || parse_i64(c->argv[0], 1, INT64_MAX, &id) < 0)
		return EXIT_USAGE;
	const char *cmd = to == PA_APPROVED ? "approve" : "reject";
	if (db_begin(c->store) < 0) {
		fprintf(stderr, "portalctl: %s: the database is busy\n", cmd);
		return EXIT_REFUSED;
	}
	struct pa_change ch;
	const char *why = enroll_apply(c->store, &c->a, id, to, reason, &ch);
	const char *target = arena_printf(&c->a, "partner account %lld", (long long)id);
	if (why != NULL) {
		db_rollback(c->store);
		if (db_begin(c->store) == 0) {
			ctl_audit(c, ch.tenant_id, to == PA_APPROVED ? "enrollment.approve" : "enrollment.reject", target, "refused", why);
			db_commit(c->store);
		}
		fprintf(stderr, "portalctl: %s %lld: %s\n", cmd, (long long)id, why);
		return EXIT_REFUSED;
	}
	const char *tmpl;
	struct tv *m = enroll_mail(&c->a, &ch, NULL, &tmpl);
	int64_t mail = mail_enqueue(c->store, &c->a, c->portal, ch.contact_email, tmpl, m);
	ctl_audit(c, ch.tenant_id, to == PA_APPROVED ? "enrollment.approve" : "enrollment.reject", target, "ok",
	    enroll_change_detail(&c->a, &ch));
	if (mail < 0 || db_commit(c->store) < 0) {
		db_rollback(c->store);
		fprintf(stderr, "portalctl: %s %lld: could not record the decision (nothing changed)\n", cmd, (long long)id);
		return EXIT_REFUSED;
	}
	mail_deliver(&c->portal->cfg, c->store, mail);
	if (to == PA_APPROVED) {
		sqlite3_stmt *st = db_q(c->store, Q_USER_BY_ID, QI(ch.enrolled_by));
		const char *who = db_step(st) == SQLITE_ROW ? arena_strdup(&c->a, db_text(st, 2)) : NULL;
		sqlite3_reset(st);
		printf("enrollment %lld (%s, %s) approved.\n", (long long)id, ch.org, partner_type_label(partner_type_parse(ch.type)));
		if (who != NULL)
			printf("%s is now in the Admin agent group (signed out so the new role applies).\n", who);
	} else {
		printf("enrollment %lld (%s, %s) rejected: %s\n", (long long)id, ch.org, partner_type_label(partner_type_parse(ch.type)), reason);
	}
	printf("emailed the primary contact %s.\n", ch.contact_email);
	return EXIT_OK;
}

/* approve ID */
int
cmd_approve(struct ctl *c)
{
	if (c->argc != 1)
		return EXIT_USAGE;
	return decide(c, PA_APPROVED, NULL);
}

/* reject ID --reason R */
int
cmd_reject(struct ctl *c)
{
	const char *reason = NULL;
	if (c->argc < 1)
		return EXIT_USAGE;
	for (int i = 1; i < c->argc;)
		if ((reason = ctl_option(c, &i, "--reason")) == NULL)
			return EXIT_USAGE;
	if (reason == NULL || *str_trim(&c->a, reason) == '\0') {
		fprintf(stderr, "portalctl: reject: --reason is required: say what the partner must correct\n");
		return EXIT_USAGE;
	}
	if (strlen(reason) > 1000 || strpbrk(reason, "\r\n") != NULL) {
		fprintf(stderr, "portalctl: reject: the reason must be one line of at most 1000 characters\n");
		return EXIT_USAGE;
	}
	return decide(c, PA_REJECTED, str_trim(&c->a, reason));
}

/* mpn import FILE.csv — see mpn_import.c for the columns. */
int
cmd_mpn_import(struct ctl *c)
{
	if (c->argc != 1)
		return EXIT_USAGE;
	size_t len;
	char *text = ctl_read_file(c, "mpn import", c->argv[0], (size_t)64 << 20, &len);
	if (text == NULL)
		return EXIT_REFUSED;
	struct mpn_import_result res;
	int rc = mpn_import(c->store, &c->a, text, len, &res);
	if (rc < 0) {
		fprintf(stderr, "portalctl: mpn import: the database refused the import; nothing was imported\n");
		return EXIT_REFUSED;
	}
	if (rc > 0)
		return ctl_import_refused("mpn import", c->argv[0], res.errors, res.nerrors, MPN_IMPORT_MAX_ERRORS);
	if (db_begin(c->store) == 0) {
		ctl_audit(c, 0, "mpn.import", c->argv[0], "ok",
		    arena_printf(&c->a, "%d rows, %d PMC accounts, %d profiles", res.rows, res.pmc_accounts, res.profiles));
		db_commit(c->store);
	}
	printf("imported %d line%s: %d PMC account%s, %d company profile%s, %d pairing%s\n", res.rows, res.rows == 1 ? "" : "s",
	    res.pmc_accounts, res.pmc_accounts == 1 ? "" : "s", res.profiles, res.profiles == 1 ? "" : "s", res.links,
	    res.links == 1 ? "" : "s");
	return EXIT_OK;
}

/* ---- create-partner ---- */

const char *
ctl_create_partner(struct ctl *c, const struct partner_spec *p, const char *pw_hash, int64_t *tenant_id,
    int64_t *user_id, int64_t *account_id)
{
	struct store *db = c->store;
	struct arena *a = &c->a;
	int64_t now = now_sec();
	*account_id = 0;
	/* A reseller's first user joins Admin agent when its enrollment is approved. */
	unsigned have = ROLE_MASK(GLOBAL_ADMIN) | (strcmp(p->type, "indirect_reseller") != 0 ? ROLE_MASK(ADMIN_AGENT) : 0);
	struct new_account n = { p->org, p->domain, p->country, TENANT_PARTNER, p->admin_name, p->admin_email, pw_hash, have };
	int taken = account_create(db, &n, tenant_id, user_id);
	if (taken < 0)
		return "could not create the work account";
	if (taken & ACCOUNT_DOMAIN_TAKEN)
		return arena_printf(a, "the domain %s already has a work account", p->domain);
	if (taken & ACCOUNT_EMAIL_TAKEN)
		return arena_printf(a, "a user with the email %s already exists", p->admin_email);
	const char *sp = strrchr(p->admin_name, ' ');
	const char *first = sp ? arena_strndup(a, p->admin_name, (size_t)(sp - p->admin_name)) : p->admin_name;
	const char *last = sp ? sp + 1 : "";
	if (db_run(db, Q_LEGAL_UPSERT, QI(*tenant_id), QT(p->legal_name ? p->legal_name : p->org), QT(p->address1 ? p->address1 : ""),
	    QT(""), QT(p->city ? p->city : ""), QT(""), QT(p->postal_code ? p->postal_code : ""), QT(first), QT(last),
	    QT(p->admin_email), QT(p->phone ? p->phone : ""), QI(now), QI(now)) != 1)
		return "could not create the legal profile";
	if (p->mpn_id != NULL) {
		int64_t owner = -1;
		const char *status = NULL, *country = NULL;
		/* The operator links directly: no PMC sign-in, the same rules. */
		sqlite3_stmt *st = db_q(db, Q_MPN_GET, QT(p->mpn_id));
		if (db_step(st) == SQLITE_ROW) {
			status = arena_strdup(a, db_text(st, 1));
			country = arena_strdup(a, db_text(st, 0));
			owner = db_i64(st, 2);
		}
		sqlite3_reset(st);
		if (owner < 0)
			return arena_printf(a, "there is no MPN profile %s (load it with mpn import first)", p->mpn_id);
		const char *why = mpn_link_problem(a, status, country, country, p->country, p->country, owner, *tenant_id);
		if (why != NULL)
			return arena_printf(a, "MPN ID %s: %s", p->mpn_id, why);
		if (db_run(db, Q_MPN_LINK, QT(p->mpn_id), QI(*tenant_id), QI(*user_id), QI(now)) != 1)
			return "could not link the MPN ID";
	}
	if (strcmp(p->type, "indirect_reseller") == 0)
		return NULL;
	/* Operator-created accounts start approved: a creation, not a status change. */
	if (db_run(db, Q_PA_INSERT_APPROVED, QI(*tenant_id), QT(p->type), QT(p->support_email ? p->support_email : p->admin_email),
	    QT(p->support_phone ? p->support_phone : ""), QT(p->website ? p->website : ""), QI(*user_id), QI(now)) != 1)
		return "could not create the partner account";
	*account_id = db_last_id(db);
	return NULL;
}

/* A readable random password: 16 characters of base64url. */
static char *
new_password(struct arena *a)
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	return b64url_encode(a, raw, sizeof(raw));
}

/* create-partner --type indirect_provider|direct_bill --org ... (see --help). */
int
cmd_create_partner(struct ctl *c)
{
	struct partner_spec p = { 0 };
	const char *password = NULL;
	for (int i = 0; i < c->argc;) {
		const char *v;
		if ((v = ctl_option(c, &i, "--type")) != NULL) p.type = v;
		else if ((v = ctl_option(c, &i, "--org")) != NULL) p.org = v;
		else if ((v = ctl_option(c, &i, "--domain")) != NULL) p.domain = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--country")) != NULL) p.country = v;
		else if ((v = ctl_option(c, &i, "--admin-email")) != NULL) p.admin_email = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--admin-name")) != NULL) p.admin_name = v;
		else if ((v = ctl_option(c, &i, "--password")) != NULL) password = v;
		else if ((v = ctl_option(c, &i, "--legal-name")) != NULL) p.legal_name = v;
		else if ((v = ctl_option(c, &i, "--address")) != NULL) p.address1 = v;
		else if ((v = ctl_option(c, &i, "--city")) != NULL) p.city = v;
		else if ((v = ctl_option(c, &i, "--postal-code")) != NULL) p.postal_code = v;
		else if ((v = ctl_option(c, &i, "--phone")) != NULL) p.phone = v;
		else if ((v = ctl_option(c, &i, "--support-email")) != NULL) p.support_email = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--support-phone")) != NULL) p.support_phone = v;
		else if ((v = ctl_option(c, &i, "--website")) != NULL) p.website = v;
		else if ((v = ctl_option(c, &i, "--mpn-id")) != NULL) p.mpn_id = v;
		else {
			fprintf(stderr, "portalctl: create-partner: unknown or incomplete option '%s'\n", c->argv[i]);
			return EXIT_USAGE;
		}
	}
	const char *bad = NULL;
	if (p.type == NULL || (strcmp(p.type, "indirect_provider") != 0 && strcmp(p.type, "direct_bill") != 0))
		bad = "--type must be indirect_provider or direct_bill (resellers enroll themselves at /enroll)";
	else if (str_empty(p.org) || strlen(p.org) > 200)
		bad = "--org NAME is required (at most 200 characters)";
	else if (p.domain == NULL || !domain_valid(p.domain))
		bad = "--domain must be a domain name like contoso.com";
	else if (p.country == NULL || db_int(c->store, Q_COUNTRY_EXISTS, 0, QT(p.country)) == 0)
		bad = "--country must be a country code the portal knows, like DE or US";
	else if (p.admin_email == NULL || !email_valid(p.admin_email))
		bad = "--admin-email must be an email address";
	else if (str_empty(p.admin_name) || strlen(p.admin_name) > 100)
		bad = "--admin-name NAME is required";
	else if (password != NULL && password_problem(password, p.admin_email) != NULL)
		bad = password_problem(password, p.admin_email);
	else if (p.support_email != NULL && !email_valid(p.support_email))
		bad = "--support-email must be an email address";
	else if ((p.phone != NULL && !phone_valid(p.phone)) || (p.support_phone != NULL && !phone_valid(p.support_phone)))
		bad = "phone numbers have 7 to 20 digits (spaces and + - ( ) allowed)";
	else if (p.website != NULL && !https_url_valid(p.website))
		bad = "--website must start with https://";
	if (bad != NULL) {
		fprintf(stderr, "portalctl: create-partner: %s\n", bad);
		return EXIT_USAGE;
	}
	if (password == NULL)
		password = new_password(&c->a);
	char hash[PW_HASH_MAX];
	if (password_hash(password, hash) < 0 || db_begin(c->store) < 0) {
		fprintf(stderr, "portalctl: create-partner: could not start (out of memory or database busy)\n");
		return EXIT_REFUSED;
	}
	int64_t tenant, user, account;
	const char *why = ctl_create_partner(c, &p, hash, &tenant, &user, &account);
	if (why != NULL) {
		db_rollback(c->store);
		fprintf(stderr, "portalctl: create-partner: %s; nothing was created\n", why);
		return EXIT_REFUSED;
	}
	ctl_audit(c, tenant, "partner.create", arena_printf(&c->a, "partner account %lld", (long long)account), "ok",
	    arena_printf(&c->a, "%s %s (%s)", p.type, p.org, p.domain));
	if (db_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: create-partner: the database refused the change; nothing was created\n");
		return EXIT_REFUSED;
	}
	printf("created %s (%s, %s): %s, partner account %lld, approved\n", p.org, p.domain, p.country,
	    partner_type_label(partner_type_parse(p.type)), (long long)account);
	printf("sign in at %s/signin as %s with the password %s\n", c->portal->cfg.base_url, p.admin_email, password);
	return EXIT_OK;
}
