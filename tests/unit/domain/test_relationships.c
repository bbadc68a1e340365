/* test_relationships.c — the provider-reseller logic (relationships.c): the authorization
 * decision for every refusal and its order, list sorting and paging, links, expiries, and
 * the database side (one active relationship per pair, the single-use accept, the
 * agreement status a provider sees). */
#include "domain/agreement.h"
#include "unit.h"

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "domain/partners.h"
#include "domain/relationships.h"
#include "base/tmpl.h"
#include "base/token.h"

/* Facts under which authorizing is allowed; each test spoils one. */
static struct rel_facts
good(void)
{
	struct rel_facts f = {
		.has_link = true, .token = TOKEN_OK, .token_expires = 2000, .found = true, .status = INV_PENDING,
		.row_expires = 2000, .now = 1000, .provider_status = PA_APPROVED, .signed_in = true,
		.roles = ROLE_MASK(GLOBAL_ADMIN), .tenant_kind = TENANT_PARTNER, .same_org = false,
		.other_partner_type = false, .reseller_status = PA_APPROVED, .provider_region = "EUR",
		.reseller_region = "EUR", .related = false,
	};
	return f;
}

START_TEST(decide_allows_global_admin_and_account_admin)
{
	struct rel_facts f = good();
	ck_assert_int_eq(rel_decide(&f), RR_OK);
	f.roles = ROLE_MASK(ACCOUNT_ADMIN);
	ck_assert_int_eq(rel_decide(&f), RR_OK);
	f.roles = ROLE_MASK(ACCOUNT_ADMIN) | ROLE_MASK(SALES_AGENT);
	ck_assert_int_eq(rel_decide(&f), RR_OK);
}
END_TEST

START_TEST(decide_link_problems)
{
	struct rel_facts f = good();
	f.has_link = false;
	ck_assert_int_eq(rel_decide(&f), RR_NO_LINK);
	f = good();
	f.token = TOKEN_MALFORMED;
	ck_assert_int_eq(rel_decide(&f), RR_ALTERED);
	f.token = TOKEN_BAD_MAC;
	ck_assert_int_eq(rel_decide(&f), RR_ALTERED);
	f.token = TOKEN_WRONG_PURPOSE;
	ck_assert_int_eq(rel_decide(&f), RR_FOREIGN);
	f.token = TOKEN_BAD_KEY;
	ck_assert_int_eq(rel_decide(&f), RR_OLD_KEY);
	f.token = TOKEN_EXPIRED;
	ck_assert_int_eq(rel_decide(&f), RR_EXPIRED);
	f = good();
	f.found = false;
	ck_assert_int_eq(rel_decide(&f), RR_ALTERED);
}
END_TEST

START_TEST(decide_invitation_states)
{
	struct rel_facts f = good();
	f.status = INV_REVOKED;
	ck_assert_int_eq(rel_decide(&f), RR_REVOKED);
	f.status = INV_ACCEPTED;
	ck_assert_int_eq(rel_decide(&f), RR_USED);
	f.status = INV_EXPIRED;
	ck_assert_int_eq(rel_decide(&f), RR_EXPIRED);
	/* Re-sent: the row has a newer expiry than the link. */
	f = good();
	f.row_expires = 2500;
	ck_assert_int_eq(rel_decide(&f), RR_REPLACED);
	/* The row's own expiry passed (same as the token's). */
	f = good();
	f.now = 2000;
	ck_assert_int_eq(rel_decide(&f), RR_EXPIRED);
	f = good();
	f.provider_status = PA_REJECTED;
	ck_assert_int_eq(rel_decide(&f), RR_PROVIDER_GONE);
	f.provider_status = PA_NONE;
	ck_assert_int_eq(rel_decide(&f), RR_PROVIDER_GONE);
}
END_TEST

