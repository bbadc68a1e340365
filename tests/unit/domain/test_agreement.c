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

static struct store db;
static struct arena a;
static int64_t t0 = 1700000000;

static void
setup(void)
{
	char err[512];
	ck_assert_msg(db_open(&db, ":memory:", true, err, sizeof(err)) == 0, "db_open: %s", err);
	arena_init(&a, 0);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(&a);
}

static void
exec_sql(const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db.h, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
	sqlite3_free(msg);
}

static int64_t
tenant(const char *domain, const char *kind)
{
	int64_t id = st_tenant_insert(&db, domain, domain, "DE", (enum tenant_kind)tenant_kind_parse(kind), t0);
	ck_assert_int_gt(id, 0);
	return id;
}

static int64_t
user(int64_t tenant_id, const char *email, const char *name, unsigned role_bits)
{
	int64_t id = st_user_insert(&db, tenant_id, email, name, NULL, role_bits, t0);
	ck_assert_int_gt(id, 0);
	return id;
}

static void
account(int64_t tenant_id, const char *type, const char *status)
{
	ck_assert(partner_type_parse(type) >= 0 && pa_status_parse(status) >= 0);
	char sql[256];
	snprintf(sql, sizeof(sql), "INSERT INTO partner_accounts(tenant_id, type, status, created_at) VALUES (%lld, '%s', '%s', 1)",
	    (long long)tenant_id, type, status);
	exec_sql(sql);
}

static int64_t
publish(const char *version)
{
	char err[256] = "";
	int64_t id = agreement_publish(&db, version, "The agreement.\n\nSecond paragraph.", t0, err, sizeof(err));
	ck_assert_msg(id > 0, "publish %s: %s", version, err);
	return id;
}

static const struct agreement_acceptance ana = { .first = "Ana", .last = "Admin", .email = "ana@contoso.example",
	.phone = "+49 30 1234567", .title = "CEO", .user_id = 7, .accepted_at = 1700000000 + 3600, .ip = "192.0.2.7" };

