/* test_store_agreement.c — the agreement area of the store (store/agreement.c): versions,
 * the current one, an organization's standing, acceptances and the operator's counts, on
 * real rows in a :memory: database. */
#include "unit.h"

/* An organization; in_program: with a draft indirect reseller account. */
static int64_t
org(const char *domain, bool in_program)
{
	int64_t t = unit_org(.domain = domain);
	if (in_program)
		unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = PA_DRAFT);
	return t;
}

START_TEST(nothing_published)
{
	struct agreement_version v;
	struct agreement_acceptance acc;
	ck_assert_int_eq(st_agreement_current(&DB, &A, &v), 0);
	ck_assert_int_eq(st_agreement_standing(&DB, &A, org("a.example", true), &v, &acc), 0);
	struct agreement_version_list l;
	ck_assert_int_eq(st_agreement_versions(&DB, &A, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(st_agreement_version_taken(&DB, "1"), 0);
}
END_TEST

START_TEST(versions_current_and_standing)
{
	int64_t t = org("a.example", true);
	int64_t v1 = st_agreement_publish(&DB, "2025-01", "First text", 100);
	int64_t v2 = st_agreement_publish(&DB, "2025-02", "Second, longer text", 100);	/* the same second */
	ck_assert_int_gt(v1, 0);
	ck_assert_int_gt(v2, v1);
	ck_assert_int_eq(st_agreement_publish(&DB, "2025-01", "again", 101), -1);	/* labels are unique */
	ck_assert(store_failed(&DB));
	store_clear_failure(&DB);
	ck_assert_int_eq(st_agreement_version_taken(&DB, "2025-02"), 1);

	struct agreement_version cur;
	ck_assert_int_eq(st_agreement_current(&DB, &A, &cur), 1);
	ck_assert_int_eq(cur.id, v2);
	ck_assert_str_eq(cur.version, "2025-02");
	ck_assert_str_eq(cur.body, "Second, longer text");
	ck_assert_int_eq(cur.published_at, 100);

	/* No acceptance yet. */
	struct agreement_acceptance latest;
	ck_assert_int_eq(st_agreement_standing(&DB, &A, t, &cur, &latest), 1);
	ck_assert_int_eq(cur.id, v2);
	ck_assert_int_eq(latest.version_id, 0);
	/* The older one accepted: the latest acceptance names it. */
	struct agreement_acceptance acc = unit_signer(v1, 150);
	ck_assert_int_eq(st_agreement_accept(&DB, t, &acc), 1);
	ck_assert_int_eq(st_agreement_standing(&DB, &A, t, &cur, &latest), 1);
	ck_assert_int_eq(latest.version_id, v1);
	ck_assert_str_eq(latest.version, "2025-01");
	ck_assert_str_eq(latest.first, "Ana");
	ck_assert_str_eq(latest.last, "Admin");
	ck_assert_str_eq(latest.email, "ana@contoso.example");
	ck_assert_str_eq(latest.title, "CEO");
	ck_assert_int_eq(latest.accepted_at, 150);
	/* Once per version: again changes nothing. */
	ck_assert_int_eq(st_agreement_accept(&DB, t, &acc), 0);
	acc = unit_signer(v2, 160);
	ck_assert_int_eq(st_agreement_accept(&DB, t, &acc), 1);
	ck_assert_int_eq(st_agreement_standing(&DB, &A, t, &cur, &latest), 1);
	ck_assert_int_eq(latest.version_id, v2);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM agreement_acceptances WHERE ip = '192.0.2.7'"
	    " AND signer_phone = '+49 30 1234567' AND user_id = 7"), 2);
}
END_TEST

START_TEST(versions_list_and_pending_organizations)
{
	int64_t a = org("a.example", true), b = org("b.example", true);
	org("customer.example", false);			/* not in the program: never pending */
	int64_t v1 = st_agreement_publish(&DB, "1", "One", 10);
	int64_t v2 = st_agreement_publish(&DB, "2", "Two two", 20);
	ck_assert_int_eq(st_agreement_pending_orgs(&DB, v2), 2);
	struct agreement_acceptance acc = unit_signer(v2, 30);
	ck_assert_int_eq(st_agreement_accept(&DB, a, &acc), 1);
	ck_assert_int_eq(st_agreement_pending_orgs(&DB, v2), 1);
	ck_assert_int_eq(st_agreement_pending_orgs(&DB, v1), 2);
	(void)b;
	struct agreement_version_list l;
	ck_assert_int_eq(st_agreement_versions(&DB, &A, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].version, "2");	/* newest first */
	ck_assert_int_eq(l.v[0].bytes, 7);
	ck_assert_int_eq(l.v[0].accepted, 1);
	ck_assert_int_eq(l.v[0].published_at, 20);
	ck_assert_str_eq(l.v[1].version, "1");
	ck_assert_int_eq(l.v[1].accepted, 0);
}
END_TEST

UNIT_MAIN("store_agreement",
	unit_case("agreement", unit_db_setup, unit_db_teardown, UNIT_TESTS(nothing_published,
	    versions_current_and_standing, versions_list_and_pending_organizations)))
