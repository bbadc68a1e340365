/* test_relcenter.c — the relationship center (domain/relcenter.c, store/relcenter.c): the
 * query string's checks and field errors, the cursor's text both ways, the LIKE pattern's
 * escapes, the filter each query makes; and on the database: every kind on both sides, the
 * states people see, the filters, keyset pages that read every row once in both orders and
 * directions, and rc_each reading past a batch. */
#include "unit.h"

#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/delegated.h"
#include "domain/relcenter.h"
#include "domain/relcenter_bulk.h"

static int
parse(const char *kind, const char *state, const char *days, const char *q, const char *sort, const char *dir,
    const char *after, struct rc_query *out, struct rc_query_errors *e)
{
	return rc_query_parse(&A, kind, state, days, q, sort, dir, after, out, e);
}

START_TEST(query_checked)
{
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse(NULL, NULL, NULL, NULL, NULL, NULL, NULL, &q, &e), 0);
	ck_assert_str_eq(q.kind, "");
	ck_assert(!q.by_since && !q.desc && q.days == 0 && q.after.kind == 0);
	ck_assert_int_eq(parse("delegated", "expiring", "30", "North", "since", "desc", NULL, &q, &e), 0);
	ck_assert(q.by_since && q.desc && q.days == 30);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(parse(rc_kinds[i], "", "", "", "", "", "", &q, &e), 0);
	for (size_t i = 0; i < 9; i++)
		ck_assert_int_eq(parse("", rc_states[i], "", "", "", "", "", &q, &e), 0);
	/* values no form sends: 400 */
	const char *bad_kind[] = { "friends", "Reseller", " reseller" };
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(parse(bad_kind[i], "", "", "", "", "", "", &q, &e), -1);
	ck_assert_int_eq(parse("", "happy", "", "", "", "", "", &q, &e), -1);
	ck_assert_int_eq(parse("", "", "", "", "roles", "", "", &q, &e), -1);
	ck_assert_int_eq(parse("", "", "", "", "", "up", "", &q, &e), -1);
	/* field errors: the days and the search, each with its sentence */
	const char *bad_days[] = { "0", "731", "-1", "ten", "1.5", " 3", "+3" };
	for (size_t i = 0; i < 7; i++) {
		ck_assert_int_eq(parse("", "", bad_days[i], "", "", "", "", &q, &e), 1);
		ck_assert_ptr_nonnull(e.days);
		ck_assert_ptr_null(e.q);
	}
	ck_assert_int_eq(parse("", "", "1", "", "", "", "", &q, &e), 0);
	ck_assert_int_eq(parse("", "", "730", "", "", "", "", &q, &e), 0);
	char longq[RC_Q_MAX + 2];
	memset(longq, 'x', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	ck_assert_int_eq(parse("", "", "", longq, "", "", "", &q, &e), 1);
	ck_assert_ptr_nonnull(e.q);
	longq[RC_Q_MAX] = '\0';
	ck_assert_int_eq(parse("", "", "", longq, "", "", "", &q, &e), 0);
}
END_TEST

START_TEST(cursor_both_ways)
{
	struct rc_query q;
	struct rc_query_errors e;
	struct rc_row row = { .key = "north. wind", .kind = 5, .id = 42, .since = 1700000000 };
	ck_assert_int_eq(parse("", "", "", "", "name", "", "", &q, &e), 0);
	char *text = rc_cursor_text(&A, &q, &row);
	ck_assert_str_eq(text, "5.42.north. wind");
	ck_assert_int_eq(parse("", "", "", "", "name", "", text, &q, &e), 0);
	ck_assert_int_eq(q.after.kind, 5);
	ck_assert_int_eq(q.after.id, 42);
	ck_assert_str_eq(q.after.name, "north. wind");
	ck_assert_int_eq(parse("", "", "", "", "since", "", "", &q, &e), 0);
	text = rc_cursor_text(&A, &q, &row);
	ck_assert_str_eq(text, "5.42.1700000000");
	ck_assert_int_eq(parse("", "", "", "", "since", "", text, &q, &e), 0);
	ck_assert_int_eq(q.after.since, 1700000000);
	const char *bad[] = { "0.1.x", "9.1.x", "5", "5.", "5.x.y", "5.0.y", "5.-1.y", "55.1.y", "5.1" };
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(parse("", "", "", "", "", "", bad[i], &q, &e) == -1, "%s", bad[i]);
	ck_assert_int_eq(parse("", "", "", "", "since", "", "5.1.abc", &q, &e), -1);
	ck_assert_int_eq(parse("", "", "", "", "since", "", "5.1.", &q, &e), -1);
}
END_TEST