START_TEST(decide_account_problems)
{
	struct rel_facts f = good();
	f.signed_in = false;
	ck_assert_int_eq(rel_decide(&f), RR_SIGNED_OUT);
	f = good();
	f.same_org = true;
	ck_assert_int_eq(rel_decide(&f), RR_SELF);
	f = good();
	f.tenant_kind = TENANT_CUSTOMER;
	f.reseller_status = PA_NONE;
	ck_assert_int_eq(rel_decide(&f), RR_WRONG_TYPE);
	f = good();
	f.reseller_status = PA_NONE;
	f.other_partner_type = true;		/* a provider or direct-bill partner */
	ck_assert_int_eq(rel_decide(&f), RR_WRONG_TYPE);
	f = good();
	f.reseller_status = PA_NONE;		/* a partner tenant that never enrolled */
	ck_assert_int_eq(rel_decide(&f), RR_NOT_ENROLLED);
	const int not_yet[] = { PA_DRAFT, PA_PENDING_VERIFICATION, PA_IN_REVIEW, PA_REJECTED };
	for (size_t i = 0; i < NELEM(not_yet); i++) {
		f = good();
		f.reseller_status = not_yet[i];
		ck_assert_int_eq(rel_decide(&f), RR_NOT_ENROLLED);
	}
	/* A reseller account being enrolled beside another type is "not enrolled", not "wrong type". */
	f = good();
	f.reseller_status = PA_IN_REVIEW;
	f.other_partner_type = true;
	ck_assert_int_eq(rel_decide(&f), RR_NOT_ENROLLED);
	f = good();
	f.reseller_region = "NAM";
	ck_assert_int_eq(rel_decide(&f), RR_OTHER_REGION);
	f = good();
	f.related = true;
	ck_assert_int_eq(rel_decide(&f), RR_ALREADY_RELATED);
	const unsigned others[] = { 0, ROLE_MASK(USER_ADMIN), ROLE_MASK(ADMIN_AGENT), ROLE_MASK(SALES_AGENT),
	    ROLE_MASK(HELPDESK_AGENT), ROLE_MASK(BILLING_ADMIN) };
	for (size_t i = 0; i < NELEM(others); i++) {
		f = good();
		f.roles = others[i];
		ck_assert_int_eq(rel_decide(&f), RR_NOT_ADMIN);
	}
}
END_TEST

/* Link problems come before account problems: a revoked link is "revoked" for anyone. */
START_TEST(decide_order)
{
	struct rel_facts f = good();
	f.status = INV_REVOKED;
	f.signed_in = false;
	f.reseller_region = "NAM";
	ck_assert_int_eq(rel_decide(&f), RR_REVOKED);
	f = good();
	f.token = TOKEN_EXPIRED;
	f.found = false;
	ck_assert_int_eq(rel_decide(&f), RR_EXPIRED);
	f = good();
	f.status = INV_ACCEPTED;
	f.row_expires = 9999;
	ck_assert_int_eq(rel_decide(&f), RR_USED);
	f = good();
	f.reseller_status = PA_IN_REVIEW;
	f.reseller_region = "NAM";
	f.roles = ROLE_MASK(SALES_AGENT);
	ck_assert_int_eq(rel_decide(&f), RR_NOT_ENROLLED);
	f = good();
	f.reseller_region = "NAM";
	f.related = true;
	ck_assert_int_eq(rel_decide(&f), RR_OTHER_REGION);
}
END_TEST

/* (The HTTP status of each refusal is the page's: pages/test_authorize.c.) */
START_TEST(refusal_codes_and_links)
{
	for (int i = 1; i < RR__COUNT; i++) {
		ck_assert_str_ne(rel_refusal_code(i), "?");
		for (int k = 1; k < i; k++)
			ck_assert_str_ne(rel_refusal_code(i), rel_refusal_code(k));
	}
	ck_assert_str_eq(rel_refusal_code(RR_OTHER_REGION), "other-region");
	/* Not enrolled yet: the link stays usable; a used or altered one does not. */
	ck_assert(rel_refusal_keeps_link(RR_NOT_ENROLLED));
	ck_assert(rel_refusal_keeps_link(RR_OTHER_REGION));
	ck_assert(!rel_refusal_keeps_link(RR_USED));
	ck_assert(!rel_refusal_keeps_link(RR_ALTERED));
	ck_assert_str_eq(rel_refusal_code(RR__COUNT), "?");
}
END_TEST

