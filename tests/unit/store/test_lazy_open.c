/* test_lazy_open.c — issue 17: only the process's first open checks every statement; the
 * opens after it (a worker's connections) and the opens of a process that turned the check
 * off (portalctl: store_check_statements(false)) prepare each statement at its first use. On
 * both engines (PORTAL_TEST_PG, make unit-pg): such a connection reads and writes as a checked
 * one does, and an INSERT into a table with an id returns the new id (on PostgreSQL the
 * catalog decides which INSERTs get " RETURNING id"). */
#include "unit.h"

START_TEST(an_unchecked_connection_writes_and_reads_with_the_new_ids)
{
	char path[600], err[512];
	const char *where;
	unit_setup();
	/* as portalctl: no open of this process checks (CK_FORK: each test is a process of its own) */
	store_check_statements(false);
	where = unit_db_open_shared("l.db", path, sizeof(path));
	struct store lazy;
	ck_assert_msg(db_open(&lazy, where, false, err, sizeof(err)) == 0, "%s", err);
	/* the first connection writes first, so the ids are not 1 by chance */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	int64_t t1 = st_tenant_insert(&DB, "First Org", "first.example", "DE", TENANT_PARTNER, 1000);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_gt(t1, 0);
	ck_assert_int_eq(store_begin_write(&lazy), 0);
	int64_t t2 = st_tenant_insert(&lazy, "Second Org", "second.example", "PL", TENANT_PARTNER, 1000);
	int64_t u = st_user_insert(&lazy, t2, "ann@second.example", "Ann", NULL, 1, 1000);
	ck_assert_int_eq(store_commit(&lazy), 0);
	ck_assert_int_gt(t2, t1);
	ck_assert_int_gt(u, 0);
	/* each connection finds what the other wrote, by the ids the inserts returned */
	ck_assert_int_eq(st_tenant_by_domain(&DB, "second.example"), t2);
	ck_assert_int_eq(st_tenant_by_domain(&lazy, "first.example"), t1);
	ck_assert_int_eq(st_users_count(&DB, t2), 1);
	struct user_row row;
	const char *hash = NULL;
	ck_assert_int_eq(st_user_by_email(&lazy, &A, "ann@second.example", &row, &hash), 1);
	ck_assert_int_eq(row.id, u);
	ck_assert(!store_failed(&lazy));
	db_close(&lazy);
	db_close(&DB);
	store_check_statements(true);
	unit_teardown();
}
END_TEST

UNIT_MAIN("store lazy open",
	unit_timeout(30, unit_case("unchecked", NULL, NULL, UNIT_TESTS(an_unchecked_connection_writes_and_reads_with_the_new_ids))))
