/* test_apikeys.c — API credentials (domain/apikeys.h): the decision (revoked, expired, client
 * address, the per-minute rate), client address lists, and against the store: a secret is
 * found by its hash only, never stored itself, roles never beyond the creator's, revoke, the
 * rate counted across calls, and Idempotency-Key answers kept per credential. */
#include "unit.h"

#include "domain/access.h"
#include "domain/apikeys.h"

static struct api_credential
live(void)
{
	return (struct api_credential){ .id = 1, .tenant_id = 1, .name = "c", .allowed_ips = "", .expires_at = 2000,
	    .win_start = 900, .win_count = 3 };
}

START_TEST(decision_table)
{
	int64_t ws = 0, wc = 0, ra = 0;
	struct api_credential c = live();
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 950, 5, &ws, &wc, &ra), API_AUTH_OK);
	ck_assert_int_eq(ws, 900);
	ck_assert_int_eq(wc, 4);
	c.win_count = 5;	/* the rate reached in this minute */
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 950, 5, &ws, &wc, &ra), API_AUTH_THROTTLED);
	ck_assert_int_eq(ra, 10);
	/* the next minute starts a new count */
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 960, 5, &ws, &wc, &ra), API_AUTH_OK);
	ck_assert_int_eq(ws, 960);
	ck_assert_int_eq(wc, 1);
	c = live();
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 2000, 5, &ws, &wc, &ra), API_AUTH_EXPIRED);
	c.revoked_at = 10;
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 950, 5, &ws, &wc, &ra), API_AUTH_REVOKED);
	c = live();
	c.allowed_ips = "192.0.2.7 2001:db8::1";
	ck_assert_int_eq(api_decide(&c, "192.0.2.1", 950, 5, &ws, &wc, &ra), API_AUTH_ADDRESS);
	ck_assert_int_eq(api_decide(&c, "192.0.2.7", 950, 5, &ws, &wc, &ra), API_AUTH_OK);
	ck_assert_int_eq(api_decide(&c, "2001:db8:0::1", 950, 5, &ws, &wc, &ra), API_AUTH_OK);
}
END_TEST

START_TEST(address_lists)
{
	struct arena a;
	arena_init(&a, 1 << 16);
	const char *out = NULL;
	ck_assert(api_addresses_parse(&a, "", &out));
	ck_assert_str_eq(out, "");
	ck_assert(api_addresses_parse(&a, " 192.0.2.1,  2001:DB8:0::1\n10.0.0.1 ", &out));
	ck_assert_str_eq(out, "192.0.2.1 2001:db8::1 10.0.0.1");
	ck_assert(!api_addresses_parse(&a, "192.0.2.1 example.com", &out));
	ck_assert(!api_addresses_parse(&a, "192.0.2.0/24", &out));
	ck_assert(!api_addresses_parse(&a, "1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9 "
	    "1.1.1.10 1.1.1.11 1.1.1.12 1.1.1.13 1.1.1.14 1.1.1.15 1.1.1.16 1.1.1.17", &out));
	ck_assert(api_address_allowed("", "anything"));
	ck_assert(api_address_allowed("192.0.2.1 10.0.0.1", "10.0.0.1"));
	ck_assert(!api_address_allowed("192.0.2.1 10.0.0.1", "10.0.0.10"));
	ck_assert(!api_address_allowed("192.0.2.1", NULL));
	ck_assert(api_idem_key_ok("order-42"));
	ck_assert(!api_idem_key_ok(""));
	ck_assert(!api_idem_key_ok("with space"));
	arena_free(&a);
}
END_TEST

