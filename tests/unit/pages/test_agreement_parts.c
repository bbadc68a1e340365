/* test_agreement_parts.c — the partner agreement's parts of other pages
 * (pages/agreement_parts.c): the overview's banner and the Program info row, for each kind of
 * user and agreement state. Each test gets a fresh in-memory database built from schema.sql. */
#include <string.h>

#include "pages/agreement.h"
#include "domain/access.h"
#include "store/db.h"
#include "unit.h"
#include "base/util.h"

static const int64_t t0 = 1700000000;

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
	req.store = &DB;
	req.a = &A;
	return &req;
}

START_TEST(banner_and_program_info)
{
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	unit_user(.tenant = t, .email = "ana@contoso.example", .name = "Ana Admin", .roles = ROLE_MASK(GLOBAL_ADMIN));
	unit_user(.tenant = t, .email = "zed@contoso.example", .name = "Zed Zimmer",
	    .roles = ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(USER_ADMIN));
	unit_user(.tenant = t, .email = "sam@contoso.example", .name = "Sam Sales", .roles = ROLE_MASK(SALES_AGENT));
	unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = PA_IN_REVIEW);

	/* No partner account: nothing at all. */
	struct tv *ctx = tv_new_obj(&A);
	int64_t v = unit_publish("1", t0);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), NULL), ctx);
	agreement_program_info_ctx(&req, ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
	ck_assert_ptr_null(tv_get(ctx, "agreement_info"));

	/* A Global admin of a partner (any status) with nothing accepted: the link. */
	ctx = tv_new_obj(&A);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "in_review"), ctx);
	const struct tv *b = tv_get(ctx, "agreement_banner");
	ck_assert_ptr_nonnull(b);
	ck_assert(!tv_truthy(tv_get(b, "accepted")));
	ck_assert(tv_truthy(tv_get(b, "can_accept")));
	ck_assert_str_eq(tv_str(b, "version"), "1");
	ck_assert_ptr_null(tv_get(b, "admins"));

	/* Anyone else: who to ask. */
	ctx = tv_new_obj(&A);
	agreement_banner_ctx(as(t, ROLE_MASK(SALES_AGENT), "in_review"), ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(!tv_truthy(tv_get(b, "can_accept")));
	ck_assert_str_eq(tv_str(b, "admins_text"), "Ana Admin (ana@contoso.example), Zed Zimmer (zed@contoso.example)");
	ck_assert_int_eq(tv_get(b, "admins")->n, 2);

	/* Accepted: the green state names version, signer and date. */
	unit_accept(t, v, t0 + 3600);
	ctx = tv_new_obj(&A);
	agreement_banner_ctx(as(t, ROLE_MASK(SALES_AGENT), "in_review"), ctx);
	agreement_program_info_ctx(&req, ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(tv_truthy(tv_get(b, "accepted")));
	ck_assert_str_eq(tv_str(b, "signer"), "Ana Admin");
	ck_assert_str_eq(tv_str(b, "date"), fmt_date(&A, t0 + 3600));
	const struct tv *p = tv_get(ctx, "agreement_info");
	ck_assert(tv_truthy(tv_get(p, "signed")));
	ck_assert_str_eq(tv_str(p, "name"), "Partner Agreement (MPA)");

	/* A new version: action needed again, naming the older one. */
	unit_publish("2", t0);
	ctx = tv_new_obj(&A);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "in_review"), ctx);
	agreement_program_info_ctx(&req, ctx);
	b = tv_get(ctx, "agreement_banner");
	ck_assert(!tv_truthy(tv_get(b, "accepted")));
	ck_assert_str_eq(tv_str(b, "older_version"), "1");
	p = tv_get(ctx, "agreement_info");
	ck_assert(!tv_truthy(tv_get(p, "signed")));
	ck_assert(tv_truthy(tv_get(p, "can_accept")));

	/* A customer organization never sees it. */
	ctx = tv_new_obj(&A);
	as(t, ROLE_MASK(GLOBAL_ADMIN), "approved")->sess->tenant_kind = TENANT_CUSTOMER;
	agreement_banner_ctx(&req, ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
}
END_TEST

START_TEST(no_banner_before_publishing)
{
	int64_t t = unit_org(.domain = "contoso.example", .at = t0);
	unit_account(.tenant = t, .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	struct tv *ctx = tv_new_obj(&A);
	agreement_banner_ctx(as(t, ROLE_MASK(GLOBAL_ADMIN), "approved"), ctx);
	ck_assert_ptr_null(tv_get(ctx, "agreement_banner"));
	agreement_program_info_ctx(&req, ctx);
	ck_assert(!tv_truthy(tv_get(tv_get(ctx, "agreement_info"), "published")));
}
END_TEST

UNIT_MAIN("agreement_parts",
	unit_case("hooks", unit_db_setup, unit_db_teardown, UNIT_TESTS(banner_and_program_info,
	    no_banner_before_publishing)))
