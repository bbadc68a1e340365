/* config.h — settings from the environment, with safe defaults (see config.def). */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config {
#define CONF(field, env, def, help) const char *field;
#include "base/config.def"
#undef CONF
	/* derived and checked */
	int nthreads;
	size_t max_body_bytes;
	bool https;			/* base_url starts with https:// */
	bool db_postgres;		/* PORTAL_DB names a PostgreSQL database (db_path is its connection string) */
	char db_path[1024], keys_path[1024], mail_dir[1024], socket_path[1024];
};

/* Reads the environment into cfg. Returns 0, or -1 with a message in err. */
int config_load(struct config *cfg, char *err, size_t errlen);
/* Prints every setting, its default and meaning (for --help). */
void config_help(FILE *out);

#endif
