/* portalctl.c — the operator's command line, on the same modules and database as the
 * portal. Exit codes: 0 success, 1 refused by a rule or failed (message on stderr),
 * 2 usage. Each command is one function in the table below. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "cli/ctl.h"
#include "store/db.h"
#include "store/store.h"
#include "base/keys.h"
#include "domain/mpn_import.h"
#include "domain/offers.h"
#include "mail/mail.h"
#include "domain/relationships.h"
#include "domain/setup.h"
#include "base/util.h"
#include "domain/words.h"


struct command {
	const char *name, *args, *help;
	int (*run)(struct ctl *c);
	bool needs_db;
};

static int cmd_help(struct ctl *c);

/* init — creates var/ (database, keys, mail spool) or brings an existing one up to date. */
static int
cmd_init(struct ctl *c)
{
	(void)c;
	printf("data directory %s ready: database schema version %d, keys in %s (mode 0600), mail in %s\n",
	    c->portal->cfg.data_dir, store_schema_version(), c->portal->cfg.keys_path, c->portal->cfg.mail_dir);
	return EXIT_OK;
}

/* mail list [N] — the newest N (default 20) messages of the outbox. */
static int
cmd_mail_list(struct ctl *c)
{
	int64_t n = 20;
	if (c->argc > 0 && parse_i64(c->argv[0], 1, 100000, &n) < 0) {
		fprintf(stderr, "portalctl: mail list: N must be a number from 1 to 100000\n");
		return EXIT_USAGE;
	}
	struct outbox_list list;
	if (st_outbox_list(c->store, &c->a, n, &list) < 0) {
		fprintf(stderr, "portalctl: mail list: cannot read the outbox\n");
		return EXIT_REFUSED;
	}
	printf("%-6s %-17s %-8s %-8s %-32s %s\n", "ID", "QUEUED", "STATE", "TRIES", "TO", "SUBJECT");
	for (size_t i = 0; i < list.n; i++) {
		const struct outbox_row *m = &list.v[i];
		printf("%-6lld %-17s %-8s %-8lld %-32s %s%s%s\n", (long long)m->id, fmt_datetime(&c->a, m->created_at),
		    m->sent_at ? "sent" : "queued", (long long)m->attempts, m->to, m->subject,
		    *m->last_error ? "  — last error: " : "", m->last_error);
	}
	return EXIT_OK;
}

/* mail retry — delivers every queued message. Exit 1 if some still fail. */
static int
cmd_mail_retry(struct ctl *c)
{
	int sent = 0, failed = mail_deliver_pending(&c->portal->cfg, c->store, &sent);
	printf("%d sent, %d still queued\n", sent, failed);
	return failed ? EXIT_REFUSED : EXIT_OK;
}

/* backup FILE — an online copy of the database (SQLite backup API), checked afterwards. */
static int
cmd_backup(struct ctl *c)
{
	if (c->argc != 1)
		return EXIT_USAGE;
	if (access(c->argv[0], F_OK) == 0) {
		fprintf(stderr, "portalctl: backup: %s already exists\n", c->argv[0]);
		return EXIT_REFUSED;
	}
	int pages = 0;
	char err[256];
	if (store_backup(c->store, c->argv[0], &pages, err, sizeof(err)) < 0) {
		fprintf(stderr, "portalctl: backup failed (%s)\n", err);
		unlink(c->argv[0]);
		return EXIT_REFUSED;
	}
	printf("backup written to %s (integrity_check: ok)\n", c->argv[0]);
	return EXIT_OK;
}

/* rotate-key — a new current signing key; links signed with the previous one keep
 * working until they expire; older keys are retired. Restart the portal afterwards. */
static int
cmd_rotate_key(struct ctl *c)
{
	(void)c;
	uint32_t kid;
	char err[512];
	if (keys_rotate(c->portal->cfg.keys_path, 1, &kid, err, sizeof(err)) < 0) {
		fprintf(stderr, "portalctl: rotate-key: %s\n", err);
		return EXIT_REFUSED;
	}
	printf("key %u is now current; the previous key stays valid for links already sent, older keys are retired.\n"
	    "Restart portal.fcgi to use it.\n", kid);
	return EXIT_OK;
}

