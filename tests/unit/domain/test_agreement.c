/* test_agreement.c — the partner agreement: the transaction gate for every enrollment
 * status × agreement state, the state and views built on it, accepting, publishing and the
 * append-only acceptance table. (The overview / Program info hooks: pages/test_agreement_parts.c.)
 * Each test gets a fresh in-memory database built from schema.sql. */
#include <stdio.h>
#include <string.h>

#include "domain/agreement.h"
#include "domain/access.h"
#include "store/db.h"
#include "unit.h"
#include "base/util.h"

static const int64_t t0 = 1700000000;

/* ---- the gate: every enrollment status × agreement state ---- */

enum agr { AGR_NONE, AGR_PUBLISHED, AGR_OLDER, AGR_CURRENT };
static const int statuses[] = { PA_NONE, PA_DRAFT, PA_PENDING_VERIFICATION, PA_IN_REVIEW, PA_APPROVED, PA_REJECTED };
static const char *const status_words[] = { NULL, "Draft", "Pending verification", "In review", "Approved", "Rejected" };
#define NSTATUS 6
#define NAGR 4

static void
expected(int si, enum agr ag, enum agreement_gate *reason, const char **text)
{
	static char buf[256];
	if (statuses[si] == PA_NONE) {
		*reason = GATE_NO_ACCOUNT;
		*text = "The organization is not enrolled as an indirect reseller.";
	} else if (statuses[si] != PA_APPROVED) {
		*reason = GATE_NOT_APPROVED;
		snprintf(buf, sizeof(buf), "The indirect reseller enrollment is not approved (status: %s).", status_words[si]);
		*text = buf;
	} else if (ag == AGR_NONE) {
		*reason = GATE_NO_VERSION;
		*text = "No version of the Partner Agreement (MPA) has been published yet.";
	} else if (ag == AGR_PUBLISHED) {
		*reason = GATE_NOT_ACCEPTED;
		*text = "The organization has not accepted version 2 of the Partner Agreement (MPA).";
	} else if (ag == AGR_OLDER) {
		*reason = GATE_NOT_ACCEPTED;
		*text = "The organization accepted version 1 of the Partner Agreement (MPA), but not the current version 2.";
	} else {
		*reason = GATE_OK;
		*text = "The indirect reseller account is approved and version 2 of the Partner Agreement (MPA) is accepted.";
	}
}

/* _i runs 0..23: status = _i / 4, agreement state = _i % 4. */
START_TEST(gate_every_combination)
{
	int si = _i / NAGR;
	enum agr ag = (enum agr)(_i % NAGR);
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	/* A neighbour that accepted everything must not count for t. */
	int64_t other = unit_org(.domain = "fabrikam.example", .at = t0);
	unit_account(.tenant = other, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	if (statuses[si] != PA_NONE)
		unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = (enum pa_status)statuses[si]);
	if (ag != AGR_NONE) {
		int64_t v1 = unit_publish("1", t0);
		unit_accept(other, v1, t0 + 3600);
		if (ag == AGR_OLDER)
			unit_accept(t, v1, t0 + 3600);
		int64_t v2 = unit_publish("2", t0);
		unit_accept(other, v2, t0 + 3600);
		if (ag == AGR_CURRENT)
			unit_accept(t, v2, t0 + 3600);
	}
	enum agreement_gate want;
	const char *want_text;
	expected(si, ag, &want, &want_text);
	struct gate g;
	enum agreement_gate got = agreement_gate(&DB, &A, t, PT_INDIRECT_RESELLER, &g);
	ck_assert_msg(got == want, "status %d, agreement state %d: reason %d, want %d (%s)",
	    statuses[si], ag, got, want, g.text);
	ck_assert_int_eq(g.reason, want);
	ck_assert_str_eq(g.text, want_text);
	if (statuses[si] == PA_NONE) {
		ck_assert_int_eq(g.status, PA_NONE);
		ck_assert_int_eq(g.type, -1);
	} else {
		ck_assert_int_eq(g.status, statuses[si]);
		ck_assert_int_eq(g.type, PT_INDIRECT_RESELLER);
	}
	/* The same answer when asking about "any account" (type -1), but for no account. */
	struct gate any;
	agreement_gate(&DB, &A, t, -1, &any);
	ck_assert_int_eq(any.reason, want);
	if (statuses[si] == PA_NONE)
		ck_assert_str_eq(any.text, "The organization is not enrolled in the Cloud Solution Provider program.");
	else
		ck_assert_str_eq(any.text, want_text);
}
END_TEST

