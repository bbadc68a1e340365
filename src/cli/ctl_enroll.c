/* ctl_enroll.c — the operator's enrollment commands (SPEC §4): enrollments, approve,
 * reject, mpn import, create-partner. Exit codes: 0 done, 1 refused by a rule (the reason
 * on stderr), 2 usage. Every change is one transaction with its audit entry and email. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/password.h"
#include "base/portal.h"
#include "base/syntax.h"
#include "base/tmpl.h"
#include "base/util.h"
#include "cli/ctl.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/countries.h"
#include "domain/enroll.h"
#include "domain/language.h"
#include "base/i18n.h"
#include "domain/mpn.h"
#include "domain/mpn_import.h"
#include "domain/words.h"
#include "mail/mail.h"
#include "store/store.h"

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
	struct enrollment_list list;
	if (st_enrollments(c->store, &c->a, status != NULL ? pa_status_parse(status) : PA_NONE, &list) < 0) {
		fprintf(stderr, "portalctl: enrollments: could not read the database\n");
		return EXIT_REFUSED;
	}
	printf("%-5s %-32s %-7s %-18s %-21s %s\n", "ID", "ORGANIZATION", "COUNTRY", "TYPE", "STATUS", "SUBMITTED");
	for (size_t i = 0; i < list.n; i++) {
		const struct enrollment_row *e = &list.v[i];
		printf("%-5lld %-32.32s %-7s %-18s %-21s %s\n", (long long)e->id, e->org, e->country,
		    partner_type_key(e->type), pa_status_key(e->status), e->submitted_at ? fmt_stamp(&c->a, e->submitted_at) : "-");
	}
	size_t n = list.n;
	if (n == 0)
		printf("(no enrollments%s%s)\n", status ? " with status " : "", status ? status : "");
	return EXIT_OK;
}

/* The values of the decision email (enroll_mail_template: approved or rejected). */
static struct tv *
decision_mail(struct arena *a, const struct pa_change *ch)
{
	struct tv *m = tv_new_obj(a);
	tv_set(m, "org", ch->org);
	tv_set(m, "legal_name", ch->legal_name);
	tv_set(m, "contact_name", ch->contact_name);
	tv_set(m, "partner_as", partner_type_noun(ch->type));
	tv_set(m, "reason", ch->reason);
	return m;
}

/* A refused decision: its audit entry in a transaction of its own, and why on stderr. */
static int
decision_refused(struct ctl *c, const char *cmd, int64_t id, const struct pa_change *ch, const char *why)
{
	store_rollback(c->store);
	store_clear_failure(c->store);
	const char *target = arena_printf(&c->a, "partner account %lld", (long long)id);
	if (store_begin_write(c->store) == 0) {
		ctl_audit(c, ch->tenant_id, arena_printf(&c->a, "enrollment.%s", cmd), target, "refused", why);
		if (store_commit(c->store) < 0)
			fprintf(stderr, "portalctl: %s %lld: could not write the audit entry\n", cmd, (long long)id);
	}
	fprintf(stderr, "portalctl: %s %lld: %s\n", cmd, (long long)id, why);
	return EXIT_REFUSED;
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
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: %s: the database is busy\n", cmd);
		return EXIT_REFUSED;
	}
	struct pa_change ch;
	const char *why;
	int rc = enroll_apply(c->store, &c->a, id, to, reason, &ch, &why);
	if (rc > 0)
		return decision_refused(c, cmd, id, &ch, why);
	/* issue 18: the contact's email follows the organization's country; its words (the
	 * partner type) are made in that language too */
	const char *lang = rc == 0 ? tenant_mail_lang(c->store, &c->a, ch.tenant_id) : NULL;
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	struct tv *m = rc == 0 ? decision_mail(&c->a, &ch) : NULL;
	i18n_use(was);
	tv_set(m, "lang", lang);
	int64_t mail = rc == 0 ? mail_enqueue(c->store, &c->a, c->portal, ch.contact_email, enroll_mail_template(to), m) : -1;
	if (mail >= 0)
		ctl_audit(c, ch.tenant_id, arena_printf(&c->a, "enrollment.%s", cmd),
		    arena_printf(&c->a, "partner account %lld", (long long)id), "ok", enroll_change_detail(&c->a, &ch));
	if (mail < 0 || store_commit(c->store) < 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: %s %lld: could not record the decision (nothing changed)\n", cmd, (long long)id);
		return EXIT_REFUSED;
	}
	mail_deliver(&c->portal->cfg, c->store, mail);
	if (to == PA_APPROVED) {
		struct user_row who;
		int known = ch.enrolled_by != 0 ? st_user_get(c->store, &c->a, ch.enrolled_by, &who) : 0;
		printf("enrollment %lld (%s, %s) approved.\n", (long long)id, ch.org, partner_type_label(ch.type));
		if (known == 1)
			printf("%s is now in the Admin agent group (signed out so the new role applies).\n", who.email);
	} else {
		printf("enrollment %lld (%s, %s) rejected: %s\n", (long long)id, ch.org, partner_type_label(ch.type), reason);
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
	if (rc != 0)
		return ctl_import_refused("mpn import", c->argv[0], rc, res.errors, res.nerrors, MPN_IMPORT_MAX_ERRORS);
	if (store_begin_write(c->store) < 0)
		fprintf(stderr, "portalctl: mpn import: imported, but the audit entry could not be written\n");
	else {
		ctl_audit(c, 0, "mpn.import", c->argv[0], "ok",
		    arena_printf(&c->a, "%d rows, %d PMC accounts, %d profiles", res.rows, res.pmc_accounts, res.profiles));
		if (store_commit(c->store) < 0)
			fprintf(stderr, "portalctl: mpn import: imported, but the audit entry could not be written\n");
	}
	printf("imported %d line%s: %d PMC account%s, %d company profile%s, %d pairing%s\n", res.rows, res.rows == 1 ? "" : "s",
	    res.pmc_accounts, res.pmc_accounts == 1 ? "" : "s", res.profiles, res.profiles == 1 ? "" : "s", res.links,
	    res.links == 1 ? "" : "s");
	return EXIT_OK;
}

