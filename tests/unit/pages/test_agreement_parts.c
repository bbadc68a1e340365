/* test_agreement_parts.c — the partner agreement's parts of other pages
 * (pages/agreement_parts.c): the overview's banner and the Program info row, for each kind of
 * user and agreement state. Each test gets a fresh in-memory database built from schema.sql. */
#include <string.h>

#include "pages/agreement.h"
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
	unit_db_open(&db);
	arena_init(&a, 0);
}

static void
teardown(void)
{
	db_close(&db);
	arena_free(&a);
}

static int64_t
tenant(const char *domain)
{
	int64_t id = st_tenant_insert(&db, domain, domain, "DE", TENANT_PARTNER, t0);
	ck_assert_int_gt(id, 0);
	return id;
}

static void
user(int64_t tenant_id, const char *email, const char *name, unsigned role_bits)
{
	ck_assert_int_gt(st_user_insert(&db, tenant_id, email, name, NULL, role_bits, t0), 0);
}

static void
account(int64_t tenant_id, const char *status)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "INSERT INTO partner_accounts(tenant_id, type, status, created_at)"
	    " VALUES (%lld, 'indirect_reseller', '%s', 1)", (long long)tenant_id, status);
	ck_assert_int_eq(sqlite3_exec(db.h, sql, NULL, NULL, NULL), SQLITE_OK);
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
	const struct agreement_acceptance acc = { .version_id = version_id, .first = "Ana", .last = "Admin",
		.email = "ana@contoso.example", .phone = "+49 30 1234567", .title = "CEO", .user_id = 7,
		.accepted_at = t0 + 3600, .ip = "192.0.2.7" };
	ck_assert_int_eq(st_agreement_accept(&db, tenant_id, &acc), 1);
}

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
	int64_t t = tenant("contoso.example");
	user(t, "ana@contoso.example", "Ana Admin", ROLE_MASK(GLOBAL_ADMIN));
	user(t, "zed@contoso.example", "Zed Zimmer", ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(USER_ADMIN));
	user(t, "sam@contoso.example", "Sam Sales", ROLE_MASK(SALES_AGENT));
	account(t, "in_review");

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
	int64_t t = tenant("contoso.example");
	account(t, "approved");
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
	Suite *s = suite_create("agreement_parts");
	TCase *tc = tcase_create("hooks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, banner_and_program_info);
	tcase_add_test(tc, no_banner_before_publishing);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
