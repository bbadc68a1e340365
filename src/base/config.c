/* config.c — see config.h. */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* Every setting's name, in config.def's order (the settings file's index). */
static const char *const conf_names[] = {
#define CONF(field, env, def, help) env,
#include "base/config.def"
#undef CONF
};
#define NCONF (sizeof(conf_names) / sizeof(conf_names[0]))

/* The settings file's values, kept for the process's life (cfg points into them). */
static char *file_values[NCONF];

/* Where each setting's value came from (issue 15: --help says it), and the settings file
 * read (empty: none). */
enum conf_source { FROM_DEFAULT, FROM_FILE, FROM_ENV };
static enum conf_source conf_from[NCONF];
static char conf_used[1024];
/* The settings of the last successful config_load (config_help shows them). */
static struct config last_loaded;
static bool have_loaded;

/* The checkout a binary was built in, when it runs from there (bin/portalctl,
 * cgi-bin/portal.fcgi, build/asan/portalctl: the nearest directory above the program's that
 * holds templates/, at most three levels up): the relative defaults ("var", "templates") are
 * taken there, so that a binary run from any directory finds the checkout's templates and
 * data. An installed build's defaults are absolute and never change. */
static char checkout_root[1024];

static void
find_checkout_root(void)
{
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	checkout_root[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');	/* the program's own name */
	if (slash == NULL)
		return;
	*slash = '\0';
	for (int up = 0; up < 3; up++) {
		slash = strrchr(exe, '/');
		if (slash == NULL)
			return;
		*slash = '\0';
		char probe[1100];
		struct stat st;
		snprintf(probe, sizeof(probe), "%s/templates/layout.html", exe);
		if (*exe && stat(probe, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(checkout_root, sizeof(checkout_root), "%s", exe);
			return;
		}
	}
}

/* A relative compiled-in default, made absolute in the checkout the binary runs from. */
static const char *
default_path(const char *def, char *buf, size_t len)
{
	if (*def == '\0' || *def == '/' || *checkout_root == '\0')
		return def;
	snprintf(buf, len, "%s/%s", checkout_root, def);
	return buf;
}

/* Reads the settings file at path into file_values: lines NAME=value (spaces around both
 * trimmed; a value wholly in "..." or '...' loses the quotes, as systemd's EnvironmentFile=
 * reads it), blank lines and lines starting with #. An unknown name, a line without =, or
 * PORTAL_CONF itself is an error naming the line. required: a missing file is an error
 * (named with PORTAL_CONF), else it means no file. 0, or -1 with err. */
static int
conf_file_read(const char *path, bool required, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (fp == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "settings file %s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		size_t n = strlen(line);
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			rc = -1;
			break;
		}
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		char *eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected NAME=value", path, lineno);
			rc = -1;
			break;
		}
		char *name_end = eq;
		while (name_end > p && isspace((unsigned char)name_end[-1]))
			name_end--;
		*name_end = '\0';
		char *v = eq + 1;
		while (isspace((unsigned char)*v))
			v++;
		size_t vl = strlen(v);
		if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
			v[vl - 1] = '\0';
			v++;
		}
		size_t k = 0;
		while (k < NCONF && strcmp(conf_names[k], p) != 0)
			k++;
		if (k == NCONF || strcmp(p, "PORTAL_CONF") == 0) {
			snprintf(err, errlen, "%s:%d: %s is not a setting (portal.fcgi --help lists them)", path, lineno, p);
			rc = -1;
			break;
		}
		free(file_values[k]);
		file_values[k] = strdup(v);
		if (file_values[k] == NULL) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
	}
	if (rc == 0 && ferror(fp)) {
		snprintf(err, errlen, "settings file %s: cannot read it", path);
		rc = -1;
	}
	fclose(fp);
	return rc;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	find_checkout_root();
	const char *conf_env = getenv("PORTAL_CONF");
	const char *conf_path = (conf_env && *conf_env) ? conf_env : PORTAL_DEFAULT_CONF;
	for (size_t k = 0; k < NCONF; k++) {
		free(file_values[k]);
		file_values[k] = NULL;
	}
	conf_used[0] = '\0';
	if (*conf_path) {
		if (conf_file_read(conf_path, conf_env && *conf_env, err, errlen) < 0)
			return -1;
		if (access(conf_path, F_OK) == 0)
			snprintf(conf_used, sizeof(conf_used), "%s", conf_path);
	}
	/* No settings file named or found: <data>/portal.conf, the one portalctl init writes
	 * (the data directory from the environment or the default; it cannot move itself). */
	static char data_def[1024], tmpl_def[1024], locale_def[1024], data_conf[1100];
	const char *data_env = getenv("PORTAL_DATA");
	const char *data = (data_env && *data_env) ? data_env : default_path(PORTAL_DEFAULT_DATA, data_def, sizeof(data_def));
	if (*conf_used == '\0' && !(conf_env && *conf_env)) {
		snprintf(data_conf, sizeof(data_conf), "%s/portal.conf", data);
		if (conf_file_read(data_conf, false, err, errlen) < 0)
			return -1;
		if (access(data_conf, F_OK) == 0) {
			snprintf(conf_used, sizeof(conf_used), "%s", data_conf);
			for (size_t k = 0; k < NCONF; k++)
				if (file_values[k] != NULL && strcmp(conf_names[k], "PORTAL_DATA") == 0) {
					snprintf(err, errlen, "%s: PORTAL_DATA cannot be set in the data directory's own settings "
					    "file: set it in the environment or in the file PORTAL_CONF names", data_conf);
					return -1;
				}
		}
	}
	size_t k_ = 0;
#define CONF(field, env, def, help) { const char *v_ = getenv(env); \
	conf_from[k_] = (v_ && *v_) ? FROM_ENV : (file_values[k_] && *file_values[k_]) ? FROM_FILE : FROM_DEFAULT; \
	cfg->field = conf_from[k_] == FROM_ENV ? v_ : conf_from[k_] == FROM_FILE ? file_values[k_] : def; k_++; }
