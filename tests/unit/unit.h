/* unit.h — what every Check suite shares: the fixture (an arena, the test key, a :memory:
 * database with the schema, a temporary directory), a small world of rows built through the
 * store's own calls, checks of rows, suite registration, and main().
 *
 * Each tests/unit/<layer>/test_<module>.c is one program (one suite per module), linked
 * against build/libportal.a. `make unit` runs them with CK_FORK=yes (a crash fails one
 * test); `make asan` with CK_FORK=no (one process, so LeakSanitizer sees everything): tests
 * therefore free what they allocate and restore any global they change in teardown.
 *
 * (One header on purpose: the Makefile rebuilds the suites when unit.h changes.) */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <libpq-fe.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/portal.h"
#include "base/arena.h"
#include "store/db.h"
#include "base/keys.h"
#include "base/password.h"
#include "base/util.h"

/* A fixed master key: test tokens are reproducible. */
static const unsigned char unit_master_key[32] = {
	0x51, 0x0e, 0x3a, 0x77, 0x10, 0x92, 0xc4, 0x2b, 0x8f, 0x60, 0x01, 0xd3, 0x5c, 0xee, 0x19, 0x44,
	0x7a, 0x28, 0xb1, 0x03, 0x6d, 0xf0, 0x95, 0x3e, 0xc7, 0x0b, 0x82, 0x5f, 0x14, 0xa9, 0x66, 0xdd,
};
#define UNIT_KID 7

/* Installs the test key (id UNIT_KID) as the current key. */
static inline void
unit_key_install(void)
{
	keys_set_for_test(UNIT_KID, unit_master_key);
}

/* The store of unit_db_setup (declared here for the helpers below). */
static struct store DB __attribute__((unused));

/* PORTAL_TEST_PG (make unit-pg): a PostgreSQL database's connection string; the suites that
 * open a store then run on it, each test on a freshly emptied schema, instead of :memory:. */
static inline const char *
unit_pg(void)
{
	const char *u = getenv("PORTAL_TEST_PG");
	return u != NULL && *u ? u : NULL;
}

/* Whether unit_db_open checks every statement (prepares each and compares its columns), as the
 * portal's start does: off, so that each test's open prepares a statement at its first use
 * (the lazy path of the portal's workers). store/test_db.c's every_statement_prepares turns it
 * on (SQLite; make unit-pg leaves test_db out), and so do the suites that read plans from the
 * prepared statements (test_search, test_audit, test_relcenter: both engines). Checking all of
 * them in every test's process was a fifth of make unit-pg's time. */
static bool unit_check_statements __attribute__((unused)) = false;

/* Opens a fresh ":memory:" database (or, with PORTAL_TEST_PG, the emptied PostgreSQL one)
 * with every schema section applied; aborts the test on failure. */
static inline void
unit_db_open(struct store *db)
{
	char err[512];
	const char *pg = unit_pg();
	store_check_statements(unit_check_statements);
	if (pg != NULL) {
		PGconn *c = PQconnectdb(pg);
		PGresult *r = PQexec(c, "SET client_min_messages = warning;"
		    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
		ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "emptying %s: %s", pg, PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		if (db_open(db, pg, true, err, sizeof(err)) != 0)
			ck_abort_msg("db_open(PostgreSQL): %s", err);
		return;
	}
	if (db_open(db, ":memory:", true, err, sizeof(err)) != 0)
		ck_abort_msg("db_open(:memory:): %s", err);
}

/* For a test that reaches into SQLite itself (sqlite3_* on DB.h: a trigger injected to make
 * a write fail, SQLite's own functions in the test's SQL): under PORTAL_TEST_PG it says so on
 * stderr and ends here (the list is in the report of issue 11; make unit covers them). */
#define UNIT_SQLITE_ONLY(why) do { \
	if (unit_pg() != NULL) { \
		fprintf(stderr, "SKIP on PostgreSQL: %s: %s\n", __func__, (why)); \
		return; \
	} \
} while (0)

/* On PostgreSQL the suites' SQL runs on DB (the handle they pass, DB.h, is NULL there). */
static inline PGresult *
unit_pg_exec(const char *sql)
{
	PGresult *r = PQexec(DB.pg, sql);
	ExecStatusType st = PQresultStatus(r);
	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
	return r;
}

