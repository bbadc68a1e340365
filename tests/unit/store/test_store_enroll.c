/* test_store_enroll.c — the enrollment and PMC areas of the store (store/enroll.c,
 * store/mpn.c) on a :memory: database with real rows: partner accounts' writes and status
 * moves, legal profiles, drafts, the web-mail list, the operator's list, and the PMC copy. */
#include "unit.h"

static long long
q(const char *sql)
{
	return unit_sql_int(DB.h, sql);
}

START_TEST(test_accounts)
{
	int64_t t = unit_org(.name = "Woodgrove", .domain = "woodgrove.example");
	int64_t u = st_user_insert(&DB, t, "ana@woodgrove.example", "Ana", NULL, 1, 1);
	struct support_details sup = { "s@woodgrove.example", "1234567", "https://s.woodgrove.example" };
	ck_assert_int_eq(st_pa_insert(&DB, t, PT_INDIRECT_RESELLER, PA_IN_REVIEW, &sup, u, 5), -1);	/* not a creation */
	int64_t r = st_pa_insert(&DB, t, PT_INDIRECT_RESELLER, PA_DRAFT, &sup, u, 5);
	int64_t p = st_pa_insert(&DB, t, PT_INDIRECT_PROVIDER, PA_APPROVED, &(struct support_details){ 0 }, 0, 6);
	ck_assert_int_gt(r, 0);
	ck_assert_int_gt(p, r);
	ck_assert_int_eq(q("SELECT submitted_at IS NULL AND decided_at IS NULL AND enrolled_by = 1 FROM partner_accounts WHERE type = 'indirect_reseller'"), 1);
	ck_assert_int_eq(q("SELECT submitted_at + verified_at + decided_at FROM partner_accounts WHERE type = 'indirect_provider'"), 18);
	ck_assert_int_eq(q("SELECT enrolled_by IS NULL AND support_email = '' FROM partner_accounts WHERE type = 'indirect_provider'"), 1);

	struct support_details other = { "help@woodgrove.example", "7654321", "https://help.woodgrove.example" };
	ck_assert_int_eq(st_pa_set_support(&DB, r, &other, u), 1);
	ck_assert_int_eq(st_pa_set_support_all(&DB, t, &other), 2);
	ck_assert_int_eq(st_pa_set_support_all(&DB, 999, &other), 0);
	ck_assert_int_eq(st_pa_verify_sent(&DB, r, 7), 1);

	/* Status moves are conditional on the status read. */
	ck_assert_int_eq(st_pa_move(&DB, r, PA_DRAFT, PA_PENDING_VERIFICATION, 10, NULL), 1);
	ck_assert_int_eq(st_pa_move(&DB, r, PA_DRAFT, PA_PENDING_VERIFICATION, 11, NULL), 0);
	ck_assert_int_eq(st_pa_move(&DB, r, PA_PENDING_VERIFICATION, PA_IN_REVIEW, 12, NULL), 1);
	ck_assert_int_eq(st_pa_move(&DB, r, PA_IN_REVIEW, PA_REJECTED, 13, "no phone"), 1);
	ck_assert_int_eq(q("SELECT submitted_at = 10 AND verified_at = 12 AND decided_at = 13 AND reject_reason = 'no phone'"
	    " FROM partner_accounts WHERE id = 1"), 1);

	/* Facts without a legal profile: the organization's name, no contact. */
	struct pa_facts f;
	ck_assert_int_eq(st_pa_facts(&DB, &A, r, &f), 1);
	ck_assert_int_eq(f.tenant_id, t);
	ck_assert_int_eq(f.type, PT_INDIRECT_RESELLER);
	ck_assert_int_eq(f.status, PA_REJECTED);
	ck_assert_str_eq(f.legal_name, "Woodgrove");
	ck_assert_str_eq(f.contact_email, "");
	ck_assert(!f.contact_verified);
	ck_assert_str_eq(f.reject_reason, "no phone");
	ck_assert_int_eq(f.submitted_at, 10);
	ck_assert_int_eq(f.enrolled_by, u);
	ck_assert_int_eq(st_pa_facts(&DB, &A, 999, &f), 0);

	/* The operator's list: oldest submission (else creation) first; by status. */
	int64_t t2 = unit_org(.name = "Contoso", .domain = "contoso.example");
	ck_assert_int_gt(st_pa_insert(&DB, t2, PT_INDIRECT_RESELLER, PA_DRAFT, &sup, 0, 8), 0);
	struct enrollment_list all;
	ck_assert_int_eq(st_enrollments(&DB, &A, PA_NONE, &all), 0);
	ck_assert_int_eq(all.n, 3);
	ck_assert_int_eq(all.v[0].id, p);		/* submitted at 6 */
	ck_assert_str_eq(all.v[1].org, "Contoso");	/* created at 8 */
	ck_assert_int_eq(all.v[1].submitted_at, 0);
	ck_assert_int_eq(all.v[2].id, r);		/* submitted at 10 */
	ck_assert_str_eq(all.v[2].country, "DE");
	ck_assert_str_eq(all.v[2].domain, "woodgrove.example");
	ck_assert_int_eq(st_enrollments(&DB, &A, PA_APPROVED, &all), 0);
	ck_assert_int_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].type, PT_INDIRECT_PROVIDER);
	ck_assert_int_eq(st_enrollments(&DB, &A, PA_IN_REVIEW, &all), 0);
	ck_assert_int_eq(all.n, 0);

	/* The enrolling user. */
	ck_assert_int_eq(st_enroll_first_user_with_roles(&DB, t, 1), u);
	ck_assert_int_eq(st_enroll_first_user_with_roles(&DB, t, 2), 0);
	ck_assert_int_eq(st_enroll_add_roles(&DB, u, 8), 1);
	ck_assert_int_eq(q("SELECT roles FROM users"), 9);
	ck_assert_int_eq(st_enroll_add_roles(&DB, 999, 8), 0);
}
END_TEST