START_TEST(list_parse)
{
	struct rel_list l;
	ck_assert_int_eq(rel_list_parse(NULL, NULL, NULL, &l), 0);
	ck_assert_int_eq(l.sort, REL_SORT_NAME);
	ck_assert(!l.desc);
	ck_assert_int_eq(l.page, 1);
	ck_assert_int_eq(rel_list_variant(&l), 0);
	ck_assert_int_eq(rel_list_parse("since", "desc", "3", &l), 0);
	ck_assert_int_eq(l.sort, REL_SORT_SINCE);
	ck_assert(l.desc);
	ck_assert_int_eq(l.page, 3);
	ck_assert_int_eq(rel_list_variant(&l), 3);
	ck_assert_int_eq(rel_list_parse("name", "desc", "", &l), 0);
	ck_assert_int_eq(rel_list_variant(&l), 1);
	ck_assert_int_eq(rel_list_parse("since", "asc", NULL, &l), 0);
	ck_assert_int_eq(rel_list_variant(&l), 2);
	/* Only the whitelisted words. */
	ck_assert_int_eq(rel_list_parse("name; DROP TABLE users", NULL, NULL, &l), -1);
	ck_assert_int_eq(rel_list_parse("t.name", NULL, NULL, &l), -1);
	ck_assert_int_eq(rel_list_parse("NAME", NULL, NULL, &l), -1);
	ck_assert_int_eq(rel_list_parse("name", "up", NULL, &l), -1);
	ck_assert_int_eq(rel_list_parse(NULL, NULL, "0", &l), -1);
	ck_assert_int_eq(rel_list_parse(NULL, NULL, "-1", &l), -1);
	ck_assert_int_eq(rel_list_parse(NULL, NULL, "2x", &l), -1);
	ck_assert_int_eq(rel_list_parse(NULL, NULL, "1000001", &l), -1);
}
END_TEST

START_TEST(expiry_always_moves_forward)
{
	ck_assert_int_eq(rel_next_expiry(1000, 0), 1000 + REL_INVITE_TTL);
	ck_assert_int_eq(rel_next_expiry(1000, 1000 + REL_INVITE_TTL), 1001 + REL_INVITE_TTL);
	ck_assert_int_eq(rel_next_expiry(1000, 5000 + REL_INVITE_TTL), 5001 + REL_INVITE_TTL);
}
END_TEST

START_TEST(invite_token_is_purpose_bound)
{
	char *t = rel_invite_token(&A, 42, 5000);
	ck_assert_ptr_nonnull(t);
	struct token tok;
	ck_assert_int_eq(token_open(t, TP_RESELLER_INVITE, 4000, &tok), TOKEN_OK);
	ck_assert_int_eq(tok.row, 42);
	ck_assert_int_eq(tok.expires, 5000);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, 4000, &tok), TOKEN_WRONG_PURPOSE);
	ck_assert_int_eq(token_open(t, TP_RESELLER_INVITE, 5000, &tok), TOKEN_EXPIRED);
}
END_TEST

/* ---- database ---- */

/* A partner organization named after its domain. */
static struct unit_ids
partner(const char *domain, const char *country, enum partner_type type, enum pa_status status)
{
	return unit_partner(.domain = domain, .country = country, .type = type, .status = status);
}