/* ---- the partner agreement ---- */

char *
ctl_read_file(struct ctl *c, const char *what, const char *path, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "portalctl: %s: %s: %s\n", what, path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b, &c->a);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && !b.failed && b.len <= max)
		buf_add(&b, chunk, n);
	bool bad = ferror(fp) != 0 || b.failed;
	fclose(fp);
	if (bad) {
		fprintf(stderr, "portalctl: %s: cannot read %s\n", what, path);
		return NULL;
	}
	if (b.len > max) {
		fprintf(stderr, "portalctl: %s: %s: larger than %zu bytes\n", what, path, max);
		return NULL;
	}
	*len = b.len;
	return b.p ? b.p : arena_strdup(&c->a, "");
}

int
ctl_import_refused(const char *what, const char *path, const char *const *errors, int nerrors, int shown)
{
	for (int i = 0; i < nerrors && i < shown; i++)
		fprintf(stderr, "%s: %s\n", path, errors[i]);
	if (nerrors > shown)
		fprintf(stderr, "%s: ... and %d more\n", path, nerrors - shown);
	fprintf(stderr, "portalctl: %s: %d problem%s; nothing was imported\n", what, nerrors, nerrors == 1 ? "" : "s");
	return EXIT_REFUSED;
}

/* mpa publish FILE --version V — publishes the UTF-8 text in FILE as version V, which becomes
 * the current version: every organization in the program must accept it (again). A version
 * label is never reused. */
static int
cmd_mpa_publish(struct ctl *c)
{
	const char *file = NULL, *version = NULL;
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc && version == NULL)
			version = c->argv[++i];
		else if (strncmp(c->argv[i], "--version=", 10) == 0 && version == NULL)
			version = c->argv[i] + 10;
		else if (c->argv[i][0] != '-' && file == NULL)
			file = c->argv[i];
		else
			return EXIT_USAGE;
	}
	if (file == NULL || version == NULL)
		return EXIT_USAGE;
	const char *why = agreement_version_problem(version);
	if (why != NULL) {
		fprintf(stderr, "portalctl: mpa publish: %s\n", why);
		return EXIT_USAGE;
	}
	size_t len;
	char *body = ctl_read_file(c, "mpa publish", file, 1 << 20, &len);
	if (body == NULL)
		return EXIT_REFUSED;
	if (memchr(body, '\0', len) != NULL) {
		fprintf(stderr, "portalctl: %s: contains NUL bytes; the agreement must be UTF-8 text\n", file);
		return EXIT_REFUSED;
	}
	char err[256];
	if (db_begin(c->store) < 0) {
		fprintf(stderr, "portalctl: mpa publish: the database is busy\n");
		return EXIT_REFUSED;
	}
	int64_t now = now_sec();
	int64_t id = agreement_publish(c->store, version, body, now, err, sizeof(err));
	if (id <= 0) {
		db_rollback(c->store);
		fprintf(stderr, "portalctl: mpa publish: %s\n", err);
		return EXIT_REFUSED;
	}
	int64_t pending = db_int(c->store, Q_AGREEMENT_PENDING_ORGS, 0, QI(id));
	ctl_audit(c, 0, "agreement.publish", arena_printf(&c->a, "version %s", version), "ok",
	    arena_printf(&c->a, "%zu bytes", len));
	if (db_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: mpa publish: could not commit\n");
		return EXIT_REFUSED;
	}
	printf("published %s version %s (%zu bytes); it is now the current version.\n"
	    "%lld partner organization%s must now accept it.\n", c->portal->cfg.agreement, version, len,
	    (long long)pending, pending == 1 ? "" : "s");
	return EXIT_OK;
}