START_TEST(pattern_and_filter)
{
	ck_assert_str_eq(rc_like_contains(&A, "North"), "%north%");
	ck_assert_str_eq(rc_like_contains(&A, "100%_a\\b"), "%100\\%\\_a\\\\b%");
	struct rc_query q;
	struct rc_query_errors e;
	struct rc_filter f;
	ck_assert_int_eq(parse("", "", "", "", "", "", "", &q, &e), 0);
	rc_filter_of(&A, &q, 1000, &f);
	ck_assert_uint_eq(f.kinds, 15);
	ck_assert_str_eq(f.pattern, "");
	ck_assert_int_eq(f.expires_by, 0);
	const char *k[] = { "reseller", "customer", "delegated", "invitation" };
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(parse(k[i], "", "", "", "", "", "", &q, &e), 0);
		rc_filter_of(&A, &q, 1000, &f);
		ck_assert_uint_eq(f.kinds, 1u << i);
	}
	/* expiring within N days: only delegated admin grants and invitations end */
	ck_assert_int_eq(parse("", "", "3", "Ab", "", "", "", &q, &e), 0);
	rc_filter_of(&A, &q, 1000, &f);
	ck_assert_uint_eq(f.kinds, 4 | 8);
	ck_assert_int_eq(f.expires_by, 1000 + 3 * 86400);
	ck_assert_str_eq(f.pattern, "%ab%");
	ck_assert_int_eq(parse("reseller", "", "3", "", "", "", "", &q, &e), 0);
	rc_filter_of(&A, &q, 1000, &f);
	ck_assert_uint_eq(f.kinds, 0);
	/* a state only delegated admin relationships have: only that kind is read (issue 17);
	 * active and ended apply to every kind */
	const char *da_only[] = { "pending", "expiring", "expired", "declined", "withdrawn", "terminated" };
	for (unsigned i = 0; i < NELEM(da_only); i++) {
		ck_assert_int_eq(parse("", da_only[i], "", "", "", "", "", &q, &e), 0);
		rc_filter_of(&A, &q, 1000, &f);
		ck_assert_uint_eq(f.kinds, 4);
		ck_assert_int_eq(parse("customer", da_only[i], "", "", "", "", "", &q, &e), 0);
		rc_filter_of(&A, &q, 1000, &f);
		ck_assert_uint_eq(f.kinds, 0);
	}
	ck_assert_int_eq(parse("", "active", "", "", "", "", "", &q, &e), 0);
	rc_filter_of(&A, &q, 1000, &f);
	ck_assert_uint_eq(f.kinds, 7);
	ck_assert_int_eq(parse("", "ended", "", "", "", "", "", &q, &e), 0);
	rc_filter_of(&A, &q, 1000, &f);
	ck_assert_uint_eq(f.kinds, 7);
	ck_assert_str_eq(rc_side_label(1), "Your indirect reseller");
	ck_assert_str_eq(rc_side_label(6), "Asked of you");
	ck_assert_str_eq(rc_kind_label(4), "Partner and customer");
	ck_assert_str_eq(rc_state_label("expiring"), "Expiring");
	ck_assert_str_eq(rc_state_label("opened"), "Opened");
	ck_assert_str_eq(rc_kind_label(7), "Reseller invitation");
	ck_assert_str_eq(rc_kind_label(8), "Customer invitation");
	struct rc_row sent = { .kind = 7, .other_tenant = 0 }, got = { .kind = 8, .other_tenant = 5 };
	ck_assert(rc_sent_by_me(&sent) && !rc_sent_by_me(&got));
	ck_assert_str_eq(rc_row_side(&sent), "Sent by you");
	ck_assert_str_eq(rc_row_side(&got), "Sent to you");
	ck_assert_int_eq(parse("invitation", "opened", "", "", "", "", "8.3.x", &q, &e), 0);
	ck_assert_int_eq(q.after.kind, 8);
}
END_TEST

/* rc_state_at: the one function for the Relationships page and the lists, every state. */
START_TEST(state_at_every_state)
{
	const int64_t now = 100000000, day = 86400;
	ck_assert_str_eq(rc_state_at(1, "active", 0, 0, now), "active");
	ck_assert_str_eq(rc_state_at(2, "ended", 0, 0, now), "ended");
	ck_assert_str_eq(rc_state_at(3, "active", 0, 0, now), "active");
	ck_assert_str_eq(rc_state_at(4, "ended", 0, 0, now), "ended");
	for (int k = 5; k <= 6; k++) {
		/* pending: until its request's 90 days end, then expired */
		ck_assert_str_eq(rc_state_at(k, "pending", now + 1, 0, now), "pending");
		ck_assert_str_eq(rc_state_at(k, "pending", now, 0, now), "expired");
		/* active: expiring with 30 days or fewer left, expired at its end */
		ck_assert_str_eq(rc_state_at(k, "active", 0, now + 30 * day + 1, now), "active");
		ck_assert_str_eq(rc_state_at(k, "active", 0, now + 30 * day, now), "expiring");
		ck_assert_str_eq(rc_state_at(k, "active", 0, now + 1, now), "expiring");
		ck_assert_str_eq(rc_state_at(k, "active", 0, now, now), "expired");
		const char *ended[] = { "expired", "declined", "withdrawn", "terminated" };
		for (size_t i = 0; i < NELEM(ended); i++)
			ck_assert_str_eq(rc_state_at(k, ended[i], now + day, now + day, now), ended[i]);
	}
	ck_assert_str_eq(rc_state_at(7, "sent", 0, now + day, now), "sent");
	ck_assert_str_eq(rc_state_at(8, "opened", 0, now + day, now), "opened");
}
END_TEST