START_TEST(one_active_relationship_per_pair)
{
	int64_t p = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t r = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t id = rel_create(&DB, p, r, 0, 0, 100);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(rel_create(&DB, p, r, 0, 0, 101), 0);
	/* The index refuses a second active row even past the check. */
	ck_assert_int_ne(sqlite3_exec(DB.h, "INSERT INTO provider_relationships(provider_id, reseller_id, since) VALUES (1, 2, 5)",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT admin_access FROM provider_relationships"), 1);
	ck_assert_int_eq(rel_end(&DB, id, "asked by the reseller", 200), 1);
	ck_assert_int_eq(rel_end(&DB, id, "again", 201), 0);
	char reason[64];
	unit_sql_text(DB.h, "SELECT end_reason || '@' || ended_at FROM provider_relationships", reason, sizeof(reason));
	ck_assert_str_eq(reason, "asked by the reseller@200");
	/* Ended: the two may be related again. */
	int64_t again = rel_create(&DB, p, r, 0, 0, 300);
	ck_assert_int_gt(again, id);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM provider_relationships WHERE status = 'active'"), 1);
}
END_TEST

START_TEST(accept_is_single_use_and_bound_to_expiry)
{
	int64_t p = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t r = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t inv = st_invitation_insert(&DB, p, "x@con.example", "", 0, 10, 5000);
	ck_assert_int_gt(inv, 0);
	/* A link with another expiry (an earlier send) does nothing. */
	ck_assert_int_eq(st_invitation_accept(&DB, inv, 4999, r, 0, 100), 0);
	/* Past the expiry, nothing either. */
	ck_assert_int_eq(st_invitation_accept(&DB, inv, 5000, r, 0, 5000), 0);
	ck_assert_int_eq(st_invitation_accept(&DB, inv, 5000, r, 0, 100), 1);
	ck_assert_int_eq(st_invitation_accept(&DB, inv, 5000, r, 0, 101), 0);
	/* Neither resend nor revoke touches an accepted invitation. */
	ck_assert_int_eq(st_invitation_resend(&DB, inv, p, 200, 9000), 0);
	ck_assert_int_eq(st_invitation_revoke(&DB, inv, p, 0, 200), 0);
	/* Another provider cannot resend or revoke it. */
	int64_t inv2 = st_invitation_insert(&DB, p, "y@con.example", "", 0, 10, 5000);
	ck_assert_int_gt(inv2, 0);
	ck_assert_int_eq(st_invitation_revoke(&DB, inv2, r, 0, 200), 0);
	ck_assert_int_eq(st_invitation_resend(&DB, inv2, p, 200, 9000), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT expires_at FROM reseller_invitations WHERE email = 'y@con.example'"), 9000);
}
END_TEST

START_TEST(agreement_status_as_a_provider_sees_it)
{
	/* The Indirect resellers page shows agreement_reseller_view (agreement.h). */
	int64_t tenant = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).tenant;
	struct agreement_view v;
	ck_assert_int_eq(agreement_reseller_view(&DB, &A, tenant, &v), 0);
	ck_assert_str_eq(v.words, "Not published");
	int64_t v1 = unit_publish("2024-01", 10);
	ck_assert_int_eq(agreement_reseller_view(&DB, &A, tenant, &v), 0);
	ck_assert_str_eq(v.words, "Not accepted");
	ck_assert_str_eq(v.tag, "warn");
	unit_accept(tenant, v1, 11);
	ck_assert_int_eq(agreement_reseller_view(&DB, &A, tenant, &v), 0);
	ck_assert_str_eq(v.words, "Accepted");
	ck_assert_str_eq(v.tag, "ok");
	ck_assert(v.accepted);
	/* A new version: not accepted again. */
	unit_publish("2025-01", 20);
	ck_assert_int_eq(agreement_reseller_view(&DB, &A, tenant, &v), 0);
	ck_assert_str_eq(v.words, "Older version accepted");
	ck_assert(!v.accepted);
}
END_TEST

START_TEST(account_lookup)
{
	struct unit_ids fab = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_IN_REVIEW);
	int64_t id = -1;
	ck_assert_int_eq(partner_status_of(&DB, fab.tenant, PT_INDIRECT_PROVIDER, &id), PA_IN_REVIEW);
	ck_assert_int_eq(id, fab.account);
	ck_assert_int_eq(partner_status_of(&DB, fab.tenant, PT_INDIRECT_RESELLER, &id), PA_NONE);
	ck_assert_int_eq(id, 0);
}
END_TEST


/* ---- the facts /authorize gathers, and acting on them ---- */

/* A session as the dispatcher loads it, for a user of tenant with roles. */
static struct session
visitor(int64_t tenant, unsigned role_bits)
{
	struct session s = { .user_id = 1, .tenant_id = tenant, .roles = role_bits, .tenant_kind = TENANT_PARTNER };
	return s;
}

START_TEST(check_gathers_the_facts)
{
	struct unit_ids prov = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED);
	int64_t p = prov.account;
	struct unit_ids res = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED);
	int64_t r = res.account;
	int64_t expires = 5000;
	int64_t inv = st_invitation_insert(&DB, p, "x@con.example", "Hi", 0, 10, expires);
	char *link = rel_invite_token(&A, inv, expires);
	struct rel_check c;
	/* Signed out: everything about the link, then "sign in". */
	ck_assert_int_eq(rel_check(&DB, &A, link, NULL, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_SIGNED_OUT);
	ck_assert(c.f.found);
	ck_assert_int_eq(c.f.status, INV_PENDING);
	ck_assert_int_eq(c.f.provider_status, PA_APPROVED);
	ck_assert_str_eq(c.provider.name, "fab.example");
	ck_assert_str_eq(c.f.provider_region, "EUR");
	ck_assert_str_eq(c.inv.message, "Hi");
	/* The reseller's Global admin: allowed; the facts of its organization. */
	struct session s = visitor(res.tenant, ROLE_MASK(GLOBAL_ADMIN));
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_OK);
	ck_assert_int_eq(c.reseller_id, r);
	ck_assert_int_eq(c.f.reseller_status, PA_APPROVED);
	ck_assert(!c.f.other_partner_type);
	ck_assert_str_eq(c.org.country.name, "France");
	/* Its Sales agent: not an admin. The provider's own user: its own organization. */
	s = visitor(res.tenant, ROLE_MASK(SALES_AGENT));
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_NOT_ADMIN);
	s = visitor(prov.tenant, ROLE_MASK(GLOBAL_ADMIN));
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_SELF);
	ck_assert(c.f.other_partner_type);
	ck_assert_int_eq(c.f.reseller_status, PA_NONE);
	/* No link, an altered one, one for a row that does not exist. */
	ck_assert_int_eq(rel_check(&DB, &A, NULL, NULL, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_NO_LINK);
	ck_assert_int_eq(rel_check(&DB, &A, rel_invite_token(&A, inv + 1, expires), NULL, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_ALTERED);
	ck_assert(!c.f.found);

	/* Acting on it: accepted once, related once. */
	s = visitor(res.tenant, ROLE_MASK(ACCOUNT_ADMIN));
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_OK);
	enum rel_refusal why = RR_OK;
	int64_t rel = rel_authorize(&DB, &c, 0, &why);
	ck_assert_int_gt(rel, 0);
	ck_assert_int_eq(rel_authorize(&DB, &c, 0, &why), 0);
	ck_assert_int_eq(why, RR_USED);
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 101, &c), 0);
	ck_assert_int_eq(c.why, RR_USED);
	/* A second invitation of the same provider: already related. */
	int64_t inv2 = st_invitation_insert(&DB, p, "y@con.example", "", 0, 10, expires);
	link = rel_invite_token(&A, inv2, expires);
	ck_assert_int_eq(rel_check(&DB, &A, link, &s, 100, &c), 0);
	ck_assert_int_eq(c.why, RR_ALREADY_RELATED);
	ck_assert(c.f.related);
}
END_TEST

