/* test_store_relationships.c — the relationships area of the store (store/relationships.c):
 * relationships and their lists in four orders with paging, the operator's list, reseller
 * invitations, and the directory of providers, on real rows in a :memory: database. */
#include "unit.h"

#include "base/paging.h"

/* A new organization name.example with one partner account, and support details. */
static struct unit_ids
partner(const char *name, const char *country, enum partner_type type, enum pa_status status)
{
	return unit_partner(.name = name, .domain = arena_printf(&A, "%s.example", name), .country = country, .type = type,
	    .status = status, .support = { arena_printf(&A, "help@%s.example", name), "+49 30 1",
	    arena_printf(&A, "https://%s.example", name) });
}

static struct paging
page(int64_t total, int64_t n, int64_t per_page)
{
	return paging_at(total, n, per_page);
}

START_TEST(relationship_life)
{
	int64_t p = partner("Fabrikam", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t r = partner("Contoso", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t u = st_user_insert(&DB, 1, "ana@x.example", "Ana Admin", NULL, 1, 1);
	ck_assert_int_eq(st_rel_active_id(&DB, p, r), 0);
	int64_t id = st_rel_insert(&DB, p, r, 0, 0, 100);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(st_rel_active_id(&DB, p, r), id);
	struct provider_rel rel;
	ck_assert_int_eq(st_rel_get(&DB, &A, id, &rel), 1);
	ck_assert_int_eq(rel.provider_id, p);
	ck_assert_int_eq(rel.reseller_id, r);
	ck_assert_int_eq(rel.status, RS_ACTIVE);
	ck_assert(rel.admin_access);
	ck_assert_int_eq(rel.removed_at, 0);
	ck_assert_str_eq(rel.provider_name, "Fabrikam");
	ck_assert_int_eq(st_rel_get(&DB, &A, id + 1, &rel), 0);
	/* Only the reseller's own relationship, once. */
	ck_assert_int_eq(st_rel_remove_access(&DB, id, p, u, 150), 0);
	ck_assert_int_eq(st_rel_remove_access(&DB, id, r, u, 150), 1);
	ck_assert_int_eq(st_rel_remove_access(&DB, id, r, u, 151), 0);
	ck_assert_int_eq(st_rel_get(&DB, &A, id, &rel), 1);
	ck_assert(!rel.admin_access);
	ck_assert_int_eq(rel.removed_at, 150);
	ck_assert_int_eq(st_rel_end(&DB, id, "asked", 200), 1);
	ck_assert_int_eq(st_rel_end(&DB, id, "again", 201), 0);
	ck_assert_int_eq(st_rel_get(&DB, &A, id, &rel), 1);
	ck_assert_int_eq(rel.status, RS_ENDED);
	ck_assert_int_eq(st_rel_active_id(&DB, p, r), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM provider_relationships WHERE invitation_id IS NULL"
	    " AND authorized_by IS NULL"), 1);
}
END_TEST

START_TEST(lists_in_four_orders_with_paging)
{
	struct unit_ids prov = partner("Prov", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED);
	int64_t p = prov.account;
	const char *names[] = { "bravo", "Alpha", "charlie" };
	int64_t since[] = { 300, 100, 200 }, rid[3], rel[3], rtenant[3];
	for (int i = 0; i < 3; i++) {
		struct unit_ids r = partner(names[i], "FR", PT_INDIRECT_RESELLER, PA_APPROVED);
		rid[i] = r.account;
		rtenant[i] = r.tenant;
		rel[i] = unit_rel(p, rid[i], since[i]);
	}
	unit_mpn("7654321", "A", "FR", rtenant[1], 1);
	unit_mpn("1234567", "A", "FR", rtenant[1], 2);
	/* An ended one is not listed. */
	int64_t gone = partner("Gone", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	ck_assert_int_eq(st_rel_end(&DB, st_rel_insert(&DB, p, gone, 0, 0, 50), "x", 60), 1);
	int64_t u = st_user_insert(&DB, 2, "zoe@alpha.example", "Zoë Admin", NULL, 1, 1);
	ck_assert_int_eq(st_rel_remove_access(&DB, rel[1], rid[1], u, 400), 1);

	struct paging pg = page(3, 1, 20);
	struct rel_partner_list l;
	ck_assert_int_eq(st_resellers_page(&DB, &A, p, REL_ORDER_NAME_ASC, &pg, &l), 0);
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
	ck_assert_int_eq(l.v[0].tenant_id, rtenant[1]);
	ck_assert_int_eq(st_resellers_page(&DB, &A, p, REL_ORDER_NAME_DESC, &pg, &l), 0);
	ck_assert_str_eq(l.v[0].name, "charlie");
	ck_assert_int_eq(st_resellers_page(&DB, &A, p, REL_ORDER_SINCE_ASC, &pg, &l), 0);
	ck_assert_int_eq(l.v[0].since, 100);
	ck_assert_int_eq(st_resellers_page(&DB, &A, p, REL_ORDER_SINCE_DESC, &pg, &l), 0);
	ck_assert_int_eq(l.v[0].since, 300);
	/* Two a page: the second page has the last one. */
	pg = page(3, 2, 2);
	ck_assert_int_eq(st_resellers_page(&DB, &A, p, REL_ORDER_NAME_ASC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "charlie");

	/* The reseller's side: its one provider, with who removed the access. */
	pg = page(1, 1, 20);
	ck_assert_int_eq(st_providers_page(&DB, &A, rid[1], REL_ORDER_SINCE_DESC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Prov");
	ck_assert_int_eq(l.v[0].tenant_id, prov.tenant);
	ck_assert_str_eq(l.v[0].removed_by, "Zoë Admin");
	ck_assert_int_eq(st_providers_page(&DB, &A, gone, REL_ORDER_SINCE_DESC, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 0);

	/* The operator's list: ended ones too, filtered by either side. */
	struct rel_overview_list all;
	ck_assert_int_eq(st_relationships(&DB, &A, p, 0, &all), 0);
	ck_assert_uint_eq(all.n, 4);
	ck_assert_int_eq(st_relationships(&DB, &A, 0, gone, &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].status, RS_ENDED);
	ck_assert_int_eq(all.v[0].ended_at, 60);
	ck_assert_str_eq(all.v[0].end_reason, "x");
	ck_assert_str_eq(all.v[0].provider_name, "Prov");
	ck_assert_str_eq(all.v[0].provider_domain, "Prov.example");
	ck_assert_str_eq(all.v[0].reseller_domain, "Gone.example");
	ck_assert_int_eq(all.v[0].provider_id, p);
	ck_assert_int_eq(all.v[0].reseller_id, gone);
	ck_assert_int_eq(st_relationships(&DB, &A, p, rid[0], &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].status, RS_ACTIVE);
	ck_assert_str_eq(all.v[0].end_reason, "");
	ck_assert(all.v[0].admin_access);
}
END_TEST

START_TEST(invitations)
{
	int64_t p = partner("Prov", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t r = partner("Resell", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t u = st_user_insert(&DB, 1, "ana@prov.example", "Ana Admin", NULL, 1, 1);
	int64_t a = st_invitation_insert(&DB, p, "x@resell.example", "Hello", u, 10, 1000);
	int64_t b = st_invitation_insert(&DB, p, "y@resell.example", "", 0, 20, 500);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, a);
	struct reseller_invitation inv;
	ck_assert_int_eq(st_invitation_get(&DB, &A, a, &inv), 1);
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
	ck_assert_int_eq(st_invitation_get(&DB, &A, b, &inv), 1);
	ck_assert_str_eq(inv.inviter_name, "");
	ck_assert_int_eq(st_invitation_get(&DB, &A, b + 1, &inv), 0);

	ck_assert_int_eq(st_invitation_pending_to(&DB, p, "x@resell.example", 999), a);
	ck_assert_int_eq(st_invitation_pending_to(&DB, p, "x@resell.example", 1000), 0);	/* expired by then */
	ck_assert_int_eq(st_invitation_pending_to(&DB, r, "x@resell.example", 100), 0);

	/* At 600, b is past its expiry: listed as expired before anything is stored. */
	ck_assert_int_eq(st_invitations_count(&DB, p), 2);
	struct paging pg = paging_at(2, 1, 20);
	struct invitation_list l;
	ck_assert_int_eq(st_invitations_page(&DB, &A, p, 600, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].id, b);			/* newest first */
	ck_assert_int_eq(l.v[0].state, INV_EXPIRED);
	ck_assert_int_eq(l.v[1].state, INV_PENDING);
	ck_assert_int_eq(l.v[1].sent_at, 10);
	ck_assert_int_eq(l.v[1].expires_at, 1000);
	ck_assert_str_eq(l.v[1].reseller, "");
	ck_assert_int_eq(st_invitations_expire(&DB, p, 600), 1);
	ck_assert_int_eq(st_invitation_get(&DB, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_EXPIRED);

	/* Accepted: the list names the reseller organization. */
	ck_assert_int_eq(st_invitation_accept(&DB, a, 1000, r, 0, 700), 1);
	ck_assert_int_eq(st_invitations_page(&DB, &A, p, 700, &pg, &l), 0);
	ck_assert_int_eq(l.v[1].state, INV_ACCEPTED);
	ck_assert_str_eq(l.v[1].reseller, "Resell");
	ck_assert_int_eq(st_invitation_get(&DB, &A, a, &inv), 1);
	ck_assert_int_eq(inv.accepted_at, 700);
	/* An expired one can be sent again, then revoked. */
	ck_assert_int_eq(st_invitation_resend(&DB, b, p, 800, 5000), 1);
	ck_assert_int_eq(st_invitation_get(&DB, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_PENDING);
	ck_assert_int_eq(inv.sent_at, 800);
	ck_assert_int_eq(inv.expires_at, 5000);
	ck_assert_int_eq(st_invitation_revoke(&DB, b, p, u, 900), 1);
	ck_assert_int_eq(st_invitation_get(&DB, &A, b, &inv), 1);
	ck_assert_int_eq(inv.status, INV_REVOKED);
}
END_TEST

START_TEST(directory)
{
	partner("Fabrikam 100%", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED);
	partner("fabrikam_US", "US", PT_INDIRECT_PROVIDER, PA_APPROVED);
	partner("Northwind", "FR", PT_INDIRECT_PROVIDER, PA_APPROVED);
	partner("Fabrikam Review", "DE", PT_INDIRECT_PROVIDER, PA_IN_REVIEW);
	partner("Fabrikam Resale", "DE", PT_INDIRECT_RESELLER, PA_APPROVED);
	struct directory_filter any = { "", "", "" }, fab = { "FABRIKAM", "", "" }, pct = { "100%", "", "" },
	    under = { "m_u", "", "" }, de = { "", "DE", "" }, eu = { "", "", "EU" }, none = { "%", "", "" };
	ck_assert_int_eq(st_directory_count(&DB, &any), 3);
	ck_assert_int_eq(st_directory_count(&DB, &fab), 2);
	ck_assert_int_eq(st_directory_count(&DB, &pct), 1);
	ck_assert_int_eq(st_directory_count(&DB, &under), 1);
	ck_assert_int_eq(st_directory_count(&DB, &none), 1);	/* % is a plain character */
	ck_assert_int_eq(st_directory_count(&DB, &de), 1);
	struct region_list regions;
	ck_assert_int_eq(st_directory_regions(&DB, &A, &regions), 0);
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
	ck_assert_int_eq(st_directory_count(&DB, &eu), 2);

	struct paging pg = paging_at(3, 1, 2);
	struct directory_list l;
	ck_assert_int_eq(st_directory_page(&DB, &A, &any, &pg, &l), 0);
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
	ck_assert_int_eq(st_directory_page(&DB, &A, &any, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Northwind");
	/* issue 17: pages past the middle are read from the far end: every page of every size
	 * is its slice of the whole list, names that sort the same by id as well */
	for (int i = 0; i < 9; i++)
		unit_partner(.name = i % 3 ? arena_printf(&A, "Wingtip %d", i) : "Same Name",
		    .domain = arena_printf(&A, "w%d.example", i), .country = i % 2 ? "DE" : "US", .type = PT_INDIRECT_PROVIDER,
		    .status = PA_APPROVED, .support = { "", "", arena_printf(&A, "https://w%d.example", i) });
	const struct directory_filter *filters[] = { &any, &de, &fab };
	for (size_t k = 0; k < NELEM(filters); k++) {
		int64_t total = st_directory_count(&DB, filters[k]);
		struct directory_list whole;
		pg = paging_at(total, 1, 100);
		ck_assert_int_eq(st_directory_page(&DB, &A, filters[k], &pg, &whole), 0);
		ck_assert_int_eq((int64_t)whole.n, total);
		for (int64_t size = 1; size <= 5; size++)
			for (int64_t page = 1; page <= (total + size - 1) / size; page++) {
				pg = paging_at(total, page, size);
				ck_assert_int_eq(st_directory_page(&DB, &A, filters[k], &pg, &l), 0);
				ck_assert_int_eq((int64_t)l.n, total - pg.offset < size ? total - pg.offset : size);
				for (size_t i = 0; i < l.n; i++)
					ck_assert_str_eq(l.v[i].website, whole.v[pg.offset + (int64_t)i].website);
			}
	}
	/* issue 17 (schema section 29): the counts without a name part are kept by the writes;
	 * after approving, suspending, moving, retyping and removing accounts they are the counts
	 * of the rows */
	unit_sql_exec(DB.h, "UPDATE partner_accounts SET status = 'approved' WHERE name_key = 'fabrikam review'");
	unit_sql_exec(DB.h, "UPDATE partner_accounts SET status = 'rejected' WHERE name_key = 'wingtip 1'");
	unit_sql_exec(DB.h, "UPDATE partner_accounts SET country = 'FR' WHERE name_key = 'wingtip 2'");
	unit_sql_exec(DB.h, "UPDATE partner_accounts SET type = 'indirect_provider' WHERE name_key = 'fabrikam resale'");
	unit_sql_exec(DB.h, "UPDATE partner_accounts SET support_phone = '+1' WHERE type = 'indirect_provider'");
	unit_sql_exec(DB.h, "DELETE FROM partner_accounts WHERE name_key = 'wingtip 4'");
	static const char *const where[] = { "", " AND country = 'DE'", " AND country = 'FR'", " AND country = 'US'" };
	const struct directory_filter by[] = { { "", "", "" }, { "", "DE", "" }, { "", "FR", "" }, { "", "US", "" } };
	for (size_t i = 0; i < NELEM(where); i++)
		ck_assert_int_eq(st_directory_count(&DB, &by[i]), unit_sql_int(DB.h, arena_printf(&A, "SELECT count(*)"
		    " FROM partner_accounts WHERE type = 'indirect_provider' AND status = 'approved'%s", where[i])));
	ck_assert_int_eq(st_directory_count(&DB, &eu), unit_sql_int(DB.h, arena_printf(&A, "SELECT count(*)"
	    " FROM partner_accounts WHERE type = 'indirect_provider' AND status = 'approved' AND region = '%s'", eu.region)));
	ck_assert_int_eq(st_directory_count(&DB, &any), 3 + 9 + 1 + 1 - 1 - 1);
	struct directory_filter nothing = { "no-such-provider", "", "" };
	pg = paging_at(0, 1, 20);
	ck_assert_int_eq(st_directory_page(&DB, &A, &nothing, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

UNIT_MAIN("store_relationships",
	unit_case("relationships", unit_db_setup, unit_db_teardown, UNIT_TESTS(relationship_life,
	    lists_in_four_orders_with_paging, invitations, directory)))
