/* test_store_relationships.c — the relationships area of the store (store/relationships.c):
 * relationships and their lists in four orders with paging, the operator's list, reseller
 * invitations, and the directory of providers, on real rows in a :memory: database. */
#include "unit.h"

#include "base/paging.h"

static struct store S;
static struct arena A;

static void
setup(void)
{
	unit_db_open(&S);
	arena_init(&A, 0);
}

static void
teardown(void)
{
	db_close(&S);
	arena_free(&A);
}

static void
exec_sql(const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(S.h, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_free(msg);
}

/* A new organization with one partner account: the account's id (its tenant in *tenant). */
static int64_t
partner(const char *name, const char *country, const char *type, const char *status, int64_t *tenant)
{
	int64_t t = st_tenant_insert(&S, name, arena_printf(&A, "%s.example", name), country, TENANT_PARTNER, 1);
	ck_assert_int_gt(t, 0);
	exec_sql(arena_printf(&A, "INSERT INTO partner_accounts(tenant_id, type, status, support_email, support_phone,"
	    " support_website, created_at) VALUES (%lld, '%s', '%s', 'help@%s.example', '+49 30 1', 'https://%s.example', 1)",
	    (long long)t, type, status, name, name));
	if (tenant != NULL)
		*tenant = t;
	return sqlite3_last_insert_rowid(S.h);
}

static struct paging
page(int64_t total, int64_t n, int64_t per_page)
{
	return paging_at(total, n, per_page);
}

START_TEST(relationship_life)
{
	int64_t p = partner("Fabrikam", "DE", "indirect_provider", "approved", NULL);
	int64_t r = partner("Contoso", "FR", "indirect_reseller", "approved", NULL);
	int64_t u = st_user_insert(&S, 1, "ana@x.example", "Ana Admin", NULL, 1, 1);
	ck_assert_int_eq(st_rel_active_id(&S, p, r), 0);
	int64_t id = st_rel_insert(&S, p, r, 0, 0, 100);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(st_rel_active_id(&S, p, r), id);
	struct provider_rel rel;
	ck_assert_int_eq(st_rel_get(&S, &A, id, &rel), 1);
	ck_assert_int_eq(rel.provider_id, p);
	ck_assert_int_eq(rel.reseller_id, r);
	ck_assert_int_eq(rel.status, RS_ACTIVE);
	ck_assert(rel.admin_access);
	ck_assert_int_eq(rel.removed_at, 0);
	ck_assert_str_eq(rel.provider_name, "Fabrikam");
	ck_assert_int_eq(st_rel_get(&S, &A, id + 1, &rel), 0);
	/* Only the reseller's own relationship, once. */
	ck_assert_int_eq(st_rel_remove_access(&S, id, p, u, 150), 0);
	ck_assert_int_eq(st_rel_remove_access(&S, id, r, u, 150), 1);
	ck_assert_int_eq(st_rel_remove_access(&S, id, r, u, 151), 0);
	ck_assert_int_eq(st_rel_get(&S, &A, id, &rel), 1);
	ck_assert(!rel.admin_access);
	ck_assert_int_eq(rel.removed_at, 150);
	ck_assert_int_eq(st_rel_end(&S, id, "asked", 200), 1);
	ck_assert_int_eq(st_rel_end(&S, id, "again", 201), 0);
	ck_assert_int_eq(st_rel_get(&S, &A, id, &rel), 1);
	ck_assert_int_eq(rel.status, RS_ENDED);
	ck_assert_int_eq(st_rel_active_id(&S, p, r), 0);
	ck_assert_int_eq(unit_sql_int(S.h, "SELECT count(*) FROM provider_relationships WHERE invitation_id IS NULL"
	    " AND authorized_by IS NULL"), 1);
}
END_TEST

START_TEST(lists_in_four_orders_with_paging)
{
	int64_t pt;
	int64_t p = partner("Prov", "DE", "indirect_provider", "approved", &pt);
	const char *names[] = { "bravo", "Alpha", "charlie" };
	int64_t since[] = { 300, 100, 200 }, rid[3], rel[3];
	for (int i = 0; i < 3; i++) {
		int64_t t;
		rid[i] = partner(names[i], "FR", "indirect_reseller", "approved", &t);
		rel[i] = st_rel_insert(&S, p, rid[i], 0, 0, since[i]);
		ck_assert_int_gt(rel[i], 0);
	}
	exec_sql(arena_printf(&A, "INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES"
	    " ('1234567', 'A', 'FR', 'active'), ('7654321', 'A', 'FR', 'active');"
	    "INSERT INTO tenant_mpn_ids(tenant_id, mpn_id, linked_at) SELECT tenant_id, '7654321', 1 FROM partner_accounts WHERE id = %lld;"
	    "INSERT INTO tenant_mpn_ids(tenant_id, mpn_id, linked_at) SELECT tenant_id, '1234567', 2 FROM partner_accounts WHERE id = %lld;",
	    (long long)rid[1], (long long)rid[1]));
	/* An ended one is not listed. */
	int64_t gone = partner("Gone", "FR", "indirect_reseller", "approved", NULL);
	ck_assert_int_eq(st_rel_end(&S, st_rel_insert(&S, p, gone, 0, 0, 50), "x", 60), 1);
	int64_t u = st_user_insert(&S, 2, "zoe@alpha.example", "Zoë Admin", NULL, 1, 1);
	ck_assert_int_eq(st_rel_remove_access(&S, rel[1], rid[1], u, 400), 1);

	ck_assert_int_eq(st_resellers_count(&S, p), 3);
	struct paging pg = page(3, 1, 20);
	struct rel_partner_list l;
	ck_assert_int_eq(st_resellers_page(&S, &A, p, REL_ORDER_NAME_ASC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0].name, "Alpha");		/* any case */
	ck_assert_str_eq(l.v[1].name, "bravo");
	ck_assert_str_eq(l.v[0].mpn, "1234567, 7654321");
	ck_assert_str_eq(l.v[1].mpn, "");
	ck_assert_str_eq(l.v[0].country, "France");
	ck_assert(!l.v[0].admin_access);
	ck_assert_int_eq(l.v[0].removed_at, 400);
	ck_assert_str_eq(l.v[0].removed_by, "");		/* the resellers' list does not say who */
	ck_assert_int_eq(l.v[0].id, rel[1]);
	ck_assert_int_eq(l.v[0].tenant_id, unit_sql_int(S.h, arena_printf(&A, "SELECT tenant_id FROM partner_accounts WHERE id = %lld", (long long)rid[1])));
	ck_assert_int_eq(st_resellers_page(&S, &A, p, REL_ORDER_NAME_DESC, &pg, &l), 0);
	ck_assert_str_eq(l.v[0].name, "charlie");
	ck_assert_int_eq(st_resellers_page(&S, &A, p, REL_ORDER_SINCE_ASC, &pg, &l), 0);
	ck_assert_int_eq(l.v[0].since, 100);
	ck_assert_int_eq(st_resellers_page(&S, &A, p, REL_ORDER_SINCE_DESC, &pg, &l), 0);
	ck_assert_int_eq(l.v[0].since, 300);
	/* Two a page: the second page has the last one. */
	pg = page(3, 2, 2);
	ck_assert_int_eq(st_resellers_page(&S, &A, p, REL_ORDER_NAME_ASC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "charlie");

	/* The reseller's side: its one provider, with who removed the access. */
	ck_assert_int_eq(st_providers_count(&S, rid[1]), 1);
	pg = page(1, 1, 20);
	ck_assert_int_eq(st_providers_page(&S, &A, rid[1], REL_ORDER_SINCE_DESC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Prov");
	ck_assert_int_eq(l.v[0].tenant_id, pt);
	ck_assert_str_eq(l.v[0].removed_by, "Zoë Admin");
	ck_assert_int_eq(st_providers_count(&S, gone), 0);

	/* The operator's list: ended ones too, filtered by either side. */
	struct rel_overview_list all;
	ck_assert_int_eq(st_relationships(&S, &A, p, 0, &all), 0);
	ck_assert_uint_eq(all.n, 4);
	ck_assert_int_eq(st_relationships(&S, &A, 0, gone, &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].status, RS_ENDED);
	ck_assert_int_eq(all.v[0].ended_at, 60);
	ck_assert_str_eq(all.v[0].end_reason, "x");
	ck_assert_str_eq(all.v[0].provider_name, "Prov");
	ck_assert_str_eq(all.v[0].provider_domain, "Prov.example");
	ck_assert_str_eq(all.v[0].reseller_domain, "Gone.example");
	ck_assert_int_eq(all.v[0].provider_id, p);
	ck_assert_int_eq(all.v[0].reseller_id, gone);
	ck_assert_int_eq(st_relationships(&S, &A, p, rid[0], &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].status, RS_ACTIVE);
	ck_assert_str_eq(all.v[0].end_reason, "");
	ck_assert(all.v[0].admin_access);
}
END_TEST

START_TEST(invitations)
{
	int64_t p = partner("Prov", "DE", "indirect_provider", "approved", NULL);
	int64_t r = partner("Resell", "FR", "indirect_reseller", "approved", NULL);
	int64_t u = st_user_insert(&S, 1, "ana@prov.example", "Ana Admin", NULL, 1, 1);
	int64_t a = st_invitation_insert(&S, p, "x@resell.example", "Hello", u, 10, 1000);
	int64_t b = st_invitation_insert(&S, p, "y@resell.example", "", 0, 20, 500);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, a);
	struct reseller_invitation inv;
	ck_assert_int_eq(st_invitation_get(&S, &A, a, &inv), 1);
	ck_assert_int_eq(inv.provider_id, p);
	ck_assert_str_eq(inv.email, "x@resell.example");
	ck_assert_str_eq(inv.message, "Hello");
	ck_assert_int_eq(inv.created_at, 10);
	ck_assert_int_eq(inv.sent_at, 10);
	ck_assert_int_eq(inv.expires_at, 1000);
	ck_assert_int_eq(inv.status, INV_PENDING);
	ck_assert_str_eq(inv.inviter_name, "Ana Admin");
	ck_assert_str_eq(inv.inviter_email, "ana@prov.example");
	ck_assert_int_eq(inv.accepted_at, 0);
	ck_assert_int_eq(st_invitation_get(&S, &A, b, &inv), 1);
	ck_assert_str_eq(inv.inviter_name, "");
	ck_assert_int_eq(st_invitation_get(&S, &A, b + 1, &inv), 0);

	ck_assert_int_eq(st_invitation_pending_to(&S, p, "x@resell.example", 999), a);
	ck_assert_int_eq(st_invitation_pending_to(&S, p, "x@resell.example", 1000), 0);	/* expired by then */
	ck_assert_int_eq(st_invitation_pending_to(&S, r, "x@resell.example", 100), 0);

	/* At 600, b is past its expiry: listed as expired before anything is stored. */
	ck_assert_int_eq(st_invitations_count(&S, p), 2);
	struct paging pg = paging_at(2, 1, 20);
	struct invitation_list l;
	ck_assert_int_eq(st_invitations_page(&S, &A, p, 600, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].id, b);			/* newest first */
	ck_assert_int_eq(l.v[0].state, INV_EXPIRED);
	ck_assert_int_eq(l.v[1].state, INV_PENDING);
	ck_assert_int_eq(l.v[1].sent_at, 10);
	ck_assert_int_eq(l.v[1].expires_at, 1000);
	ck_assert_str_eq(l.v[1].reseller, "");
	ck_assert_int_eq(st_invitations_expire(&S, p, 600), 1);
	ck_assert_int_eq(st_invitation_get(&S, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_EXPIRED);

	/* Accepted: the list names the reseller organization. */
	ck_assert_int_eq(st_invitation_accept(&S, a, 1000, r, 0, 700), 1);
	ck_assert_int_eq(st_invitations_page(&S, &A, p, 700, &pg, &l), 0);
	ck_assert_int_eq(l.v[1].state, INV_ACCEPTED);
	ck_assert_str_eq(l.v[1].reseller, "Resell");
	ck_assert_int_eq(st_invitation_get(&S, &A, a, &inv), 1);
	ck_assert_int_eq(inv.accepted_at, 700);
	/* An expired one can be sent again, then revoked. */
	ck_assert_int_eq(st_invitation_resend(&S, b, p, 800, 5000), 1);
	ck_assert_int_eq(st_invitation_get(&S, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_PENDING);
	ck_assert_int_eq(inv.sent_at, 800);
	ck_assert_int_eq(inv.expires_at, 5000);
	ck_assert_int_eq(st_invitation_revoke(&S, b, p, u, 900), 1);
	ck_assert_int_eq(st_invitation_get(&S, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_REVOKED);
}
END_TEST

START_TEST(directory)
{
	partner("Fabrikam 100%", "DE", "indirect_provider", "approved", NULL);
	partner("fabrikam_US", "US", "indirect_provider", "approved", NULL);
	partner("Northwind", "FR", "indirect_provider", "approved", NULL);
	partner("Fabrikam Review", "DE", "indirect_provider", "in_review", NULL);
	partner("Fabrikam Resale", "DE", "indirect_reseller", "approved", NULL);
	struct directory_filter any = { "", "", "" }, fab = { "FABRIKAM", "", "" }, pct = { "100%", "", "" },
	    under = { "m_u", "", "" }, de = { "", "DE", "" }, eu = { "", "", "EU" }, none = { "%", "", "" };
	ck_assert_int_eq(st_directory_count(&S, &any), 3);
	ck_assert_int_eq(st_directory_count(&S, &fab), 2);
	ck_assert_int_eq(st_directory_count(&S, &pct), 1);
	ck_assert_int_eq(st_directory_count(&S, &under), 1);
	ck_assert_int_eq(st_directory_count(&S, &none), 1);	/* % is a plain character */
	ck_assert_int_eq(st_directory_count(&S, &de), 1);
	struct region_list regions;
	ck_assert_int_eq(st_directory_regions(&S, &A, &regions), 0);
	ck_assert_uint_gt(regions.n, 1);
	const char *eu_code = NULL;
	for (size_t i = 0; i < regions.n; i++) {
		if (i > 0)
			ck_assert_int_le(strcmp(regions.v[i - 1].name, regions.v[i].name), 0);
		if (strcmp(regions.v[i].name, "Europe") == 0)
			eu_code = regions.v[i].code;
	}
	ck_assert_ptr_nonnull(eu_code);
	eu.region = eu_code;
	ck_assert_int_eq(st_directory_count(&S, &eu), 2);

	struct paging pg = paging_at(3, 1, 2);
	struct directory_list l;
	ck_assert_int_eq(st_directory_page(&S, &A, &any, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].name, "Fabrikam 100%");
	ck_assert_str_eq(l.v[1].name, "fabrikam_US");
	ck_assert_str_eq(l.v[0].country, "Germany");
	ck_assert_str_eq(l.v[0].region, "Europe");
	ck_assert_str_eq(l.v[0].email, "help@Fabrikam 100%.example");
	ck_assert_str_eq(l.v[0].phone, "+49 30 1");
	ck_assert_str_eq(l.v[0].website, "https://Fabrikam 100%.example");
	ck_assert_str_eq(l.v[0].mpn, "");
	pg = paging_at(3, 2, 2);
	ck_assert_int_eq(st_directory_page(&S, &A, &any, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Northwind");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("store_relationships");
	TCase *tc = tcase_create("relationships");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, relationship_life);
	tcase_add_test(tc, lists_in_four_orders_with_paging);
	tcase_add_test(tc, invitations);
	tcase_add_test(tc, directory);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