static void
accept(int64_t tenant_id, int64_t version_id)
{
	struct agreement_acceptance acc = ana;
	acc.version_id = version_id;
	ck_assert_int_eq(st_agreement_accept(&db, tenant_id, &acc), 1);
}

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
	int64_t t = tenant("contoso.example", "partner");
	/* A neighbour that accepted everything must not count for t. */
	int64_t other = tenant("fabrikam.example", "partner");
	account(other, "indirect_reseller", "approved");
	if (statuses[si] != PA_NONE)
		account(t, "indirect_reseller", pa_status_key(statuses[si]));
	if (ag != AGR_NONE) {
		int64_t v1 = publish("1");
		accept(other, v1);
		if (ag == AGR_OLDER)
			accept(t, v1);
		int64_t v2 = publish("2");
		accept(other, v2);
		if (ag == AGR_CURRENT)
			accept(t, v2);
	}
	enum agreement_gate want;
	const char *want_text;
	expected(si, ag, &want, &want_text);
	struct gate g;
	enum agreement_gate got = agreement_gate(&db, &a, t, PT_INDIRECT_RESELLER, &g);
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
	agreement_gate(&db, &a, t, -1, &any);
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
	int64_t t = tenant("provider.example", "partner");
	account(t, "indirect_provider", "approved");
	int64_t v = publish("2025-01");
	struct gate g;
	ck_assert_int_eq(agreement_gate(&db, &a, t, PT_INDIRECT_PROVIDER, &g), GATE_NOT_ACCEPTED);
	ck_assert_int_eq(agreement_gate(&db, &a, t, PT_INDIRECT_RESELLER, &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as an indirect reseller.");
	ck_assert_int_eq(agreement_gate(&db, &a, t, PT_DIRECT_BILL, &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as a direct-bill partner.");
	accept(t, v);
	ck_assert_int_eq(agreement_gate(&db, &a, t, PT_INDIRECT_PROVIDER, &g), GATE_OK);
	ck_assert_str_eq(g.text, "The indirect provider account is approved and version 2025-01 of the Partner Agreement (MPA) is accepted.");
	ck_assert_str_eq(g.version, "2025-01");

	int64_t d = tenant("direct.example", "partner");
	account(d, "direct_bill", "in_review");
	ck_assert_int_eq(agreement_gate(&db, &a, d, PT_DIRECT_BILL, &g), GATE_NOT_APPROVED);
	ck_assert_str_eq(g.text, "The direct-bill partner enrollment is not approved (status: In review).");
	/* type -1 prefers the approved account of an organization with two. */
	account(d, "indirect_reseller", "approved");
	accept(d, v);
	ck_assert_int_eq(agreement_gate(&db, &a, d, -1, &g), GATE_OK);
	ck_assert_int_eq(g.type, PT_INDIRECT_RESELLER);
	ck_assert_int_eq(agreement_gate(&db, &a, d, PT_DIRECT_BILL, &g), GATE_NOT_APPROVED);
}
END_TEST

/* ---- state, views, publishing ---- */

START_TEST(state_follows_versions)
{
	int64_t t = tenant("contoso.example", "partner");
	struct agreement_state s;
	ck_assert_int_eq(agreement_state(&db, &a, t, &s), 0);
	ck_assert(!s.published);
	ck_assert_str_eq(s.version, "");
	int64_t v1 = publish("1");
	ck_assert_int_eq(agreement_state(&db, &a, t, &s), 0);
	ck_assert(s.published && !s.accepted);
	ck_assert_int_eq(s.version_id, v1);
	ck_assert_int_eq(s.accepted_version_id, 0);
	accept(t, v1);
	ck_assert_int_eq(agreement_state(&db, &a, t, &s), 0);
	ck_assert(s.accepted);
	ck_assert_str_eq(s.signer_name, "Ana Admin");
	ck_assert_str_eq(s.signer_email, "ana@contoso.example");
	ck_assert_str_eq(s.signer_title, "CEO");
	ck_assert_int_eq(s.accepted_at, t0 + 3600);
	/* Published in the same second: still the last one published is current. */
	int64_t v2 = publish("2");
	ck_assert_int_eq(agreement_state(&db, &a, t, &s), 0);
	ck_assert_int_eq(s.version_id, v2);
	ck_assert_str_eq(s.version, "2");
	ck_assert(!s.accepted);
	ck_assert_str_eq(s.accepted_version, "1");
}
END_TEST

START_TEST(reseller_view_words)
{
	int64_t t = tenant("reseller.example", "partner");
	account(t, "indirect_reseller", "approved");
	struct agreement_view v;
	ck_assert_int_eq(agreement_reseller_view(&db, &a, t, &v), 0);
	ck_assert_str_eq(v.words, "Not published");
	ck_assert_str_eq(v.tag, "muted");
	int64_t v1 = publish("1");
	agreement_reseller_view(&db, &a, t, &v);
	ck_assert_str_eq(v.words, "Not signed");
	ck_assert_str_eq(v.detail, "Version 1 is waiting for acceptance");
	ck_assert_str_eq(v.tag, "warn");
	ck_assert(!v.accepted);
	accept(t, v1);
	agreement_reseller_view(&db, &a, t, &v);
	ck_assert_str_eq(v.words, "Signed");
	ck_assert_str_eq(v.detail, arena_printf(&a, "Version 1, %s", fmt_date(&a, t0 + 3600)));
	ck_assert_str_eq(v.tag, "ok");
	ck_assert(v.accepted);
	publish("2");
	agreement_reseller_view(&db, &a, t, &v);
	ck_assert_str_eq(v.words, "Older version signed");
	ck_assert_str_eq(v.detail, "Version 1 signed; version 2 is current");
	ck_assert_str_eq(v.tag, "warn");
}
END_TEST

START_TEST(publish_refusals)
{
	char err[256];
	ck_assert_int_gt(agreement_publish(&db, "2025-01", "Text", t0, err, sizeof(err)), 0);
	ck_assert_int_eq(agreement_publish(&db, "2025-01", "Other text", t0, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "version 2025-01 has already been published; versions are never replaced");
	ck_assert_int_eq(agreement_publish(&db, "2025-01", "T", t0, err, sizeof(err)), 0);
	ck_assert_int_eq(agreement_publish(&db, "v2", " \n\t ", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the agreement text is empty");
	ck_assert_int_eq(agreement_publish(&db, "v2", "bad \xc3\x28 byte", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the agreement text is not valid UTF-8");
	ck_assert_int_eq(agreement_publish(&db, "", "T", t0, err, sizeof(err)), -1);
	ck_assert_int_eq(agreement_publish(&db, "two words", "T", t0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the version may contain only letters, digits and . _ -");
	ck_assert_int_eq(agreement_publish(&db, "v2", "Ünïcödé text ✓", t0, err, sizeof(err)) > 0, 1);
	ck_assert_int_eq(st_agreement_version_taken(&db, "V2"), 1);	/* labels ignore case */
	ck_assert_int_eq(st_agreement_version_taken(&db, "v3"), 0);
}
END_TEST

START_TEST(acceptances_are_append_only)
{
	int64_t t = tenant("contoso.example", "partner");
	int64_t v = publish("1");
	accept(t, v);
	/* Accepting again writes nothing. */
	const struct agreement_acceptance bo = { .version_id = v, .first = "Bo", .last = "B", .email = "bo@contoso.example",
		.phone = "1234567", .title = "CFO", .user_id = 8, .accepted_at = t0, .ip = "::1" };
	ck_assert_int_eq(st_agreement_accept(&db, t, &bo), 0);
	char *msg = NULL;
	ck_assert_int_ne(sqlite3_exec(db.h, "UPDATE agreement_acceptances SET signer_first = 'Eve'", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(db.h, "DELETE FROM agreement_acceptances", NULL, NULL, &msg), SQLITE_OK);
	ck_assert_ptr_nonnull(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	ck_assert_int_ne(sqlite3_exec(db.h, "UPDATE agreement_versions SET body = 'changed'", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	ck_assert_int_eq(agreement_pending_orgs(&db, v), 0);
	ck_assert_int_eq(sqlite3_exec(db.h, "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
	struct agreement_version_list versions;
	ck_assert_int_eq(agreement_versions(&db, &a, &versions), 0);
	ck_assert_uint_eq(versions.n, 1);
	ck_assert_int_eq(versions.v[0].accepted, 1);
}
END_TEST

/* ---- accepting ---- */

START_TEST(accept_only_the_current_version)
{
	int64_t t = tenant("contoso.example", "partner");
	account(t, "indirect_reseller", "approved");
	const struct agreement_signer who = { "Ana", "Admin", "ana@contoso.example", "+49 30 1234567", "CEO" };
	const char *current = NULL;
	ck_assert_int_eq(agreement_accept(&db, &a, t, 1, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOTHING_PUBLISHED);
	ck_assert_str_eq(current, "");
	int64_t v1 = publish("1");
	int64_t v2 = publish("2");
	/* The page showed version 1 (or nothing): refused, naming the current one. */
	ck_assert_int_eq(agreement_accept(&db, &a, t, v1, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOT_CURRENT);
	ck_assert_str_eq(current, "2");
	ck_assert_int_eq(agreement_accept(&db, &a, t, 0, &who, 7, "192.0.2.7", t0, &current), ACCEPT_NOT_CURRENT);
	ck_assert_int_eq(agreement_gate(&db, &a, t, PT_INDIRECT_RESELLER, &(struct gate){ 0 }), GATE_NOT_ACCEPTED);
	ck_assert_int_eq(agreement_accept(&db, &a, t, v2, &who, 7, "192.0.2.7", t0 + 5, &current), ACCEPT_RECORDED);
	ck_assert_int_eq(agreement_accept(&db, &a, t, v2, &who, 8, "::1", t0 + 6, &current), ACCEPT_ALREADY);
	struct agreement_state s;
	ck_assert_int_eq(agreement_state(&db, &a, t, &s), 0);
	ck_assert(s.accepted);
	ck_assert_str_eq(s.signer_name, "Ana Admin");
	ck_assert_int_eq(s.accepted_at, t0 + 5);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT user_id FROM agreement_acceptances"), 7);
	struct agreement_version cur;
	ck_assert_int_eq(agreement_current(&db, &a, &cur), 1);
	ck_assert_int_eq(cur.id, v2);
	ck_assert_str_eq(cur.body, "The agreement.\n\nSecond paragraph.");
}
END_TEST

/* Whom others are told to ask: the Global admins, by name, no one else. */
START_TEST(acceptors_are_the_global_admins)
{
	int64_t t = tenant("contoso.example", "partner");
	user(t, "zed@contoso.example", "Zed Zimmer", ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(USER_ADMIN));
	user(t, "ana@contoso.example", "ana Admin", ROLE_MASK(GLOBAL_ADMIN));
	user(t, "acc@contoso.example", "Al Account", ROLE_MASK(ACCOUNT_ADMIN));
	int64_t other = tenant("fabrikam.example", "partner");
	user(other, "ga@fabrikam.example", "Gus Global", ROLE_MASK(GLOBAL_ADMIN));
	struct user_list l;
	ck_assert_int_eq(agreement_acceptors(&db, &a, t, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].email, "ana@contoso.example");
	ck_assert_str_eq(l.v[1].email, "zed@contoso.example");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("agreement");
	TCase *tc = tcase_create("gate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, gate_every_combination, 0, NSTATUS * NAGR);
	tcase_add_test(tc, gate_per_type);
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_follows_versions);
	tcase_add_test(tc, reseller_view_words);
	tcase_add_test(tc, publish_refusals);
	tcase_add_test(tc, acceptances_are_append_only);
	tcase_add_test(tc, accept_only_the_current_version);
	tcase_add_test(tc, acceptors_are_the_global_admins);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
