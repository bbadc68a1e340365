/* test_console.c — the operator console's rules (issue 19): operator accounts and their roles
 * (domain/operators.c), an operator's session (the role's bits, a second factor required, 15
 * idle minutes), the console's stale-decision refusal, dates, titles and the dashboard's
 * weeks (domain/console.c). */
#include "unit.h"

#include "domain/access.h"
#include "domain/console.h"
#include "domain/operators.h"
#include "domain/session.h"

START_TEST(op_roles_words_and_bits)
{
	ck_assert_str_eq(op_role_key(OP_REVIEWER), "reviewer");
	ck_assert_str_eq(op_role_key(OP_ADMIN), "admin");
	ck_assert_ptr_null(op_role_key(OP_NONE));
	ck_assert_int_eq(op_role_parse("admin"), OP_ADMIN);
	ck_assert_int_eq(op_role_parse("Admin"), -1);
	ck_assert_int_eq(op_role_parse(NULL), -1);
	/* Operator permissions: held through the operator bits only, never a partner role. */
	ck_assert(perm_allows(PERM_OP_CONSOLE, op_role_bits(OP_REVIEWER)));
	ck_assert(perm_allows(PERM_OP_REVIEW, op_role_bits(OP_REVIEWER)));
	ck_assert(!perm_allows(PERM_OP_ADMIN, op_role_bits(OP_REVIEWER)));
	ck_assert(perm_allows(PERM_OP_ADMIN, op_role_bits(OP_ADMIN)));
	ck_assert(!perm_allows(PERM_OP_CONSOLE, ROLE_ALL));
	ck_assert(!perm_allows(PERM_USERS_VIEW, op_role_bits(OP_ADMIN)));
	for (int p = 0; p < PERM__COUNT; p++)
		ck_assert_msg(!perm_is_operator((enum perm)p) || (perms[p].roles & ROLE_ALL) == 0, "%s", perms[p].key);
}
END_TEST