/* The bulk actions' pure parts: the rows a form carries, their versions, Extend's rule. */
START_TEST(bulk_refs_versions_and_extend)
{
	struct rcb_ref ref;
	ck_assert_int_eq(rcb_ref_parse("da-12", false, &ref), 0);
	ck_assert(ref.kind == RCB_DA && ref.id == 12);
	ck_assert_int_eq(rcb_ref_parse("ri-7.10000001234", true, &ref), 0);
	ck_assert(ref.kind == RCB_RI && ref.id == 7 && ref.version == 10000001234LL);
	const char *bad[] = { "pr-1", "da-0", "da-", "da-x", "da-1.5", "da--1", "DA-1", "", "da-1 " };
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(rcb_ref_parse(bad[i], false, &ref) == -1, "%s", bad[i]);
	const char *bad_v[] = { "da-1", "da-1.", "da-1.x", "da-1.-3", "da-1.2.3" };
	for (size_t i = 0; i < NELEM(bad_v); i++)
		ck_assert_msg(rcb_ref_parse(bad_v[i], true, &ref) == -1, "%s", bad_v[i]);
	const int64_t now = 100000000, day = 86400;
	struct da_row d = { .id = 1, .partner_tenant_id = 10, .customer_tenant_id = 20, .state = DA_ACTIVE,
		.expires_at = now + 100 * day, .request_expires_at = now - day };
	/* the version moves with the state and with the end */
	int64_t v = rcb_da_version(&d);
	d.expires_at += day;
	ck_assert_int_ne(rcb_da_version(&d), v);
	d.expires_at -= day;
	d.state = DA_TERMINATED;
	ck_assert_int_ne(rcb_da_version(&d), v);
	d.state = DA_ACTIVE;
	struct reseller_invitation inv = { .status = INV_PENDING, .expires_at = now + day };
	int64_t iv = rcb_ri_version(&inv);
	inv.status = INV_REVOKED;
	ck_assert_int_ne(rcb_ri_version(&inv), iv);
	/* Extend: six months, by the granting organization's Global admin, an active grant
	 * without Global admin, never ending more than two years from now */
	int64_t end;
	ck_assert_ptr_null(rcb_extend_refusal(&d, 20, true, now, &end));
	ck_assert_int_eq(end, now + 100 * day + DA_EXTEND_DAYS * day);
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 10, true, now, &end));	/* the partner */
	ck_assert_int_eq(end, 0);
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 20, false, now, &end));	/* not a Global admin */
	d.global_admin = true;
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 20, true, now, &end));
	d.global_admin = false;
	d.expires_at = now;	/* ended */
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 20, true, now, &end));
	d.expires_at = now + (RCB_EXTEND_LIMIT_DAYS - DA_EXTEND_DAYS) * day;	/* exactly two years after */
	ck_assert_ptr_null(rcb_extend_refusal(&d, 20, true, now, &end));
	d.expires_at += 1;
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 20, true, now, &end));
	d.state = DA_PENDING;
	d.expires_at = 0;
	d.request_expires_at = now + day;
	ck_assert_ptr_nonnull(rcb_extend_refusal(&d, 20, true, now, &end));
	ck_assert_str_eq(rcb_action_key(RCB_TERMINATE), "terminate");
}
END_TEST

/* ---- on the database ---- */

#define NOW 100000000
#define DAY 86400

struct world {
	struct unit_ids me, prov;
	int64_t customer, stranger, da_soon, da_pending;
};