START_TEST(credentials_in_the_store)
{
	int64_t t = unit_org(.domain = "contoso.example"), other = unit_org(.domain = "fabrikam.example");
	const char *secret = NULL;
	unsigned ga = ROLE_MASK(GLOBAL_ADMIN);
	ck_assert_int_eq(db_begin(&DB), 0);
	/* never more roles than the creator holds, none, or more than a year */
	ck_assert_int_eq(api_credential_create(&DB, &A, t, 0, ga, "x", ROLE_MASK(SALES_AGENT), "", 30, 1000, &secret), 0);
	ck_assert_int_eq(api_credential_create(&DB, &A, t, 0, ga, "x", 0, "", 30, 1000, &secret), 0);
	ck_assert_int_eq(api_credential_create(&DB, &A, t, 0, ga, "x", ga, "", API_MAX_DAYS + 1, 1000, &secret), 0);
	int64_t id = api_credential_create(&DB, &A, t, 0, ga, "Billing", ga, "", 30, 1000, &secret);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(strlen(secret), API_SECRET_LEN);
	ck_assert(str_has_prefix(secret, API_SECRET_PREFIX));
	struct api_credential_list l;
	ck_assert_int_eq(api_credentials_list(&DB, &A, t, &l), 0);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Billing");

	struct api_credential c;
	struct session s;
	int64_t ra = 0;
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1100, 2, &c, &s, &ra), API_AUTH_OK);
	ck_assert_int_eq(c.id, id);
	ck_assert_int_eq(s.tenant_id, t);
	ck_assert_uint_eq(s.roles, ga);
	ck_assert_int_eq(s.user_id, 0);
	ck_assert_str_eq(s.email, "api:Billing");
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1101, 2, &c, &s, &ra), API_AUTH_OK);
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1102, 2, &c, &s, &ra), API_AUTH_THROTTLED);
	ck_assert_int_eq(ra, 58);
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1160, 2, &c, &s, &ra), API_AUTH_OK);
	ck_assert_str_eq(c.last_used_ip, "192.0.2.1");
	/* one character off, or the hash of another secret: unknown */
	char wrong[API_SECRET_LEN + 1];
	strcpy(wrong, secret);
	wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(api_authenticate(&DB, &A, wrong, "192.0.2.1", 1170, 2, &c, &s, &ra), API_AUTH_UNKNOWN);
	ck_assert_int_eq(api_authenticate(&DB, &A, "", "192.0.2.1", 1170, 2, &c, &s, &ra), API_AUTH_UNKNOWN);
	ck_assert_int_eq(api_authenticate(&DB, &A, NULL, "192.0.2.1", 1170, 2, &c, &s, &ra), API_AUTH_UNKNOWN);

	/* revoke: only in its organization, once */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(api_credential_revoke(&DB, id, other, 1200), 0);
	ck_assert_int_eq(api_credential_revoke(&DB, id, t, 1200), 1);
	ck_assert_int_eq(api_credential_revoke(&DB, id, t, 1201), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1300, 2, &c, &s, &ra), API_AUTH_REVOKED);

	/* Idempotency-Key answers, per credential */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(api_idem_save(&DB, id, "k1", "API_USER_ADD_POST", 202, "{\"a\":1}", 1000), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	const char *route = NULL, *body = NULL;
	int status = 0;
	ck_assert_int_eq(api_idem_find(&DB, &A, id, "k1", &route, &status, &body), 1);
	ck_assert_str_eq(route, "API_USER_ADD_POST");
	ck_assert_int_eq(status, 202);
	ck_assert_str_eq(body, "{\"a\":1}");
	ck_assert_int_eq(api_idem_find(&DB, &A, id, "k2", &route, &status, &body), 0);
	ck_assert(!store_failed(&DB));
}
END_TEST

/* Issue 17: a call that may pass is counted by one conditional UPDATE, committed without a
 * sync of its own (nothing of an action rides on it); a call refused by the rate writes
 * nothing; and the count holds across connections of one database file, as across nodes:
 * each node's read may be stale, the count is not. */
START_TEST(calls_counted_without_a_sync_on_every_node)
{
	UNIT_SQLITE_ONLY("the group sync is SQLite's");
	unit_setup();
	char err[512];
	unit_tmpdir(TMP, sizeof(TMP));
	const char *path = arena_printf(&A, "%s/api.db", TMP);
	struct store other;
	ck_assert_msg(db_open(&DB, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(db_open(&other, path, false, err, sizeof(err)) == 0, "%s", err);
	int64_t t = unit_org(.domain = "contoso.example");
	const char *secret = NULL;
	unsigned ga = ROLE_MASK(GLOBAL_ADMIN);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_gt(api_credential_create(&DB, &A, t, 0, ga, "Billing", ga, "", 30, 1000, &secret), 0);
	ck_assert_int_eq(db_commit(&DB), 0);

	struct api_credential c;
	struct session s;
	int64_t ra = 0;
	uint64_t c0, s0, c1, s1;
	store_io_counts(&c0, &s0);
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1100, 3, &c, &s, &ra), API_AUTH_OK);
	ck_assert_int_eq(api_authenticate(&other, &A, secret, "192.0.2.2", 1101, 3, &c, &s, &ra), API_AUTH_OK);
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1, c0 + 2);		/* each call counted in a commit ... */
	ck_assert_uint_eq(s1, s0);		/* ... that waits for no sync */
	/* a node whose read snapshot was taken before the other node's calls: the count decides */
	ck_assert_int_eq(store_read_begin(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT win_count FROM api_credentials"), 2);
	ck_assert_int_eq(api_authenticate(&other, &A, secret, "192.0.2.2", 1102, 3, &c, &s, &ra), API_AUTH_OK);
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1103, 3, &c, &s, &ra), API_AUTH_THROTTLED);
	ck_assert_int_eq(ra, 57);
	store_read_end(&DB);
	/* refused by what it read: nothing written */
	store_io_counts(&c0, &s0);
	ck_assert_int_eq(api_authenticate(&other, &A, secret, "192.0.2.2", 1104, 3, &c, &s, &ra), API_AUTH_THROTTLED);
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1, c0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT win_count FROM api_credentials"), 3);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT last_used_at FROM api_credentials"), 1102);
	/* the next minute: a new window */
	ck_assert_int_eq(api_authenticate(&DB, &A, secret, "192.0.2.1", 1160, 3, &c, &s, &ra), API_AUTH_OK);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT win_count FROM api_credentials"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT win_start FROM api_credentials"), 1160);
	db_close(&other);
	db_close(&DB);
	unit_teardown();
}
END_TEST

UNIT_MAIN("apikeys",
	unit_case("decisions", NULL, NULL, UNIT_TESTS(decision_table, address_lists)),
	unit_case("in the store", unit_db_setup, unit_db_teardown, UNIT_TESTS(credentials_in_the_store)),
	unit_case("on a database file", NULL, NULL, UNIT_TESTS(calls_counted_without_a_sync_on_every_node)))
