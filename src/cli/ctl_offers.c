/* ctl_offers.c — `portalctl offers import FILE.csv` and `portalctl offers list`: the offer
 * catalog providers order from (SPEC §2.6). The CSV format is described at the top of
 * offers.c and in `portalctl help`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/ctl.h"
#include "domain/customers.h"
#include "domain/offers.h"

/* offers import FILE.csv — checks every line; imports all of it or nothing (exit 1 with each
 * bad line numbered on stderr). Adds new offers and updates existing ones by offer_id. */
int
cmd_offers_import(struct ctl *c)
{
	if (c->argc != 1)
		return EXIT_USAGE;
	size_t len;
	char *text = ctl_read_file(c, "offers import", c->argv[0], (size_t)64 << 20, &len);
	if (text == NULL)
		return EXIT_REFUSED;
	struct offers_import_result res;
	int rc = offers_import(c->store, &c->a, text, len, &res);
	if (rc != 0)
		return ctl_import_refused("offers import", c->argv[0], rc, res.errors, res.nerrors, OFFERS_IMPORT_MAX_ERRORS);
	if (store_begin_write(c->store) == 0) {
		ctl_audit(c, 0, "offers.import", c->argv[0], "ok",
		    arena_printf(&c->a, "%d offers: %d added, %d updated, %d unchanged", res.rows, res.added, res.updated, res.unchanged));
		if (store_commit(c->store) < 0)
			fprintf(stderr, "portalctl: offers import: the audit entry could not be written\n");
	}
	printf("imported %d offer%s: %d added, %d updated, %d unchanged\n", res.rows, res.rows == 1 ? "" : "s",
	    res.added, res.updated, res.unchanged);
	return EXIT_OK;
}

/* offers list — the catalog: id, name, list price, active, subscriptions. */
int
cmd_offers_list(struct ctl *c)
{
	if (c->argc != 0)
		return EXIT_USAGE;
	struct offer_list l;
	if (offers_list(c->store, &c->a, false, &l) < 0) {
		fprintf(stderr, "portalctl: offers list: could not read the catalog\n");
		return EXIT_REFUSED;
	}
	printf("%-20s %-40s %-18s %-16s %-7s %s\n", "OFFER ID", "NAME", "PRICE", "UNIT", "ACTIVE", "SUBSCRIPTIONS");
	for (size_t i = 0; i < l.n; i++) {
		const struct offer *o = &l.v[i];
		printf("%-20s %-40s %-18s %-16s %-7s %lld\n", o->id, o->name, cust_price_text(&c->a, o->price_cents, o->currency),
		    o->unit, o->active ? "yes" : "no", (long long)o->subscriptions);
	}
	if (l.n == 0)
		printf("(the catalog is empty: portalctl offers import FILE.csv, or portalctl demo)\n");
	return EXIT_OK;
}
