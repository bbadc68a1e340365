/* test_agreement.c — the partner agreement: the transaction gate for every enrollment
 * status × agreement state, the state and views built on it, publishing, the append-only
 * acceptance table, and the overview / Program info hooks. Each test gets a fresh
 * in-memory database built from schema.sql. */
#include <stdio.h>
#include <string.h>

#include "domain/agreement.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "store/db.h"
#include "web/http.h"
#include "base/tmpl.h"
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
	ck_assert_int_eq(db_run(&db, Q_TENANT_INSERT, QT(domain), QT(domain), QT("DE"), QT(kind), QI(t0)), 1);
	return db_last_id(&db);
}

static int64_t
user(int64_t tenant_id, const char *email, const char *name, unsigned role_bits)
{
	ck_assert_int_eq(db_run(&db, Q_USER_INSERT, QI(tenant_id), QT(email), QT(name), QNULL, QI(role_bits), QI(t0), QNULL), 1);
	return db_last_id(&db);
}

static void
account(int64_t tenant_id, const char *type, const char *status)
{
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

static void
accept(int64_t tenant_id, int64_t version_id)
{
	ck_assert_int_eq(db_run(&db, Q_AGREEMENT_ACCEPT, QI(tenant_id), QI(version_id), QT("Ana"), QT("Admin"),
	    QT("ana@contoso.example"), QT("+49 30 1234567"), QT("CEO"), QI(7), QI(t0 + 3600), QT("192.0.2.7")), 1);
}

/* ---- the gate: every enrollment status × agreement state ---- */

enum agr { AGR_NONE, AGR_PUBLISHED, AGR_OLDER, AGR_CURRENT };
static const char *const statuses[] = { NULL, "draft", "pending_verification", "in_review", "approved", "rejected" };
static const char *const status_words[] = { NULL, "Draft", "Pending verification", "In review", "Approved", "Rejected" };
#define NSTATUS 6
#define NAGR 4

static void
expected(int si, enum agr ag, enum agreement_gate *reason, const char **text)
{
	static char buf[256];
	if (statuses[si] == NULL) {
		*reason = GATE_NO_ACCOUNT;
		*text = "The organization is not enrolled as an indirect reseller.";
	} else if (strcmp(statuses[si], "approved") != 0) {
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
	if (statuses[si] != NULL)
		account(t, "indirect_reseller", statuses[si]);
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
	enum agreement_gate got = agreement_gate(&db, &a, t, "indirect_reseller", &g);
	ck_assert_msg(got == want, "status %s, agreement state %d: reason %d, want %d (%s)",
	    statuses[si] ? statuses[si] : "(no account)", ag, got, want, g.text);
	ck_assert_int_eq(g.reason, want);
	ck_assert_str_eq(g.text, want_text);
	if (statuses[si] == NULL) {
		ck_assert_ptr_null(g.status);
	} else {
		ck_assert_str_eq(g.status, statuses[si]);
		ck_assert_str_eq(g.type, "indirect_reseller");
	}
	/* The same answer when asking about "any account" (type NULL), but for no account. */
	struct gate any;
	agreement_gate(&db, &a, t, NULL, &any);
	ck_assert_int_eq(any.reason, want);
	if (statuses[si] == NULL)
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
	ck_assert_int_eq(agreement_gate(&db, &a, t, "indirect_provider", &g), GATE_NOT_ACCEPTED);
	ck_assert_int_eq(agreement_gate(&db, &a, t, "indirect_reseller", &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as an indirect reseller.");
	ck_assert_int_eq(agreement_gate(&db, &a, t, "direct_bill", &g), GATE_NO_ACCOUNT);
	ck_assert_str_eq(g.text, "The organization is not enrolled as a direct-bill partner.");
	accept(t, v);
	ck_assert_int_eq(agreement_gate(&db, &a, t, "indirect_provider", &g), GATE_OK);
	ck_assert_str_eq(g.text, "The indirect provider account is approved and version 2025-01 of the Partner Agreement (MPA) is accepted.");
	ck_assert_str_eq(g.version, "2025-01");

	int64_t d = tenant("direct.example", "partner");
	account(d, "direct_bill", "in_review");
	ck_assert_int_eq(agreement_gate(&db, &a, d, "direct_bill", &g), GATE_NOT_APPROVED);
	ck_assert_str_eq(g.text, "The direct-bill partner enrollment is not approved (status: In review).");
	/* type NULL prefers the approved account of an organization with two. */
	account(d, "indirect_reseller", "approved");
	accept(d, v);
	ck_assert_int_eq(agreement_gate(&db, &a, d, NULL, &g), GATE_OK);
	ck_assert_str_eq(g.type, "indirect_reseller");
	ck_assert_int_eq(agreement_gate(&db, &a, d, "direct_bill", &g), GATE_NOT_APPROVED);
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
	ck_assert_int_eq(db_int(&db, Q_AGREEMENT_VERSION_TAKEN, 0, QT("V2")), 1);	/* labels ignore case */
}
END_TEST

START_TEST(acceptances_are_append_only)
{
	int64_t t = tenant("contoso.example", "partner");
	int64_t v = publish("1");
	accept(t, v);
	/* Accepting again writes nothing. */
	ck_assert_int_eq(db_run(&db, Q_AGREEMENT_ACCEPT, QI(t), QI(v), QT("Bo"), QT("B"), QT("bo@contoso.example"),
	    QT("1234567"), QT("CFO"), QI(8), QI(t0), QT("::1")), 0);
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
	ck_assert_int_eq(db_int(&db, Q_AGREEMENT_PENDING_ORGS, -1, QI(v)), 0);
	ck_assert_int_eq(sqlite3_exec(db.h, "SELECT 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st = db_q0(&db, Q_AGREEMENT_VERSIONS);
	ck_assert_int_eq(db_step(st), SQLITE_ROW);
	ck_assert_int_eq(db_i64(st, 4), 1);
	sqlite3_reset(st);
}
END_TEST

/* ---- the page hooks ---- */

static struct session sess;
static struct req req;

static struct req *
as(int64_t tenant_id, unsigned role_bits, const char *reseller_status)
{
	memset(&sess, 0, sizeof(sess));
	memset(&req, 0, sizeof(req));
	sess.tenant_id = tenant_id;
	sess.user_id = 1;
	sess.roles = role_bits;
	sess.tenant_name = "Contoso Ltd";
	sess.tenant_kind = TENANT_PARTNER;
	sess.name = "Ana Admin";
	sess.email = "ana@contoso.example";
	for (int i = 0; i < PT__COUNT; i++)
		sess.pa[i] = PA_NONE;
	if (reseller_status != NULL)
		sess.pa[PT_INDIRECT_RESELLER] = pa_status_parse(reseller_status);
	req.sess = &sess;
	req.store = &db;
	req.a = &a;
	return &req;
}

START_TEST(banner_and_program_info)
{
	int64_t t = tenant("contoso.example", "partner");
	user(t, "ana@contoso.example", "Ana Admin", ROLE_MASK(GLOBAL_ADMIN));
	user(t, "zed@contoso.example", "Zed Zimmer", ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(USER_ADMIN));
	user(t, "sam@contoso.example", "Sam Sales", ROLE_MASK(SALES_AGENT));
	account(t, "indirect_reseller", "in_review");

	/* No partner account: nothing at all. */
	struct tv *ctx = tv_new_obj(&a);
	int64_t v = publish("1");
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), NULL), ctx);
	agreement_program_info_ctx(&req, ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
	ck_assert_ptr_null(tv_get(ctx, "agreement_info"));

	/* A Global admin of a partner (any status) with nothing accepted: the link. */
	ctx = tv_new_obj(&a);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "in_review"), ctx);
	const struct tv *b = tv_get(ctx, "agreement_banner");
	ck_assert_ptr_nonnull(b);
	ck_assert(!tv_truthy(tv_get(b, "accepted")));
	ck_assert(tv_truthy(tv_get(b, "can_accept")));
	ck_assert_str_eq(tv_str(b, "version"), "1");
	ck_assert_ptr_null(tv_get(b, "admins"));

	/* Anyone else: who to ask. */
	ctx = tv_new_obj(&a);
	agreement_banner_ctx(as(t, ROLE_MASK(SALES_AGENT), "in_review"), ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(!tv_truthy(tv_get(b, "can_accept")));
	ck_assert_str_eq(tv_str(b, "admins_text"), "Ana Admin (ana@contoso.example), Zed Zimmer (zed@contoso.example)");
	ck_assert_int_eq(tv_get(b, "admins")->n, 2);

	/* Accepted: the green state names version, signer and date. */
	accept(t, v);
	ctx = tv_new_obj(&a);
	agreement_banner_ctx(as(t, ROLE_MASK(SALES_AGENT), "in_review"), ctx);
	agreement_program_info_ctx(&req, ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(tv_truthy(tv_get(b, "accepted")));
	ck_assert_str_eq(tv_str(b, "signer"), "Ana Admin");
	ck_assert_str_eq(tv_str(b, "date"), fmt_date(&a, t0 + 3600));
	const struct tv *p = tv_get(ctx, "agreement_info");
	ck_assert(tv_truthy(tv_get(p, "signed")));
	ck_assert_str_eq(tv_str(p, "name"), "Partner Agreement (MPA)");

	/* A new version: action needed again, naming the older one. */
	publish("2");
	ctx = tv_new_obj(&a);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "in_review"), ctx);
	agreement_program_info_ctx(&req, ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(!tv_truthy(tv_get(b, "accepted")));
	ck_assert_str_eq(tv_str(b, "older_version"), "1");
	p = tv_get(ctx, "agreement_info");
	ck_assert(!tv_truthy(tv_get(p, "signed")));
	ck_assert(tv_truthy(tv_get(p, "can_accept")));

	/* A customer organization never sees it. */
	ctx = tv_new_obj(&a);
	as(t, ROLE_MASK(GLOBAL_ADMIN), "approved")->sess->tenant_kind = TENANT_CUSTOMER;
	agreement_banner_ctx(&req, ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
}
END_TEST

START_TEST(no_banner_before_publishing)
{
	int64_t t = tenant("contoso.example", "partner");
	account(t, "indirect_reseller", "approved");
	struct tv *ctx = tv_new_obj(&a);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "approved"), ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
	agreement_program_info_ctx(&req, ctx);
	ck_assert(!tv_truthy(tv_get(tv_get(ctx, "agreement_info"), "published")));
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
	suite_add_tcase(s, tc);
	tc = tcase_create("hooks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, banner_and_program_info);
	tcase_add_test(tc, no_banner_before_publishing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