/* Me (a provider, and a reseller of prov) with n resellers, a customer, two grants. */
static struct world
make_world(int n)
{
	struct world w;
	w.me = unit_partner(.name = "Me Hub", .domain = "me.example", .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	int64_t my_res = unit_account(.tenant = w.me.tenant, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	w.prov = unit_partner(.name = "Zed Distribution", .domain = "zed.example", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED);
	unit_rel(w.prov.account, my_res, 10);
	for (int i = 0; i < n; i++) {
		char name[32], domain[32];
		snprintf(name, sizeof name, "Res %04d", i);
		snprintf(domain, sizeof domain, "res%d.example", i);
		struct unit_ids r = unit_partner(.name = name, .domain = domain, .type = PT_INDIRECT_RESELLER,
		    .status = PA_APPROVED);
		unit_rel(w.me.account, r.account, 1000 + i);
	}
	w.customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	w.stranger = unit_org(.name = "Stranger AG", .domain = "stranger.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, my_res, w.customer, 0, 0, 0, false, 20), 1);
	struct unit_ids other = unit_partner(.name = "Other Reselling", .domain = "other.example",
	    .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	ck_assert_int_eq(st_cust_relate(&DB, other.account, w.stranger, 0, 0, 0, false, 20), 1);
	int64_t user = unit_user(.tenant = w.me.tenant, .email = "aa@me.example", .roles = ROLE_MASK(ADMIN_AGENT));
	int64_t ga = unit_user(.tenant = w.customer, .email = "ga@cust.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	struct da_request q = { .partner_tenant = w.me.tenant, .other_tenant = w.customer, .name = "Soon", .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 10 };
	enum da_refusal why;
	int64_t expires;
	w.da_soon = da_request(&DB, &q, user, NOW - DAY, &expires, &why);
	ck_assert_int_eq(why, DA_OK);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, w.da_soon, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, ga, NOW - DAY), 1);
	q.name = "Later";
	w.da_pending = da_request(&DB, &q, user, NOW - 2 * DAY, &expires, &why);
	ck_assert_int_eq(why, DA_OK);
	return w;
}

static void
read_all(int64_t tenant, struct rc_query *q, struct rc_list *all)
{
	all->v = arena_alloc(&A, 2000 * sizeof *all->v);
	all->n = 0;
	q->after = (struct rc_cursor){ 0 };
	for (int pages = 0; pages < 100; pages++) {
		struct rc_list l;
		bool more;
		ck_assert_int_eq(rc_page(&DB, &A, tenant, NOW, q, &l, &more), 0);
		ck_assert_int_le(l.n, RC_PAGE_SIZE);
		for (size_t i = 0; i < l.n; i++)
			all->v[all->n++] = l.v[i];
		if (!more)
			return;
		const struct rc_row *last = &l.v[l.n - 1];
		q->after = (struct rc_cursor){ .kind = last->kind, .id = last->id, .since = last->since, .name = last->key };
	}
	ck_abort_msg("more than 100 pages");
}

START_TEST(every_kind_both_sides_and_states)
{
	struct world w = make_world(2);
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse("", "", "", "", "", "", "", &q, &e), 0);
	struct rc_list all;
	read_all(w.me.tenant, &q, &all);
	/* 2 resellers, 1 provider, 1 customer, 2 grants */
	ck_assert_uint_eq(all.n, 6);
	int kinds[7] = { 0 };
	for (size_t i = 0; i < all.n; i++) {
		kinds[all.v[i].kind]++;
		ck_assert(strcmp(all.v[i].other_name, "Stranger AG") != 0);
		if (all.v[i].kind == 5 && all.v[i].id == w.da_soon) {
			ck_assert_str_eq(all.v[i].state, "expiring");
			ck_assert_str_eq(all.v[i].name, "Soon");
			ck_assert_int_eq(all.v[i].expires, NOW - DAY + 10 * DAY);
			ck_assert_uint_eq(all.v[i].roles, ROLE_MASK(USER_ADMIN));
		}
		if (all.v[i].kind == 5 && all.v[i].id == w.da_pending)
			ck_assert_str_eq(all.v[i].state, "pending");
	}
	ck_assert_int_eq(kinds[1], 2);
	ck_assert_int_eq(kinds[2], 1);
	ck_assert_int_eq(kinds[3], 1);
	ck_assert_int_eq(kinds[5], 2);
	/* the customer sees the same two grants from its side, and the partner */
	read_all(w.customer, &q, &all);
	ck_assert_uint_eq(all.n, 3);
	for (size_t i = 0; i < all.n; i++) {
		ck_assert(all.v[i].kind == 4 || all.v[i].kind == 6);
		ck_assert_str_eq(all.v[i].other_name, "Me Hub");
	}
	/* filters */
	ck_assert_int_eq(parse("", "", "11", "", "", "", "", &q, &e), 0);
	read_all(w.me.tenant, &q, &all);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].id, w.da_soon);
	ck_assert_int_eq(parse("", "", "8", "", "", "", "", &q, &e), 0);
	read_all(w.me.tenant, &q, &all);
	ck_assert_uint_eq(all.n, 0);
	ck_assert_int_eq(parse("", "pending", "", "", "", "", "", &q, &e), 0);
	read_all(w.me.tenant, &q, &all);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].id, w.da_pending);
	ck_assert_int_eq(parse("reseller", "", "", "zed", "", "", "", &q, &e), 0);
	read_all(w.me.tenant, &q, &all);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].kind, 2);
	/* the store's state filter and rc_state_at agree on every row (an expired request too) */
	struct da_request old = { .partner_tenant = w.me.tenant, .other_tenant = w.customer, .name = "Old ask", .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 10 };
	enum da_refusal why;
	int64_t exp;
	int64_t old_id = da_request(&DB, &old, unit_user(.tenant = w.me.tenant, .email = "old@me.example",
	    .roles = ROLE_MASK(ADMIN_AGENT)), NOW - 100 * DAY, &exp, &why);
	ck_assert_int_eq(why, DA_OK);
	ck_assert_int_eq(parse("", "", "", "", "", "", "", &q, &e), 0);
	read_all(w.me.tenant, &q, &all);
	ck_assert_uint_eq(all.n, 7);
	bool seen_old = false;
	for (size_t i = 0; i < all.n; i++) {
		const struct rc_row *x = &all.v[i];
		ck_assert_str_eq(rc_state_at(x->kind, x->stored, x->request_expires, x->expires, NOW), x->state);
		if (x->kind == 5 && x->id == old_id) {
			ck_assert_str_eq(x->state, "expired");
			seen_old = true;
		}
	}
	ck_assert(seen_old);
}
END_TEST

