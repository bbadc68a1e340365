/* test_search.c — the list pages' searches (issue 17, schema section 28): a search of 3
 * characters or more reads the trigram index (SQLite: the FTS5 table tenant_search; PostgreSQL:
 * pg_trgm's GIN indexes) and gives the same rows as the plain match of every row did: any case,
 * a part anywhere, % _ \ and " as plain characters; shorter searches read without it. The index
 * follows new, renamed and removed organizations in the transaction that writes them. */
#include "unit.h"

#include "base/paging.h"

static struct unit_customers W;

/* A customer of Northwind. */
static int64_t
customer(const char *name, const char *domain)
{
	int64_t t = unit_org(.name = name, .domain = domain, .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, W.northwind.account, t, 0, 0, 0, false, 10), 1);
	return t;
}

/* The names of Northwind's customers that match q, by name, as one text "a,b,". */
static const char *
found(const char *q)
{
	struct customer_list l;
	bool more;
	ck_assert_int_eq(st_customers_search_seek(&DB, &A, W.northwind.tenant, q, false, false, CUST_FIRST, 0, 50, &l, &more),
	    0);
	char *out = arena_strdup(&A, "");
	for (size_t i = 0; i < l.n; i++)
		out = arena_printf(&A, "%s%s,", out, l.v[i].name);
	return out;
}

/* Northwind's resellers' names that match q. */
static const char *
resellers_found(const char *q)
{
	struct rel_partner_list l;
	bool more;
	ck_assert_int_eq(st_resellers_search_seek(&DB, &A, W.northwind.account, q, false, false, CUST_FIRST, 0, 50, &l, &more),
	    0);
	char *out = arena_strdup(&A, "");
	for (size_t i = 0; i < l.n; i++)
		out = arena_printf(&A, "%s%s,", out, l.v[i].name);
	return out;
}

/* Find a provider: the approved providers whose name contains q (count and the names of the
 * first page) as "n:a,b,". */
static const char *
providers_found(const char *q, const char *country)
{
	struct directory_filter f = { .q = q, .country = country, .region = "" };
	int64_t n = st_directory_count(&DB, &f);
	struct paging p = { .page = 1, .pages = 1, .total = n, .per_page = 20, .offset = 0 };
	struct directory_list l;
	ck_assert_int_eq(st_directory_page(&DB, &A, &f, &p, &l), 0);
	char *out = arena_printf(&A, "%lld:", (long long)n);
	for (size_t i = 0; i < l.n; i++)
		out = arena_printf(&A, "%s%s,", out, l.v[i].name);
	return out;
}

/* The operator console's partner search (name, domain, or an MPN ID equal to q): the
 * organizations' names, one per account, as "a,b,". */
static const char *
console_found(const char *q)
{
	struct console_partner_list l;
	ck_assert_int_eq(st_console_partners(&DB, &A, q, "", 100, &l), 0);
	char *out = arena_strdup(&A, "");
	for (size_t i = 0; i < l.n; i++)
		out = arena_printf(&A, "%s%s,", out, l.v[i].name);
	return out;
}

/* The JSON API's customer search (a part of the stored name; escape '!'): the rows through the
 * index (search q) and without it (search NULL, the LIKE alone) are the same, in each order;
 * the names as "a,b,". */
static const char *
api_found(const char *q, const char *like)
{
	char *out = NULL;
	for (int by_since = 0; by_since < 2; by_since++)
		for (int desc = 0; desc < 2; desc++) {
			struct customer_list ix, plain;
			ck_assert_int_eq(st_api_customers(&DB, &A, W.northwind.tenant, q, like, by_since, desc, 0, 50, &ix), 0);
			ck_assert_int_eq(st_api_customers(&DB, &A, W.northwind.tenant, NULL, like, by_since, desc, 0, 50, &plain),
			    0);
			ck_assert_uint_eq(ix.n, plain.n);
			for (size_t i = 0; i < ix.n; i++)
				ck_assert_int_eq(ix.v[i].id, plain.v[i].id);
			if (by_since == 0 && desc == 0) {
				out = arena_strdup(&A, "");
				for (size_t i = 0; i < ix.n; i++)
					out = arena_printf(&A, "%s%s,", out, ix.v[i].name);
			}
		}
	return out;
}