#include "base/config.def"
#undef CONF
	cfg->conf = *conf_used ? conf_used : conf_path;
	for (size_t k = 0; k < NCONF; k++)
		if (conf_from[k] == FROM_DEFAULT && strcmp(conf_names[k], "PORTAL_DATA") == 0)
			cfg->data_dir = default_path(cfg->data_dir, data_def, sizeof(data_def));
		else if (conf_from[k] == FROM_DEFAULT && strcmp(conf_names[k], "PORTAL_TEMPLATES") == 0)
			cfg->templates = default_path(cfg->templates, tmpl_def, sizeof(tmpl_def));
		else if (conf_from[k] == FROM_DEFAULT && strcmp(conf_names[k], "PORTAL_LOCALEDIR") == 0)
			cfg->localedir = default_path(cfg->localedir, locale_def, sizeof(locale_def));
	int64_t n;
	if (parse_i64(cfg->threads, 1, 64, &n) < 0) {
		snprintf(err, errlen, "PORTAL_THREADS must be a number from 1 to 64");
		return -1;
	}
	cfg->nthreads = (int)n;
	if (parse_i64(cfg->max_body, 1024, 16 << 20, &n) < 0) {
		snprintf(err, errlen, "PORTAL_MAX_BODY must be a number of bytes from 1024 to 16777216");
		return -1;
	}
	cfg->max_body_bytes = (size_t)n;
	if (parse_i64(cfg->api_rate, 1, 10000000, &n) < 0) {
		snprintf(err, errlen, "PORTAL_API_RATE must be a number of calls from 1 to 10000000");
		return -1;
	}
	cfg->api_calls_per_min = (int)n;
	if (strcmp(cfg->webhook_private, "0") != 0 && strcmp(cfg->webhook_private, "1") != 0) {
		snprintf(err, errlen, "PORTAL_WEBHOOK_ALLOW_PRIVATE must be 0 or 1");
		return -1;
	}
	cfg->webhook_private_ok = strcmp(cfg->webhook_private, "1") == 0;
	if (parse_i64(cfg->webhook_backoff, 1, 3600, &n) < 0) {
		snprintf(err, errlen, "PORTAL_WEBHOOK_BACKOFF must be a number of seconds from 1 to 3600");
		return -1;
	}
	cfg->webhook_backoff_s = (int)n;
	if (parse_i64(cfg->webhook_poll, 1, 3600, &n) < 0) {
		snprintf(err, errlen, "PORTAL_WEBHOOK_POLL must be a number of seconds from 1 to 3600");
		return -1;
	}
	cfg->webhook_poll_s = (int)n;
	if (parse_i64(cfg->clock_offset, -((int64_t)1 << 40), (int64_t)1 << 40, &n) < 0) {
		snprintf(err, errlen, "PORTAL_CLOCK_OFFSET must be a number of seconds");
		return -1;
	}
	util_time_offset = n;
	if (str_has_prefix(cfg->base_url, "https://"))
		cfg->https = true;
	else if (!str_has_prefix(cfg->base_url, "http://")) {
		snprintf(err, errlen, "PORTAL_BASE_URL must start with http:// or https://");
		return -1;
	}
	size_t bl = strlen(cfg->base_url);
	if (bl > 512 || strpbrk(cfg->base_url, " \r\n\"'<>") != NULL || cfg->base_url[bl - 1] == '/') {
		snprintf(err, errlen, "PORTAL_BASE_URL must be a plain URL without a trailing slash");
		return -1;
	}
	if (strcmp(cfg->mail, "spool") != 0 && strcmp(cfg->mail, "sendmail") != 0) {
		snprintf(err, errlen, "PORTAL_MAIL must be spool or sendmail");
		return -1;
	}
	if (strpbrk(cfg->mail_from, "\r\n") != NULL) {
		snprintf(err, errlen, "PORTAL_MAIL_FROM must be one line");
		return -1;
	}
	if (*cfg->support_email && (strlen(cfg->support_email) > 254 || strpbrk(cfg->support_email, " \r\n\"'<>") != NULL ||
	    strchr(cfg->support_email, '@') == NULL)) {
		snprintf(err, errlen, "PORTAL_SUPPORT_EMAIL must be one email address");
		return -1;
	}
	if (*cfg->support_url && ((!str_has_prefix(cfg->support_url, "https://") && !str_has_prefix(cfg->support_url, "http://")) ||
	    strlen(cfg->support_url) > 512 || strpbrk(cfg->support_url, " \r\n\"'<>") != NULL)) {
		snprintf(err, errlen, "PORTAL_SUPPORT_URL must be an https:// or http:// address");
		return -1;
	}
	if (strlen(cfg->data_dir) > 900) {
		snprintf(err, errlen, "PORTAL_DATA is too long");
		return -1;
	}
	/* PORTAL_DB: unset or sqlite:PATH is the SQLite file; anything else is handed to libpq
	 * as it is (store_open tells the engines apart the same way). */
	if (*cfg->db == '\0')
		snprintf(cfg->db_path, sizeof(cfg->db_path), "%s/portal.db", cfg->data_dir);
	else if (str_has_prefix(cfg->db, "sqlite:") && cfg->db[7] != '\0')
		snprintf(cfg->db_path, sizeof(cfg->db_path), "%s", cfg->db + 7);
	else if (str_has_prefix(cfg->db, "postgres://") || str_has_prefix(cfg->db, "postgresql://") ||
	    strchr(cfg->db, '=') != NULL) {
		if (strlen(cfg->db) >= sizeof(cfg->db_path)) {
			snprintf(err, errlen, "PORTAL_DB is too long");
			return -1;
		}
		snprintf(cfg->db_path, sizeof(cfg->db_path), "%s", cfg->db);
		cfg->db_postgres = true;
	} else {
		snprintf(err, errlen, "PORTAL_DB must be sqlite:PATH, a PostgreSQL connection string (key=value ...) "
		    "or a postgres:// URI");
		return -1;
	}
	if (!cfg->db_postgres && strlen(cfg->db_path) >= 1000) {
		snprintf(err, errlen, "PORTAL_DB is too long");
		return -1;
	}
	if (*cfg->key_file) {
		if (strlen(cfg->key_file) >= sizeof(cfg->keys_path)) {
			snprintf(err, errlen, "PORTAL_KEY_FILE is too long");
			return -1;
		}
		snprintf(cfg->keys_path, sizeof(cfg->keys_path), "%s", cfg->key_file);
	} else
		snprintf(cfg->keys_path, sizeof(cfg->keys_path), "%s/secret.keys", cfg->data_dir);
	snprintf(cfg->mail_dir, sizeof(cfg->mail_dir), "%s/mail", cfg->data_dir);
	if (*cfg->socket)
		snprintf(cfg->socket_path, sizeof(cfg->socket_path), "%s", cfg->socket);
	else
		snprintf(cfg->socket_path, sizeof(cfg->socket_path), "%s/run/portal.sock", cfg->data_dir);
	if (*cfg->listen) {
		if (*cfg->socket) {
			snprintf(err, errlen, "PORTAL_LISTEN and PORTAL_SOCKET are both set: the portal listens on one of them");
			return -1;
		}
		if (config_parse_listen(cfg->listen, cfg->listen_host, sizeof(cfg->listen_host), &cfg->listen_port,
		    err, errlen) < 0)
			return -1;
	}
	if (strlen(cfg->socket_path) >= 100) {
		snprintf(err, errlen, "the socket path must be shorter than 100 bytes: %s", cfg->socket_path);
		return -1;
	}
	last_loaded = *cfg;
	have_loaded = true;
	return 0;
}