/* Issue 17: ended relationships are read by their own statements (the status in each arm's
 * WHERE): every ended one, once, in each order and direction, over several pages. */
START_TEST(ended_in_every_order)
{
	struct world w = make_world(130);
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse("", "", "", "", "", "", "", &q, &e), 0);
	struct rc_list all;
	read_all(w.me.tenant, &q, &all);
	int64_t ended[200];
	size_t n = 0;
	for (size_t i = 0; i < all.n; i++)
		if ((all.v[i].kind == 1 && all.v[i].id % 2 == 0) || all.v[i].kind == 2) {
			ck_assert_int_eq(st_rel_end(&DB, all.v[i].id, "test", NOW), 1);
			ended[n++] = all.v[i].id;
		}
	ck_assert_uint_gt(n, 60);	/* more than a page */
	static const char *const sorts[][2] = { { "name", "asc" }, { "name", "desc" }, { "since", "asc" },
		{ "since", "desc" } };
	for (size_t k = 0; k < NELEM(sorts); k++) {
		ck_assert_int_eq(parse("", "ended", "", "", sorts[k][0], sorts[k][1], "", &q, &e), 0);
		read_all(w.me.tenant, &q, &all);
		ck_assert_uint_eq(all.n, n);
		for (size_t i = 0; i < all.n; i++) {
			ck_assert_str_eq(all.v[i].state, "ended");
			size_t j = 0;
			while (j < n && ended[j] != all.v[i].id)
				j++;
			ck_assert_uint_lt(j, n);
			if (i > 0) {
				int c = q.by_since ? (all.v[i - 1].since > all.v[i].since) - (all.v[i - 1].since < all.v[i].since)
				    : strcmp(all.v[i - 1].key, all.v[i].key);
				ck_assert_int_le(q.desc ? -c : c, 0);
			}
		}
		/* and active: the rest */
		ck_assert_int_eq(parse("reseller", "active", "", "", sorts[k][0], sorts[k][1], "", &q, &e), 0);
		read_all(w.me.tenant, &q, &all);
		ck_assert_uint_eq(all.n, 130 - (n - 1));
	}
}
END_TEST

static int
count_row(void *ctx, const struct rc_row *row)
{
	(void)row;
	(*(size_t *)ctx)++;
	return 0;
}

START_TEST(pages_and_batches_read_every_row_once)
{
	struct world w = make_world(RC_CSV_BATCH + 3);
	size_t total = RC_CSV_BATCH + 3 + 1 + 1 + 2;
	const char *sorts[] = { "name", "since" }, *dirs[] = { "asc", "desc" };
	for (int s = 0; s < 2; s++)
		for (int d = 0; d < 2; d++) {
			struct rc_query q;
			struct rc_query_errors e;
			ck_assert_int_eq(parse("", "", "", "", sorts[s], dirs[d], "", &q, &e), 0);
			struct rc_list all;
			read_all(w.me.tenant, &q, &all);
			ck_assert_uint_eq(all.n, total);
			for (size_t i = 1; i < all.n; i++) {
				const struct rc_row *a = &all.v[i - 1], *b = &all.v[i];
				int c = s ? (a->since > b->since) - (a->since < b->since) : strcmp(a->key, b->key);
				if (c == 0)
					c = a->kind != b->kind ? a->kind - b->kind : (a->id > b->id) - (a->id < b->id);
				ck_assert_msg(d ? c > 0 : c < 0, "%s %s at %zu", sorts[s], dirs[d], i);
			}
			size_t n = 0;
			ck_assert_int_eq(rc_each(&DB, &A, w.me.tenant, NOW, &q, count_row, &n), 0);
			ck_assert_uint_eq(n, total);
		}
}
END_TEST

/* Issue 14: the API's pages of any size (rc_page_of), read after each one's last row, give the
 * same rows in the same order as the page's pages of RC_PAGE_SIZE. */
START_TEST(pages_of_any_size)
{
	struct world w = make_world(40);
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse("", "", "", "", "since", "desc", "", &q, &e), 0);
	struct rc_list all;
	read_all(w.me.tenant, &q, &all);
	const int64_t sizes[] = { 1, 7, 200 };
	for (size_t k = 0; k < NELEM(sizes); k++) {
		q.after = (struct rc_cursor){ 0 };
		size_t n = 0;
		for (;;) {
			struct rc_list l;
			bool more;
			ck_assert_int_eq(rc_page_of(&DB, &A, w.me.tenant, NOW, &q, sizes[k], &l, &more), 0);
			ck_assert_int_le((int64_t)l.n, sizes[k]);
			for (size_t i = 0; i < l.n; i++, n++) {
				ck_assert_int_lt(n, all.n);
				ck_assert_int_eq(l.v[i].kind, all.v[n].kind);
				ck_assert_int_eq(l.v[i].id, all.v[n].id);
			}
			if (!more)
				break;
			ck_assert_int_eq((int64_t)l.n, sizes[k]);
			const struct rc_row *last = &l.v[l.n - 1];
			q.after = (struct rc_cursor){ .kind = last->kind, .id = last->id, .since = last->since, .name = last->key };
		}
		ck_assert_uint_eq(n, all.n);
	}
}
END_TEST