START_TEST(operator_add_session_remove)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = 0, team = 0;
	ck_assert_int_eq(operator_add(&DB, &A, "ops@program.example", "Ops", OP_REVIEWER, &id), 0);
	ck_assert_int_eq(operator_team(&DB, &A, &team), 1);
	int64_t again = 0;
	ck_assert_int_eq(operator_add(&DB, &A, "ops@program.example", "Ops", OP_ADMIN, &again), OPERATOR_EMAIL_TAKEN);
	int64_t second = 0, team2 = 0;
	ck_assert_int_eq(operator_add(&DB, &A, "two@program.example", "Two", OP_ADMIN, &second), 0);
	ck_assert_int_eq(operator_team(&DB, &A, &team2), 1);
	ck_assert_int_eq(team, team2);		/* one program team */
	char cookie[SESSION_COOKIE_LEN + 1];
	ck_assert_int_eq(session_create(&DB, id, "192.0.2.1", "unit", now_sec(), false, cookie), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(operator_role_of(&DB, &A, id), OP_REVIEWER);
	struct session s;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert(session_is_operator(&s));
	ck_assert_uint_eq(s.roles, OP_ROLE_REVIEWER);
	ck_assert(session_must_setup_mfa(&s));	/* a second factor from the first sign-in */
	/* 15 idle minutes end it. */
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE sessions SET seen_at = %lld WHERE user_id = %lld", (long long)(now_sec() - OPERATOR_IDLE - 5),
	    (long long)id);
	unit_sql_exec(DB.h, sql);
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 0);
	struct operator_list l;
	ck_assert_int_eq(operators_list(&DB, &A, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t gone = 0;
	ck_assert_int_eq(operator_remove(&DB, &A, "ops@program.example", &gone), 1);
	ck_assert_int_eq(operator_remove(&DB, &A, "nobody@program.example", &gone), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(operator_role_of(&DB, &A, id), OP_NONE);
}
END_TEST

START_TEST(stale_decision_refused_with_who)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t tenant = unit_org(.domain = "stale.example");
	int64_t account = unit_account(.tenant = tenant, .type = PT_INDIRECT_RESELLER, .status = PA_IN_REVIEW);
	struct legal_profile lp = { .legal_name = "Stale GmbH", .address1 = "Street 1", .address2 = "", .city = "Berlin", .state = "",
		.postal_code = "10115", .contact_first = "C", .contact_last = "D", .contact_email = "c@stale.example",
		.contact_phone = "+49 30 555 0100", .contact_verified_at = 5 };
	ck_assert_int_eq(st_legal_upsert(&DB, tenant, &lp, 5), 1);
	struct pa_change c;
	const char *why = NULL;
	/* A form that showed another status is refused, nothing moves. */
	ck_assert_int_eq(console_decide(&DB, &A, 0, account, PA_APPROVED, NULL, PA_PENDING_VERIFICATION, &c, &why, NULL), 1);
	ck_assert_ptr_nonnull(strstr(why, "while your form was open"));
	ck_assert_int_eq(console_decide(&DB, &A, 0, account, PA_APPROVED, NULL, PA_IN_REVIEW, &c, &why, NULL), 0);
	ck_assert_int_eq(console_decide(&DB, &A, 0, account, PA_REJECTED, "late", PA_IN_REVIEW, &c, &why, NULL), 1);
	ck_assert_ptr_nonnull(strstr(why, "Approved"));
	ck_assert_int_eq(console_decide(&DB, &A, 0, 999999, PA_APPROVED, NULL, PA_IN_REVIEW, &c, &why, NULL), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
}
END_TEST

START_TEST(dates_titles_matches)
{
	int64_t t;
	ck_assert_int_eq(console_date("1970-01-01", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(console_date("2024-02-29", &t), 0);
	ck_assert_int_eq(t, 1709164800);
	ck_assert_int_eq(console_date("2023-02-29", &t), -1);
	ck_assert_int_eq(console_date("2024-13-01", &t), -1);
	ck_assert_int_eq(console_date("2024-1-01", &t), -1);
	ck_assert_int_eq(console_date("yesterday!", &t), -1);
	ck_assert_ptr_null(console_title_problem("Partner Agreement 2026"));
	ck_assert_ptr_nonnull(console_title_problem(""));
	ck_assert_ptr_nonnull(console_title_problem("two\nlines"));
	struct console_mpn m = { .country = "DE", .active = true };
	ck_assert(console_mpn_matches(&m, "DE"));
	ck_assert(!console_mpn_matches(&m, "FR"));
	m.active = false;
	ck_assert(!console_mpn_matches(&m, "DE"));
	ck_assert_int_eq(console_metric_parse("agreement"), M_AGREEMENT);
	ck_assert_int_eq(console_metric_parse("nope"), -1);
}
END_TEST

START_TEST(dashboard_weeks_start_on_monday)
{
	struct metric_table t;
	int64_t now = 1764633600 + 3 * 3600;	/* Tuesday 2025-12-02 03:00 UTC */
	ck_assert_int_eq(console_metric(&DB, &A, M_APPROVALS, now, &t), 0);
	ck_assert_uint_eq(t.n, DASHBOARD_WEEKS);
	ck_assert_str_eq(t.v[t.n - 1].label, "week of 01 Dec 2025");
	ck_assert_int_eq(t.total, 0);
	ck_assert_int_eq(console_metric(&DB, &A, M_STATUS, now, &t), 0);
	ck_assert_uint_eq(t.n, PA__COUNT);
}
END_TEST

UNIT_MAIN("console",
	unit_case("operators", unit_db_setup, unit_db_teardown, UNIT_TESTS(op_roles_words_and_bits, operator_add_session_remove)),
	unit_case("console", unit_db_setup, unit_db_teardown, UNIT_TESTS(stale_decision_refused_with_who, dates_titles_matches,
	    dashboard_weeks_start_on_monday)))
