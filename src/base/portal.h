/* portal.h — what every request of a process shares: its settings and its templates,
 * read-only once threads run. main() (portal.fcgi) and portalctl each make one and pass
 * it down: the dispatcher puts it in every request (r->portal), portalctl in its command
 * context (c->portal), mail building takes it as an argument. No global holds it. */
#ifndef PORTAL_H
#define PORTAL_H

#include "base/config.h"
#include "base/tmpl.h"

struct portal {
	struct config cfg;
	struct tmpl_set tmpl;
};

#endif