/* Providers and direct-bill partners go through the same gate, per type. */
START_TEST(gate_per_type)
{
	int64_t t = unit_org(.domain = "provider.example", .at = t0);
	unit_account(.tenant = t, .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	int64_t v = unit_publish("2025-01", t0);
	struct gate g;
	ck_assert_int_eq(agreement_gate(&DB, &A, t, PT_INDIRECT_PROVIDER, &g), GATE_NOT_ACCEPTED);
	ck_assert_int_eq(agreement_gate(&DB, &A, t, PT_INDIRECT_RESELLER, &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as an indirect reseller.");
	ck_assert_int_eq(agreement_gate(&DB, &A, t, PT_DIRECT_BILL, &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as a direct-bill partner.");
	unit_accept(t, v, t0 + 3600);
	ck_assert_int_eq(agreement_gate(&DB, &A, t, PT_INDIRECT_PROVIDER, &g), GATE_OK);
	ck_assert_str_eq(g.text, "The indirect provider account is approved and version 2025-01 of the Partner Agreement (MPA) is accepted.");
	ck_assert_str_eq(g.version, "2025-01");

	int64_t d = unit_org(.domain = "direct.example", .at = t0);
	unit_account(.tenant = d, .type = PT_DIRECT_BILL, .status = PA_IN_REVIEW);
	ck_assert_int_eq(agreement_gate(&DB, &A, d, PT_DIRECT_BILL, &g), GATE_NOT_APPROVED);
	ck_assert_str_eq(g.text, "The direct-bill partner enrollment is not approved (status: In review).");
	/* type -1 prefers the approved account of an organization with two. */
	unit_account(.tenant = d, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	unit_accept(d, v, t0 + 3600);
	ck_assert_int_eq(agreement_gate(&DB, &A, d, -1, &g), GATE_OK);
	ck_assert_int_eq(g.type, PT_INDIRECT_RESELLER);
	ck_assert_int_eq(agreement_gate(&DB, &A, d, PT_DIRECT_BILL, &g), GATE_NOT_APPROVED);
}
END_TEST

/* ---- state, views, publishing ---- */

START_TEST(state_follows_versions)
{
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	struct agreement_state s;
	ck_assert_int_eq(agreement_state(&DB, &A, t, &s), 0);
	ck_assert(!s.published);
	ck_assert_str_eq(s.version, "");
	int64_t v1 = unit_publish("1", t0);
	ck_assert_int_eq(agreement_state(&DB, &A, t, &s), 0);
	ck_assert(s.published && !s.accepted);
	ck_assert_int_eq(s.version_id, v1);
	ck_assert_int_eq(s.accepted_version_id, 0);
	unit_accept(t, v1, t0 + 3600);
	ck_assert_int_eq(agreement_state(&DB, &A, t, &s), 0);
	ck_assert(s.accepted);
	ck_assert_str_eq(s.signer_name, "Ana Admin");
	ck_assert_str_eq(s.signer_email, "ana@contoso.example");
	ck_assert_str_eq(s.signer_title, "CEO");
	ck_assert_int_eq(s.accepted_at, t0 + 3600);
	/* Published in the same second: still the last one published is current. */
	int64_t v2 = unit_publish("2", t0);
	ck_assert_int_eq(agreement_state(&DB, &A, t, &s), 0);
	ck_assert_int_eq(s.version_id, v2);
	ck_assert_str_eq(s.version, "2");
	ck_assert(!s.accepted);
	ck_assert_str_eq(s.accepted_version, "1");
}
END_TEST

START_TEST(reseller_view_words)
{
	int64_t t = unit_org(.domain = "reseller.example", .at = t0);
	unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	struct agreement_view v;
	ck_assert_int_eq(agreement_reseller_view(&DB, &A, t, &v), 0);
	ck_assert_str_eq(v.words, "Not published");
	ck_assert_str_eq(v.tag, "muted");
	int64_t v1 = unit_publish("1", t0);
	agreement_reseller_view(&DB, &A, t, &v);
	ck_assert_str_eq(v.words, "Not accepted");
	ck_assert_str_eq(v.detail, "Version 1 is waiting for acceptance");
	ck_assert_str_eq(v.tag, "warn");
	ck_assert(!v.accepted);
	unit_accept(t, v1, t0 + 3600);
	agreement_reseller_view(&DB, &A, t, &v);
	ck_assert_str_eq(v.words, "Accepted");
	ck_assert_str_eq(v.detail, arena_printf(&A, "Version 1, %s", fmt_date(&A, t0 + 3600)));
	ck_assert_str_eq(v.tag, "ok");
	ck_assert(v.accepted);
	unit_publish("2", t0);
	agreement_reseller_view(&DB, &A, t, &v);
	ck_assert_str_eq(v.words, "Older version accepted");
	ck_assert_str_eq(v.detail, "Version 1 accepted; version 2 is current");
	ck_assert_str_eq(v.tag, "warn");
}
END_TEST

START_TEST(publish_refusals)
{
	char err[256];
	ck_assert_int_gt(agreement_publish(&DB, "2025-01", "Text", t0, err, sizeof(err)), 0);
	ck_assert_int_eq(agreement_publish(&DB, "2025-01", "Other text", t0, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "version 2025-01 has already been published; versions are never replaced");
	ck_assert_int_eq(agreement_publish(&DB, "2025-01", "T", t0, err, sizeof(err)), 0);
	ck_assert_int_eq(agreement_publish(&DB, "v2", " \n\t ", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the agreement text is empty");
	ck_assert_int_eq(agreement_publish(&DB, "v2", "bad \xc3\x28 byte", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the agreement text is not valid UTF-8");
	ck_assert_int_eq(agreement_publish(&DB, "", "T", t0, err, sizeof(err)), -1);
	ck_assert_int_eq(agreement_publish(&DB, "two words", "T", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the version may contain only letters, digits and . _ -");
	ck_assert_int_eq(agreement_publish(&DB, "v2", "Ünïcödé text ✓", t0, err, sizeof(err)) > 0, 1);
	ck_assert_int_eq(st_agreement_version_taken(&DB, "V2"), 1);	/* labels ignore case */
	ck_assert_int_eq(st_agreement_version_taken(&DB, "v3"), 0);
}
END_TEST

START_TEST(acceptances_are_append_only)
{
	UNIT_SQLITE_ONLY("asserts the SQLite triggers with sqlite3_exec");
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	int64_t v = unit_publish("1", t0);
	unit_accept(t, v, t0 + 3600);
	/* Accepting again writes nothing. */
	const struct agreement_acceptance bo = { .version_id = v, .first = "Bo", .last = "B", .email = "bo@contoso.example",
		.phone = "1234567", .title = "CFO", .user_id = 8, .accepted_at = t0, .ip = "::1" };
	ck_assert_int_eq(st_agreement_accept(&DB, t, &bo), 0);
	char *msg = NULL;
	ck_assert_int_ne(sqlite3_exec(DB.h, "UPDATE agreement_acceptances SET signer_first = 'Eve'", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(DB.h, "DELETE FROM agreement_acceptances", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(DB.h, "UPDATE agreement_versions SET body = 'changed'", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	ck_assert_int_eq(agreement_pending_orgs(&DB, v), 0);
	ck_assert_int_eq(sqlite3_exec(DB.h, "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
	struct agreement_version_list versions;
	ck_assert_int_eq(agreement_versions(&DB, &A, &versions), 0);
	ck_assert_uint_eq(versions.n, 1);
	ck_assert_int_eq(versions.v[0].accepted, 1);
}
END_TEST

/* ---- accepting ---- */

START_TEST(accept_only_the_current_version)
{
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	const struct agreement_signer who = { "Ana", "Admin", "ana@contoso.example", "+49 30 1234567", "CEO" };
	const char *current = NULL;
	ck_assert_int_eq(agreement_accept(&DB, &A, t, 1, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOTHING_PUBLISHED);
	ck_assert_str_eq(current, "");
	int64_t v1 = unit_publish("1", t0);
	int64_t v2 = unit_publish("2", t0);
	/* The page showed version 1 (or nothing): refused, naming the current one. */
	ck_assert_int_eq(agreement_accept(&DB, &A, t, v1, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOT_CURRENT);
	ck_assert_str_eq(current, "2");
	ck_assert_int_eq(agreement_accept(&DB, &A, t, 0, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOT_CURRENT);
	ck_assert_int_eq(agreement_gate(&DB, &A, t, PT_INDIRECT_RESELLER, &(struct gate){ 0 }), GATE_NOT_ACCEPTED);
	ck_assert_int_eq(agreement_accept(&DB, &A, t, v2, &who, 7, "192.0.2.7", t0 + 5, &current), ACCEPT_RECORDED);
	ck_assert_int_eq(agreement_accept(&DB, &A, t, v2, &who, 8, "::1", t0 + 6, &current), ACCEPT_ALREADY);
	struct agreement_state s;
	ck_assert_int_eq(agreement_state(&DB, &A, t, &s), 0);
	ck_assert(s.accepted);
	ck_assert_str_eq(s.signer_name, "Ana Admin");
	ck_assert_int_eq(s.accepted_at, t0 + 5);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT user_id FROM agreement_acceptances"), 7);
	struct agreement_version cur;
	ck_assert_int_eq(agreement_current(&DB, &A, &cur), 1);
	ck_assert_int_eq(cur.id, v2);
	ck_assert_str_eq(cur.body, "The agreement.\n\nSecond paragraph.");
}
END_TEST

/* Whom others are told to ask: the Global admins, by name, no one else. */
START_TEST(acceptors_are_the_global_admins)
{
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	unit_user(.tenant = t, .email = "zed@contoso.example", .name = "Zed Zimmer",
	    .roles = ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(USER_ADMIN));
	unit_user(.tenant = t, .email = "ana@contoso.example", .name = "ana Admin", .roles = ROLE_MASK(GLOBAL_ADMIN));
	unit_user(.tenant = t, .email = "acc@contoso.example", .name = "Al Account", .roles = ROLE_MASK(ACCOUNT_ADMIN));
	int64_t other = unit_org(.domain = "fabrikam.example", .at = t0);
	unit_user(.tenant = other, .email = "ga@fabrikam.example", .name = "Gus Global",
	    .roles = ROLE_MASK(GLOBAL_ADMIN));
	struct user_list l;
	ck_assert_int_eq(agreement_acceptors(&DB, &A, t, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].email, "ana@contoso.example");
	ck_assert_str_eq(l.v[1].email, "zed@contoso.example");
}
END_TEST

/* The gate's case: gate_every_combination once for each status × agreement state. */
static TCase *
gate_case(void)
{
	TCase *tc = unit_case("gate", unit_db_setup, unit_db_teardown, UNIT_TESTS(gate_per_type));
	tcase_add_loop_test(tc, gate_every_combination, 0, NSTATUS * NAGR);
	return tc;
}

UNIT_MAIN("agreement",
	gate_case(),
	unit_case("state", unit_db_setup, unit_db_teardown, UNIT_TESTS(state_follows_versions, reseller_view_words,
	    publish_refusals, acceptances_are_append_only, accept_only_the_current_version,
	    acceptors_are_the_global_admins)))
