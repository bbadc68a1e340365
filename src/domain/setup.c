/* setup.c — see setup.h. */
#include "domain/setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "base/keys.h"
#include "domain/mfa.h"

static int
mkdir_one(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0750) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}

int
setup_data_dir(const struct config *cfg, char *err, size_t errlen)
{
	if (mkdir_one(cfg->data_dir, err, errlen) < 0 || mkdir_one(cfg->mail_dir, err, errlen) < 0)
		return -1;
	if (keys_create(cfg->keys_path, err, errlen) < 0 || keys_load(cfg->keys_path, err, errlen) < 0)
		return -1;
	/* A new installation requires multi-factor sign-in program-wide (portalctl security
	 * require-mfa off to change it); a database that existed keeps what it had. */
	struct store *s;
	if (store_open(&s, cfg->db_path, true, err, errlen) < 0)
		return -1;
	int rc = 0;
	if (store_created(s) && (store_begin_write(s) < 0 || mfa_set_program_required(s, true) < 0 || store_commit(s) < 0)) {
		/* Never PORTAL_DB's text on PostgreSQL: it may hold a password. */
		snprintf(err, errlen, "%s: cannot write the program's settings", cfg->db_postgres ? "PostgreSQL" : cfg->db_path);
		rc = -1;
	}
	store_close(s);
	return rc;
}