/* mpa list — every published version, newest first, with how many organizations accepted it. */
static int
cmd_mpa_list(struct ctl *c)
{
	if (c->argc != 0)
		return EXIT_USAGE;
	sqlite3_stmt *st = db_q0(c->store, Q_AGREEMENT_VERSIONS);
	printf("%-20s %-22s %-10s %s\n", "VERSION", "PUBLISHED", "BYTES", "ACCEPTED BY");
	bool first = true;
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		long long accepted = (long long)db_i64(st, 4);
		printf("%-20s %-22s %-10lld %lld organization%s%s\n", db_text(st, 1),
		    fmt_datetime(&c->a, db_i64(st, 2)), (long long)db_i64(st, 3), accepted,
		    accepted == 1 ? "" : "s", first ? "  (current)" : "");
		first = false;
	}
	sqlite3_reset(st);
	if (first)
		printf("(no version published yet: portalctl mpa publish FILE --version V)\n");
	return rc == SQLITE_DONE ? EXIT_OK : EXIT_REFUSED;
}

/* ---- provider-reseller relationships ---- */

/* PROVIDER / RESELLER on the command line: a partner account id (digits) or the
 * organization's primary domain. Returns the partner account id of that type, or 0 after
 * saying why on stderr. */
static int64_t
ctl_partner(struct ctl *c, const char *arg, const char *type)
{
	int64_t id = 0;
	if (arg[0] >= '0' && arg[0] <= '9' && parse_i64(arg, 1, INT64_MAX, &id) == 0)
		id = db_int(c->store, Q_CTL_ACCOUNT_BY_ID, 0, QI(id), QT(type));
	else
		id = db_int(c->store, Q_CTL_ACCOUNT_BY_DOMAIN, 0, QT(arg), QT(type));
	if (id == 0)
		fprintf(stderr, "portalctl: %s: no %s account with that id or domain\n", arg,
		    strcmp(type, "indirect_provider") == 0 ? "indirect provider" : "indirect reseller");
	return id;
}

/* Reads "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i. NULL if not that option. */
static const char *
rel_option(struct ctl *c, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = c->argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= c->argc) {
		*missing = true;
		return NULL;
	}
	return c->argv[++*i];
}

struct ctl_partner_info {
	int64_t tenant_id;
	const char *name, *domain;
};

static void
ctl_partner_info(struct ctl *c, int64_t account, struct ctl_partner_info *p)
{
	sqlite3_stmt *st = db_q(c->store, Q_REL_PARTNER, QI(account));
	if (db_step(st) == SQLITE_ROW) {
		p->tenant_id = db_i64(st, 3);
		p->name = arena_strdup(&c->a, db_text(st, 4));
		p->domain = arena_strdup(&c->a, db_text(st, 5));
	}
	sqlite3_reset(st);
}

/* end-relationship PROVIDER RESELLER --reason R — ends the active relationship between an
 * indirect provider and an indirect reseller (each: partner account id or primary domain).
 * Both organizations' Global admins and Account admins are told by email; both audit logs
 * record it. The relationship is then gone from both pages (portalctl relationships still
 * shows it, as ended); the two may be related again by a new invitation. */
