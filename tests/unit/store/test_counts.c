/* test_counts.c — the Overview's counts the writes keep (partner_counts, schema section 30):
 * customers, resellers and resellers without the current agreement follow every write that
 * relates, ends, reactivates, removes, publishes or accepts, through the store's own calls and
 * through plain SQL (any writer), and always equal a count of the rows themselves; a count
 * written around the triggers is found and made again (store/counts.c, portalctl counts). */
#include "unit.h"

/* What the Overview reads for organization tenant with provider account provider. */
static struct overview_counts
kept(int64_t tenant, int64_t provider)
{
	struct overview_counts c;
	ck_assert_int_eq(st_overview_counts(&DB, tenant, provider, 0, true, false, 1000, 1001, &c), 0);
	return c;
}

/* The same three counted from the rows. */
static void
recount(int64_t tenant, int64_t *customers, int64_t *resellers, int64_t *unsigned_resellers)
{
	char sql[1024];
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT customer_tenant_id) FROM customer_relationships"
	    " WHERE partner_tenant_id = %lld AND status = 'active'", (long long)tenant);
	*customers = unit_sql_int(DB.h, sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM partner_accounts pa JOIN provider_relationships r"
	    " ON r.provider_id = pa.id AND r.status = 'active' WHERE pa.tenant_id = %lld", (long long)tenant);
	*resellers = unit_sql_int(DB.h, sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM partner_accounts pa JOIN provider_relationships r"
	    " ON r.provider_id = pa.id AND r.status = 'active' JOIN partner_accounts ra ON ra.id = r.reseller_id"
	    " WHERE pa.tenant_id = %lld AND EXISTS (SELECT 1 FROM agreement_versions) AND NOT EXISTS (SELECT 1"
	    " FROM agreement_acceptances x WHERE x.tenant_id = ra.tenant_id AND x.version_id ="
	    " (SELECT max(id) FROM agreement_versions))", (long long)tenant);
	*unsigned_resellers = unit_sql_int(DB.h, sql);
}

/* Asserts the kept counts of tenant (provider account provider) are customers, resellers and
 * unsigned_resellers (-1: not asked, provider 0), that the rows say the same (none), and that
 * no organization's kept counts and no directory count differ from the rows
 * (st_kept_counts_drift, portalctl counts). */
#define expect(tenant, provider, cust, res, uns) do { \
	struct overview_counts c_ = kept((tenant), (provider)); \
	int64_t rc_, rr_, ru_; \
	recount((tenant), &rc_, &rr_, &ru_); \
	ck_assert_int_eq(c_.customers, (cust)); \
	ck_assert_int_eq(c_.resellers, (res)); \
	ck_assert_int_eq(c_.unsigned_resellers, (uns)); \
	ck_assert_int_eq(rc_, (cust)); \
	ck_assert_int_eq(rr_, (res) < 0 ? 0 : (res)); \
	ck_assert_int_eq(ru_, (uns) < 0 ? 0 : (uns)); \
	int64_t dd_, dp_; \
	ck_assert_int_eq(st_kept_counts_drift(&DB, &dd_, &dp_), 0); \
	ck_assert_int_eq(dd_, 0); \
	ck_assert_int_eq(dp_, 0); \
} while (0)