/* ---- create-partner ---- */

/* Links MPN profile mpn to the new organization tenant (in country) directly: no PMC
 * sign-in, the same rules. NULL, or why not. */
static const char *
link_mpn(struct ctl *c, const char *mpn, int64_t tenant, const char *country, int64_t user, int64_t now)
{
	struct mpn_profile m;
	int rc = st_mpn_profile(c->store, &c->a, mpn, &m);
	if (rc < 0)
		return "could not read the MPN profile";
	if (rc == 0)
		return arena_printf(&c->a, "there is no MPN profile %s (load it with mpn import first)", mpn);
	const char *why = mpn_link_problem(&c->a, m.active, m.country, m.country, country, country, m.linked_to, tenant);
	if (why != NULL)
		return arena_printf(&c->a, "MPN ID %s: %s", mpn, why);
	if (st_mpn_link(c->store, mpn, tenant, user, now) != 1)
		return "could not link the MPN ID";
	return NULL;
}

const char *
ctl_create_partner(struct ctl *c, const struct partner_spec *p, const char *pw_hash, int64_t *tenant_id,
    int64_t *user_id, int64_t *account_id)
{
	struct arena *a = &c->a;
	int64_t now = now_sec();
	*account_id = 0;
	int type = p->type;
	if (type < 0 || type >= PT__COUNT)
		return "not a partner type";
	/* A reseller's first user joins Admin agent when its enrollment is approved. */
	unsigned have = ROLE_MASK(GLOBAL_ADMIN) | (type != PT_INDIRECT_RESELLER ? ROLE_MASK(ADMIN_AGENT) : 0);
	struct new_account n = { p->org, p->domain, p->country, TENANT_PARTNER, p->admin_name, p->admin_email, pw_hash, have };
	int taken = account_create(c->store, &n, tenant_id, user_id);
	if (taken < 0)
		return "could not create the work account";
	if (taken & ACCOUNT_DOMAIN_TAKEN)
		return arena_printf(a, "the domain %s already has a work account", p->domain);
	if (taken & ACCOUNT_EMAIL_TAKEN)
		return arena_printf(a, "a user with the email %s already exists", p->admin_email);
	const char *sp = strrchr(p->admin_name, ' ');
	/* The operator vouches for the contact: verified from the start. */
	struct legal_profile legal = {
		.legal_name = p->legal_name ? p->legal_name : p->org, .address1 = p->address1, .city = p->city,
		.postal_code = p->postal_code, .contact_first = sp ? arena_strndup(a, p->admin_name, (size_t)(sp - p->admin_name))
		: p->admin_name, .contact_last = sp ? sp + 1 : "", .contact_email = p->admin_email, .contact_phone = p->phone,
		.contact_verified_at = now,
	};
	if (st_legal_upsert(c->store, *tenant_id, &legal, now) != 1)
		return "could not create the legal profile";
	const char *why = p->mpn_id != NULL ? link_mpn(c, p->mpn_id, *tenant_id, p->country, *user_id, now) : NULL;
	if (why != NULL || type == PT_INDIRECT_RESELLER)
		return why;
	/* Operator-created accounts start approved: a creation, not a status change. */
	struct support_details sup = { p->support_email ? p->support_email : p->admin_email, p->support_phone, p->website };
	*account_id = st_pa_insert(c->store, *tenant_id, (enum partner_type)type, PA_APPROVED, &sup, *user_id, now);
	return *account_id < 0 ? "could not create the partner account" : NULL;
}

/* A readable random password: 16 characters of base64url. */
static char *
new_password(struct arena *a)
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	return b64url_encode(a, raw, sizeof(raw));
}