static void
world(void)
{
	W = unit_customers_world();
	customer("Contoso Ltd", "contoso.example");
	customer("Big \"Quote\" Co", "bq.example");
	customer("50% Off_Shop", "half.example");
	customer("Back\\slash AB", "bs.example");
	customer("Łódź Widgets", "lodz.example");
	customer("Fabrikam", "fab.example");
}

START_TEST(same_rows_as_a_plain_match)
{
	world();
	/* a part anywhere, any case, in the name or the domain */
	ck_assert_str_eq(found("NTOS"), "Contoso Ltd,");
	ck_assert_str_eq(found("so.exa"), "Contoso Ltd,");
	ck_assert_str_eq(found("example"), "50% Off_Shop,Back\\slash AB,Big \"Quote\" Co,Contoso Ltd,Fabrikam,"
	    "Łódź Widgets,");
	ck_assert_str_eq(found("no-such-customer"), "");
	/* the index's query language and LIKE's wildcards are plain characters */
	ck_assert_str_eq(found("\"Quote\""), "Big \"Quote\" Co,");
	ck_assert_str_eq(found("\"q"), "Big \"Quote\" Co,");
	ck_assert_str_eq(found("50%"), "50% Off_Shop,");
	ck_assert_str_eq(found("f_s"), "50% Off_Shop,");
	ck_assert_str_eq(found("f_x"), "");
	ck_assert_str_eq(found("%%%"), "");
	ck_assert_str_eq(found("k\\s"), "Back\\slash AB,");
	ck_assert_str_eq(found("OR NEAR"), "");
	ck_assert_str_eq(found("ab*"), "");
	/* three characters that are more than three bytes */
	ck_assert_str_eq(found("Łód"), "Łódź Widgets,");
	/* one or two characters: read without the index, the same rule */
	ck_assert_str_eq(found("AB"), "Back\\slash AB,Fabrikam,");
	ck_assert_str_eq(found("%"), "50% Off_Shop,");
	ck_assert_str_eq(found("\""), "Big \"Quote\" Co,");
	/* resellers: name, domain or an MPN ID (unit_customers_world: Adatum, ad.example, 5100003) */
	ck_assert_str_eq(resellers_found("DATU"), "Adatum,");
	ck_assert_str_eq(resellers_found("d.exam"), "Adatum,");
	ck_assert_str_eq(resellers_found("100003"), "Adatum,");
	ck_assert_str_eq(resellers_found("1000034"), "");
	ck_assert_str_eq(resellers_found("northwind"), "");
	/* Find a provider: a part of the name only (the domain is not searched there) */
	unit_partner(.name = "Northwood Supply", .domain = "nws.example", .country = "FR", .type = PT_INDIRECT_PROVIDER,
	    .status = PA_APPROVED);
	ck_assert_str_eq(providers_found("NORTHW", ""), "2:Northwind,Northwood Supply,");
	ck_assert_str_eq(providers_found("thwoo", ""), "1:Northwood Supply,");
	ck_assert_str_eq(providers_found("northw", "FR"), "1:Northwood Supply,");
	ck_assert_str_eq(providers_found("nw.example", ""), "0:");
	ck_assert_str_eq(providers_found("nw", ""), "0:");
	ck_assert_str_eq(providers_found("No", ""), "2:Northwind,Northwood Supply,");
	/* the API's customer search: the name only */
	ck_assert_str_eq(api_found("NTOS", "%ntos%"), "Contoso Ltd,");
	ck_assert_str_eq(api_found("so.exa", "%so.exa%"), "");
	ck_assert_str_eq(api_found("50%", "%50!%%"), "50% Off_Shop,");
	ck_assert_str_eq(api_found("\"quote\"", "%\"quote\"%"), "Big \"Quote\" Co,");
	ck_assert_str_eq(api_found("k\\s", "%k\\s%"), "Back\\slash AB,");
	ck_assert_str_eq(api_found("no-such-customer", "%no-such-customer%"), "");
	ck_assert_str_eq(api_found("o", "%o%"), "50% Off_Shop,Big \"Quote\" Co,Contoso Ltd,");
	/* the console's partner search: name or domain, any case, or an MPN ID whole */
	unit_partner(.name = "50% Off_Partners", .domain = "half-p.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	ck_assert_str_eq(console_found("NORTHW"), "Northwind,Northwood Supply,");
	ck_assert_str_eq(console_found("d.exa"), "Adatum,");
	ck_assert_str_eq(console_found("5100003"), "Adatum,");
	ck_assert_str_eq(console_found("100003"), "");
	ck_assert_str_eq(console_found("0% o"), "50% Off_Partners,");
	ck_assert_str_eq(console_found("f_p"), "50% Off_Partners,");
	ck_assert_str_eq(console_found("f_x"), "");
	ck_assert_str_eq(console_found("contoso"), "");	/* a customer, not a partner */
	ck_assert_str_eq(console_found("no-such-partner"), "");
	ck_assert_str_eq(console_found("AD"), "Adatum,");
}
END_TEST

/* The index follows the organizations: a new one, a renamed one, a new domain, a removed one
 * (the store writes no rename today; the schema's triggers cover any writer of tenants). */
START_TEST(index_follows_the_organizations)
{
	world();
	int64_t t = customer("Wingtip Toys", "wingtip.example");
	ck_assert_str_eq(found("ngtip"), "Wingtip Toys,");
	/* a rename as the pages need it: the relationship's name key too (schema section 11) */
	unit_sql_exec(DB.h, arena_printf(&A, "UPDATE tenants SET name = 'Woodgrove Bank' WHERE id = %lld;"
	    " UPDATE customer_relationships SET customer_name = 'woodgrove bank' WHERE customer_tenant_id = %lld",
	    (long long)t, (long long)t));
	ck_assert_str_eq(found("Toys"), "");
	if (unit_pg() == NULL)
		ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenant_search WHERE tenant_search MATCH 'toys'"), 0);
	ck_assert_str_eq(found("grove"), "Woodgrove Bank,");
	ck_assert_str_eq(found("ngtip"), "Woodgrove Bank,");	/* its domain still */
	unit_sql_exec(DB.h, arena_printf(&A, "UPDATE tenants SET domain = 'woodgrove.example' WHERE id = %lld", (long long)t));
	ck_assert_str_eq(found("ngtip"), "");
	ck_assert_str_eq(found("ove.exa"), "Woodgrove Bank,");
	unit_sql_exec(DB.h, arena_printf(&A, "DELETE FROM customer_relationships WHERE customer_tenant_id = %lld;"
	    "DELETE FROM tenants WHERE id = %lld", (long long)t, (long long)t));
	ck_assert_str_eq(found("grove"), "");
	if (unit_pg() == NULL)	/* the FTS index holds exactly the organizations */
		ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenant_search WHERE tenant_search MATCH 'grove'"), 0);
}
END_TEST

/* The plans of the searches: SQLite's EXPLAIN QUERY PLAN shows the FTS5 table (a virtual table
 * scan of tenant_search by its MATCH), PostgreSQL's EXPLAIN a Bitmap Index Scan on the trigram
 * index; a search of two characters does without. */
static const char *
sqlite_plan(const char *needle)
{
	char *out = arena_strdup(&A, "");
	for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p)) {
		if (strstr(sqlite3_sql(p), needle) == NULL || sqlite3_stmt_status(p, SQLITE_STMTSTATUS_RUN, 0) == 0)
			continue;
		sqlite3_stmt *e;
		ck_assert_int_eq(sqlite3_prepare_v2(DB.h, arena_printf(&A, "EXPLAIN QUERY PLAN %s", sqlite3_sql(p)), -1, &e,
		    NULL), SQLITE_OK);
		while (sqlite3_step(e) == SQLITE_ROW)
			out = arena_printf(&A, "%s%s\n", out, (const char *)sqlite3_column_text(e, 3));
		sqlite3_finalize(e);
	}
	return out;
}