/* ---- issue 13: the invitation arms read their own indexes (schema 27) ---- */

/* n open invitations of each kind from another organization to addresses at 200 other domains,
 * plus a few to me (tenant, domain "me.example") and sent by me (its provider and reseller
 * accounts), in one statement each. */
static void
many_invitations(int64_t my_provider, int64_t my_reseller, int64_t other_provider, int64_t other_reseller, int n)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	    " INSERT INTO reseller_invitations(provider_id, email, created_at, sent_at, expires_at)"
	    " SELECT CASE WHEN i %% 1000 = 0 THEN %lld ELSE %lld END, 'x' || i || CASE WHEN i %% 997 = 0 THEN '@Me.example'"
	    " ELSE '@d' || (i %% 200) || '.example' END, %d, %d, %d FROM n",
	    n, (long long)my_provider, (long long)other_provider, 100, 100, 100 + 30 * 86400);
	unit_sql_exec(DB.h, sql);
	snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	    " INSERT INTO customer_invitations(reseller_id, provider_id, email, created_at, expires_at)"
	    " SELECT CASE WHEN i %% 1000 = 0 THEN %lld ELSE %lld END, %lld, 'y' || i || CASE WHEN i %% 997 = 0 THEN '@me.example'"
	    " ELSE '@d' || (i %% 200) || '.example' END, %d, %d FROM n",
	    n, (long long)my_reseller, (long long)other_reseller, (long long)other_provider, 100, 100 + 30 * 86400);
	unit_sql_exec(DB.h, sql);
	unit_sql_exec(DB.h, unit_pg() ? "ANALYZE reseller_invitations; ANALYZE customer_invitations" : "ANALYZE");
}

/* The plan of the relationship center's page statement as the store ran it (SQLite: the
 * statements that ran since the counters were reset; PostgreSQL: EXPLAIN EXECUTE of its
 * prepared statement on the store's own connection) for tenant at now, in the arena. */
static void
steps_reset(void)
{
	if (DB.h != NULL)
		for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p))
			sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 1);
}

static const char *
page_plan(int64_t tenant, int64_t now)
{
	char *out = arena_strdup(&A, "");
	if (DB.h != NULL) {
		for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p)) {
			if (sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 0) == 0 || strstr(sqlite3_sql(p), "reseller_invitations") == NULL)
				continue;
			sqlite3_stmt *e;
			ck_assert_int_eq(sqlite3_prepare_v2(DB.h, arena_printf(&A, "EXPLAIN QUERY PLAN %s", sqlite3_sql(p)), -1, &e, NULL), SQLITE_OK);
			while (sqlite3_step(e) == SQLITE_ROW)
				out = arena_printf(&A, "%s%s\n", out, (const char *)sqlite3_column_text(e, 3));
			sqlite3_finalize(e);
		}
		return out;
	}
	/* the first page by name, ascending: the one statement whose text has all of these */
	PGresult *r = unit_pg_exec("SELECT name FROM pg_prepared_statements WHERE statement LIKE '%reseller_invitations%'"
	    " AND statement LIKE '%lower(i.email) AS skey%' AND statement LIKE '%CAST($7 AS TEXT) IS NOT NULL%'"
	    " AND statement LIKE '%ORDER BY x.skey ASC%' AND statement NOT LIKE '%status = ''ended''%'"
	    " AND statement NOT LIKE '%AS MATERIALIZED%'");	/* not the search's (Q_IX_*) */
	ck_assert_int_eq(PQntuples(r), 1);
	const char *sql = arena_printf(&A, "EXPLAIN EXECUTE %s(%lld, %lld, 15, '', '', 0, '', 0, 0, 26)", PQgetvalue(r, 0, 0),
	    (long long)tenant, (long long)now);
	PQclear(r);
	r = unit_pg_exec(sql);
	for (int i = 0; i < PQntuples(r); i++)
		out = arena_printf(&A, "%s%s\n", out, PQgetvalue(r, i, 0));
	PQclear(r);
	return out;
}

/* A page of the relationships of tenant at now with the invitations only: its rows, and the ms. */
static double
timed_page(int64_t tenant, int64_t now, size_t *rows)
{
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse("invitation", "", "", "", "", "", "", &q, &e), 0);
	struct timespec t0, t1;
	struct rc_list l;
	bool more;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(rc_page_of(&DB, &A, tenant, now, &q, 26, &l, &more), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*rows = l.n;
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* The four invitation arms seek: the ones sent by the organization its account's pending ones
 * from their expiry on, the ones sent to it its domain's (before schema 27 the received ones
 * read every open invitation of the program). Timed against the same page without those
 * indexes. */