/* create-partner's options into p and *password: 0, or -1 after saying which is wrong. */
static int
partner_options(struct ctl *c, struct partner_spec *p, const char **password)
{
	for (int i = 0; i < c->argc;) {
		const char *v;
		if ((v = ctl_option(c, &i, "--type")) != NULL) p->type = partner_type_parse(v);
		else if ((v = ctl_option(c, &i, "--org")) != NULL) p->org = v;
		else if ((v = ctl_option(c, &i, "--domain")) != NULL) p->domain = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--country")) != NULL) p->country = v;
		else if ((v = ctl_option(c, &i, "--admin-email")) != NULL) p->admin_email = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--admin-name")) != NULL) p->admin_name = v;
		else if ((v = ctl_option(c, &i, "--password")) != NULL) *password = v;
		else if ((v = ctl_option(c, &i, "--legal-name")) != NULL) p->legal_name = v;
		else if ((v = ctl_option(c, &i, "--address")) != NULL) p->address1 = v;
		else if ((v = ctl_option(c, &i, "--city")) != NULL) p->city = v;
		else if ((v = ctl_option(c, &i, "--postal-code")) != NULL) p->postal_code = v;
		else if ((v = ctl_option(c, &i, "--phone")) != NULL) p->phone = v;
		else if ((v = ctl_option(c, &i, "--support-email")) != NULL) p->support_email = str_lower_trim(&c->a, v);
		else if ((v = ctl_option(c, &i, "--support-phone")) != NULL) p->support_phone = v;
		else if ((v = ctl_option(c, &i, "--website")) != NULL) p->website = v;
		else if ((v = ctl_option(c, &i, "--mpn-id")) != NULL) p->mpn_id = v;
		else {
			fprintf(stderr, "portalctl: create-partner: unknown or incomplete option '%s'\n", c->argv[i]);
			return -1;
		}
	}
	return 0;
}

/* What is wrong with create-partner's options, or NULL. */
static const char *
partner_problem(struct ctl *c, const struct partner_spec *p, const char *password)
{
	struct country country;
	if (p->type != PT_INDIRECT_PROVIDER && p->type != PT_DIRECT_BILL)
		return "--type must be indirect_provider or direct_bill (resellers enroll themselves at /enroll)";
	if (str_empty(p->org) || strlen(p->org) > 200)
		return "--org NAME is required (at most 200 characters)";
	if (p->domain == NULL || !domain_valid(p->domain))
		return "--domain must be a domain name like contoso.com";
	if (p->country == NULL || country_get(c->store, &c->a, p->country, &country) != 1)
		return "--country must be a country code the portal knows, like DE or US";
	if (p->admin_email == NULL || !email_valid(p->admin_email))
		return "--admin-email must be an email address";
	if (str_empty(p->admin_name) || strlen(p->admin_name) > 100)
		return "--admin-name NAME is required";
	if (password != NULL && password_problem(password, p->admin_email) != NULL)
		return password_problem(password, p->admin_email);
	if (p->support_email != NULL && !email_valid(p->support_email))
		return "--support-email must be an email address";
	if ((p->phone != NULL && !phone_valid(p->phone)) || (p->support_phone != NULL && !phone_valid(p->support_phone)))
		return "phone numbers have 7 to 20 digits (spaces and + - ( ) allowed)";
	if (p->website != NULL && !https_url_valid(p->website))
		return "--website must start with https://";
	return NULL;
}

/* create-partner --type indirect_provider|direct_bill --org ... (see --help). */
int
cmd_create_partner(struct ctl *c)
{
	struct partner_spec p = { .type = -1 };
	const char *password = NULL;
	if (partner_options(c, &p, &password) < 0)
		return EXIT_USAGE;
	const char *bad = partner_problem(c, &p, password);
	if (bad != NULL) {
		fprintf(stderr, "portalctl: create-partner: %s\n", bad);
		return EXIT_USAGE;
	}
	if (password == NULL)
		password = new_password(&c->a);
	char hash[PW_HASH_MAX];
	if (password_hash(password, hash) < 0 || store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: create-partner: could not start (out of memory or database busy)\n");
		return EXIT_REFUSED;
	}
	int64_t tenant, user, account;
	const char *why = ctl_create_partner(c, &p, hash, &tenant, &user, &account);
	if (why != NULL) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: create-partner: %s; nothing was created\n", why);
		return EXIT_REFUSED;
	}
	ctl_audit(c, tenant, "partner.create", arena_printf(&c->a, "partner account %lld", (long long)account), "ok",
	    arena_printf(&c->a, "%s %s (%s)", partner_type_key(p.type), p.org, p.domain));
	if (store_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: create-partner: the database refused the change; nothing was created\n");
		return EXIT_REFUSED;
	}
	printf("created %s (%s, %s): %s, partner account %lld, approved\n", p.org, p.domain, p.country,
	    partner_type_label(p.type), (long long)account);
	printf("sign in at %s/signin as %s with the password %s\n", c->portal->cfg.base_url, p.admin_email, password);
	return EXIT_OK;
}
