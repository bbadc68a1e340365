/* setup.h — preparing the data directory, shared by portal.fcgi and portalctl. */
#ifndef SETUP_H
#define SETUP_H

#include <stddef.h>

#include "base/config.h"

/* Creates <data> and <data>/mail (mode 0750) if missing, creates
 * the key file (0600) if missing, applies pending schema migrations, and loads the keys.
 * (The socket's directory is portal.fcgi's to make, when it opens the socket: portalctl,
 * run by the backup timer or a package's scripts, may not be allowed to write there.)
 * A database created here (a new installation) requires multi-factor sign-in program-wide.
 * 0, or -1 with err. */
int setup_data_dir(const struct config *cfg, char *err, size_t errlen);

#endif