START_TEST(test_legal_and_drafts)
{
	int64_t t = unit_org(.name = "Woodgrove", .domain = "woodgrove.example");
	struct legal_profile l;
	ck_assert_int_eq(st_legal_get(&DB, &A, t, &l), 0);
	struct legal_profile p = { .legal_name = "Woodgrove GmbH", .address1 = "A 1", .city = "C", .postal_code = "1",
	    .contact_first = "Carla", .contact_last = "Contact", .contact_email = "carla@woodgrove.example",
	    .contact_phone = "1234567", .contact_verified_at = 4 };
	ck_assert_int_eq(st_legal_upsert(&DB, t, &p, 5), 1);
	ck_assert_int_eq(st_legal_get(&DB, &A, t, &l), 1);
	ck_assert_str_eq(l.address2, "");
	ck_assert_int_eq(l.contact_verified_at, 4);
	ck_assert_int_eq(l.updated_at, 5);
	/* The same contact (any case) keeps the verification; another one takes p's. */
	p.contact_email = "Carla@Woodgrove.example";
	p.contact_verified_at = 0;
	ck_assert_int_eq(st_legal_upsert(&DB, t, &p, 6), 1);
	ck_assert_int_eq(q("SELECT contact_verified_at FROM legal_profiles"), 4);
	p.contact_email = "dora@woodgrove.example";
	ck_assert_int_eq(st_legal_upsert(&DB, t, &p, 7), 1);
	ck_assert_int_eq(q("SELECT contact_verified_at IS NULL FROM legal_profiles"), 1);
	ck_assert_int_eq(st_legal_set_verified(&DB, t, 8), 1);
	ck_assert_int_eq(st_legal_get(&DB, &A, t, &l), 1);
	ck_assert_int_eq(l.contact_verified_at, 8);
	ck_assert_int_eq(st_legal_set_verified(&DB, t, 0), 1);
	ck_assert_int_eq(q("SELECT contact_verified_at IS NULL FROM legal_profiles"), 1);
	ck_assert_int_eq(st_legal_set_verified(&DB, 999, 8), 0);

	struct draft_row d;
	ck_assert_int_eq(st_draft_get(&DB, &A, t, &d), 0);
	ck_assert_int_eq(st_draft_set_pmc(&DB, t, 0, 0, 0, 9), 1);	/* creates it */
	ck_assert_int_eq(st_draft_get(&DB, &A, t, &d), 1);
	ck_assert_str_eq(d.fields, "");
	ck_assert_int_eq(st_draft_save(&DB, t, "a=1", 10), 1);
	ck_assert_int_eq(st_pmc_upsert(&DB, "pmc@woodgrove.example", "$argon2id$x"), 1);
	int64_t pmc = st_pmc_id(&DB, "pmc@woodgrove.example");
	ck_assert_int_eq(st_draft_set_pmc(&DB, t, pmc, 1, 11, 12), 1);
	ck_assert_int_eq(st_draft_get(&DB, &A, t, &d), 1);
	ck_assert_str_eq(d.fields, "a=1");
	ck_assert_int_eq(d.pmc_id, pmc);
	ck_assert_int_eq(d.pmc_user_id, 1);
	ck_assert_int_eq(d.pmc_at, 11);
	ck_assert_int_eq(st_draft_set_pmc(&DB, t, 0, 1, 11, 13), 1);	/* forgets all of it */
	ck_assert_int_eq(q("SELECT pmc_id IS NULL AND pmc_user_id IS NULL AND pmc_at IS NULL FROM enrollment_drafts"), 1);
	ck_assert_int_eq(st_draft_delete(&DB, t), 1);
	ck_assert_int_eq(st_draft_delete(&DB, t), 0);

	struct text_list w;
	ck_assert_int_eq(st_webmail_patterns(&DB, &A, &w), 0);
	ck_assert_int_eq(w.n, q("SELECT count(*) FROM webmail_domains"));
	ck_assert_int_ge(w.n, 12);
	ck_assert_str_eq(w.v[0], "aol.com");
	for (size_t i = 1; i < w.n; i++)
		ck_assert_msg(strcmp(w.v[i - 1], w.v[i]) < 0, "%s, %s", w.v[i - 1], w.v[i]);
}
END_TEST