START_TEST(invitations_of_a_provider)
{
	int64_t p = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t other = partner("other.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t expires = 0;
	int64_t id = rel_invite(&DB, p, "x@con.example", "Hello", 0, 1000, &expires);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(expires, 1000 + REL_INVITE_TTL);
	/* One pending invitation per address; another provider may invite it too. */
	ck_assert_int_eq(rel_invite(&DB, p, "x@con.example", "Again", 0, 1001, &expires), 0);
	ck_assert_int_gt(rel_invite(&DB, other, "x@con.example", "", 0, 1001, &expires), 0);

	struct reseller_invitation inv;
	const char *why = NULL;
	ck_assert_int_eq(rel_invitation_of(&DB, &A, id, other, &inv, &why), 0);
	ck_assert_str_eq(why, "another organization's invitation");
	ck_assert_int_eq(rel_invitation_of(&DB, &A, id + 100, p, &inv, &why), 0);
	ck_assert_str_eq(why, "no such invitation");
	ck_assert_int_eq(rel_invitation_of(&DB, &A, id, p, &inv, &why), 1);
	ck_assert_int_eq(rel_invitation_state(&inv, 1001), INV_PENDING);
	ck_assert_int_eq(rel_invitation_state(&inv, inv.expires_at), INV_EXPIRED);

	/* Past its expiry: stored as expired, and a new invitation to the address is allowed. */
	int64_t later = 1000 + REL_INVITE_TTL;
	ck_assert_int_eq(rel_invitations_expire(&DB, p, later), 0);
	ck_assert_int_eq(rel_invitation_of(&DB, &A, id, p, &inv, &why), 1);
	ck_assert_int_eq(inv.status, INV_EXPIRED);
	/* Resent: pending again, with an expiry later than any before. */
	int64_t before = inv.expires_at;
	ck_assert_int_eq(rel_invitation_resend(&DB, &inv, later), 1);
	ck_assert_int_eq(inv.status, INV_PENDING);
	ck_assert_int_gt(inv.expires_at, before);
	ck_assert_int_eq(inv.sent_at, later);
	ck_assert_int_eq(rel_invitation_revoke(&DB, &inv, 0, later + 1), 1);
	ck_assert_int_eq(rel_invitation_revoke(&DB, &inv, 0, later + 2), 0);
	ck_assert_int_eq(rel_invitation_resend(&DB, &inv, later + 3), 0);
	ck_assert_int_gt(rel_invite(&DB, p, "x@con.example", "New", 0, later + 4, &expires), id);
}
END_TEST

START_TEST(relationships_of_a_reseller)
{
	int64_t p = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	int64_t r = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t r2 = partner("oth.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account;
	int64_t id = rel_create(&DB, p, r, 0, 0, 100);
	struct provider_rel rel;
	const char *why = NULL;
	ck_assert_int_eq(rel_of_reseller(&DB, &A, id, r2, &rel, &why), 0);
	ck_assert_str_eq(why, "another organization's relationship");
	ck_assert_int_eq(rel_of_reseller(&DB, &A, id + 9, r, &rel, &why), 0);
	ck_assert_str_eq(why, "no such relationship");
	ck_assert_int_eq(rel_of_reseller(&DB, &A, id, r, &rel, &why), 1);
	ck_assert_str_eq(rel.provider_name, "fab.example");
	ck_assert_int_eq(rel_remove_access(&DB, &rel, 0, 150), 1);
	ck_assert_int_eq(rel_remove_access(&DB, &rel, 0, 151), 0);
	/* The operator ends it by its two sides. */
	ck_assert_int_eq(rel_end_between(&DB, p, r2, "no", 200), 0);
	ck_assert_int_eq(rel_end_between(&DB, p, r, "asked", 200), id);
	ck_assert_int_eq(rel_end_between(&DB, p, r, "again", 201), 0);
	ck_assert_int_eq(rel_of_reseller(&DB, &A, id, r, &rel, &why), 0);
	ck_assert_str_eq(why, "relationship ended");
	struct rel_overview_list all;
	ck_assert_int_eq(rel_all(&DB, &A, 0, r, &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_int_eq(all.v[0].status, RS_ENDED);
	/* The operator names accounts by id or domain, of the right type only. */
	ck_assert_int_eq(rel_account_by_id(&DB, &A, p, PT_INDIRECT_PROVIDER), p);
	ck_assert_int_eq(rel_account_by_id(&DB, &A, p, PT_INDIRECT_RESELLER), 0);
	ck_assert_int_eq(rel_account_by_id(&DB, &A, 999, PT_INDIRECT_RESELLER), 0);
	ck_assert_int_eq(rel_account_by_domain(&DB, "CON.example", PT_INDIRECT_RESELLER), r);
	ck_assert_int_eq(rel_account_by_domain(&DB, "con.example", PT_INDIRECT_PROVIDER), 0);
	ck_assert_int_eq(rel_account_by_domain(&DB, "nobody.example", PT_INDIRECT_PROVIDER), 0);
}
END_TEST

START_TEST(lists_are_paged_by_twenty)
{
	int64_t p = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED).account;
	for (int i = 0; i < 25; i++) {
		char d[32];
		snprintf(d, sizeof(d), "r%02d.example", i);
		ck_assert_int_gt(rel_create(&DB, p, partner(d, "FR", PT_INDIRECT_RESELLER, PA_APPROVED).account, 0, 0, 100 + i), 0);
	}
	struct rel_list l;
	struct rel_page pg;
	/* The first page: twenty, newest first, and a Next. */
	ck_assert_int_eq(rel_list_parse("since", "desc", NULL, &l), 0);
	ck_assert_int_eq(rel_resellers_seek(&DB, &A, p, &l, CUST_FIRST, 0, &pg), 0);
	ck_assert_uint_eq(pg.rows.n, 20);
	ck_assert_str_eq(pg.rows.v[0].name, "r24.example");
	ck_assert(!pg.prev && pg.next);
	/* Next from its last row: the other five, and a Previous only. */
	ck_assert_int_eq(rel_resellers_seek(&DB, &A, p, &l, CUST_AFTER, pg.rows.v[19].id, &pg), 0);
	ck_assert_uint_eq(pg.rows.n, 5);
	ck_assert_str_eq(pg.rows.v[0].name, "r04.example");
	ck_assert(pg.prev && !pg.next);
	/* An old ?page=2 link reads the same rows by skipping. */
	ck_assert_int_eq(rel_list_parse("since", "desc", "2", &l), 0);
	ck_assert_int_eq(rel_resellers_seek(&DB, &A, p, &l, CUST_FIRST, 0, &pg), 0);
	ck_assert_uint_eq(pg.rows.n, 5);
	ck_assert_str_eq(pg.rows.v[0].name, "r04.example");
	ck_assert(pg.prev && !pg.next);
	/* A page past the end shows the last twenty. */
	ck_assert_int_eq(rel_list_parse("since", "desc", "9", &l), 0);
	ck_assert_int_eq(rel_resellers_seek(&DB, &A, p, &l, CUST_FIRST, 0, &pg), 0);
	ck_assert_uint_eq(pg.rows.n, 20);
	ck_assert_str_eq(pg.rows.v[19].name, "r00.example");
	ck_assert(pg.prev && !pg.next);
	/* The provider has no providers of its own. */
	ck_assert_int_eq(rel_providers_seek(&DB, &A, p, &l, CUST_FIRST, 0, &pg), 0);
	ck_assert_uint_eq(pg.rows.n, 0);
}
END_TEST

/* Notices go to the users who manage the relationships on each side, however many. */
START_TEST(recipients_by_permission)
{
	struct unit_ids prov = partner("fab.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED);
	struct unit_ids res = partner("con.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED);
	const unsigned kinds[] = { ROLE_MASK(GLOBAL_ADMIN), ROLE_MASK(ACCOUNT_ADMIN), ROLE_MASK(ADMIN_AGENT),
		ROLE_MASK(SALES_AGENT), ROLE_MASK(USER_ADMIN) };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < NELEM(kinds); i++)
			for (int n = 0; n < 10; n++) {
				char email[64];
				snprintf(email, sizeof(email), "u%d-%zu-%d@x.example", k, i, n);
				unit_user(.tenant = k ? res.tenant : prov.tenant, .email = email, .roles = kinds[i]);
			}
	struct user_list l;
	ck_assert_int_eq(rel_recipients(&DB, &A, prov.tenant, PT_INDIRECT_PROVIDER, &l), 0);
	ck_assert_uint_eq(l.n, 30);		/* Global admins, Account admins, Admin agents: no cap */
	ck_assert_int_eq(rel_recipients(&DB, &A, res.tenant, PT_INDIRECT_RESELLER, &l), 0);
	ck_assert_uint_eq(l.n, 20);		/* Global admins, Account admins */
	for (size_t i = 0; i < l.n; i++)
		ck_assert(l.v[i].roles & (ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ACCOUNT_ADMIN)));
}
END_TEST

UNIT_MAIN("relationships",
	unit_case("logic", unit_setup, unit_teardown, UNIT_TESTS(decide_allows_global_admin_and_account_admin,
	    decide_link_problems, decide_invitation_states, decide_account_problems, decide_order,
	    refusal_codes_and_links, list_parse, expiry_always_moves_forward, invite_token_is_purpose_bound)),
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(one_active_relationship_per_pair,
	    accept_is_single_use_and_bound_to_expiry, agreement_status_as_a_provider_sees_it, account_lookup,
	    check_gathers_the_facts, invitations_of_a_provider, relationships_of_a_reseller,
	    lists_are_paged_by_twenty, recipients_by_permission)))