static void
reset_runs(void)
{
	for (sqlite3_stmt *p = sqlite3_next_stmt(DB.h, NULL); p != NULL; p = sqlite3_next_stmt(DB.h, p))
		sqlite3_stmt_status(p, SQLITE_STMTSTATUS_RUN, 1);
}

/* PostgreSQL: EXPLAIN of the prepared statement whose text has both needles (and not the
 * other statements' texts in unless), run with args. */
#define pg_plan(needle, needle2, args) pg_plan_of(needle, needle2, \
	" AND statement NOT LIKE '%%) > ($2, $3)%%' AND statement NOT LIKE '%%UNION SELECT tenant_id%%'", args)
static const char *
pg_plan_of(const char *needle, const char *needle2, const char *unless, const char *args)
{
	PGresult *r = unit_pg_exec(arena_printf(&A, "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%%%s%%'"
	    " AND statement LIKE '%%%s%%'%s", needle, needle2, unless));
	ck_assert_int_eq(PQntuples(r), 1);
	const char *name = arena_strdup(&A, PQgetvalue(r, 0, 0));
	PQclear(r);
	/* a test database is small: reading the 3,000 organizations whole (or their primary key
	 * whole) costs the planner less than a GIN index would, so it is told not to: a Bitmap
	 * Index Scan on the trigram index then shows that the statement's condition is one the
	 * index serves (at 1,000,000 organizations the planner picks it itself) */
	PQclear(unit_pg_exec("SET enable_seqscan = off; SET enable_indexscan = off"));
	r = unit_pg_exec(arena_printf(&A, "EXPLAIN EXECUTE %s(%s)", name, args));
	PQclear(unit_pg_exec("RESET enable_seqscan; RESET enable_indexscan"));
	char *out = arena_strdup(&A, "");
	for (int i = 0; i < PQntuples(r); i++)
		out = arena_printf(&A, "%s%s\n", out, PQgetvalue(r, i, 0));
	PQclear(r);
	return out;
}

