/* mpn_import.c — `portalctl mpn import FILE.csv`: the operator's copy of the Partner
 * Membership Center (PMC) directory: PMC accounts, MPN company profiles, and which
 * profiles each PMC account may link.
 *
 * THE CSV FORMAT
 *   UTF-8, RFC 4180 (comma-separated; a field may be "quoted", with "" for a quote and
 *   line breaks allowed inside quotes); CRLF or LF line ends; blank lines are ignored.
 *   The first line is this header, exactly (case and surrounding blanks aside):
 *
 *     pmc_username,pmc_password,mpn_id,company_name,country,status
 *
 *   Each further line says "this PMC account may link this company profile":
 *     pmc_username  the PMC sign-in name (1-254 characters; compared case-insensitively).
 *                   Empty: the profile is loaded without a PMC account (pmc_password empty too).
 *     pmc_password  EITHER the plain password, hashed on import with Argon2id
 *                   (libsodium crypto_pwhash_str, interactive limits) and never stored,
 *                   OR an existing crypto_pwhash_str hash (it starts with "$argon2id$" or
 *                   "$argon2i$"; quote it, it contains commas), stored as it is. A PMC
 *                   account listed on several lines
 *                   needs its password on at least one; every line that gives one must give
 *                   the same text.
 *     mpn_id        6 to 10 digits.
 *     company_name  1-200 characters.
 *     country       the profile's country: an ISO 3166 code the portal knows (DE, US, ...).
 *     status        active or inactive.
 *   A profile listed on several lines must have the same company, country and status on each.
 *
 *   Importing adds what is new and updates what exists (passwords, company names, countries,
 *   statuses); it never deletes. A file with any bad line imports nothing: every bad line is
 *   reported as "line N: what is wrong" (N counts physical lines, 1 = the header).
 *
 * Example:
 *   pmc_username,pmc_password,mpn_id,company_name,country,status
 *   pmc@woodgrove.example,Woodgrove-PMC-2025,6100001,Woodgrove Bank GmbH,DE,active
 *   pmc@woodgrove.example,,6100002,"Woodgrove Bank, Inc.",US,active
 */
#include "domain/mpn_import.h"

#include <ctype.h>
#include <string.h>

#include "base/i18n.h"
#include "base/password.h"
#include "base/util.h"
#include "domain/countries.h"
#include "domain/import.h"
#include "store/store.h"

const char mpn_import_columns[] = "pmc_username,pmc_password,mpn_id,company_name,country,status";

#define NCOLS 6

static bool
is_hash(const char *s)
{
	return str_has_prefix(s, "$argon2id$") || str_has_prefix(s, "$argon2i$");
}