int
config_parse_listen(const char *v, char *host, size_t hostlen, int *port, char *err, size_t errlen)
{
	const char *colon = strrchr(v, ':'), *h = v;
	size_t hl = colon ? (size_t)(colon - v) : 0;
	if (colon == NULL || colon[1] == '\0') {
		snprintf(err, errlen, "PORTAL_LISTEN must be HOST:PORT (e.g. 10.0.0.11:9000): the port is missing");
		return -1;
	}
	if (v[0] == '[') {		/* [v6]:port */
		if (hl < 2 || v[hl - 1] != ']') {
			snprintf(err, errlen, "PORTAL_LISTEN must be HOST:PORT, with an IPv6 address in brackets ([fd00::11]:9000)");
			return -1;
		}
		h = v + 1;
		hl -= 2;
	} else if (memchr(v, ':', hl) != NULL) {
		snprintf(err, errlen, "PORTAL_LISTEN must be HOST:PORT, with an IPv6 address in brackets ([fd00::11]:9000)");
		return -1;
	}
	if (hl == 0) {
		snprintf(err, errlen, "PORTAL_LISTEN must be HOST:PORT: the host is missing (the portal listens on one "
		    "given address, never on all of them by default; 0.0.0.0:PORT says all IPv4 addresses on purpose)");
		return -1;
	}
	if (hl >= hostlen) {
		snprintf(err, errlen, "PORTAL_LISTEN: the host is too long");
		return -1;
	}
	for (size_t i = 0; i < hl; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '%' || c == '_')) {
			snprintf(err, errlen, "PORTAL_LISTEN: the host may hold only letters, digits, '.', '-', ':' and '_'");
			return -1;
		}
	}
	int64_t n;
	if (parse_i64(colon + 1, 1, 65535, &n) < 0) {
		snprintf(err, errlen, "PORTAL_LISTEN must be HOST:PORT: the port must be a number from 1 to 65535");
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)n;
	return 0;
}

