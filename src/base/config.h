/* config.h — settings from the environment, with safe defaults (see config.def). */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Compiled-in defaults: the checkout's here; an installed build's from its prefix (the
 * Makefile compiles config.c again with -include build/inst/paths.h). */
#ifndef PORTAL_DEFAULT_CONF
#define PORTAL_DEFAULT_CONF ""
#endif
#ifndef PORTAL_DEFAULT_DATA
#define PORTAL_DEFAULT_DATA "var"
#endif
#ifndef PORTAL_DEFAULT_SOCKET
#define PORTAL_DEFAULT_SOCKET ""
#endif
#ifndef PORTAL_DEFAULT_TEMPLATES
#define PORTAL_DEFAULT_TEMPLATES "templates"
#endif
#ifndef PORTAL_DEFAULT_LOCALEDIR
#define PORTAL_DEFAULT_LOCALEDIR "build/locale"
#endif

struct config {
#define CONF(field, env, def, help) const char *field;
#include "base/config.def"
#undef CONF
	/* derived and checked */
	int nthreads;
	size_t max_body_bytes;
	int api_calls_per_min;	/* PORTAL_API_RATE: calls per credential per minute */
	/* webhooks (issue 14): private/loopback addresses (and http:// to loopback) allowed,
	 * the first retry's wait, the seconds between two delivery passes */
	bool webhook_private_ok;
	int webhook_backoff_s, webhook_poll_s;
	bool https;			/* base_url starts with https:// */
	bool db_postgres;		/* PORTAL_DB names a PostgreSQL database (db_path is its connection string) */
	char db_path[1024], keys_path[1024], mail_dir[1024], socket_path[1024];
	/* PORTAL_LISTEN: TCP host (brackets removed) and port; listen_host[0] == 0 for the socket */
	char listen_host[256];
	int listen_port;
};

/* Parses "HOST:PORT" ("[V6]:PORT" for IPv6) of PORTAL_LISTEN into host and port. 0, or -1 with
 * a message in err. */
int config_parse_listen(const char *v, char *host, size_t hostlen, int *port, char *err, size_t errlen);

/* Reads the settings into cfg: each from the environment, else from the settings file
 * (PORTAL_CONF: lines NAME=value, # comments, a value may be quoted), else its default. Returns 0, or -1 with a message in err. */
int config_load(struct config *cfg, char *err, size_t errlen);
/* Prints every setting, its meaning, its default, and its value now with where that comes
 * from: the environment, the settings file or the default (for --help; loads the settings
 * itself; PORTAL_DB's value is never printed). */
void config_help(FILE *out);
/* The settings file config_load read: PORTAL_CONF's (or the compiled-in one), else
 * <data>/portal.conf; "" when none. */
const char *config_file_used(void);

#endif
