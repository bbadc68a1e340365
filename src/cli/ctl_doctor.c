/* ctl_doctor.c — `portalctl doctor [--user U] [--nginx-user U]`: checks a deployment and
 * prints what to fix, one line per finding ("ok    ..." or "FIX   ...: how"). It only reads:
 * it creates no directory, no key and no database, and applies no migration (unlike every
 * other command, it runs without setup_data_dir). Exit 0 when nothing needs fixing, 1
 * otherwise.
 *
 * Checked: the settings file (not writable by others); the data directory (exists, owned by
 * the portal's user, nobody else may enter or write it); the key file (mode 0600, the
 * portal's user's, loads); the database (the portal's user's, not writable by others,
 * integrity_check and foreign_key_check clean, schema version current); the templates load;
 * the socket (exists, a socket, mode 0660, its group the one PORTAL_SOCKET_GROUP names and
 * one that nginx's workers' user is in, its directory passable by them); the mail transport
 * (the spool directory writable by the portal's user, or the sendmail command executable;
 * messages still queued, with their last error); the base URL (https unless it is this
 * machine); the counts the writes keep (issue 17) against the rows. The portal's user: --user,
 * else the data directory's owner. nginx's workers' user: --nginx-user, else the "user" line of
 * /etc/nginx/nginx.conf, else www-data. Also `portalctl counts [--rebuild]`: the same comparison
 * of the kept counts, and the counts made again from the rows. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/keys.h"
#include "base/util.h"
#include "cli/ctl.h"

struct doctor {
	int problems;
	uid_t uid;			/* the portal's user */
	const char *user;
};

static void
ok(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("ok    ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static void
fix(struct doctor *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FIX   ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	d->problems++;
}

static const char *
user_name(uid_t uid)
{
	static char buf[64];
	struct passwd *pw = getpwuid(uid);
	if (pw != NULL)
		return pw->pw_name;
	snprintf(buf, sizeof(buf), "uid %u", (unsigned)uid);
	return buf;
}

static const char *
group_name(gid_t gid)
{
	static char buf[64];
	struct group *g = getgrgid(gid);
	if (g != NULL)
		return g->gr_name;
	snprintf(buf, sizeof(buf), "gid %u", (unsigned)gid);
	return buf;
}

/* (user_name and group_name answer from static storage: one call per printf, or copy.) */

/* A file the portal owns and nobody else may change; mode_max: the bits it may have.
 * true when it is as it should be. */
static bool
check_owned(struct doctor *d, const char *what, const char *path, mode_t mode_max, bool required)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (required || errno != ENOENT)
			fix(d, "%s %s: %s", what, path, strerror(errno));
		return false;
	}
	mode_t m = st.st_mode & 07777;
	if (st.st_uid != d->uid)
		fix(d, "%s %s belongs to %s: chown %s %s", what, path, user_name(st.st_uid), d->user, path);
	else if ((m & ~mode_max) != 0)
		fix(d, "%s %s has mode %04o: chmod %04o %s", what, path, (unsigned)m, (unsigned)(m & mode_max), path);
	else {
		ok("%s %s (%s, %04o)", what, path, d->user, (unsigned)m);
		return true;
	}
	return false;
}

/* nginx's workers' user: the "user NAME [GROUP];" line of nginx.conf, else www-data. */
static const char *
nginx_user(struct ctl *c)
{
	FILE *fp = fopen("/etc/nginx/nginx.conf", "r");
	char line[512];
	const char *name = "www-data";
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
		char u[128];
		if (sscanf(line, " user %127[^; \t\n]", u) == 1) {
			name = arena_strdup(&c->a, u);
			break;
		}
	}
	if (fp != NULL)
		fclose(fp);
	return name;
}

static bool
user_in_group(const struct passwd *pw, gid_t gid)
{
	if (pw->pw_gid == gid)
		return true;
	struct group *g = getgrgid(gid);
	for (char **m = g ? g->gr_mem : NULL; m != NULL && *m != NULL; m++)
		if (strcmp(*m, pw->pw_name) == 0)
			return true;
	return false;
}

