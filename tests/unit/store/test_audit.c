/* test_audit.c — the store's audit area (store/audit.c): an organization's log by filter and
 * page, newest first, handed over row by row for the CSV, the filters' choices, and the
 * failed sign-ins the throttle counts, on real rows in a :memory: database. */
#include <string.h>

#include "unit.h"

static int64_t T1, T2;

static void
add(int64_t at, int64_t tenant, const char *actor, const char *action, const char *outcome, const char *ip)
{
	struct audit_row e = { .at = at, .tenant_id = tenant, .actor = actor, .action = action, .target = "t",
		.outcome = outcome, .ip = ip, .detail = "d" };
	ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
}

static void
setup(void)
{
	unit_db_setup();
	ck_assert_int_eq(db_begin(&DB), 0);
	unit_two_orgs(&T1, &T2);
	add(100, T1, "ana@contoso.example", "signin", "ok", "192.0.2.1");
	add(101, T1, "bo@contoso.example", "user.add", "ok", "192.0.2.2");
	add(102, T1, "ana@contoso.example", "user.roles", "refused", "192.0.2.1");
	add(103, T1, "", "access", "refused", "192.0.2.9");
	add(104, T2, "eve@fabrikam.example", "signin", "ok", "192.0.2.5");
	add(105, T1, "ana@contoso.example", "signin", "ok", "192.0.2.1");
	/* failed sign-ins: no organization known for an unknown account */
	add(200, 0, "x@unknown.example", "signin", "failed", "198.51.100.7");
	add(201, 0, "x@unknown.example", "signin", "failed", "198.51.100.7");
	add(202, T1, "ana@contoso.example", "signin", "failed", "198.51.100.8");
	add(203, 0, "x@unknown.example", "pmc.signin", "failed", "198.51.100.7");
	ck_assert_int_eq(db_commit(&DB), 0);
}

START_TEST(count_and_page)
{
	struct audit_filter any = { .actor = "", .action = "" }, none = { .actor = NULL, .action = NULL };
	ck_assert_int_eq(st_audit_count(&DB, T1, &any, 100), 6);
	ck_assert_int_eq(st_audit_count(&DB, T1, &none, 100), 6);
	ck_assert_int_eq(st_audit_count(&DB, T2, &any, 100), 1);
	struct audit_filter ana = { .actor = "ana@contoso.example", .action = "" };
	ck_assert_int_eq(st_audit_count(&DB, T1, &ana, 100), 4);
	struct audit_filter ana_signin = { .actor = "ana@contoso.example", .action = "signin" };
	ck_assert_int_eq(st_audit_count(&DB, T1, &ana_signin, 100), 3);
	struct audit_filter bo_elsewhere = { .actor = "bo@contoso.example", .action = "" };
	ck_assert_int_eq(st_audit_count(&DB, T2, &bo_elsewhere, 100), 0);

	struct audit_list l;
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_OLDER_THAN, 0, 2, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].at, 202);		/* newest first */
	ck_assert_int_eq(l.v[1].at, 105);
	ck_assert_str_eq(l.v[0].outcome, "failed");
	ck_assert_str_eq(l.v[0].ip, "198.51.100.8");
	ck_assert_str_eq(l.v[0].target, "t");
	ck_assert_str_eq(l.v[0].detail, "d");
	ck_assert_int_eq(l.v[0].tenant_id, T1);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_OFFSET, 4, 50, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].at, 101);
	ck_assert_int_eq(l.v[1].at, 100);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &ana_signin, AUDIT_OLDER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_OFFSET, 10, 50, &l), 0);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* The cursor: older than an id, newest first; newer than an id, oldest first; every filter
 * combination; the count stops at its cap. */
START_TEST(cursor_and_cap)
{
	struct audit_filter any = { .actor = "", .action = "" }, ana = { .actor = "ana@contoso.example", .action = "" }, signin = { .actor = "", .action = "signin" },
	    ana_signin = { .actor = "ana@contoso.example", .action = "signin" };
	struct audit_list l, all;
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_OLDER_THAN, 0, 50, &all), 0);
	ck_assert_uint_eq(all.n, 6);
	ck_assert_int_gt(all.v[0].id, all.v[1].id);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_OLDER_THAN, all.v[1].id, 2, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].id, all.v[2].id);
	ck_assert_int_eq(l.v[1].id, all.v[3].id);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_NEWER_THAN, all.v[3].id, 2, &l), 0);
	ck_assert_uint_eq(l.n, 2);			/* oldest first */
	ck_assert_int_eq(l.v[0].id, all.v[2].id);
	ck_assert_int_eq(l.v[1].id, all.v[1].id);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &any, AUDIT_NEWER_THAN, 0, 1, &l), 0);
	ck_assert_int_eq(l.v[0].at, 100);		/* the oldest */
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &ana, AUDIT_OLDER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &signin, AUDIT_NEWER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].at, 100);
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &ana_signin, AUDIT_OLDER_THAN, l.v[2].id, 50, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(st_audit_count(&DB, T1, &any, 4), 4);
	ck_assert_int_eq(st_audit_count(&DB, T1, &signin, 2), 2);
	ck_assert_int_eq(st_audit_count(&DB, T1, &ana_signin, 2), 2);
}
END_TEST