static int
cmd_end_relationship(struct ctl *c)
{
	const char *pos[2] = { NULL, NULL }, *reason = NULL;
	int npos = 0;
	for (int i = 0; i < c->argc; i++) {
		bool missing = false;
		const char *v = rel_option(c, &i, "--reason", &missing);
		if (missing)
			return EXIT_USAGE;
		if (v != NULL)
			reason = v;
		else if (c->argv[i][0] == '-' || npos == 2)
			return EXIT_USAGE;
		else
			pos[npos++] = c->argv[i];
	}
	if (npos != 2 || reason == NULL)
		return EXIT_USAGE;
	char *why = str_trim(&c->a, reason);
	if (why == NULL || *why == '\0' || strlen(why) > 500 || strpbrk(why, "\r\n") != NULL) {
		fprintf(stderr, "portalctl: end-relationship: the reason is required: one line of at most 500 characters\n");
		return EXIT_USAGE;
	}
	int64_t provider = ctl_partner(c, pos[0], "indirect_provider");
	int64_t reseller = provider ? ctl_partner(c, pos[1], "indirect_reseller") : 0;
	if (!provider || !reseller)
		return EXIT_REFUSED;
	struct ctl_partner_info p = { 0 }, r = { 0 };
	ctl_partner_info(c, provider, &p);
	ctl_partner_info(c, reseller, &r);
	if (db_begin(c->store) < 0)
		return EXIT_REFUSED;
	int64_t now = now_sec();
	int64_t id = db_int(c->store, Q_REL_ACTIVE_ID, 0, QI(provider), QI(reseller));
	if (id == 0 || rel_end(c->store, id, why, now) != 1) {
		db_rollback(c->store);
		fprintf(stderr, "portalctl: end-relationship: %s and %s have no active relationship\n", p.name, r.name);
		return EXIT_REFUSED;
	}
	const char *detail = arena_printf(&c->a, "relationship %lld: %s", (long long)id, why);
	const struct ctl_partner_info *side[2] = { &p, &r };
	int64_t mail[64];
	int nmail = 0;
	for (int k = 0; k < 2; k++) {
		ctl_audit(c, side[k]->tenant_id, "relationship.end", side[1 - k]->name, "ok", detail);
		sqlite3_stmt *st = db_q(c->store, Q_REL_TENANT_USERS_WITH_ROLES, QI(side[k]->tenant_id),
		    QI(ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ACCOUNT_ADMIN)));
		const char *to[32];
		int n = 0;
		while (db_step(st) == SQLITE_ROW && n < 32)
			to[n++] = arena_strdup(&c->a, db_text(st, 0));
		sqlite3_reset(st);
		for (int i = 0; i < n && nmail < 64; i++) {
			struct tv *m = tv_new_obj(&c->a);
			tv_set(m, "provider", p.name);
			tv_set(m, "reseller", r.name);
			tv_set(m, "reason", why);
			tv_set(m, "when", fmt_datetime(&c->a, now));
			int64_t mid = mail_enqueue(c->store, &c->a, c->portal, to[i], "relationship-ended", m);
			if (mid < 0) {
				db_rollback(c->store);
				fprintf(stderr, "portalctl: end-relationship: cannot queue the email to %s\n", to[i]);
				return EXIT_REFUSED;
			}
			mail[nmail++] = mid;
		}
	}
	if (db_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: end-relationship: the database refused the change\n");
		return EXIT_REFUSED;
	}
	for (int i = 0; i < nmail; i++)
		mail_deliver(&c->portal->cfg, c->store, mail[i]);
	printf("relationship %lld between %s (%s) and %s (%s) ended; %d notice(s) sent\n", (long long)id,
	    p.name, p.domain, r.name, r.domain, nmail);
	return EXIT_OK;
}

/* relationships [--provider X] [--reseller Y] — every provider-reseller relationship,
 * active and ended, optionally of one provider and/or one reseller (id or domain). */
static int
cmd_relationships(struct ctl *c)
{
	int64_t provider = 0, reseller = 0;
	for (int i = 0; i < c->argc; i++) {
		bool missing = false;
		const char *v;
		if ((v = rel_option(c, &i, "--provider", &missing)) != NULL) {
			if ((provider = ctl_partner(c, v, "indirect_provider")) == 0)
				return EXIT_REFUSED;
		} else if ((v = rel_option(c, &i, "--reseller", &missing)) != NULL) {
			if ((reseller = ctl_partner(c, v, "indirect_reseller")) == 0)
				return EXIT_REFUSED;
		} else
			return EXIT_USAGE;
		if (missing)
			return EXIT_USAGE;
	}
	sqlite3_stmt *st = db_q(c->store, Q_CTL_RELATIONSHIPS, QI(provider), QI(reseller));
	printf("%-5s %-36s %-36s %-11s %-6s %-7s %s\n", "ID", "PROVIDER (ACCOUNT, DOMAIN)", "RESELLER (ACCOUNT, DOMAIN)",
	    "SINCE", "ADMIN", "STATUS", "ENDED / REASON");
	while (db_step(st) == SQLITE_ROW) {
		char pv[160], rs[160];
		snprintf(pv, sizeof(pv), "%s (%lld, %s)", db_text(st, 2), (long long)db_i64(st, 1), db_text(st, 3));
		snprintf(rs, sizeof(rs), "%s (%lld, %s)", db_text(st, 5), (long long)db_i64(st, 4), db_text(st, 6));
		bool ended = strcmp(db_text(st, 9), "ended") == 0;
		printf("%-5lld %-36s %-36s %-11s %-6s %-7s %s%s%s\n", (long long)db_i64(st, 0), pv, rs,
		    fmt_date(&c->a, db_i64(st, 7)), db_i64(st, 8) ? "yes" : "no", db_text(st, 9),
		    ended ? fmt_date(&c->a, db_i64(st, 10)) : "", ended ? " — " : "", ended ? db_text(st, 11) : "");
	}
	sqlite3_reset(st);
	return EXIT_OK;
}