static struct unit_ids
reseller(const char *domain)
{
	return unit_partner(.domain = domain, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
}

START_TEST(resellers_and_the_agreement)
{
	struct unit_ids p = unit_partner(.domain = "north.example", .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	struct unit_ids r1 = reseller("r1.example"), r2 = reseller("r2.example"), r3 = reseller("r3.example");
	expect(p.tenant, p.account, 0, 0, 0);
	int64_t rel1 = unit_rel(p.account, r1.account, 10);
	int64_t rel2 = unit_rel(p.account, r2.account, 10);
	expect(p.tenant, p.account, 0, 2, 0);		/* nothing published: nobody is without it */
	int64_t v1 = unit_publish("1", 20);
	expect(p.tenant, p.account, 0, 2, 2);
	unit_accept(r1.tenant, v1, 30);
	expect(p.tenant, p.account, 0, 2, 1);
	unit_accept(r3.tenant, v1, 31);			/* before its relationship */
	unit_rel(p.account, r3.account, 32);
	expect(p.tenant, p.account, 0, 3, 1);
	unit_accept(r2.tenant, v1, 33);
	expect(p.tenant, p.account, 0, 3, 0);
	int64_t v2 = unit_publish("2", 40);		/* nobody has accepted the new one */
	expect(p.tenant, p.account, 0, 3, 3);
	unit_accept(r1.tenant, v2, 41);
	expect(p.tenant, p.account, 0, 3, 2);
	ck_assert_int_eq(st_rel_end(&DB, rel1, "asked", 50), 1);	/* a signed one ends */
	expect(p.tenant, p.account, 0, 2, 2);
	ck_assert_int_eq(st_rel_end(&DB, rel2, "asked", 51), 1);	/* an unsigned one */
	expect(p.tenant, p.account, 0, 1, 1);
	ck_assert_int_eq(st_rel_end(&DB, rel2, "again", 52), 0);	/* ended already: no change */
	expect(p.tenant, p.account, 0, 1, 1);
	unit_rel(p.account, r1.account, 60);		/* related again: a new row */
	expect(p.tenant, p.account, 0, 2, 1);
	/* Any writer: a row written and changed by plain SQL counts the same. */
	char sql[512];
	snprintf(sql, sizeof(sql), "INSERT INTO provider_relationships(provider_id, reseller_id, since, provider_name,"
	    " reseller_name) VALUES (%lld, %lld, 70, 'north.example', 'r2.example')", (long long)p.account,
	    (long long)r2.account);
	unit_sql_exec(DB.h, sql);
	expect(p.tenant, p.account, 0, 3, 2);
	unit_sql_exec(DB.h, "UPDATE provider_relationships SET status = status WHERE status = 'active'");
	expect(p.tenant, p.account, 0, 3, 2);
	snprintf(sql, sizeof(sql), "DELETE FROM provider_relationships WHERE reseller_id = %lld AND status = 'active'",
	    (long long)r2.account);
	unit_sql_exec(DB.h, sql);
	expect(p.tenant, p.account, 0, 2, 1);
	/* The resellers' own organizations have nothing to count. */
	expect(r1.tenant, 0, 0, -1, -1);
}
END_TEST

/* Ends (status 'ended') or removes the customer relationship of partner account partner with
 * customer by plain SQL: no call of the store ends one. */
static void
cust_sql(const char *what, int64_t partner, int64_t customer)
{
	char sql[512];
	if (strcmp(what, "end") == 0)
		snprintf(sql, sizeof(sql), "UPDATE customer_relationships SET status = 'ended', ended_at = 99"
		    " WHERE partner_id = %lld AND customer_tenant_id = %lld", (long long)partner, (long long)customer);
	else
		snprintf(sql, sizeof(sql), "DELETE FROM customer_relationships WHERE partner_id = %lld"
		    " AND customer_tenant_id = %lld", (long long)partner, (long long)customer);
	unit_sql_exec(DB.h, sql);
}

START_TEST(customers_counted_once_per_organization)
{
	/* One organization with a provider and a reseller account, both related to Tailspin. */
	struct unit_ids p = unit_partner(.domain = "north.example", .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	int64_t pr = unit_account(.tenant = p.tenant, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	struct unit_ids other = reseller("other.example");
	int64_t c1 = unit_org(.domain = "tailspin.example", .kind = TENANT_CUSTOMER);
	int64_t c2 = unit_org(.domain = "wingtip.example", .kind = TENANT_CUSTOMER);
	expect(p.tenant, p.account, 0, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, p.account, c1, 0, 0, 0, false, 10), 1);
	expect(p.tenant, p.account, 1, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, pr, c1, 0, 0, 0, false, 11), 1);	/* the same customer */
	expect(p.tenant, p.account, 1, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, pr, c2, 0, 0, 0, false, 12), 1);
	expect(p.tenant, p.account, 2, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, p.account, c1, 0, 0, 0, false, 13), 0);	/* active already */
	expect(p.tenant, p.account, 2, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, other.account, c1, 0, 0, 0, false, 14), 1);	/* another organization's */
	expect(p.tenant, p.account, 2, 0, 0);
	expect(other.tenant, 0, 1, -1, -1);
	cust_sql("end", p.account, c1);			/* the reseller account still has it */
	expect(p.tenant, p.account, 2, 0, 0);
	cust_sql("end", pr, c1);
	expect(p.tenant, p.account, 1, 0, 0);
	cust_sql("end", pr, c1);			/* ended already */
	expect(p.tenant, p.account, 1, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, p.account, c1, 0, 0, 0, false, 20), 1);	/* active again */
	expect(p.tenant, p.account, 2, 0, 0);
	ck_assert_int_eq(st_cust_relate(&DB, pr, c1, 0, 0, 0, false, 21), 1);
	expect(p.tenant, p.account, 2, 0, 0);
	unit_sql_exec(DB.h, "UPDATE customer_relationships SET status = status");	/* a change of nothing */
	expect(p.tenant, p.account, 2, 0, 0);
	cust_sql("remove", pr, c2);
	expect(p.tenant, p.account, 1, 0, 0);
	cust_sql("remove", p.account, c1);		/* the reseller account's row is left */
	expect(p.tenant, p.account, 1, 0, 0);
	cust_sql("remove", pr, c1);
	expect(p.tenant, p.account, 0, 0, 0);
	expect(other.tenant, 0, 1, -1, -1);
}
END_TEST

