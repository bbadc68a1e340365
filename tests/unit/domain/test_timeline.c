/* test_timeline.c — one timeline per relationship (issue 13; domain/timeline.c, store/timeline.c):
 * who may open which relationship's timeline (either organization, nobody else, every kind),
 * the events of both logs and only those, newest first in cursor pages that read each entry
 * once, the download's rows, the lifecycle worker's own steps on it, "made before the links";
 * and on a relationship with many events among many others, that the page's statement is read
 * from the index audit_relationship (EXPLAIN, both engines) and how long a page takes. */
#include "unit.h"

#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/audit.h"
#include "domain/delegated.h"
#include "domain/timeline.h"
#include "store/db.h"

#define NOW 100000000
#define DAY 86400

struct world {
	struct unit_ids partner;	/* a reseller */
	struct unit_ids provider;
	int64_t customer, stranger, da, rel, crel;
};

static struct world
make_world(void)
{
	struct world w;
	w.partner = unit_partner(.name = "North Reselling", .domain = "north.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	w.provider = unit_partner(.name = "Zed Distribution", .domain = "zed.example", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED);
	w.rel = unit_rel(w.provider.account, w.partner.account, NOW);
	w.customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	w.stranger = unit_org(.name = "Stranger AG", .domain = "stranger.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, w.partner.account, w.customer, 0, 0, 0, false, NOW), 1);
	w.crel = st_cust_rel_active(&DB, w.partner.account, w.customer);
	ck_assert_int_gt(w.crel, 0);
	int64_t user = unit_user(.tenant = w.partner.tenant, .email = "aa@north.example", .roles = ROLE_MASK(ADMIN_AGENT));
	int64_t ga = unit_user(.tenant = w.customer, .email = "ga@cust.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	struct da_request q = { .partner_tenant = w.partner.tenant, .other_tenant = w.customer, .name = "Helpdesk",
		.message = "", .roles = ROLE_MASK(USER_ADMIN), .days = 10 };
	enum da_refusal why;
	int64_t expires;
	w.da = da_request(&DB, &q, user, NOW, &expires, &why);
	ck_assert_int_eq(why, DA_OK);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, w.da, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, ga, NOW), 1);
	return w;
}

/* One entry in tenant's log, about (kind, id) when kind is not NULL. */
static void
entry(int64_t tenant, const char *action, const char *kind, int64_t id, int64_t at)
{
	struct audit_row row = { .at = at, .tenant_id = tenant, .actor = "someone@example.com", .action = action,
		.target = "x", .outcome = "ok", .rel_kind = kind, .rel_id = id };
	ck_assert_int_eq(audit_write(&DB, &row), 0);
}

START_TEST(either_side_opens_every_kind_nobody_else)
{
	struct world w = make_world();
	struct tl_rel rel;
	const char *why;
	const struct { const char *kind; int64_t id, a, b; } cases[] = {
		{ "delegated", w.da, w.partner.tenant, w.customer },
		{ "reseller", w.rel, w.provider.tenant, w.partner.tenant },
		{ "customer", w.crel, w.partner.tenant, w.customer },
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(tl_open(&DB, &A, cases[i].kind, cases[i].id, cases[i].a, &rel, &why), 1);
		ck_assert_int_eq(rel.sides.a_tenant, cases[i].a);
		ck_assert_int_eq(rel.sides.b_tenant, cases[i].b);
		ck_assert_str_eq(rel.kind, cases[i].kind);
		ck_assert_int_eq(tl_open(&DB, &A, cases[i].kind, cases[i].id, cases[i].b, &rel, &why), 1);
		why = NULL;
		ck_assert_int_eq(tl_open(&DB, &A, cases[i].kind, cases[i].id, w.stranger, &rel, &why), 0);
		ck_assert_str_eq(why, "a relationship of other organizations");
		ck_assert_int_eq(tl_open(&DB, &A, cases[i].kind, cases[i].id + 1000, cases[i].a, &rel, &why), 0);
		ck_assert_str_eq(why, "no such relationship");
	}
	ck_assert_int_eq(tl_open(&DB, &A, "delegated", w.da, w.partner.tenant, &rel, &why), 1);
	ck_assert_str_eq(rel.sides.a_name, "North Reselling");
	ck_assert_str_eq(rel.sides.b_name, "Customer AG");
	ck_assert_str_eq(rel.sides.name, "Helpdesk");
	/* made before the links (the schema section ran now; these are from 1973) */
	ck_assert(rel.predates);
	/* one made after them */
	struct da_request q = { .partner_tenant = w.partner.tenant, .other_tenant = w.customer, .name = "Later",
		.message = "", .roles = ROLE_MASK(USER_ADMIN), .days = 10 };
	enum da_refusal refused;
	int64_t expires;
	int64_t later = da_request(&DB, &q, 0, time(NULL) + 60, &expires, &refused);
	ck_assert_int_gt(later, 0);
	ck_assert_int_eq(tl_open(&DB, &A, "delegated", later, w.customer, &rel, &why), 1);
	ck_assert(!rel.predates);
	ck_assert_int_eq(tl_open(&DB, &A, "friends", w.da, w.partner.tenant, &rel, &why), 0);
	ck_assert_int_eq(tl_open(&DB, &A, "Delegated", w.da, w.partner.tenant, &rel, &why), 0);
	ck_assert_int_gt(st_rel_links_since(&DB), time(NULL) - 3600);
}
END_TEST

