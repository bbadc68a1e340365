/* offers.c — `portalctl offers import FILE.csv`: the offer catalog providers order from.
 *
 * THE CSV FORMAT
 *   UTF-8, RFC 4180 (comma-separated; a field may be "quoted", with "" for a quote); CRLF or
 *   LF line ends; blank lines are ignored. The first line is this header, exactly (case and
 *   surrounding blanks aside):
 *
 *     offer_id,name,description,unit,price,currency,active
 *
 *   Each further line is one offer:
 *     offer_id     1-40 characters: letters, digits, '.', '_', '-'. Its identity: importing an
 *                  offer_id that exists updates that offer.
 *     name         1-200 characters on one line.
 *     description  0-1000 characters on one line (may be empty).
 *     unit         what one of it is, 1-40 characters: "user/month", "device/month", "TB/month".
 *     price        the list price of one unit: digits with at most two decimals ("6", "12.50"),
 *                  at most 1000000.
 *     currency     a three-letter code: USD, EUR, ... (upper-cased on import).
 *     active       yes or no. An offer that is not active stays in the catalog (subscriptions
 *                  point at it) but cannot be ordered.
 *   Prices per currency (issue 15): an offer_id may appear on several lines, one per
 *   currency, to give its price in each (the customer's currency is its country's). Those
 *   lines agree on name, description, unit and active; the first line's price and currency
 *   is the offer's list price, shown where it has no price in the customer's currency. An
 *   offer_id with the same currency twice is an error.
 *
 *   Importing adds new offers and updates existing ones; it never deletes. Importing the
 *   same file twice changes nothing the second time. A file with any bad line imports
 *   nothing: every bad line is reported as "line N: what is wrong" (N counts physical lines,
 *   1 = the header).
 *
 * Example:
 *   offer_id,name,description,unit,price,currency,active
 *   CLD-BIZ-STD,Business Standard,"Desktop office apps, email, 1 TB of storage",user/month,12.50,USD,yes
 *   CLD-BIZ-STD,Business Standard,"Desktop office apps, email, 1 TB of storage",user/month,11.70,EUR,yes
 */
#include "domain/offers.h"

#include <ctype.h>
#include <string.h>

#include "base/util.h"
#include "domain/import.h"

const char offers_import_columns[] = "offer_id,name,description,unit,price,currency,active";

#define NCOLS 7

int
offers_parse_price(const char *s, int64_t *cents)
{
	*cents = 0;
	if (s == NULL)
		return -1;
	size_t whole = strspn(s, "0123456789");
	if (whole == 0 || whole > 7)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < whole; i++)
		v = v * 10 + (s[i] - '0');
	v *= 100;
	const char *p = s + whole;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		if (frac == 0 || frac > 2)
			return -1;
		v += (p[1] - '0') * 10 + (frac == 2 ? p[2] - '0' : 0);
		p += 1 + frac;
	}
	if (*p != '\0' || v > 100000000)
		return -1;
	*cents = v;
	return 0;
}

/* Checks one row on its own, and that its offer_id is not on an earlier row; leaves active
 * as "yes" or "no". */
