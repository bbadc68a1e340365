/* portalctl.c — the operator's command line, on the same modules and database as the
 * portal. Exit codes: 0 success, 1 refused by a rule or failed (message on stderr),
 * 2 usage. Each command is one function in the table below. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/agreement.h"
#include "domain/zones.h"
#include "base/portal.h"
#include "base/password.h"
#include "base/i18n.h"
#include "domain/access.h"
#include "domain/session.h"
#include "cli/ctl.h"
#include "store/store.h"
#include "base/keys.h"
#include "domain/mpn_import.h"
#include "domain/partners.h"
#include "domain/offers.h"
#include "mail/mail.h"
#include "mail/webhook.h"
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

/* One NAME=value line of the settings file, quoted when the value allows it. */
static void
conf_line(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, strchr(value, '"') == NULL ? "%s=\"%s\"\n" : "%s=%s\n", name, value);
}

/* When no settings file was read, writes <data>/portal.conf (mode 0640, never over an
 * existing file) with the base URL and the names as they are now, so that the portal and
 * portalctl read the same ones (issue 15, item 4). 0 (written or not needed), or -1 after
 * saying why on stderr. */
static int
init_settings_file(struct ctl *c)
{
	const struct config *cfg = &c->portal->cfg;
	if (*config_file_used())
		return 0;
	const char *path = arena_printf(&c->a, "%s/portal.conf", cfg->data_dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0 && errno == EEXIST)
		return 0;
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");
	if (fp == NULL) {
		fprintf(stderr, "portalctl: init: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(fp, "# %s — settings of this portal, read by portal.fcgi and portalctl (portal.conf(5)).\n"
	    "# The environment overrides any of them; portalctl help shows where each value comes from.\n"
	    "# Written by portalctl init.\n", path);
	conf_line(fp, "PORTAL_BASE_URL", cfg->base_url);
	conf_line(fp, "PORTAL_PRODUCT_NAME", cfg->product);
	conf_line(fp, "PORTAL_VENDOR_NAME", cfg->vendor);
	conf_line(fp, "PORTAL_PROGRAM_NAME", cfg->program);
	conf_line(fp, "PORTAL_AGREEMENT_NAME", cfg->agreement);
	if (fclose(fp) != 0) {
		fprintf(stderr, "portalctl: init: cannot write %s: %s\n", path, strerror(errno));
		unlink(path);
		return -1;
	}
	printf("settings file %s written (base URL %s)\n", path, cfg->base_url);
	return 0;
}

/* init — creates var/ (database, keys, mail spool) or brings an existing one up to date,
 * and writes <data>/portal.conf when no settings file is in use. */
static int
cmd_init(struct ctl *c)
{
	if (init_settings_file(c) < 0)
		return EXIT_SETUP;
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
		printf("%-6lld %-17s %-8s %-8lld %-32s %s%s%s\n", (long long)m->id, fmt_stamp(&c->a, m->created_at),
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

/* webhooks deliver — one pass of the webhook sender over the deliveries that are due
 * (claimed, so a running portal never sends one of them too). Exit 1 if some failed. */
static int
cmd_webhooks_deliver(struct ctl *c)
{
	if (webhook_sender_init() < 0) {
		fprintf(stderr, "portalctl: webhooks: libcurl did not start\n");
		return EXIT_REFUSED;
	}
	int sent = 0, failed = webhook_deliver_pending(&c->portal->cfg, c->store, &sent);
	printf("%d sent, %d failed\n", sent, failed);
	return failed ? EXIT_REFUSED : EXIT_OK;
}

/* backup [--check] FILE — an online copy of the database (SQLite backup API), then checked:
 * quick_check by default (a few seconds a gigabyte), the full integrity_check with --check
 * (it also compares every index with its table: minutes on a large database). */
static int
backup_to(struct ctl *c, const char *path, bool full)
{
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "portalctl: backup: %s already exists\n", path);
		return EXIT_REFUSED;
	}
	int pages = 0;
	char err[256];
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = store_backup(c->store, path, &pages, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == -2) {
		fprintf(stderr, "portalctl: backup: %s\n", err);
		return EXIT_REFUSED;
	}
	if (rc == 0)
		rc = store_check_file(path, full, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t2);
	if (rc < 0) {
		fprintf(stderr, "portalctl: backup failed (%s)\n", err);
		unlink(path);
		return EXIT_REFUSED;
	}
	printf("backup written to %s (%s: ok; %d pages copied in %.1f s, checked in %.1f s)\n", path,
	    full ? "integrity_check" : "quick_check", pages,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9);
	return EXIT_OK;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* backup FILE — an online copy of the database (SQLite backup API), checked afterwards.
 * backup --dir DIR --keep N — the same into DIR/portal-YYYYMMDDTHHMMSSZ.db (DIR is made,
 * mode 0700, if missing), then removes the oldest such files beyond the newest N. Other
 * files in DIR are never touched; a failed backup removes nothing. The daily timer
 * (csp-portal-backup.timer) runs this form. */
static int
cmd_backup(struct ctl *c)
{
	const char *dir = NULL, *keep_s = NULL, *v;
	const char *file = NULL;
	bool full = false;
	for (int i = 0; i < c->argc;) {
		if (strcmp(c->argv[i], "--check") == 0) {
			full = true;
			i++;
		} else if ((v = ctl_option(c, &i, "--dir")) != NULL)
			dir = v;
		else if ((v = ctl_option(c, &i, "--keep")) != NULL)
			keep_s = v;
		else if (c->argv[i][0] != '-' && file == NULL)
			file = c->argv[i++];
		else
			return EXIT_USAGE;
	}
	if (file != NULL)
		return dir == NULL && keep_s == NULL ? backup_to(c, file, full) : EXIT_USAGE;
	int64_t keep;
	if (dir == NULL || keep_s == NULL || parse_i64(keep_s, 1, 10000, &keep) < 0)
		return EXIT_USAGE;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "portalctl: backup: %s: %s\n", dir, strerror(errno));
		return EXIT_REFUSED;
	}
	char stamp[32];
	time_t t = (time_t)now_sec();
	struct tm tm;
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime_r(&t, &tm));
	int rc = backup_to(c, arena_printf(&c->a, "%s/portal-%s.db", dir, stamp), full);
	if (rc != EXIT_OK)
		return rc;
	/* Retention: the names sort by time; keep the newest N. */
	DIR *dh = opendir(dir);
	if (dh == NULL) {
		fprintf(stderr, "portalctl: backup: %s: %s\n", dir, strerror(errno));
		return EXIT_REFUSED;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len != strlen("portal-YYYYMMDDTHHMMSSZ.db") || strncmp(e->d_name, "portal-", 7) != 0 ||
		    strcmp(e->d_name + len - 3, ".db") != 0)
			continue;
		char **grown = arena_grow(&c->a, names, n, &cap, sizeof(*names), 16);
		if (grown == NULL)
			break;
		names = grown;
		names[n++] = arena_strdup(&c->a, e->d_name);
	}
	closedir(dh);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i + (size_t)keep < n; i++) {
		const char *old = arena_printf(&c->a, "%s/%s", dir, names[i]);
		if (unlink(old) != 0) {
			fprintf(stderr, "portalctl: backup: cannot remove %s: %s\n", old, strerror(errno));
			rc = EXIT_REFUSED;
		} else
			printf("removed %s (keeping the newest %lld)\n", old, (long long)keep);
	}
	return rc;
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
	printf("key %u is now current; the previous key stays valid for links already sent, older keys are retired.\n", kid);
	/* TOTP secrets outlive any key: seal them under the new one before the old is retired. */
	if (ctl_mfa_reseal(c) < 0) {
		fprintf(stderr, "portalctl: rotate-key: could not re-seal the TOTP secrets; run rotate-key again later\n");
		return EXIT_REFUSED;
	}
	printf("Restart portal.fcgi to use it.\n");
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
ctl_import_refused(const char *what, const char *path, int rc, const char *const *errors, int nerrors, int shown)
{
	if (rc < 0) {
		fprintf(stderr, "portalctl: %s: the database refused the import; nothing was imported\n", what);
		return EXIT_REFUSED;
	}
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
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: mpa publish: the database is busy\n");
		return EXIT_REFUSED;
	}
	int64_t now = now_sec();
	int64_t id = agreement_publish(c->store, version, body, now, err, sizeof(err));
	if (id <= 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: mpa publish: %s\n", err);
		return EXIT_REFUSED;
	}
	int64_t pending = agreement_pending_orgs(c->store, id);
	ctl_audit(c, 0, "agreement.publish", arena_printf(&c->a, "version %s", version), "ok",
	    arena_printf(&c->a, "%zu bytes", len));
	if (pending < 0 || store_commit(c->store) < 0) {
		store_rollback(c->store);
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
	struct agreement_version_list versions;
	if (agreement_versions(c->store, &c->a, &versions) < 0) {
		fprintf(stderr, "portalctl: mpa list: cannot read the versions\n");
		return EXIT_REFUSED;
	}
	printf("%-20s %-22s %-10s %s\n", "VERSION", "PUBLISHED", "BYTES", "ACCEPTED BY");
	for (size_t i = 0; i < versions.n; i++) {
		const struct agreement_version *v = &versions.v[i];
		printf("%-20s %-22s %-10lld %lld organization%s%s\n", v->version, fmt_stamp(&c->a, v->published_at),
		    (long long)v->bytes, (long long)v->accepted, v->accepted == 1 ? "" : "s", i == 0 ? "  (current)" : "");
	}
	if (versions.n == 0)
		printf("(no version published yet: portalctl mpa publish FILE --version V)\n");
	return EXIT_OK;
}