static void
check_socket(struct doctor *d, struct ctl *c, const char *nginx)
{
	const struct config *cfg = &c->portal->cfg;
	const char *path = cfg->socket_path;
	struct passwd *pw = getpwnam(nginx);
	if (pw == NULL) {
		fix(d, "nginx's workers' user %s does not exist: give the right one with --nginx-user", nginx);
		return;
	}
	struct passwd ngx = *pw;
	ngx.pw_name = arena_strdup(&c->a, pw->pw_name);
	struct stat st;
	if (stat(path, &st) != 0) {
		fix(d, "socket %s: %s: start the portal (systemctl start csp-portal)", path, strerror(errno));
		return;
	}
	if (!S_ISSOCK(st.st_mode)) {
		fix(d, "socket %s is not a socket: remove it and restart the portal", path);
		return;
	}
	if ((st.st_mode & 0777) != 0660)
		fix(d, "socket %s has mode %04o, not 0660: restart the portal", path, (unsigned)(st.st_mode & 0777));
	if (*cfg->socket_group) {
		struct group *g = getgrnam(cfg->socket_group);
		if (g == NULL)
			fix(d, "PORTAL_SOCKET_GROUP=%s: no such group", cfg->socket_group);
		else if (g->gr_gid != st.st_gid)
			fix(d, "socket %s has group %s, not PORTAL_SOCKET_GROUP=%s: restart the portal", path,
			    group_name(st.st_gid), cfg->socket_group);
	}
	if (ngx.pw_uid != 0 && ngx.pw_uid != st.st_uid && !user_in_group(&ngx, st.st_gid))
		fix(d, "socket %s has group %s, which nginx's workers' user %s is not in: set PORTAL_SOCKET_GROUP=%s",
		    path, arena_strdup(&c->a, group_name(st.st_gid)), nginx, arena_strdup(&c->a, group_name(ngx.pw_gid)));
	else
		ok("socket %s (group %s; nginx's workers run as %s)", path, group_name(st.st_gid), nginx);
	/* nginx's workers must pass through the socket's directory. */
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		struct stat ds;
		bool pass = stat(dir, &ds) == 0 && (ngx.pw_uid == 0 || (ds.st_mode & 0001) ||
		    (ds.st_uid == ngx.pw_uid && (ds.st_mode & 0100)) || (user_in_group(&ngx, ds.st_gid) && (ds.st_mode & 0010)));
		if (!pass)
			fix(d, "nginx's workers' user %s cannot pass through %s: chmod o+x %s (or give it the socket's group)",
			    nginx, dir, dir);
	}
}

static void
check_mail(struct doctor *d, struct ctl *c, struct store *s)
{
	const struct config *cfg = &c->portal->cfg;
	if (strcmp(cfg->mail, "spool") == 0) {
		check_owned(d, "mail spool", cfg->mail_dir, 0770, true);
		printf("      (PORTAL_MAIL=spool: messages are written to %s, not sent; set PORTAL_MAIL=sendmail to send them)\n",
		    cfg->mail_dir);
	} else {
		char prog[512];
		if (sscanf(cfg->sendmail, "%511s", prog) != 1 || prog[0] != '/')
			fix(d, "PORTAL_SENDMAIL=%s: the command must start with an absolute path", cfg->sendmail);
		else if (access(prog, X_OK) != 0)
			fix(d, "PORTAL_SENDMAIL: %s: %s: install a sendmail (msmtp-mta, nullmailer, ...) or change the setting",
			    prog, strerror(errno));
		else
			ok("mail transport: %s is executable", prog);
	}
	if (s == NULL)
		return;
	struct outbox_list list;
	if (st_outbox_list(s, &c->a, 1000, &list) < 0) {
		fix(d, "cannot read the outbox");
		return;
	}
	size_t queued = 0;
	const char *last = NULL;
	for (size_t i = 0; i < list.n; i++)
		if (list.v[i].sent_at == 0 && list.v[i].attempts > 0) {
			queued++;
			if (last == NULL && *list.v[i].last_error)
				last = list.v[i].last_error;
		}
	if (queued)
		fix(d, "%zu message%s could not be delivered yet (last error: %s): fix the transport, then portalctl mail retry",
		    queued, queued == 1 ? "" : "s", last ? last : "none recorded");
	else
		ok("no message waiting for a retry");
}

/* The counts the writes keep (schema sections 29 and 30) agree with the rows. */
static void
check_counts(struct doctor *d, struct store *s)
{
	int64_t directory, partners;
	if (st_kept_counts_drift(s, &directory, &partners) < 0)
		fix(d, "kept counts: cannot be read: see the log above");
	else if (directory + partners > 0)
		fix(d, "kept counts: %lld of Find a provider's and %lld of the organizations' differ from the rows:"
		    " portalctl counts --rebuild", (long long)directory, (long long)partners);
	else
		ok("kept counts (Find a provider's, the Overview's customers and resellers) agree with the rows");
}

/* counts [--rebuild] */
int
cmd_counts(struct ctl *c)
{
	bool rebuild = c->argc == 1 && strcmp(c->argv[0], "--rebuild") == 0;
	if (c->argc != 0 && !rebuild)
		return EXIT_USAGE;
	int64_t directory, partners;
	if (st_kept_counts_drift(c->store, &directory, &partners) < 0) {
		fprintf(stderr, "portalctl: counts: cannot read them\n");
		return EXIT_REFUSED;
	}
	printf("kept counts that differ from the rows: %lld of Find a provider's (country and region),"
	    " %lld of the organizations' (customers, resellers)\n", (long long)directory, (long long)partners);
	if (!rebuild)
		return directory + partners > 0 ? EXIT_REFUSED : EXIT_OK;
	if (store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: counts: the database is busy\n");
		return EXIT_REFUSED;
	}
	if (st_kept_counts_rebuild(c->store) < 0) {
		store_rollback(c->store);
		fprintf(stderr, "portalctl: counts: cannot make them again\n");
		return EXIT_REFUSED;
	}
	if (store_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: counts: the database refused the change\n");
		return EXIT_REFUSED;
	}
	if (st_kept_counts_drift(c->store, &directory, &partners) < 0 || directory + partners > 0) {
		fprintf(stderr, "portalctl: counts: they still differ after rebuilding\n");
		return EXIT_REFUSED;
	}
	printf("made again from the rows: every kept count agrees with them\n");
	return EXIT_OK;
}