struct seen {
	int n, stop_at;
	int64_t last;
};

static int
see(void *ctx, const struct audit_row *row)
{
	struct seen *s = ctx;
	s->last = row->at;
	return ++s->n == s->stop_at;
}

START_TEST(each_row)
{
	struct audit_filter any = { .actor = "", .action = "" };
	struct seen s = { 0, 0, 0 };
	ck_assert_int_eq(st_audit_each(&DB, T1, &any, 50, see, &s), 0);
	ck_assert_int_eq(s.n, 6);
	ck_assert_int_eq(s.last, 100);
	s = (struct seen){ 0, 0, 0 };
	ck_assert_int_eq(st_audit_each(&DB, T1, &any, 3, see, &s), 0);
	ck_assert_int_eq(s.n, 3);
	/* A callback that stops makes it an error (a CSV that could not be written). */
	s = (struct seen){ 0, 2, 0 };
	ck_assert_int_eq(st_audit_each(&DB, T1, &any, 50, see, &s), -1);
	ck_assert_int_eq(s.n, 2);
}
END_TEST

START_TEST(choices)
{
	struct audit_values v;
	ck_assert_int_eq(st_audit_actors(&DB, &A, T1, &v), 0);
	ck_assert_uint_eq(v.n, 2);			/* "" is not a choice */
	ck_assert_str_eq(v.v[0], "ana@contoso.example");
	ck_assert_str_eq(v.v[1], "bo@contoso.example");
	ck_assert_int_eq(st_audit_actions(&DB, &A, T1, &v), 0);
	ck_assert_uint_eq(v.n, 4);
	ck_assert_str_eq(v.v[0], "access");
	ck_assert_str_eq(v.v[1], "signin");
	ck_assert_str_eq(v.v[2], "user.add");
	ck_assert_str_eq(v.v[3], "user.roles");
	ck_assert_int_eq(st_audit_actors(&DB, &A, 999, &v), 0);
	ck_assert_uint_eq(v.n, 0);
	/* More values than the first block of the list. */
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < 40; i++)
		add(300 + i, T2, arena_printf(&A, "user%02d@fabrikam.example", i), "signin", "ok", "");
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(st_audit_actors(&DB, &A, T2, &v), 0);
	ck_assert_uint_eq(v.n, 41);
	ck_assert_str_eq(v.v[0], "eve@fabrikam.example");
	ck_assert_str_eq(v.v[40], "user39@fabrikam.example");
}
END_TEST

START_TEST(signin_failures)
{
	ck_assert_int_eq(st_signin_failures_by_actor(&DB, "x@unknown.example", 0), 2);	/* not pmc.signin */
	ck_assert_int_eq(st_signin_failures_by_actor(&DB, "x@unknown.example", 200), 1);	/* after since */
	ck_assert_int_eq(st_signin_failures_by_actor(&DB, "ana@contoso.example", 0), 1);	/* not the ok ones */
	ck_assert_int_eq(st_signin_failures_by_ip(&DB, "198.51.100.7", 0), 2);
	ck_assert_int_eq(st_signin_failures_by_ip(&DB, "192.0.2.1", 0), 0);
	ck_assert_int_eq(st_signin_failures_by_ip(&DB, NULL, 0), 0);
}
END_TEST

/* issue 15: the date range (from <= at < until) and leaving out the refused entries, alone
 * and with the actor and action filters; the count and the pages agree. */
START_TEST(dates_and_refusals)
{
	struct audit_list l;
	struct audit_filter range = { .actor = "", .action = "", .from = 101, .until = 105 };
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &range, AUDIT_OLDER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].at, 103);
	ck_assert_int_eq(l.v[2].at, 101);
	ck_assert_int_eq(st_audit_count(&DB, T1, &range, 1000), 3);
	range.hide_refused = true;
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &range, AUDIT_OLDER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].action, "user.add");
	ck_assert_int_eq(st_audit_count(&DB, T1, &range, 1000), 1);
	struct audit_filter ana = { .actor = "ana@contoso.example", .action = "", .hide_refused = true };
	ck_assert_int_eq(st_audit_count(&DB, T1, &ana, 1000), 3);	/* 100, 105 ok and 202 failed */
	ana.from = 105;
	ck_assert_int_eq(st_audit_page(&DB, &A, T1, &ana, AUDIT_NEWER_THAN, 0, 50, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].at, 105);
	struct audit_filter signin = { .actor = "ana@contoso.example", .action = "signin", .until = 101 };
	ck_assert_int_eq(st_audit_count(&DB, T1, &signin, 1000), 1);
	/* no user of that address: no name */
	ck_assert_str_eq(l.v[0].actor_name, "");
}
END_TEST