/* ---- provider-reseller relationships ---- */

/* PROVIDER / RESELLER on the command line: a partner account id (digits) or the
 * organization's primary domain. Returns the partner account id of type t, or 0 after
 * saying why on stderr. */
static int64_t
ctl_partner(struct ctl *c, const char *arg, enum partner_type t)
{
	int64_t id = 0;
	if (arg[0] >= '0' && arg[0] <= '9' && parse_i64(arg, 1, INT64_MAX, &id) == 0)
		id = rel_account_by_id(c->store, &c->a, id, t);
	else
		id = rel_account_by_domain(c->store, arg, t);
	if (id < 0)
		fprintf(stderr, "portalctl: %s: cannot read the partner accounts\n", arg);
	else if (id == 0)
		fprintf(stderr, "portalctl: %s: no %s account with that id or domain\n", arg, partner_type_words(t));
	return id > 0 ? id : 0;
}

/* The mail queued by a command, delivered once its transaction committed. */
struct ctl_mail {
	int64_t *ids;
	size_t n, cap;
};

/* Queues the relationship-ended notice to the users of side's organization who hear about
 * its relationships (rel_recipients). 0, or -1 after saying why on stderr. */
static int
queue_end_notices(struct ctl *c, const struct partner *side, const struct partner *p, const struct partner *r,
    const char *why, int64_t now, struct ctl_mail *mail)
{
	struct user_list to;
	if (rel_recipients(c->store, &c->a, side->tenant_id, side->type, &to) < 0) {
		fprintf(stderr, "portalctl: end-relationship: cannot read the users of %s\n", side->name);
		return -1;
	}
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(&c->a);
		tv_set(m, "provider", p->name);
		tv_set(m, "reseller", r->name);
		tv_set(m, "reason", why);
		tv_set(m, "when", zone_time_for_address(c->store, &c->a, to.v[i].email, now));
		int64_t id = mail_enqueue(c->store, &c->a, c->portal, to.v[i].email, "relationship-ended", m);
		int64_t *ids = id < 0 ? NULL : arena_grow(&c->a, mail->ids, mail->n, &mail->cap, sizeof(*ids), 8);
		if (ids == NULL) {
			fprintf(stderr, "portalctl: end-relationship: cannot queue the email to %s\n", to.v[i].email);
			return -1;
		}
		mail->ids = ids;
		mail->ids[mail->n++] = id;
	}
	return 0;
}