static void
check_row(struct import *im, struct import_row *r)
{
	struct arena *a = im->a;
	char **f = r->f;
	int before = im->nerrors;
	for (int i = 0; i < NCOLS; i++)
		f[i] = str_trim(a, f[i]);
	size_t n = strlen(f[0]);
	if (n == 0 || n > 40 || strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		import_fail(im, r->line, arena_printf(a, "offer_id must be 1 to 40 letters, digits, '.', '_' or '-' (found \"%s\")", f[0]));
	if (*f[1] == '\0' || strlen(f[1]) > 200 || !import_one_line(f[1]))
		import_fail(im, r->line, "name must be 1 to 200 characters on one line");
	if (strlen(f[2]) > 1000 || !import_one_line(f[2]))
		import_fail(im, r->line, "description must be at most 1000 characters on one line");
	if (*f[3] == '\0' || strlen(f[3]) > 40 || !import_one_line(f[3]))
		import_fail(im, r->line, "unit must be 1 to 40 characters, like user/month");
	int64_t cents;
	if (offers_parse_price(f[4], &cents) < 0)
		import_fail(im, r->line, arena_printf(a, "price must be a number with at most two decimals, at most 1000000 (found \"%s\")", f[4]));
	for (char *p = f[5]; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (strlen(f[5]) != 3 || strspn(f[5], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		import_fail(im, r->line, arena_printf(a, "currency must be a three-letter code like USD or EUR (found \"%s\")", f[5]));
	char *act = str_lower_trim(a, f[6]);
	if (str_eq(act, "yes") || str_eq(act, "no"))
		f[6] = act;
	else
		import_fail(im, r->line, arena_printf(a, "active must be yes or no (found \"%s\")", f[6]));
	if (im->nerrors != before)
		return;
	for (int j = 0; j < im->n; j++) {
		char **o = im->rows[j].f;
		if (strcmp(o[0], f[0]) != 0)
			continue;
		if (strcmp(o[5], f[5]) == 0) {
			import_fail(im, r->line, arena_printf(a, "offer_id %s has a %s price on line %d already", f[0], f[5],
			    im->rows[j].line));
			return;
		}
		if (strcmp(o[1], f[1]) != 0 || strcmp(o[2], f[2]) != 0 || strcmp(o[3], f[3]) != 0 || strcmp(o[6], f[6]) != 0) {
			import_fail(im, r->line, arena_printf(a, "offer_id %s is on line %d with another name, description, unit "
			    "or active: the lines of one offer differ only in price and currency", f[0], im->rows[j].line));
			return;
		}
		return;		/* another currency's price of the same offer */
	}
}

/* Adds or updates every offer, counting what changed. 0 or -1. */
static int
write_offers(struct import *im)
{
	struct offers_import_result *res = im->ctx;
	int64_t now = now_sec();
	for (int i = 0; i < im->n; i++) {
		char **r = im->rows[i].f;
		bool first = true;	/* the offer's first line: its list price, and what is counted */
		for (int j = 0; j < i && first; j++)
			first = strcmp(im->rows[j].f[0], r[0]) != 0;
		if (!first)
			continue;
		struct offer o = { .id = r[0], .name = r[1], .description = r[2], .unit = r[3], .currency = r[5],
			.active = str_eq(r[6], "yes") };
		offers_parse_price(r[4], &o.price_cents);	/* checked: it is one */
		int existed = st_offer_exists(im->db, o.id);
		int changed = existed < 0 ? -1 : st_offer_upsert(im->db, &o, now);
		if (changed < 0)
			return -1;
		/* Its price in every currency its lines give (the list price's included). */
		for (int j = i; j < im->n; j++) {
			char **p = im->rows[j].f;
			int64_t cents;
			if (strcmp(p[0], r[0]) != 0)
				continue;
			offers_parse_price(p[4], &cents);
			int pc = st_offer_price_set(im->db, p[0], p[5], cents);
			if (pc < 0)
				return -1;
			changed += pc;
		}
		if (!existed)
			res->added++;
		else if (changed > 0)
			res->updated++;
		else
			res->unchanged++;
	}
	return 0;
}

static const char *const names[NCOLS] = { "offer_id", "name", "description", "unit", "price", "currency", "active" };

static const struct importer offer_importer = {
	.table = { .names = names, .ncols = NCOLS, .columns = offers_import_columns, .max_rows = 10000,
	    .too_many = "too many lines: import at most 10000 offers at a time" },
	.check_row = check_row, .write = write_offers,
};

int
offers_import(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct import im = { .db = db, .a = a, .ctx = res, .errors = res->errors, .max_errors = OFFERS_IMPORT_MAX_ERRORS };
	int rc = import_run(&im, &offer_importer, text, len);
	res->rows = im.nread;
	res->nerrors = im.nerrors;
	return rc;
}

int
offers_list(struct store *s, struct arena *a, bool orderable_only, struct offer_list *out)
{
	return st_offers(s, a, orderable_only, out);
}

int
offer_price_for(struct store *s, struct arena *a, const char *id, const char *country, int64_t *cents,
    const char **currency)
{
	return st_offer_price_for(s, a, id, country, cents, currency);
}

int
offer_country_currency(struct store *s, struct arena *a, const char *country, const char **currency)
{
	return st_country_currency(s, a, country, currency);
}

int
offer_orderable(struct store *s, struct arena *a, const char *id, struct offer *out)
{
	int found = st_offer_get(s, a, id, out);
	return found < 0 ? -1 : found > 0 && out->active;
}

int
offers_import_check(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct import im = { .db = db, .a = a, .ctx = res, .errors = res->errors, .max_errors = OFFERS_IMPORT_MAX_ERRORS, .check_only = true };
	int rc = import_run(&im, &offer_importer, text, len);
	res->rows = im.nread;
	res->nerrors = im.nerrors;
	return rc;
}