static int
count_row(void *ctx, const struct audit_row *row)
{
	(void)row;
	(*(size_t *)ctx)++;
	return 0;
}

START_TEST(both_logs_only_newest_first_pages_read_each_once)
{
	struct world w = make_world();
	/* 60 entries about it in each log, interleaved with the rest of each log, another
	 * relationship's, a third log's entry about it (the program team's), and the same id of
	 * another kind */
	for (int i = 0; i < 60; i++) {
		entry(w.partner.tenant, "user.add", "delegated", w.da, NOW + i);
		entry(w.partner.tenant, "signin", NULL, 0, NOW + i);
		entry(w.customer, "user.add", "delegated", w.da, NOW + i);
		entry(w.customer, "user.add", "delegated", w.da + 1, NOW + i);
		entry(w.stranger, "relationship.end", "delegated", w.da, NOW + i);
		entry(w.customer, "order.place", "customer", w.da, NOW + i);
	}
	struct tl_rel rel;
	const char *why;
	ck_assert_int_eq(tl_open(&DB, &A, "delegated", w.da, w.customer, &rel, &why), 1);
	int64_t before = 0, last = INT64_MAX;
	size_t total = 0;
	int pages = 0;
	for (bool older = true; older; pages++) {
		struct audit_list l;
		ck_assert_int_eq(tl_page(&DB, &A, &rel, before, 50, &l, &older), 0);
		ck_assert_uint_le(l.n, 50);
		for (size_t i = 0; i < l.n; i++) {
			ck_assert_int_lt(l.v[i].id, last);
			last = l.v[i].id;
			ck_assert_str_eq(l.v[i].action, "user.add");
			ck_assert(l.v[i].tenant_id == w.partner.tenant || l.v[i].tenant_id == w.customer);
			ck_assert_str_eq(tl_log_of(&rel, &l.v[i]), l.v[i].tenant_id == w.customer ? "Customer AG" : "North Reselling");
		}
		total += l.n;
		if (l.n > 0)
			before = l.v[l.n - 1].id;
	}
	ck_assert_uint_eq(total, 120);
	ck_assert_int_eq(pages, 3);
	size_t n = 0;
	ck_assert_int_eq(tl_each(&DB, &rel, count_row, &n), 0);
	ck_assert_uint_eq(n, 120);
}
END_TEST

/* The lifecycle worker's steps are on the timeline, in both logs, by "the portal". */
START_TEST(lifecycle_steps_on_the_timeline)
{
	struct world w = make_world();
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, w.da, &d), 1);
	int stage = 0;
	int64_t at = d.expires_at + 1;
	enum da_step step = da_next_step(&d, at, &stage);
	ck_assert_int_eq(step, DA_STEP_EXPIRE);
	ck_assert_int_eq(da_step_claim(&DB, &d, step, stage, at), 1);
	/* a second node finds it done: nothing more written */
	ck_assert_int_eq(da_step_claim(&DB, &d, step, stage, at), 0);
	struct tl_rel rel;
	const char *why;
	ck_assert_int_eq(tl_open(&DB, &A, "delegated", w.da, w.partner.tenant, &rel, &why), 1);
	struct audit_list l;
	bool older;
	ck_assert_int_eq(tl_page(&DB, &A, &rel, 0, 50, &l, &older), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert(!older);
	for (size_t i = 0; i < 2; i++) {
		ck_assert_str_eq(l.v[i].action, "delegated-admin.expire");
		ck_assert_str_eq(l.v[i].actor, "portal");
		ck_assert_str_eq(audit_sentence(&A, &l.v[i], NULL), l.v[i].tenant_id == w.customer
		    ? "The portal ended at its expiry the delegated admin relationship with North Reselling (delegated admin 'Helpdesk')."
		    : "The portal ended at its expiry the delegated admin relationship with Customer AG (delegated admin 'Helpdesk').");
	}
	ck_assert(l.v[0].tenant_id != l.v[1].tenant_id);
}
END_TEST