static const struct command commands[] = {
	{ "init", "", "create or update the data directory: database, keys, mail spool", cmd_init, true },
	{ "mail list", "[N]", "show the newest N messages of the outbox (default 20)", cmd_mail_list, true },
	{ "mail retry", "", "deliver every queued message now", cmd_mail_retry, true },
	{ "enrollments", "[--status S]", "list partner enrollments (S: draft, pending_verification, in_review, approved, rejected)", cmd_enrollments, true },
	{ "approve", "ID", "approve enrollment ID (in review): the enrolling user joins Admin agent; emails the contact", cmd_approve, true },
	{ "reject", "ID --reason R", "reject enrollment ID (in review) with reason R; emails the contact", cmd_reject, true },
	{ "mpn import", "FILE.csv", "load PMC accounts and MPN profiles (columns below); all or nothing", cmd_mpn_import, true },
	{ "create-partner", "--type T ...", "create an approved indirect_provider or direct_bill partner (options below)", cmd_create_partner, true },
	{ "demo", "", "load the demo world (again: adds what is missing) and write <data>/demo-accounts.txt", cmd_demo, true },
	{ "backup", "FILE", "write an online backup of the database to FILE and check it", cmd_backup, true },
	{ "rotate-key", "", "make a new link-signing key current (restart the portal afterwards)", cmd_rotate_key, false },
	{ "mpa publish", "FILE --version V", "publish the agreement text in FILE (UTF-8) as version V, now current", cmd_mpa_publish, true },
	{ "mpa list", "", "list agreement versions with their publish time and acceptances", cmd_mpa_list, true },
	{ "end-relationship", "PROVIDER RESELLER --reason R", "end a provider-reseller relationship (each: partner account id or primary domain)", cmd_end_relationship, true },
	{ "relationships", "[--provider X] [--reseller Y]", "list provider-reseller relationships, active and ended", cmd_relationships, true },
	{ "offers import", "FILE.csv", "load the offer catalog (columns below); all or nothing; again: updates by offer_id", cmd_offers_import, true },
	{ "offers list", "", "list the offer catalog with prices, active flag and subscriptions", cmd_offers_list, true },
	{ "help", "", "this text", cmd_help, false },
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: portalctl COMMAND [ARGS]\n\nThe operator's tool for csp-portal. Commands:\n");
	for (size_t i = 0; i < NELEM(commands); i++) {
		char head[64];
		snprintf(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		if (strlen(head) <= 28)
			fprintf(out, "  %-28s %s\n", head, commands[i].help);
		else
			fprintf(out, "  %s\n  %-28s %s\n", head, "", commands[i].help);
	}
	fprintf(out, "\n"
	    "mpn import FILE.csv — the Partner Membership Center copy. UTF-8 CSV (RFC 4180), header line:\n"
	    "    %s\n"
	    "  one line per (PMC account, company profile) pair. pmc_username may be empty (a profile\n"
	    "  without a PMC account). pmc_password is the plain password, hashed with Argon2id on import,\n"
	    "  or an existing crypto_pwhash_str hash (\"$argon2id$...\", quoted: it has commas), kept as is;\n"
	    "  a PMC account on several lines needs it on one of them at least. mpn_id: 6-10 digits;\n"
	    "  country: a code like DE; status: active or inactive. Adds and updates, never deletes.\n"
	    "  A file with any bad line imports nothing; every bad line is reported with its number.\n"
	    "\n"
	    "create-partner --type indirect_provider|direct_bill --org NAME --domain DOMAIN --country CC\n"
	    "    --admin-email EMAIL --admin-name NAME [--password PW] [--legal-name NAME] [--address ADDR]\n"
	    "    [--city CITY] [--postal-code CODE] [--phone PHONE] [--support-email EMAIL]\n"
	    "    [--support-phone PHONE] [--website https://...] [--mpn-id ID]\n"
	    "  creates the work account, its first user (Global admin, Admin agent; a password is\n"
	    "  generated unless given), the legal profile and an approved partner account, and prints\n"
	    "  the sign-in.\n"
	    "\n"
	    "offers import FILE.csv — the offer catalog providers order from. UTF-8 CSV (RFC 4180), header line:\n"
	    "    %s\n"
	    "  one line per offer. offer_id: 1-40 letters, digits, '.', '_', '-' (its identity: an existing\n"
	    "  offer_id is updated); name: 1-200 characters; description: up to 1000 (may be empty); unit:\n"
	    "  what one is, like user/month; price: the list price of one unit, at most two decimals\n"
	    "  (12.50); currency: three letters (USD); active: yes or no (an inactive offer cannot be\n"
	    "  ordered). Adds and updates, never deletes; the same file twice changes nothing.\n"
	    "  A file with any bad line imports nothing; every bad line is reported with its number.\n",
	    mpn_import_columns, offers_import_columns);
	fprintf(out, "\nExit codes: 0 success, 1 refused by a rule or failed (the reason on stderr), 2 usage.\n\n");
	config_help(out);
}

static int
cmd_help(struct ctl *c)
{
	(void)c;
	usage(stdout);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	/* Commands are one or two words ("mail retry"). */
	const struct command *cmd = NULL;
	int words = 0;
	for (size_t i = 0; i < NELEM(commands) && cmd == NULL; i++) {
		const char *sp = strchr(commands[i].name, ' ');
		if (sp == NULL && strcmp(argv[1], commands[i].name) == 0) {
			cmd = &commands[i];
			words = 1;
		} else if (sp != NULL && argc >= 3 && strncmp(argv[1], commands[i].name, (size_t)(sp - commands[i].name)) == 0 &&
		    argv[1][sp - commands[i].name] == '\0' && strcmp(argv[2], sp + 1) == 0) {
			cmd = &commands[i];
			words = 2;
		}
	}
	if (cmd == NULL) {
		fprintf(stderr, "portalctl: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	char err[1024];
	static struct portal portal;
	if (config_load(&portal.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "portalctl: %s\n", err);
		return EXIT_USAGE;
	}
	words_configure(&portal.cfg);
	if (password_init() < 0)
		return EXIT_REFUSED;
	struct ctl c = { .portal = &portal, .argc = argc - 1 - words, .argv = argv + 1 + words };
	arena_init(&c.a, 0);
	if (cmd->needs_db) {
		if (setup_data_dir(&portal.cfg, err, sizeof(err)) < 0 ||
		    tmpl_set_load(&portal.tmpl, portal.cfg.templates, err, sizeof(err)) < 0 ||
		    store_open(&c.store, portal.cfg.db_path, false, err, sizeof(err)) < 0) {
			fprintf(stderr, "portalctl: %s\n", err);
			return EXIT_REFUSED;
		}
	}
	int rc = cmd->run(&c);
	if (rc == EXIT_USAGE)
		fprintf(stderr, "usage: portalctl %s %s\n", cmd->name, cmd->args);
	if (cmd->needs_db)
		store_close(c.store);
	tmpl_set_free(&portal.tmpl);
	arena_free(&c.a);
	return rc;
}