START_TEST(test_pmc_copy)
{
	ck_assert_int_eq(st_mpn_profile_upsert(&DB, "6100001", "Woodgrove Bank GmbH", "DE", true), 1);
	ck_assert_int_eq(st_mpn_profile_upsert(&DB, "6100002", "Woodgrove Bank Inc.", "US", false), 1);
	ck_assert_int_eq(st_mpn_profile_upsert(&DB, "6100002", "Woodgrove Bank Inc.", "US", true), 1);	/* updated */
	ck_assert_int_eq(st_pmc_upsert(&DB, "pmc@woodgrove.example", "h1"), 1);
	ck_assert_int_eq(st_pmc_upsert(&DB, "PMC@woodgrove.example", "h2"), 1);	/* the same account */
	int64_t pmc = st_pmc_id(&DB, "pmc@woodgrove.example");
	ck_assert_int_gt(pmc, 0);
	ck_assert_int_eq(st_pmc_id(&DB, "nobody@woodgrove.example"), 0);
	ck_assert_int_eq(st_pmc_link(&DB, pmc, "6100002"), 1);
	ck_assert_int_eq(st_pmc_link(&DB, pmc, "6100001"), 1);
	ck_assert_int_eq(st_pmc_link(&DB, pmc, "6100001"), 0);

	int64_t id;
	const char *hash;
	ck_assert_int_eq(st_pmc_account(&DB, &A, "Pmc@Woodgrove.example", &id, &hash), 1);
	ck_assert_int_eq(id, pmc);
	ck_assert_str_eq(hash, "h2");
	ck_assert_int_eq(st_pmc_account(&DB, &A, "nobody@woodgrove.example", &id, &hash), 0);

	struct mpn_profile_list l;
	ck_assert_int_eq(st_pmc_profiles(&DB, &A, pmc, &l), 0);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].mpn_id, "6100001");	/* by company name */
	ck_assert_str_eq(l.v[0].country_name, "Germany");
	ck_assert(l.v[1].active);
	ck_assert_int_eq(l.v[1].linked_to, 0);
	ck_assert_int_eq(st_pmc_profiles(&DB, &A, 999, &l), 0);
	ck_assert_int_eq(l.n, 0);

	int64_t t = unit_org(.name = "Woodgrove", .domain = "woodgrove.example");
	struct mpn_profile m;
	ck_assert_int_eq(st_pmc_profile(&DB, &A, pmc, "6100003", &m), 0);
	ck_assert_int_eq(st_mpn_link(&DB, "6100001", t, 0, 20), 1);
	ck_assert_int_eq(st_pmc_profile(&DB, &A, pmc, "6100001", &m), 1);
	ck_assert_int_eq(m.linked_to, t);
	ck_assert_str_eq(m.country, "DE");
	ck_assert_int_eq(st_mpn_profile(&DB, &A, "6100002", &m), 1);
	ck_assert_str_eq(m.company_name, "Woodgrove Bank Inc.");
	ck_assert_str_eq(m.country_name, "United States");
	ck_assert_int_eq(st_mpn_profile(&DB, &A, "6100009", &m), 0);
	/* One organization per MPN ID: a second link fails (and fails the store). */
	ck_assert_int_eq(st_mpn_link(&DB, "6100001", t, 0, 21), -1);
	ck_assert(store_failed(&DB));
	store_clear_failure(&DB);

	struct audit_row e = { .at = 100, .action = "pmc.signin", .target = "pmc@woodgrove.example", .outcome = "failed",
	    .ip = "192.0.2.1" };
	ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
	e.outcome = "ok";
	ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
	ck_assert_int_eq(st_pmc_failures_of(&DB, "pmc@woodgrove.example", 99), 1);
	ck_assert_int_eq(st_pmc_failures_of(&DB, "pmc@woodgrove.example", 100), 0);
	ck_assert_int_eq(st_pmc_failures_from(&DB, "192.0.2.1", 0), 1);
	ck_assert_int_eq(st_pmc_failures_from(&DB, NULL, 0), 0);
}
END_TEST

UNIT_MAIN("store_enroll",
	unit_case("enroll", unit_db_setup, unit_db_teardown, UNIT_TESTS(test_accounts, test_legal_and_drafts,
	    test_pmc_copy)))