/* Reads end-relationship's arguments: two positional (provider, reseller) and --reason
 * (trimmed: one line of at most 500 characters). 0, or EXIT_USAGE. */
static int
end_args(struct ctl *c, const char *pos[2], char **why)
{
	const char *reason = NULL, *v;
	int npos = 0;
	for (int i = 0; i < c->argc;) {
		if ((v = ctl_option(c, &i, "--reason")) != NULL)
			reason = v;
		else if (c->argv[i][0] == '-' || npos == 2)
			return EXIT_USAGE;
		else
			pos[npos++] = c->argv[i++];
	}
	if (npos != 2 || reason == NULL)
		return EXIT_USAGE;
	*why = str_trim(&c->a, reason);
	if (*why == NULL || **why == '\0' || strlen(*why) > 500 || strpbrk(*why, "\r\n") != NULL) {
		fprintf(stderr, "portalctl: end-relationship: the reason is required: one line of at most 500 characters\n");
		return EXIT_USAGE;
	}
	return 0;
}

/* end-relationship PROVIDER RESELLER --reason R — ends the active relationship between an
 * indirect provider and an indirect reseller (each: partner account id or primary domain).
 * Both organizations are told by email (rel_recipients: the provider's users who may invite
 * resellers, the reseller's who may authorize providers); both audit logs record it. The
 * relationship is then gone from both pages (portalctl relationships still shows it, as
 * ended); the two may be related again by a new invitation. */