const char *
config_file_used(void)
{
	return conf_used;
}

void
config_help(FILE *out)
{
	/* Each setting's value now and where it comes from (the environment, the settings file,
	 * the default). PORTAL_DB's value is never printed: it may hold a password. */
	struct config cfg;
	char err[1024];
	bool loaded = have_loaded;
	if (loaded)
		cfg = last_loaded;
	else
		loaded = config_load(&cfg, err, sizeof(err)) == 0;
	fprintf(out, "Settings (environment variables, or NAME=value lines in the settings file; the environment wins):\n");
	if (!loaded)
		fprintf(out, "  (the settings cannot be read: %s)\n", err);
	else
		fprintf(out, "  settings file: %s\n", *conf_used ? conf_used : "none");
	size_t k = 0;
#define CONF(field, env, def, help) { \
	const char *now_ = !loaded ? "" : strcmp(env, "PORTAL_DB") == 0 && *cfg.field ? "(set, not shown)" : \
	    *cfg.field ? cfg.field : "(empty)"; \
	const char *from_ = conf_from[k] == FROM_ENV ? "the environment" : conf_from[k] == FROM_FILE ? "the settings file" : "the default"; \
	fprintf(out, "  %-22s %s\n  %-22s default: %s\n", env, help, "", *def ? def : "(see text)"); \
	if (loaded) \
		fprintf(out, "  %-22s now: %s (from %s)\n", "", now_, from_); \
	k++; }
#include "base/config.def"
#undef CONF
}