/* Runs SQL that returns one integer (test-only checks of rows). */
static inline long long
unit_sql_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (h == NULL && DB.pg != NULL) {
		PGresult *r = unit_pg_exec(sql);
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			v = PQftype(r, 0) == 16 ? *PQgetvalue(r, 0, 0) == 't' : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return v;
	}
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Runs SQL that returns one text value into out ("" when NULL or no row). */
static inline void
unit_sql_text(sqlite3 *h, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	if (h == NULL && DB.pg != NULL) {
		PGresult *r = unit_pg_exec(sql);
		snprintf(out, n, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
		PQclear(r);
		return;
	}
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Runs SQL (one statement or several) that returns nothing; fails the test if it fails.
 * For the rows and changes no store call makes (a trigger, a row the schema must refuse is
 * asserted with sqlite3_exec itself). */
static inline void
unit_sql_exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (h == NULL && DB.pg != NULL) {
		PQclear(unit_pg_exec(sql));
		return;
	}
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* Makes a new private directory under $TMPDIR (or /tmp) into out. */
static inline void
unit_tmpdir(char *out, size_t n)
{
	const char *base = getenv("TMPDIR");
	snprintf(out, n, "%s/portal-unit-XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(out) == NULL)
		ck_abort_msg("mkdtemp: %s", strerror(errno));
}

static inline int
unit_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a directory made by unit_tmpdir and everything in it. */
static inline void
unit_rmtree(const char *dir)
{
	if (dir != NULL && *dir)
		nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to path with the given mode. */
static inline void
unit_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	size_t len = strlen(text);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	chmod(path, mode);
}

/* Reads a whole small file into buf (NUL-terminated); returns its length or -1. */
static inline long
unit_read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

/* ======================================================================== */
/* The fixture. Every suite's tests start from the same state; a suite's own setup calls
 * unit_setup() or unit_db_setup() first and adds what only it needs. */

static struct arena A __attribute__((unused));		/* the test's arena */
static struct store DB __attribute__((unused));		/* unit_db_setup: a fresh :memory: store (or PostgreSQL's) */
static char TMP[512] __attribute__((unused));		/* unit_tmpdir(TMP, ...): removed at teardown */

/* An empty arena, libsodium ready, the test key current, the clock unshifted, no
 * temporary directory yet. */
static inline void
unit_setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	arena_init(&A, 0);
	unit_key_install();
	util_time_offset = 0;
	TMP[0] = '\0';
}

static inline void
unit_teardown(void)
{
	util_time_offset = 0;
	arena_free(&A);
	unit_rmtree(TMP);
	TMP[0] = '\0';
}

/* For the tests of two connections (or two processes) on one database: opens DB on the
 * emptied PostgreSQL database (PORTAL_TEST_PG) or on a new SQLite file `name` in a new TMP
 * directory (path, n: where its path is written), and returns what a second db_open opens. */
static inline const char *
unit_db_open_shared(const char *name, char *path, size_t n)
{
	char err[512];
	if (unit_pg() != NULL) {
		unit_db_open(&DB);
		return unit_pg();
	}
	store_check_statements(unit_check_statements);	/* as unit_db_open */
	unit_tmpdir(TMP, sizeof(TMP));
	snprintf(path, n, "%s/%s", TMP, name);
	if (db_open(&DB, path, true, err, sizeof(err)) != 0)
		ck_abort_msg("db_open(%s): %s", path, err);
	return path;
}

/* unit_setup() and a fresh :memory: database in DB. */
static inline void
unit_db_setup(void)
{
	unit_setup();
	unit_db_open(&DB);
}

static inline void
unit_db_teardown(void)
{
	db_close(&DB);
	unit_teardown();
}

/* Once per test case, as an unchecked fixture: password hashing's semaphore and dummy hash
 * (base/password.h), for the suites that hash or check passwords. */
static inline void
unit_password_once(void)
{
	if (password_init() != 0)
		abort();
}

/* ======================================================================== */
/* A world of rows in DB, written through the store's own calls (so the fixtures keep working
 * on another engine); each fails the test when the store refuses. Named parameters:
 *
 *   int64_t t = unit_org(.name = "Contoso", .domain = "contoso.example");
 *   struct unit_ids p = unit_partner(.domain = "fab.example", .type = PT_INDIRECT_PROVIDER,
 *       .status = PA_APPROVED);
 *
 * A parameter left out is zero, or the default its comment names. On a fresh store the ids
 * count from 1 in the order the rows are made. */

/* An organization (tenant). Its id. */
struct unit_org {
	const char *name, *domain;	/* name: the domain when left out */
	const char *country;		/* "DE" when left out */
	enum tenant_kind kind;		/* TENANT_PARTNER when left out */
	int64_t at;			/* created at; 1 when left out */
};
static inline int64_t
unit_org_(const struct unit_org *o)
{
	int64_t id = st_tenant_insert(&DB, o->name ? o->name : o->domain, o->domain, o->country ? o->country : "DE",
	    o->kind, o->at ? o->at : 1);
	ck_assert_msg(id > 0, "organization %s", o->domain);
	return id;
}
#define unit_org(...) unit_org_(&(struct unit_org){ __VA_ARGS__ })

/* A partner account of tenant with any status: made the way the store makes accounts (a
 * draft, or approved by the operator), then moved to status. Its id. */
struct unit_account {
	int64_t tenant;
	enum partner_type type;
	enum pa_status status;		/* PA_DRAFT when left out */
	struct support_details support;
	int64_t enrolled_by;		/* a user; 0 none */
	int64_t at;			/* created (and moved) at; 1 when left out */
};
static inline int64_t
unit_account_(const struct unit_account *p)
{
	int64_t at = p->at ? p->at : 1;
	enum pa_status made = p->status == PA_APPROVED ? PA_APPROVED : PA_DRAFT;
	int64_t id = st_pa_insert(&DB, p->tenant, p->type, made, &p->support, p->enrolled_by, at);
	ck_assert_msg(id > 0, "%s account of organization %lld", partner_type_key(p->type), (long long)p->tenant);
	if (p->status != made)
		ck_assert_int_eq(st_pa_move(&DB, id, made, p->status, at, NULL), 1);
	return id;
}
#define unit_account(...) unit_account_(&(struct unit_account){ __VA_ARGS__ })

/* A partner organization: an organization with one partner account. */
struct unit_partner {
	const char *name, *domain, *country;	/* as for unit_org */
	enum partner_type type;
	enum pa_status status;			/* PA_DRAFT when left out */
	struct support_details support;
	int64_t at;				/* 1 when left out */
};
struct unit_ids {
	int64_t tenant, account;
};
static inline struct unit_ids
unit_partner_(const struct unit_partner *p)
{
	struct unit_ids ids;
	ids.tenant = unit_org(.name = p->name, .domain = p->domain, .country = p->country, .at = p->at);
	ids.account = unit_account(.tenant = ids.tenant, .type = p->type, .status = p->status, .support = p->support,
	    .at = p->at);
	return ids;
}
#define unit_partner(...) unit_partner_(&(struct unit_partner){ __VA_ARGS__ })

/* A user of tenant. Its id. */
struct unit_user {
	int64_t tenant;
	const char *email, *name;	/* name: the email when left out */
	const char *pw_hash;		/* NULL: no password set yet */
	unsigned roles;			/* role bits (domain/access.h) */
	int64_t at;			/* created at; 1 when left out */
};
static inline int64_t
unit_user_(const struct unit_user *u)
{
	int64_t id = st_user_insert(&DB, u->tenant, u->email, u->name ? u->name : u->email, u->pw_hash, u->roles,
	    u->at ? u->at : 1);
	ck_assert_msg(id > 0, "user %s", u->email);
	return id;
}
#define unit_user(...) unit_user_(&(struct unit_user){ __VA_ARGS__ })

/* The text of every version unit_publish publishes. */
#define UNIT_AGREEMENT_TEXT "The agreement.\n\nSecond paragraph."

/* Publishes version of the partner agreement at `at`: its id. */
static inline int64_t
unit_publish(const char *version, int64_t at)
{
	int64_t id = st_agreement_publish(&DB, version, UNIT_AGREEMENT_TEXT, at);
	ck_assert_msg(id > 0, "publish %s", version);
	return id;
}

/* Ana Admin's acceptance of version_id at `at` (user 7, from 192.0.2.7). */
static inline struct agreement_acceptance
unit_signer(int64_t version_id, int64_t at)
{
	return (struct agreement_acceptance){ .version_id = version_id, .first = "Ana", .last = "Admin",
		.email = "ana@contoso.example", .phone = "+49 30 1234567", .title = "CEO", .user_id = 7,
		.accepted_at = at, .ip = "192.0.2.7" };
}

/* tenant accepts version_id (Ana Admin signs) at `at`. */
static inline void
unit_accept(int64_t tenant, int64_t version_id, int64_t at)
{
	struct agreement_acceptance acc = unit_signer(version_id, at);
	ck_assert_int_eq(st_agreement_accept(&DB, tenant, &acc), 1);
}

/* An active provider-reseller relationship of two partner accounts since `since`: its id. */
static inline int64_t
unit_rel(int64_t provider, int64_t reseller, int64_t since)
{
	int64_t id = st_rel_insert(&DB, provider, reseller, 0, 0, since);
	ck_assert_msg(id > 0, "relationship %lld-%lld", (long long)provider, (long long)reseller);
	return id;
}

/* An active MPN profile, linked to tenant by the operator at `at`. */
static inline void
unit_mpn(const char *mpn_id, const char *company, const char *country, int64_t tenant, int64_t at)
{
	ck_assert_int_eq(st_mpn_profile_upsert(&DB, mpn_id, company, country, true), 1);
	ck_assert_int_eq(st_mpn_link(&DB, mpn_id, tenant, 0, at), 1);
}

/* An offer of the catalog (updated at 1). */
#define unit_offer(...) ck_assert_int_eq(st_offer_upsert(&DB, &(struct offer){ __VA_ARGS__ }, 1), 1)

/* Two partner organizations made at 1000, for tests of what one may see or change of the
 * other: Contoso (contoso.example, DE) in *contoso, Fabrikam (fabrikam.example, FR) in
 * *fabrikam. */
static inline void
unit_two_orgs(int64_t *contoso, int64_t *fabrikam)
{
	*contoso = unit_org(.name = "Contoso", .domain = "contoso.example", .at = 1000);
	*fabrikam = unit_org(.name = "Fabrikam", .domain = "fabrikam.example", .country = "FR", .at = 1000);
}

/* The customers world: provider Northwind (nw.example, DE; support help@nw.example and
 * https://nw.example) and reseller Adatum (ad.example, FR; support help@ad.example; MPN ID
 * 5100003), related since 1; the customer organization Tailspin (ts.example, DE); the offer
 * STD (Standard, "Apps", 12.50 USD a user/month). On a fresh store: Northwind is tenant and
 * account 1, Adatum tenant and account 2, Tailspin tenant 3. */
struct unit_customers {
	struct unit_ids northwind, adatum;
	int64_t tailspin;
	int64_t rel;			/* Northwind-Adatum */
};
static inline struct unit_customers
unit_customers_world(void)
{
	struct unit_customers w;
	w.northwind = unit_partner(.name = "Northwind", .domain = "nw.example", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED, .support = { .email = "help@nw.example", .website = "https://nw.example" });
	w.adatum = unit_partner(.name = "Adatum", .domain = "ad.example", .country = "FR", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED, .support = { .email = "help@ad.example" });
	w.tailspin = unit_org(.name = "Tailspin", .domain = "ts.example", .kind = TENANT_CUSTOMER);
	w.rel = unit_rel(w.northwind.account, w.adatum.account, 1);
	unit_mpn("5100003", "Adatum", "FR", w.adatum.tenant, 1);
	unit_offer(.id = "STD", .name = "Standard", .description = "Apps", .unit = "user/month", .price_cents = 1250,
	    .currency = "USD", .active = true);
	return w;
}

/* ======================================================================== */
/* Table checks. */

/* Asserts that every one of a table's values gets its verdict: ok(good[i]) for each good
 * one and !ok(bad[i]) for each bad one (named what in the message). */
static inline void
unit_verdicts(const char *what, bool (*ok)(const char *), const char *const *good, size_t ngood,
    const char *const *bad, size_t nbad)
{
	for (size_t i = 0; i < ngood; i++)
		ck_assert_msg(ok(good[i]), "%s: %s should be valid", what, good[i]);
	for (size_t i = 0; i < nbad; i++)
		ck_assert_msg(!ok(bad[i]), "%s: %s should be refused", what, bad[i]);
}
#define UNIT_VERDICTS(ok, good, bad) unit_verdicts(#ok, ok, good, NELEM(good), bad, NELEM(bad))

/* ======================================================================== */
/* Suites: each file ends with
 *
 *   UNIT_MAIN("name",
 *   	unit_case("case", unit_db_setup, unit_db_teardown, UNIT_TESTS(a, b)),
 *   	unit_timeout(30, unit_case("slow", unit_setup, unit_teardown, UNIT_TESTS(c))))
 */

/* The tests of one test case, in order: UNIT_TESTS(a, b, c). */
#define UNIT_TESTS(...) ((const TTest *const[]){ __VA_ARGS__, NULL })

/* A test case: its name, the fixture run around each of its tests (NULL, NULL: none), and
 * its tests. */
static inline TCase *
unit_case(const char *name, void (*setup)(void), void (*teardown)(void), const TTest *const *tests)
{
	TCase *tc = tcase_create(name);
	if (setup != NULL || teardown != NULL)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (; *tests != NULL; tests++)
		tcase_add_test(tc, *tests);
	return tc;
}

/* tc, whose tests may each run for seconds. */
static inline TCase *
unit_timeout(int seconds, TCase *tc)
{
	tcase_set_timeout(tc, seconds);
	return tc;
}

/* tc, with once() run before its tests (an unchecked fixture: once per case in the
 * runner's process). */
static inline TCase *
unit_once(void (*once)(void), TCase *tc)
{
	tcase_add_unchecked_fixture(tc, once, NULL);
	return tc;
}

/* Runs the suite name made of cases (NULL-terminated); EXIT_SUCCESS when every test passed. */
static inline int
unit_run(const char *name, TCase *const *cases)
{
	signal(SIGPIPE, SIG_DFL);
	Suite *s = suite_create(name);
	for (; *cases != NULL; cases++)
		suite_add_tcase(s, *cases);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* main(): runs the suite name of the cases given (unit_case(...), ...); exit status 1 when
 * any test failed. */
#define UNIT_MAIN(name, ...) \
	int main(void) { return unit_run(name, (TCase *const[]){ __VA_ARGS__, NULL }); }

#endif