/* ---- issue 17: the plans of the statements a call ran ---- */

/* Resets the step counters of every prepared statement of the connection. */
static void
steps_reset(void)
{
	for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p))
		sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 1);
}

/* The query plans (EXPLAIN QUERY PLAN's details, one per line) of the statements that ran
 * since steps_reset, in the arena. */
static const char *
plans_since_reset(void)
{
	char *out = arena_strdup(&A, "");
	sqlite3_stmt *ran[8];
	int n = 0;
	for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL && n < 8; p = sqlite3_next_stmt(DB.h, p))
		if (sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 0) > 0 && strncmp(sqlite3_sql(p), "SELECT", 6) == 0)
			ran[n++] = p;
	for (int i = 0; i < n; i++) {
		sqlite3_stmt *e;
		const char *sql = arena_printf(&A, "EXPLAIN QUERY PLAN %s", sqlite3_sql(ran[i]));
		ck_assert_int_eq(sqlite3_prepare_v2(DB.h, sql, -1, &e, NULL), SQLITE_OK);
		while (sqlite3_step(e) == SQLITE_ROW)
			out = arena_printf(&A, "%s%s\n", out, (const char *)sqlite3_column_text(e, 3));
		sqlite3_finalize(e);
	}
	return out;
}

/* The log's count (capped) and a page's ids come from the index alone with the date range and
 * the refusals (schema section 20: at and outcome in the index); the entries about a target
 * from their own index (before: every entry of the organization's log, newest first). */
START_TEST(plans_use_the_indexes)
{
	UNIT_SQLITE_ONLY("EXPLAIN QUERY PLAN");
	static const char *const want[4] = { "COVERING INDEX audit_tenant_log ", "COVERING INDEX audit_tenant_actor_log ",
		"COVERING INDEX audit_tenant_action_log ", "COVERING INDEX audit_tenant_actor_action_log " };
	for (int k = 0; k < 4; k++) {
		struct audit_filter f = { .actor = k & 1 ? "ana@contoso.example" : "", .action = k & 2 ? "signin" : "",
			.from = 100, .until = 200, .hide_refused = true };
		steps_reset();
		ck_assert_int_ge(st_audit_count(&DB, T1, &f, 1000), 1);
		const char *plan = plans_since_reset();
		/* the count only needs a covering index that seeks the filter's columns: SQLite picks
		 * among equals (after schema 22 added columns it took audit_tenant_action_log without a
		 * filter, audit_tenant_actor_action_log for an actor) */
		static const char *const seek[4] = { "(tenant_id=?)", "(tenant_id=? AND actor=?)", "action=?)",
			"(tenant_id=? AND actor=? AND action=?)" };
		ck_assert_msg(strstr(plan, "COVERING INDEX audit_tenant_") != NULL && strstr(plan, seek[k]) != NULL,
		    "count %d: %s", k, plan);
		struct audit_list l;
		steps_reset();
		ck_assert_int_eq(st_audit_page(&DB, &A, T1, &f, AUDIT_OFFSET, 1, 10, &l), 0);
		plan = plans_since_reset();
		ck_assert_msg(strstr(plan, want[k]) != NULL, "skip %d: %s", k, plan);
	}
	struct audit_list l;
	steps_reset();
	ck_assert_int_eq(st_audit_about(&DB, &A, T1, "t", 10, &l), 0);
	ck_assert_uint_eq(l.n, 4);	/* the two refusals left out */
	const char *plan = plans_since_reset();
	ck_assert_msg(strstr(plan, "INDEX audit_tenant_target ") != NULL, "%s", plan);
}
END_TEST

/* The plans are read from the statements prepared on the connection (pg_prepared_statements,
 * sqlite3_next_stmt): every one prepared at the open, as at the portal's start. */
__attribute__((constructor)) static void
prepare_all_at_open(void)
{
	unit_check_statements = true;
}

UNIT_MAIN("store audit",
	unit_case("audit", setup, unit_db_teardown, UNIT_TESTS(count_and_page, cursor_and_cap, each_row, choices, signin_failures,
	    dates_and_refusals, plans_use_the_indexes)))
