/* app.h — what every request shares: settings and templates, read-only once threads run. */
#ifndef APP_H
#define APP_H

#include "base/config.h"
#include "base/tmpl.h"

struct app {
	struct config cfg;
	struct tmpl_set tmpl;
};

extern struct app app;

#endif