static int
cmd_end_relationship(struct ctl *c)
{
	const char *pos[2] = { NULL, NULL };
	char *why;
	int usage = end_args(c, pos, &why);
	if (usage)
		return usage;
	int64_t provider = ctl_partner(c, pos[0], PT_INDIRECT_PROVIDER);
	int64_t reseller = provider ? ctl_partner(c, pos[1], PT_INDIRECT_RESELLER) : 0;
	struct partner p = { 0 }, r = { 0 };
	if (!provider || !reseller || partner_get(c->store, &c->a, provider, &p) != 1 ||
	    partner_get(c->store, &c->a, reseller, &r) != 1 || store_begin_write(c->store) < 0)
		return EXIT_REFUSED;
	int64_t now = now_sec();
	int64_t id = rel_end_between(c->store, provider, reseller, why, now);
	if (id <= 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: end-relationship: %s and %s have no active relationship\n", p.name, r.name);
		return EXIT_REFUSED;
	}
	const char *detail = arena_printf(&c->a, "relationship %lld: %s", (long long)id, why);
	const struct partner *side[2] = { &p, &r };
	struct ctl_mail mail = { 0 };
	for (int k = 0; k < 2; k++) {
		ctl_audit(c, side[k]->tenant_id, "relationship.end", side[1 - k]->name, "ok", detail);
		if (queue_end_notices(c, side[k], &p, &r, why, now, &mail) < 0) {
			store_rollback(c->store);
			return EXIT_REFUSED;
		}
	}
	if (store_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: end-relationship: the database refused the change\n");
		return EXIT_REFUSED;
	}
	int sent = 0, kept = mail_deliver_many(&c->portal->cfg, c->store, mail.ids, (int)mail.n, &sent);
	printf("relationship %lld between %s (%s) and %s (%s) ended; %d notice(s) sent", (long long)id,
	    p.name, p.domain, r.name, r.domain, sent);
	if (kept > 0)
		printf(", %d kept queued (portalctl mail retry)", kept);
	printf("\n");
	return EXIT_OK;
}

/* relationships [--provider X] [--reseller Y] — every provider-reseller relationship,
 * active and ended, optionally of one provider and/or one reseller (id or domain). */
