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
 *   An offer_id may appear on one line only.
 *
 *   Importing adds new offers and updates existing ones; it never deletes. Importing the
 *   same file twice changes nothing the second time. A file with any bad line imports
 *   nothing: every bad line is reported as "line N: what is wrong" (N counts physical lines,
 *   1 = the header).
 *
 * Example:
 *   offer_id,name,description,unit,price,currency,active
 *   CLD-BIZ-STD,Business Standard,"Desktop office apps, email, 1 TB of storage",user/month,12.50,USD,yes
 */
#include "domain/offers.h"

#include <ctype.h>
#include <string.h>

#include "base/csv.h"
#include "base/util.h"

const char offers_import_columns[] = "offer_id,name,description,unit,price,currency,active";

#define NCOLS 7
#define MAX_ROWS 10000

struct row {
	int line;
	char *f[NCOLS];
	int64_t cents;
	int active;
};

static void
fail(struct arena *a, struct offers_import_result *res, int line, const char *msg)
{
	if (res->nerrors < OFFERS_IMPORT_MAX_ERRORS)
		res->errors[res->nerrors] = arena_printf(a, "line %d: %s", line, msg);
	res->nerrors++;
}

static bool
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

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

/* Checks one row on its own; returns the number of problems reported. */
static int
check_row(struct arena *a, struct row *r, struct offers_import_result *res)
{
	int before = res->nerrors;
	char **f = r->f;
	for (int i = 0; i < NCOLS; i++)
		f[i] = str_trim(a, f[i]);
	size_t n = strlen(f[0]);
	if (n == 0 || n > 40 || strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		fail(a, res, r->line, arena_printf(a, "offer_id must be 1 to 40 letters, digits, '.', '_' or '-' (found \"%s\")", f[0]));
	if (*f[1] == '\0' || strlen(f[1]) > 200 || has_control(f[1]))
		fail(a, res, r->line, "name must be 1 to 200 characters on one line");
	if (strlen(f[2]) > 1000 || has_control(f[2]))
		fail(a, res, r->line, "description must be at most 1000 characters on one line");
	if (*f[3] == '\0' || strlen(f[3]) > 40 || has_control(f[3]))
		fail(a, res, r->line, "unit must be 1 to 40 characters, like user/month");
	if (offers_parse_price(f[4], &r->cents) < 0)
		fail(a, res, r->line, arena_printf(a, "price must be a number with at most two decimals, at most 1000000 (found \"%s\")", f[4]));
	for (char *p = f[5]; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	if (strlen(f[5]) != 3 || strspn(f[5], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		fail(a, res, r->line, arena_printf(a, "currency must be a three-letter code like USD or EUR (found \"%s\")", f[5]));
	char *act = str_lower_trim(a, f[6]);
	r->active = str_eq(act, "yes") ? 1 : str_eq(act, "no") ? 0 : -1;
	if (r->active < 0)
		fail(a, res, r->line, arena_printf(a, "active must be yes or no (found \"%s\")", f[6]));
	return res->nerrors - before;
}

/* The rows read so far (csv_read_table calls take_row for each). */
struct reading {
	struct arena *a;
	struct offers_import_result *res;
	struct row *rows;
	int n;
	size_t cap;
};

static void
fail_cb(void *ctx, int line, const char *msg)
{
	struct reading *rd = ctx;
	fail(rd->a, rd->res, line, msg);
}

static int
take_row(void *ctx, int line, char **f)
{
	struct reading *rd = ctx;
	struct row *rows = arena_grow(rd->a, rd->rows, (size_t)rd->n, &rd->cap, sizeof(*rows), 32);
	if (rows == NULL)
		return -1;
	rd->rows = rows;
	struct row *r = &rd->rows[rd->n];
	r->line = line;
	memcpy(r->f, f, sizeof(r->f[0]) * NCOLS);
	if (check_row(rd->a, r, rd->res) != 0)
		return 0;
	for (int j = 0; j < rd->n; j++)
		if (strcmp(rd->rows[j].f[0], r->f[0]) == 0) {
			fail(rd->a, rd->res, line, arena_printf(rd->a, "offer_id %s is already on line %d", r->f[0], rd->rows[j].line));
			return 0;
		}
	rd->n++;
	return 0;
}

int
offers_import(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res)
{
	memset(res, 0, sizeof(*res));
	static const char *const names[NCOLS] = { "offer_id", "name", "description", "unit", "price", "currency", "active" };
	struct reading rd = { a, res, NULL, 0, 0 };
	struct csv_table t = { names, NCOLS, offers_import_columns, MAX_ROWS,
	    "too many lines: import at most 10000 offers at a time", fail_cb, take_row, &rd, 0 };
	int rc = csv_read_table(a, text, len, &t);
	res->rows = t.nread;
	if (rc != 0)
		return rc;
	struct row *rows = rd.rows;
	int n = rd.n;
	if (res->nerrors > 0)
		return 1;

	if (store_begin_write(db) < 0)
		return -1;
	int64_t now = now_sec();
	for (int i = 0; i < n; i++) {
		char **r = rows[i].f;
		struct offer o = { .id = r[0], .name = r[1], .description = r[2], .unit = r[3], .price_cents = rows[i].cents,
			.currency = r[5], .active = rows[i].active == 1 };
		int existed = st_offer_exists(db, o.id);
		int changed = existed < 0 ? -1 : st_offer_upsert(db, &o, now);
		if (changed < 0) {
			store_rollback(db);
			return -1;
		}
		if (!existed)
			res->added++;
		else if (changed > 0)
			res->updated++;
		else
			res->unchanged++;
	}
	if (store_commit(db) < 0)
		return -1;
	return 0;
}

int
offers_list(struct store *s, struct arena *a, bool orderable_only, struct offer_list *out)
{
	return st_offers(s, a, orderable_only, out);
}

int
offer_orderable(struct store *s, struct arena *a, const char *id, struct offer *out)
{
	int found = st_offer_get(s, a, id, out);
	return found < 0 ? -1 : found > 0 && out->active;
}
