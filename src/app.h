/* app.h — what every request shares: settings and templates, read-only once threads run. */
#ifndef APP_H
#define APP_H

#include "config.h"
#include "tmpl.h"

struct app {
	struct config cfg;
	struct tmpl_set tmpl;
};

extern struct app app;

#endif