/* Checks one row on its own. */
static void
check_row(struct import *im, struct import_row *r)
{
	struct arena *a = im->a;
	char **f = r->f;
	for (int i = 0; i < NCOLS; i++)
		if (i != 1)
			f[i] = str_trim(a, f[i]);
	f[0] = str_lower_trim(a, f[0]);
	if (*f[0] == '\0' && *f[1] != '\0')
		import_fail(im, r->line, _("pmc_password is given but pmc_username is empty"));
	if (strlen(f[0]) > 254 || !import_one_line(f[0]))
		import_fail(im, r->line, _("pmc_username must be at most 254 characters, without control characters"));
	if (*f[1] != '\0' && is_hash(f[1]) && crypto_pwhash_str_needs_rehash(f[1], crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN) < 0)
		import_fail(im, r->line, _("pmc_password looks like an Argon2 hash but is not a valid one"));
	if (strlen(f[1]) > PW_MAX)
		import_fail(im, r->line, _("pmc_password is longer than 256 bytes"));
	size_t ml = strlen(f[2]);
	if (ml < 6 || ml > 10 || strspn(f[2], "0123456789") != ml)
		import_fail(im, r->line, arena_printf(a, _("mpn_id must be 6 to 10 digits (found \"%s\")"), f[2]));
	if (*f[3] == '\0' || strlen(f[3]) > 200 || !import_one_line(f[3]))
		import_fail(im, r->line, _("company_name must be 1 to 200 characters on one line"));
	for (char *p = f[4]; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	struct country c;
	if (strlen(f[4]) != 2 || country_get(im->db, a, f[4], &c) != 1)
		import_fail(im, r->line, arena_printf(a, _("country \"%s\" is not a country code the portal knows (like DE or US)"), f[4]));
	for (char *p = f[5]; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(f[5], "active") != 0 && strcmp(f[5], "inactive") != 0)
		import_fail(im, r->line, arena_printf(a, _("status must be active or inactive (found \"%s\")"), f[5]));
}

/* Checks that repeated PMC accounts and profiles agree across rows. */
static void
check_consistency(struct import *im)
{
	struct arena *a = im->a;
	struct import_row *rows = im->rows;
	int n = im->n;
	for (int i = 0; i < n; i++) {
		struct import_row *r = &rows[i];
		bool first_user = true, first_profile = true, pw_somewhere = *r->f[1] != '\0';
		for (int j = 0; j < i; j++) {
			struct import_row *o = &rows[j];
			if (*r->f[0] && strcmp(o->f[0], r->f[0]) == 0) {
				first_user = false;
				if (*r->f[1] && *o->f[1] && strcmp(r->f[1], o->f[1]) != 0)
					import_fail(im, r->line, arena_printf(a, _("PMC account %s has a different password on line %d"),
					    r->f[0], o->line));
				if (*r->f[2] && strcmp(o->f[2], r->f[2]) == 0)
					import_fail(im, r->line, arena_printf(a, _("PMC account %s and MPN ID %s are already paired on line %d"),
					    r->f[0], r->f[2], o->line));
			}
			if (strcmp(o->f[2], r->f[2]) == 0 && first_profile) {
				first_profile = false;
				if (strcmp(o->f[3], r->f[3]) != 0 || strcmp(o->f[4], r->f[4]) != 0 || strcmp(o->f[5], r->f[5]) != 0)
					import_fail(im, r->line, arena_printf(a, _("MPN ID %s has a different company, country or status on line %d"),
					    r->f[2], o->line));
			}
		}
		if (*r->f[0] && first_user) {
			for (int j = i + 1; j < n && !pw_somewhere; j++)
				if (strcmp(rows[j].f[0], r->f[0]) == 0 && *rows[j].f[1])
					pw_somewhere = true;
			if (!pw_somewhere)
				import_fail(im, r->line, arena_printf(a, _("PMC account %s has no password on any line"), r->f[0]));
		}
	}
}

/* Hashes the plain passwords: slow work, outside the write transaction. 0 or -1. */
static int
hash_passwords(struct import *im)
{
	struct import_row *rows = im->rows;
	for (int i = 0; i < im->n; i++) {
		char *pw = rows[i].f[1];
		if (*pw == '\0' || is_hash(pw))
			continue;
		bool done = false;
		for (int j = 0; j < i && !done; j++)
			if (strcmp(rows[j].f[0], rows[i].f[0]) == 0 && *rows[j].f[1] && is_hash(rows[j].f[1])) {
				rows[i].f[1] = rows[j].f[1];	/* the same account's password, hashed above */
				done = true;
			}
		if (done)
			continue;
		char *h = arena_alloc(im->a, PW_HASH_MAX);
		if (h == NULL || password_hash(pw, h) < 0)
			return -1;
		sodium_memzero(pw, strlen(pw));
		rows[i].f[1] = h;
	}
	return 0;
}

/* Writes the checked rows: profiles, then PMC accounts, then the pairs (each row's account
 * exists by then), counting the distinct ones. 0 or -1. */
static int
write_rows(struct import *im)
{
	struct store *db = im->db;
	struct mpn_import_result *res = im->ctx;
	struct import_row *rows = im->rows;
	int n = im->n;
	for (int i = 0; i < n; i++) {
		char **r = rows[i].f;
		bool first = true;
		for (int j = 0; j < i && first; j++)
			first = strcmp(rows[j].f[2], r[2]) != 0;
		if (!first)
			continue;
		res->profiles++;
		if (st_mpn_profile_upsert(db, r[2], r[3], r[4], strcmp(r[5], "active") == 0) != 1)
			return -1;
	}
	for (int i = 0; i < n; i++) {
		char **r = rows[i].f;
		bool first = *r[0] != '\0' && *r[1] != '\0';
		for (int j = 0; j < i && first; j++)
			first = !(strcmp(rows[j].f[0], r[0]) == 0 && *rows[j].f[1] != '\0');
		if (!first)
			continue;
		res->pmc_accounts++;
		if (st_pmc_upsert(db, r[0], r[1]) != 1)
			return -1;
	}
	for (int i = 0; i < n; i++) {
		char **r = rows[i].f;
		if (*r[0] == '\0')
			continue;
		int64_t pmc = st_pmc_id(db, r[0]);
		if (pmc <= 0 || st_pmc_link(db, pmc, r[2]) < 0)
			return -1;
		res->links++;
	}
	return 0;
}

static const char *const names[NCOLS] = { "pmc_username", "pmc_password", "mpn_id", "company_name", "country", "status" };

static const struct importer mpn_importer = {
	.table = { .names = names, .ncols = NCOLS, .columns = mpn_import_columns, .max_rows = 100000,
	    .too_many = N_("too many lines: import at most 100000 at a time") },
	.check_row = check_row, .check_rows = check_consistency, .prepare = hash_passwords, .write = write_rows,
};

int
mpn_import(struct store *db, struct arena *a, const char *text, size_t len, struct mpn_import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct import im = { .db = db, .a = a, .ctx = res, .errors = res->errors, .max_errors = MPN_IMPORT_MAX_ERRORS };
	int rc = import_run(&im, &mpn_importer, text, len);
	res->rows = im.nread;
	res->nerrors = im.nerrors;
	return rc;
}

int
mpn_import_check(struct store *db, struct arena *a, const char *text, size_t len, struct mpn_import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct import im = { .db = db, .a = a, .ctx = res, .errors = res->errors, .max_errors = MPN_IMPORT_MAX_ERRORS, .check_only = true };
	int rc = import_run(&im, &mpn_importer, text, len);
	res->rows = im.nread;
	res->nerrors = im.nerrors;
	return rc;
}