START_TEST(drift_found_and_counts_made_again)
{
	struct unit_ids p = unit_partner(.domain = "north.example", .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	struct unit_ids r = reseller("r1.example");
	int64_t c1 = unit_org(.domain = "tailspin.example", .kind = TENANT_CUSTOMER);
	unit_rel(p.account, r.account, 10);
	ck_assert_int_eq(st_cust_relate(&DB, p.account, c1, 0, 0, 0, false, 10), 1);
	unit_publish("1", 20);
	expect(p.tenant, p.account, 1, 1, 1);
	/* Written around the triggers: an organization's numbers changed, one kept for an
	 * organization with nothing, a directory count gone. */
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE partner_counts SET customers = 7, resellers_current = 1 WHERE tenant_id = %lld",
	    (long long)p.tenant);
	unit_sql_exec(DB.h, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO partner_counts(tenant_id, resellers) VALUES (%lld, 2)", (long long)r.tenant);
	unit_sql_exec(DB.h, sql);
	unit_sql_exec(DB.h, "DELETE FROM directory_counts");
	int64_t directory, partners;
	ck_assert_int_eq(st_kept_counts_drift(&DB, &directory, &partners), 0);
	ck_assert_int_eq(directory, 1);		/* the provider's country and region */
	ck_assert_int_eq(partners, 2);		/* each organization once */
	ck_assert_int_eq(kept(p.tenant, p.account).customers, 7);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(st_kept_counts_rebuild(&DB), 0);
	ck_assert_int_eq(store_commit(&DB), 0);
	expect(p.tenant, p.account, 1, 1, 1);
	expect(r.tenant, 0, 0, -1, -1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT sum(n) FROM directory_counts"), 1);
}
END_TEST

UNIT_MAIN("store_counts",
	unit_case("counts", unit_db_setup, unit_db_teardown, UNIT_TESTS(resellers_and_the_agreement,
	    customers_counted_once_per_organization, drift_found_and_counts_made_again)))
