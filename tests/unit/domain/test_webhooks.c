/* test_webhooks.c — webhooks (issue 14): the Standard Webhooks signature against vectors
 * computed independently (Node's crypto.createHmac, and the Standard Webhooks
 * specification's own example), the secret's text form, the retry schedule, which addresses
 * are private, which URLs an endpoint may have; and against the store: an event queued only
 * for the endpoints that take it and only when the action succeeds, the sealed secret signs
 * what the receiver checks, and a claim won by exactly one process. */
#include "unit.h"

#include <arpa/inet.h>
#include <sodium.h>

#include "base/seal.h"
#include "base/webhook.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/agreement.h"
#include "domain/delegated.h"
#include "domain/webhooks.h"

START_TEST(signature_vectors)
{
	const char *id = "msg_p5jXN8AQM9LWM0D4loKWxJek", *body = "{\"test\": 2432232314}";
	char sig[WEBHOOK_SIG_SIZE];
	/* key 00 01 02 ... 1f; node -e 'crypto.createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")' */
	unsigned char key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	ck_assert_int_eq(webhook_sign(key, sizeof(key), id, 1614265330, body, strlen(body), sig), 0);
	ck_assert_str_eq(sig, "v1,O4Gjv1HqPqsMrjmczoggs/sWA8gZD0VyHG+fLh4+ktI=");
	/* the specification's example: secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw */
	unsigned char k2[64];
	size_t n = 0;
	ck_assert_int_eq(sodium_base642bin(k2, sizeof(k2), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 32, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL), 0);
	ck_assert_int_eq(webhook_sign(k2, n, id, 1614265330, body, strlen(body), sig), 0);
	ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	/* any change of id, time or body changes it */
	ck_assert_int_eq(webhook_sign(k2, n, id, 1614265331, body, strlen(body), sig), 0);
	ck_assert_str_ne(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	char text[WEBHOOK_SECRET_LEN + 1];
	webhook_secret_text(key, text);
	ck_assert_str_eq(text, "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
}
END_TEST

START_TEST(backoff_schedule)
{
	ck_assert_int_eq(webhook_backoff(1, 60), 60);
	ck_assert_int_eq(webhook_backoff(2, 60), 120);
	ck_assert_int_eq(webhook_backoff(3, 60), 240);
	ck_assert_int_eq(webhook_backoff(9, 60), 15360);
	ck_assert_int_eq(webhook_backoff(10, 60), WEBHOOK_BACKOFF_MAX);
	ck_assert_int_eq(webhook_backoff(1000, 60), WEBHOOK_BACKOFF_MAX);
	ck_assert_int_eq(webhook_backoff(1, 1), 1);
	/* the attempts of a delivery queued at 0 that always fails: 60 s after the first, then
	 * doubling, until the next would come after 24 hours: failed (0) */
	int64_t at = 0, since = 0;
	int tries = 1;
	for (;;) {
		int64_t next = webhook_next_attempt(tries, 60, since, at);
		if (next == 0)
			break;
		ck_assert_int_eq(next - at, webhook_backoff(tries, 60));
		at = next;
		tries++;
	}
	ck_assert_int_le(at, since + WEBHOOK_RETRY_SECONDS);
	ck_assert_int_gt(at + webhook_backoff(tries, 60), since + WEBHOOK_RETRY_SECONDS);
	ck_assert_int_eq(tries, 12);	/* waits of 60 .. 15360 s, then 6 h: 12 attempts in 24 h */
}
END_TEST

static bool
priv(const char *text)
{
	unsigned char b[16];
	if (inet_pton(AF_INET, text, b) == 1)
		return webhook_ip_private(AF_INET, b);
	ck_assert_int_eq(inet_pton(AF_INET6, text, b), 1);
	return webhook_ip_private(AF_INET6, b);
}

START_TEST(private_addresses)
{
	const char *refused[] = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "ff02::1", "2001:db8::1" };
	const char *allowed[] = { "93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
		"::ffff:8.8.8.8" };
	for (size_t i = 0; i < NELEM(refused); i++)
		ck_assert_msg(priv(refused[i]), "%s is private", refused[i]);
	for (size_t i = 0; i < NELEM(allowed); i++)
		ck_assert_msg(!priv(allowed[i]), "%s is public", allowed[i]);
}
END_TEST

START_TEST(endpoint_urls)
{
	ck_assert_ptr_null(webhook_url_problem("https://hooks.example.com/portal", false));
	ck_assert_ptr_null(webhook_url_problem("https://hooks.example.com:8443/p?x=1", false));
	ck_assert_ptr_null(webhook_url_problem("https://[2606:4700::1111]/p", false));
	ck_assert_ptr_nonnull(webhook_url_problem("http://hooks.example.com/portal", false));
	ck_assert_ptr_nonnull(webhook_url_problem("http://hooks.example.com/portal", true));	/* http: loopback only */
	ck_assert_ptr_nonnull(webhook_url_problem("http://127.0.0.1:8080/h", false));
	ck_assert_ptr_null(webhook_url_problem("http://127.0.0.1:8080/h", true));
	ck_assert_ptr_null(webhook_url_problem("http://[::1]:8080/h", true));
	ck_assert_ptr_nonnull(webhook_url_problem("https://10.0.0.1/h", false));
	ck_assert_ptr_null(webhook_url_problem("https://10.0.0.1/h", true));
	ck_assert_ptr_nonnull(webhook_url_problem("https://user:pw@example.com/h", false));
	ck_assert_ptr_nonnull(webhook_url_problem("https://example.com/a b", false));
	ck_assert_ptr_nonnull(webhook_url_problem("https:///h", false));
	ck_assert_ptr_nonnull(webhook_url_problem("https://example.com:99999999/h", false));
	ck_assert_ptr_nonnull(webhook_url_problem("ftp://example.com/h", false));
	ck_assert_ptr_nonnull(webhook_url_problem("javascript:alert(1)", false));
}
END_TEST

START_TEST(events_in_the_store)
{
	int64_t t = unit_org(.domain = "contoso.example"), other = unit_org(.domain = "fabrikam.example");
	const char *secret = NULL, *s2 = NULL;
	unsigned users = (1u << WH_USER_ADDED) | (1u << WH_USER_REMOVED);
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t ep = webhook_endpoint_create(&DB, &A, t, 0, "https://hooks.example.com/a", users, 1000, &secret);
	int64_t ep2 = webhook_endpoint_create(&DB, &A, t, 0, "https://hooks.example.com/b", 1u << WH_ORDER_PLACED, 1000, &s2);
	ck_assert_int_gt(ep, 0);
	ck_assert_int_gt(ep2, 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(strlen(secret), WEBHOOK_SECRET_LEN);
	ck_assert(str_has_prefix(secret, WEBHOOK_SECRET_PREFIX));

	/* a user added: one delivery, for the endpoint that takes user events only */
	int64_t uid = 0;
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(user_add(&DB, &A, t, "Ann", "ann@contoso.example", 1, &uid), 0);
	/* the same address again is refused: nothing queued */
	int64_t again = 0;
	ck_assert_int_eq(user_add(&DB, &A, t, "Ann", "ann@contoso.example", 1, &again), USER_EMAIL_TAKEN);
	/* another organization's user: not this organization's event */
	ck_assert_int_eq(user_add(&DB, &A, other, "Bo", "bo@fabrikam.example", 1, &again), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	struct webhook_delivery_list dl;
	struct webhook_attempt_list al;
	ck_assert_int_eq(webhook_log(&DB, &A, ep, &dl, &al), 0);
	ck_assert_int_eq(dl.n, 1);
	ck_assert_str_eq(dl.v[0].event_type, "user.added");
	ck_assert_str_eq(dl.v[0].state, "queued");
	ck_assert_int_eq(webhook_log(&DB, &A, ep2, &dl, &al), 0);
	ck_assert_int_eq(dl.n, 0);

	/* a rolled-back action leaves no delivery */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(user_delete(&DB, t, uid), 0);
	db_rollback(&DB);
	ck_assert_int_eq(webhook_log(&DB, &A, ep, &dl, &al), 0);
	ck_assert_int_eq(dl.n, 1);

	/* a disabled endpoint receives nothing */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(webhook_endpoint_enable(&DB, other, ep, false, 1100), 0);	/* not its organization's */
	ck_assert_int_eq(webhook_endpoint_enable(&DB, t, ep, false, 1100), 1);
	ck_assert_int_eq(user_delete(&DB, t, uid), 0);
	ck_assert_int_eq(webhook_endpoint_enable(&DB, t, ep, true, 1100), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(webhook_log(&DB, &A, ep, &dl, &al), 0);
	ck_assert_int_eq(dl.n, 1);

	/* two processes claim the due delivery (queued at the real clock): exactly one wins */
	int64_t T = now_sec() + 10;
	int64_t ids[8];
	ck_assert_int_eq(st_webhook_due(&DB, T, ids, 8), 1);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_webhook_claim(&DB, ids[0], "node-a:1", T, T + 120), 1);
	ck_assert_int_eq(st_webhook_claim(&DB, ids[0], "node-b:2", T, T + 120), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(st_webhook_due(&DB, T + 1, ids + 1, 7), 0);
	struct webhook_send d;
	ck_assert_int_eq(st_webhook_load(&DB, &A, ids[0], "node-b:2", &d), 0);
	ck_assert_int_eq(st_webhook_load(&DB, &A, ids[0], "node-a:1", &d), 1);
	ck_assert_ptr_nonnull(strstr(d.body, "\"type\":\"user.added\""));
	ck_assert_ptr_nonnull(strstr(d.body, "\"email\":\"ann@contoso.example\""));
	ck_assert_ptr_null(strstr(d.body, "whsec_"));
	/* the sealed key signs what a receiver holding the shown secret checks */
	unsigned char key[WEBHOOK_KEY_BYTES], shown[64];
	size_t n = 0;
	ck_assert_int_eq(seal_open(d.secret, d.secret_len, key), 0);
	ck_assert_int_eq(sodium_base642bin(shown, sizeof(shown), secret + 6, strlen(secret) - 6, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL), 0);
	ck_assert_int_eq(n, WEBHOOK_KEY_BYTES);
	ck_assert_int_eq(memcmp(key, shown, n), 0);
	/* recorded: failed once (500), queued for later; the attempt is in the log */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_webhook_done(&DB, ids[0], "node-b:2", "sent", T, T, 200, NULL), 0);
	ck_assert_int_eq(st_webhook_done(&DB, ids[0], "node-a:1", "queued", T + 60, T, 500, "answered 500"), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(webhook_log(&DB, &A, ep, &dl, &al), 0);
	ck_assert_int_eq(dl.v[0].attempts, 1);
	ck_assert_int_eq(dl.v[0].last_code, 500);
	ck_assert_int_eq(al.n, 1);
	ck_assert_int_eq(st_webhook_due(&DB, T + 59, ids, 8), 0);
	ck_assert_int_eq(st_webhook_due(&DB, T + 60, ids, 8), 1);
	/* Send again: only in its organization */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(webhook_send_again(&DB, other, ids[0], T + 10), 0);
	ck_assert_int_eq(webhook_send_again(&DB, t, ids[0], T + 10), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(st_webhook_due(&DB, T + 10, ids, 8), 1);
	ck_assert(!store_failed(&DB));
}
END_TEST

/* The types queued for endpoint ep, oldest first, joined with spaces. */
static const char *
queued_types(int64_t ep)
{
	struct webhook_delivery_list dl;
	struct webhook_attempt_list al;
	ck_assert_int_eq(webhook_log(&DB, &A, ep, &dl, &al), 0);
	struct buf b;
	buf_init(&b, &A);
	for (size_t i = dl.n; i-- > 0;)
		buf_printf(&b, "%s%s", b.len ? " " : "", dl.v[i].event_type);
	buf_add(&b, "", 1);
	return b.p;
}

START_TEST(delegated_admin_and_agreement_events)
{
	struct unit_ids res = unit_partner(.domain = "res.example", .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	int64_t customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, res.account, customer, 0, 0, 0, false, 10), 1);
	int64_t aa = unit_user(.tenant = res.tenant, .email = "aa@res.example", .roles = ROLE_MASK(ADMIN_AGENT));
	int64_t ga = unit_user(.tenant = customer, .email = "ga@cust.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	const char *secret;
	unsigned all = (1u << WH__COUNT) - 1;
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t pe = webhook_endpoint_create(&DB, &A, res.tenant, 0, "https://p.example/h", all, 1, &secret);
	int64_t ce = webhook_endpoint_create(&DB, &A, customer, 0, "https://c.example/h", all, 1, &secret);
	ck_assert_int_eq(db_commit(&DB), 0);

	/* requested, approved, expiring (the 7-day reminder), terminated: both sides hear of each */
	struct da_request q = { .partner_tenant = res.tenant, .other_tenant = customer, .name = "Helpdesk", .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 30 };
	enum da_refusal why;
	int64_t expires;
	int64_t id = da_request(&DB, &q, aa, 100, &expires, &why);
	ck_assert_int_gt(id, 0);
	q.name = "HELPDESK";	/* refused (the name is taken): nothing queued */
	ck_assert_int_eq(da_request(&DB, &q, aa, 101, &expires, &why), 0);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, ga, 200), 1);
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	int stage = 0;
	int64_t at = d.expires_at - 6 * 86400;
	ck_assert_int_eq(da_next_step(&d, at, &stage), DA_STEP_REMIND);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REMIND, stage, at), 1);
	ck_assert_int_eq(da_terminate(&DB, &d, ga, at + 1, "no longer needed"), 1);
	ck_assert_str_eq(queued_types(pe), "delegated_admin.requested delegated_admin.approved delegated_admin.expiring"
	    " delegated_admin.terminated");
	ck_assert_str_eq(queued_types(ce), queued_types(pe));

	/* the agreement accepted: the accepting organization's event, once */
	int64_t v = unit_publish("2025-01", 1);
	struct agreement_signer who = { "Ana", "Admin", "aa@res.example", "+49 30 1234567", "CEO" };
	const char *current;
	ck_assert_int_eq(agreement_accept(&DB, &A, res.tenant, v, &who, aa, "192.0.2.1", 300, &current), ACCEPT_RECORDED);
	ck_assert_int_eq(agreement_accept(&DB, &A, res.tenant, v, &who, aa, "192.0.2.1", 301, &current), ACCEPT_ALREADY);
	ck_assert_str_eq(queued_types(pe), "delegated_admin.requested delegated_admin.approved delegated_admin.expiring"
	    " delegated_admin.terminated agreement.accepted");
	ck_assert_ptr_null(strstr(queued_types(ce), "agreement"));
	ck_assert(!store_failed(&DB));
}
END_TEST

UNIT_MAIN("webhooks",
	unit_case("pure", unit_setup, unit_teardown, UNIT_TESTS(signature_vectors, backoff_schedule, private_addresses,
	    endpoint_urls)),
	unit_case("in the store", unit_db_setup, unit_db_teardown, UNIT_TESTS(events_in_the_store,
	    delegated_admin_and_agreement_events)))