/* The query plan of the page's statement (SQLite: EXPLAIN QUERY PLAN's details; PostgreSQL:
 * EXPLAIN's lines) for relationship (kind, id) of tenants a and b, in out. */
static void
plan_of(int64_t id, int64_t a, int64_t b, char *out, size_t n)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT id FROM audit WHERE rel_kind = 'delegated' AND rel_id = %lld AND tenant_id IN (%lld, %lld)"
	    " AND id < 9223372036854775807 ORDER BY id DESC LIMIT 51", (long long)id, (long long)a, (long long)b);
	out[0] = '\0';
	if (unit_pg() == NULL) {
		char q[600];
		snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
		sqlite3_stmt *st;
		ck_assert_int_eq(sqlite3_prepare_v2(DB.h, q, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			strncat(out, (const char *)sqlite3_column_text(st, 3), n - strlen(out) - 2);
			strncat(out, "\n", n - strlen(out) - 1);
		}
		sqlite3_finalize(st);
		return;
	}
	PGconn *c = PQconnectdb(unit_pg());
	PQclear(PQexec(c, "ANALYZE audit"));
	char q[600];
	snprintf(q, sizeof q, "EXPLAIN %s", sql);
	PGresult *r = PQexec(c, q);
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r); i++) {
		strncat(out, PQgetvalue(r, i, 0), n - strlen(out) - 2);
		strncat(out, "\n", n - strlen(out) - 1);
	}
	PQclear(r);
	PQfinish(c);
}

START_TEST(many_events_read_from_the_index)
{
	struct world w = make_world();
	/* 5,000 events of this relationship, each among 19 entries of the same logs about others or
	 * about none (PostgreSQL: a fifth of it, one round trip each) */
	int n = unit_pg() ? 1000 : 5000;
	ck_assert_int_eq(store_begin_write(&DB), 0);
	for (int i = 0; i < n; i++) {
		entry(i % 2 ? w.customer : w.partner.tenant, "user.add", "delegated", w.da, NOW + i);
		for (int k = 0; k < 12; k++)
			entry(k % 2 ? w.customer : w.partner.tenant, "signin", NULL, 0, NOW + i);
		for (int k = 0; k < 4; k++)
			entry(w.customer, "order.place", "customer", w.crel, NOW + i);
		for (int k = 0; k < 3; k++)
			entry(w.partner.tenant, "user.add", "delegated", w.da + 1 + (i + k) % 7, NOW + i);
	}
	ck_assert_int_eq(store_commit(&DB), 0);
	char plan[2048];
	plan_of(w.da, w.partner.tenant, w.customer, plan, sizeof plan);
	ck_assert_msg(strstr(plan, "audit_relationship") != NULL, "the plan reads the index: %s", plan);
	ck_assert_msg(strstr(plan, "TEMP B-TREE") == NULL && strstr(plan, "Sort") == NULL, "no sort: %s", plan);
	struct tl_rel rel;
	const char *why;
	ck_assert_int_eq(tl_open(&DB, &A, "delegated", w.da, w.customer, &rel, &why), 1);
	/* the newest page and one deep in the relationship's events */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct audit_list l;
	bool older;
	ck_assert_int_eq(tl_page(&DB, &A, &rel, 0, TL_PER_PAGE, &l, &older), 0);
	ck_assert_uint_eq(l.n, TL_PER_PAGE);
	ck_assert(older);
	int64_t deep = l.v[0].id - (int64_t)n * 10;
	ck_assert_int_eq(tl_page(&DB, &A, &rel, deep, TL_PER_PAGE, &l, &older), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(l.n, TL_PER_PAGE);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "timeline: two pages of %d of %d events among %d entries: %.2f ms\n%s", TL_PER_PAGE, n, n * 20, ms, plan);
}
END_TEST

UNIT_MAIN("timeline",
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(either_side_opens_every_kind_nobody_else,
	    both_logs_only_newest_first_pages_read_each_once, lifecycle_steps_on_the_timeline)),
	unit_timeout(120, unit_case("scale", unit_db_setup, unit_db_teardown, UNIT_TESTS(many_events_read_from_the_index))))