START_TEST(searches_read_the_trigram_index)
{
	world();
	if (unit_pg() != NULL) {
		/* enough organizations, all Northwind's customers, that the planner prefers the
		 * index to reading the partner's relationships */
		unit_sql_exec(NULL, arena_printf(&A, "INSERT INTO tenants(name, domain, country, kind, created_at)"
		    " SELECT 'Org ' || i, 'org' || i || '.example', 'DE', 'customer', 1 FROM generate_series(1, 3000) i;"
		    " INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, partner_tenant_id, customer_name)"
		    " SELECT %lld, id, 1, %lld, lower(name) FROM tenants WHERE name LIKE 'Org %%';"
		    " ANALYZE tenants; ANALYZE customer_relationships", (long long)W.northwind.account,
		    (long long)W.northwind.tenant));
		const char *plan = pg_plan("(SELECT id FROM tenants WHERE (lower(name) ||", "ORDER BY cr.customer_name ASC",
		    arena_printf(&A, "%lld, 51, '%%ntos%%', '%%ntos%%'", (long long)W.northwind.tenant));
		ck_assert_msg(strstr(plan, "Bitmap Index Scan on tenants_search_trgm") != NULL, "%s", plan);
		/* (the Resellers and Find a provider searches: the same subquery; here one reseller
		 * and two providers, so PostgreSQL rightly reads those first) */
		ck_assert_str_eq(found("ntos"), "Contoso Ltd,");
		/* the Relationships page (its first page by name), the API's customers, the
		 * console's partners */
		struct rc_filter f = { .kinds = 15, .state = "", .pattern = "%ntos%", .q = "ntos" };
		struct rc_list rl;
		ck_assert_int_eq(st_rc_page(&DB, &A, W.northwind.tenant, 100, &f, NULL, 26, &rl), 0);
		ck_assert_uint_eq(rl.n, 1);
		plan = pg_plan_of("AS MATERIALIZED", "CAST($7 AS TEXT) IS NOT NULL", " AND statement LIKE '%%r.reseller_name AS skey%%'"
		    " AND statement LIKE '%%ORDER BY x.skey ASC%%'",
		    arena_printf(&A, "%lld, 100, 15, '', '%%ntos%%', 0, '', 0, 0, 26, '%%ntos%%'", (long long)W.northwind.tenant));
		/* (the organizations the index gives, read once, are the outer loop: not the
		 * partner's relationships read whole) */
		ck_assert(strstr(plan, "Bitmap Index Scan on tenants_search_trgm") != NULL && strstr(plan, "CTE Scan on m") != NULL
		    && strstr(plan, "Index Cond: ((partner_tenant_id") == NULL && strstr(plan, "Index Cond: (partner_id") == NULL);
		ck_assert_str_eq(api_found("ntos", "%ntos%"), "Contoso Ltd,");
		plan = pg_plan_of("cr.customer_tenant_id = m.id", "ORDER BY min(cr.customer_name) ASC", "",
		    arena_printf(&A, "%lld, '%%ntos%%', 0, '', 51, '%%ntos%%'", (long long)W.northwind.tenant));
		/* (the organizations the index gives, read once, are the outer loop: not the
		 * partner's relationships read whole) */
		ck_assert(strstr(plan, "Bitmap Index Scan on tenants_search_trgm") != NULL && strstr(plan, "CTE Scan on m") != NULL
		    && strstr(plan, "Index Cond: ((partner_tenant_id") == NULL && strstr(plan, "Index Cond: (partner_id") == NULL);
		ck_assert_str_eq(console_found("datu"), "Adatum,");
		plan = pg_plan_of("p.tenant_id = x.id", "ORDER BY p.name_key", "", "'datu', '', 100, '%datu%'");
		ck_assert_msg(strstr(plan, "Bitmap Index Scan on tenants_search_trgm") != NULL, "%s", plan);
		return;
	}
	reset_runs();
	ck_assert_str_eq(found("ntos"), "Contoso Ltd,");
	const char *plan = sqlite_plan("cr.customer_name LIKE");
	ck_assert_msg(strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL, "%s", plan);
	reset_runs();
	ck_assert_str_eq(resellers_found("datu"), "Adatum,");
	plan = sqlite_plan("r.reseller_name LIKE");
	ck_assert_msg(strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL, "%s", plan);
	reset_runs();
	ck_assert_str_eq(api_found("ntos", "%ntos%"), "Contoso Ltd,");
	plan = sqlite_plan("cr.customer_name LIKE ?2 ESCAPE '!' AND cr.customer_tenant_id = m.id");
	ck_assert_msg(strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL, "%s", plan);
	reset_runs();
	ck_assert_str_eq(console_found("datu"), "Adatum,");
	plan = sqlite_plan("x.id ORDER BY p.name_key");
	ck_assert_msg(strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL, "%s", plan);
	reset_runs();
	ck_assert_str_eq(providers_found("orthw", ""), "1:Northwind,");
	plan = sqlite_plan("d.status = 'approved'");
	ck_assert_msg(strstr(plan, "SCAN tenant_search VIRTUAL TABLE INDEX") != NULL, "%s", plan);
	/* two characters: the statement without the index */
	reset_runs();
	ck_assert_str_eq(found("nt"), "Contoso Ltd,");
	plan = sqlite_plan("cr.customer_name LIKE");
	ck_assert_msg(*plan && strstr(plan, "tenant_search") == NULL, "%s", plan);
}
END_TEST

/* The plans are read from the statements prepared on the connection (pg_prepared_statements,
 * sqlite3_next_stmt): every one prepared at the open, as at the portal's start. */
__attribute__((constructor)) static void
prepare_all_at_open(void)
{
	unit_check_statements = true;
}

UNIT_MAIN("search",
	unit_case("rows", unit_db_setup, unit_db_teardown, UNIT_TESTS(same_rows_as_a_plain_match,
	    index_follows_the_organizations, searches_read_the_trigram_index)))