START_TEST(invitation_arms_seek_their_indexes)
{
	struct unit_ids me = unit_partner(.name = "Me Hub", .domain = "me.example", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED);
	int64_t my_reseller = unit_account(.tenant = me.tenant, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	struct unit_ids op = unit_partner(.name = "Zed Distribution", .domain = "zed.example", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED);
	struct unit_ids orr = unit_partner(.name = "Yon Reselling", .domain = "yon.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	int n = unit_pg() ? 20000 : 50000;
	many_invitations(me.account, my_reseller, op.account, orr.account, n);
	int64_t now = 1000;
	size_t rows;
	timed_page(me.tenant, now, &rows);	/* (the first prepares the statement) */
	steps_reset();
	double ms = timed_page(me.tenant, now, &rows);
	/* to me: every 997th of each kind; sent by it: every 1000th (more than a page) */
	ck_assert_uint_eq(rows, 26);
	const char *plan = page_plan(me.tenant, now);
	static const char *const idx[4] = { "reseller_invitations_open_by", "reseller_invitations_open_to",
		"customer_invitations_open_by", "customer_invitations_open_to" };
	for (int k = 0; k < 4; k++)
		ck_assert_msg(strstr(plan, idx[k]) != NULL, "%s: %s", idx[k], plan);
	ck_assert_msg(strstr(plan, "SCAN i\n") == NULL && strstr(plan, "SCAN i ") == NULL
	    && strstr(plan, "Seq Scan on reseller_invitations") == NULL && strstr(plan, "Seq Scan on customer_invitations") == NULL,
	    "no invitation arm reads its table: %s", plan);
	unit_sql_exec(DB.h, "DROP INDEX reseller_invitations_open_to; DROP INDEX customer_invitations_open_to;"
	    " DROP INDEX reseller_invitations_open_by; DROP INDEX customer_invitations_open_by");
	unit_sql_exec(DB.h, unit_pg() ? "ANALYZE reseller_invitations; ANALYZE customer_invitations" : "ANALYZE");
	size_t again;
	timed_page(me.tenant, now, &again);
	double before = timed_page(me.tenant, now, &again);
	ck_assert_uint_eq(again, rows);
	fprintf(stderr, "relcenter: a page of the invitations of one organization among %d of each kind: %.2f ms"
	    " (without schema 27's indexes: %.2f ms)\n%s", n, ms, before, plan);
}
END_TEST

/* ---- issue 17: the search through the trigram index ---- */

/* Every row of tenant's relationships that f matches at NOW, page by page (pages of 7: the
 * cursor statements too), into all; with the search's q (the index when it narrows) or without
 * (the plain LIKE on every row: the pattern alone). */
static void
read_filter(int64_t tenant, const struct rc_filter *f, bool index, struct rc_list *all)
{
	struct rc_filter g = *f;
	if (!index)
		g.q = NULL;
	all->v = arena_alloc(&A, 2000 * sizeof *all->v);
	all->n = 0;
	struct rc_cursor c = { 0 };
	for (int pages = 0; pages < 300; pages++) {
		struct rc_list l;
		ck_assert_int_eq(st_rc_page(&DB, &A, tenant, NOW, &g, &c, 7, &l), 0);
		for (size_t i = 0; i < l.n; i++)
			all->v[all->n++] = l.v[i];
		if (l.n < 7)
			return;
		const struct rc_row *last = &l.v[l.n - 1];
		c = (struct rc_cursor){ .kind = last->kind, .id = last->id, .since = last->since, .name = last->key };
	}
	ck_abort_msg("more than 300 pages");
}

/* Whether a statement of the index (its text "WITH m(id) AS MATERIALIZED") ran since the
 * counters were reset (SQLite; PostgreSQL: true). */
static bool
index_ran(void)
{
	if (DB.h == NULL)
		return true;
	for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p))
		if (sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 0) > 0 && strstr(sqlite3_sql(p), "AS MATERIALIZED") != NULL)
			return true;
	return false;
}

static const char *
ix_plan(void)
{
	char *out = arena_strdup(&A, "");
	if (DB.h != NULL) {
		for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p)) {
			if (sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 0) == 0 || strstr(sqlite3_sql(p), "AS MATERIALIZED") == NULL)
				continue;
			sqlite3_stmt *e;
			ck_assert_int_eq(sqlite3_prepare_v2(DB.h, arena_printf(&A, "EXPLAIN QUERY PLAN %s", sqlite3_sql(p)), -1, &e, NULL), SQLITE_OK);
			while (sqlite3_step(e) == SQLITE_ROW)
				out = arena_printf(&A, "%s%s\n", out, (const char *)sqlite3_column_text(e, 3));
			sqlite3_finalize(e);
		}
	}
	return out;
}