static int
cmd_relationships(struct ctl *c)
{
	int64_t provider = 0, reseller = 0;
	const char *v;
	for (int i = 0; i < c->argc;) {
		if ((v = ctl_option(c, &i, "--provider")) != NULL) {
			if ((provider = ctl_partner(c, v, PT_INDIRECT_PROVIDER)) == 0)
				return EXIT_REFUSED;
		} else if ((v = ctl_option(c, &i, "--reseller")) != NULL) {
			if ((reseller = ctl_partner(c, v, PT_INDIRECT_RESELLER)) == 0)
				return EXIT_REFUSED;
		} else
			return EXIT_USAGE;
	}
	struct rel_overview_list list;
	if (rel_all(c->store, &c->a, provider, reseller, &list) < 0) {
		fprintf(stderr, "portalctl: relationships: cannot read the relationships\n");
		return EXIT_REFUSED;
	}
	printf("%-5s %-36s %-36s %-11s %-6s %-7s %s\n", "ID", "PROVIDER (ACCOUNT, DOMAIN)", "RESELLER (ACCOUNT, DOMAIN)",
	    "SINCE", "ADMIN", "STATUS", "ENDED / REASON");
	for (size_t i = 0; i < list.n; i++) {
		const struct rel_overview *x = &list.v[i];
		char pv[160], rs[160];
		snprintf(pv, sizeof(pv), "%s (%lld, %s)", x->provider_name, (long long)x->provider_id, x->provider_domain);
		snprintf(rs, sizeof(rs), "%s (%lld, %s)", x->reseller_name, (long long)x->reseller_id, x->reseller_domain);
		bool ended = x->status == RS_ENDED;
		printf("%-5lld %-36s %-36s %-11s %-6s %-7s %s%s%s\n", (long long)x->id, pv, rs, fmt_date(&c->a, x->since),
		    x->admin_access ? "yes" : "no", rel_status_key(x->status), ended ? fmt_date(&c->a, x->ended_at) : "",
		    ended ? " — " : "", ended ? x->end_reason : "");
	}
	return EXIT_OK;
}

static const struct command commands[] = {
#define CMD(name, args, help, fn, needs_db) { name, args, help, fn, needs_db },
#include "cli/commands.def"
#undef CMD
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
	    "  ordered). An offer may have one line per currency, the same but for price and currency:\n"
	    "  its price in that currency (a customer is shown its country's; the first line's is the\n"
	    "  list price, shown where there is none). Adds and updates, never deletes; the same file\n"
	    "  twice changes nothing.\n"
	    "  A file with any bad line imports nothing; every bad line is reported with its number.\n",
	    mpn_import_columns, offers_import_columns);
	fprintf(out, "\nExit codes: 0 success, 1 refused by a rule or failed (the reason on stderr), 2 usage or a\n"
	    "wrong setting, 3 the installation: the templates, data directory, keys or database cannot be\n"
	    "opened (a missing file or directory, a database that does not answer; the path on stderr).\n\n");
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
	i18n_init(portal.cfg.localedir);	/* issue 18: emails in the recipient's language */
	if (password_init() < 0)
		return EXIT_REFUSED;
	struct ctl c = { .portal = &portal, .argc = argc - 1 - words, .argv = argv + 1 + words };
	arena_init(&c.a, 0);
	if (cmd->needs_db) {
		/* every statement is checked when the portal starts (and by doctor), not in each run */
		store_check_statements(false);
		if (setup_data_dir(&portal.cfg, err, sizeof(err)) < 0 ||
		    tmpl_set_load(&portal.tmpl, portal.cfg.templates, err, sizeof(err)) < 0 ||
		    store_open(&c.store, portal.cfg.db_path, false, err, sizeof(err)) < 0) {
			fprintf(stderr, "portalctl: %s\n", err);
			return EXIT_SETUP;
		}
	}
	int rc = cmd->run(&c);
	if (rc == EXIT_USAGE)
		fprintf(stderr, "usage: portalctl %s %s\n", cmd->name, cmd->args);
	if (cmd->needs_db)
		store_close(c.store);
	tmpl_set_free(&portal.tmpl);
	arena_free(&c.a);
	tz_thread_end();	/* the emails' times (issue 15): this thread's ICU formatters */
	return rc;
}