static void
check_base_url(struct doctor *d, const struct config *cfg)
{
	const char *host = strstr(cfg->base_url, "://");
	host = host ? host + 3 : cfg->base_url;
	bool local = str_has_prefix(host, "127.") || str_has_prefix(host, "localhost") || str_has_prefix(host, "[::1]");
	if (cfg->https)
		ok("base URL %s", cfg->base_url);
	else if (local)
		ok("base URL %s (this machine only; production needs https://)", cfg->base_url);
	else
		fix(d, "base URL %s is not https: set PORTAL_BASE_URL=https://... (and nginx's TLS server block)",
		    cfg->base_url);
}

int
cmd_doctor(struct ctl *c)
{
	const struct config *cfg = &c->portal->cfg;
	const char *want_user = NULL, *ngx = NULL, *v;
	for (int i = 0; i < c->argc;) {
		if ((v = ctl_option(c, &i, "--user")) != NULL)
			want_user = v;
		else if ((v = ctl_option(c, &i, "--nginx-user")) != NULL)
			ngx = v;
		else
			return EXIT_USAGE;
	}
	struct doctor d = { 0 };
	char err[1024];

	if (*cfg->conf) {
		struct stat st;
		if (stat(cfg->conf, &st) != 0)
			ok("settings: no file %s (defaults and the environment)", cfg->conf);
		else if (st.st_mode & 0022)
			fix(&d, "settings file %s is writable by others (mode %04o): chmod go-w %s", cfg->conf,
			    (unsigned)(st.st_mode & 0777), cfg->conf);
		else
			ok("settings file %s", cfg->conf);
	}

	struct stat st;
	errno = 0;
	if (stat(cfg->data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fix(&d, "data directory %s: %s: run portalctl init (as the portal's user)", cfg->data_dir,
		    errno ? strerror(errno) : "not a directory");
		printf("1 problem; nothing else can be checked without the data directory\n");
		return EXIT_REFUSED;
	}
	if (want_user != NULL) {
		struct passwd *pw = getpwnam(want_user);
		if (pw == NULL) {
			fprintf(stderr, "portalctl: doctor: no user %s\n", want_user);
			return EXIT_USAGE;
		}
		d.uid = pw->pw_uid;
	} else
		d.uid = st.st_uid;
	d.user = arena_strdup(&c->a, user_name(d.uid));

	check_owned(&d, "data directory", cfg->data_dir, 0750, true);
	if (check_owned(&d, "key file", cfg->keys_path, 0600, true) && keys_load(cfg->keys_path, err, sizeof(err)) < 0)
		fix(&d, "key file %s: %s", cfg->keys_path, err);

	struct store *s = NULL;
	if (access(cfg->db_path, F_OK) != 0)
		fix(&d, "database %s: %s: run portalctl init", cfg->db_path, strerror(errno));
	else {
		check_owned(&d, "database", cfg->db_path, 0640, true);
		char wal[1100];
		snprintf(wal, sizeof(wal), "%s-wal", cfg->db_path);
		check_owned(&d, "database log", wal, 0640, false);
		store_check_statements(true);	/* as the portal's start-up does */
		if (store_open(&s, cfg->db_path, false, err, sizeof(err)) < 0) {
			fix(&d, "%s", err);
			s = NULL;
		} else if (store_check(s, err, sizeof(err)) < 0)
			fix(&d, "database %s: %s: restore the newest backup (portalctl backup)", cfg->db_path, err);
		else
			ok("database %s: integrity and foreign keys clean, schema version %d (current)", cfg->db_path,
			    store_version(s));
	}

	if (s != NULL)
		check_counts(&d, s);

	static struct tmpl_set tmpl;
	if (tmpl_set_load(&tmpl, cfg->templates, err, sizeof(err)) < 0)
		fix(&d, "templates %s: %s: set PORTAL_TEMPLATES", cfg->templates, err);
	else
		ok("templates %s (%zu)", cfg->templates, tmpl.count);
	tmpl_set_free(&tmpl);

	check_socket(&d, c, ngx ? ngx : nginx_user(c));
	check_mail(&d, c, s);
	check_base_url(&d, cfg);
	if (s != NULL)
		store_close(s);

	if (d.problems)
		printf("%d problem%s to fix\n", d.problems, d.problems == 1 ? "" : "s");
	else
		printf("no problems found\n");
	return d.problems ? EXIT_REFUSED : EXIT_OK;
}