START_TEST(search_same_rows_as_a_plain_match)
{
	struct world w = make_world(60);
	int64_t my_res = unit_sql_int(DB.h, arena_printf(&A, "SELECT id FROM partner_accounts WHERE tenant_id = %lld"
	    " AND type = 'indirect_reseller'", (long long)w.me.tenant));
	struct unit_ids orr = unit_partner(.name = "Yon Reselling", .domain = "yon.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	/* invitations both ways: sent by me (x1000@d0.example, y1000@d0.example ...), to me */
	many_invitations(w.me.account, my_res, w.prov.account, orr.account, 3000);
	/* customers of both my accounts with the names a search must take literally */
	static const char *const names[] = { "Contoso Ltd", "Big \"Quote\" Co", "50% Off_Shop", "Back\\slash AB",
		"Łódź Widgets", "Res 0042 Customer", "Fabrikam" };
	for (size_t i = 0; i < NELEM(names); i++) {
		int64_t t = unit_org(.name = names[i], .domain = arena_printf(&A, "c%zu.example", i), .kind = TENANT_CUSTOMER);
		ck_assert_int_eq(st_cust_relate(&DB, i % 2 ? my_res : w.me.account, t, 0, 0, 0, false, 30 + (int64_t)i), 1);
	}
	/* some ended ones */
	struct rc_query q;
	struct rc_query_errors e;
	ck_assert_int_eq(parse("reseller", "", "", "", "", "", "", &q, &e), 0);
	struct rc_list all;
	read_all(w.me.tenant, &q, &all);
	for (size_t i = 0; i < all.n; i += 3)
		ck_assert_int_eq(st_rel_end(&DB, all.v[i].id, "test", NOW), 1);
	static const char *const terms[] = { "res 00", "RES 004", "zed", "Zed Dist", "customer ag", "contoso",
		"\"quote\"", "50%", "f_s", "f_x", "k\\s", "łód", "no-such-organization", "example", "x1000@d0", "yon",
		"me hub", "es", "ç" };
	static const char *const sorts[][2] = { { "name", "asc" }, { "name", "desc" }, { "since", "asc" },
		{ "since", "desc" } };
	static const char *const states[] = { "", "ended", "sent" };
	int64_t tenants[] = { w.me.tenant, w.customer };
	size_t matched = 0, through_index = 0;
	for (size_t t = 0; t < NELEM(tenants); t++)
		for (size_t i = 0; i < NELEM(terms); i++)
			for (size_t k = 0; k < NELEM(sorts); k++)
				for (size_t st = 0; st < NELEM(states); st++) {
					ck_assert_int_eq(parse("", states[st], "", terms[i], sorts[k][0], sorts[k][1], "", &q, &e), 0);
					struct rc_filter f;
					rc_filter_of(&A, &q, NOW, &f);
					struct rc_list plain, ix;
					read_filter(tenants[t], &f, false, &plain);
					if (DB.h != NULL)
						for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL;
						    p = sqlite3_next_stmt(DB.h, p))
							sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 1);
					read_filter(tenants[t], &f, true, &ix);
					through_index += index_ran();
					ck_assert_msg(ix.n == plain.n, "%s %s %s %s: %zu rows, plain %zu", terms[i], sorts[k][0],
					    sorts[k][1], states[st], ix.n, plain.n);
					for (size_t r = 0; r < ix.n; r++) {
						ck_assert_int_eq(ix.v[r].kind, plain.v[r].kind);
						ck_assert_int_eq(ix.v[r].id, plain.v[r].id);
						ck_assert_str_eq(ix.v[r].key, plain.v[r].key);
						ck_assert_str_eq(ix.v[r].state, plain.v[r].state);
						ck_assert_str_eq(ix.v[r].other_name, plain.v[r].other_name);
					}
					matched += ix.n;
				}
	/* the terms find rows of every kind, and all but the short ones went through the index */
	ck_assert_uint_gt(matched, 500);
	ck_assert_int_eq(parse("", "", "", "contoso", "", "", "", &q, &e), 0);
	struct rc_filter f;
	rc_filter_of(&A, &q, NOW, &f);
	steps_reset();
	read_filter(w.me.tenant, &f, true, &all);
	/* SQLite: the index's organizations once, and the long arms look them up instead of
	 * reading the account's relationships in order (PostgreSQL: test_search) */
	const char *plan = ix_plan();
	if (DB.h != NULL)
		ck_assert_msg(strstr(plan, "MATERIALIZE m") != NULL && strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL
		    && strstr(plan, "_rc_provider_") == NULL && strstr(plan, "_rc_partner_") == NULL
		    && strstr(plan, "SCAN r\n") == NULL && strstr(plan, "SCAN c\n") == NULL, "%.2000s", plan);
	if (DB.h != NULL)
		ck_assert_uint_eq(through_index, NELEM(tenants) * (NELEM(terms) - 2) * NELEM(sorts) * NELEM(states));
}
END_TEST

/* The plans are read from the statements prepared on the connection (pg_prepared_statements,
 * sqlite3_next_stmt): every one prepared at the open, as at the portal's start. */
__attribute__((constructor)) static void
prepare_all_at_open(void)
{
	unit_check_statements = true;
}

UNIT_MAIN("relcenter",
	unit_case("logic", unit_setup, unit_teardown, UNIT_TESTS(query_checked, cursor_both_ways, pattern_and_filter,
	    state_at_every_state, bulk_refs_versions_and_extend)),
	/* 500+ relationships read page by page in four orders: on a busy PostgreSQL this takes
	 * longer than Check's default 4 seconds */
	unit_timeout(60, unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(every_kind_both_sides_and_states,
	    ended_in_every_order, pages_and_batches_read_every_row_once, pages_of_any_size,
	    search_same_rows_as_a_plain_match))),
	unit_timeout(120, unit_case("scale", unit_db_setup, unit_db_teardown, UNIT_TESTS(invitation_arms_seek_their_indexes))))
