/* test_invitations.c — what the three kinds of invitation share (domain/invitations.c,
 * store/invitations.c, schema section 19): the state both sides see from the dates, the
 * line of dates, the first opening recorded once, and the reminder due in its window and
 * claimed once per expiry. */
#include "unit.h"

#include "domain/access.h"
#include "domain/delegated.h"
#include "domain/invitations.h"

START_TEST(state_from_the_dates)
{
	struct inv_dates d = { .sent_at = 100, .expires_at = 1000 };
	ck_assert_int_eq(inv_state_at(&d, 200), INVS_SENT);
	d.opened_at = 150;
	ck_assert_int_eq(inv_state_at(&d, 200), INVS_OPENED);
	ck_assert_int_eq(inv_state_at(&d, 1000), INVS_EXPIRED);		/* open past its end */
	d.ended_expired = true;
	ck_assert_int_eq(inv_state_at(&d, 200), INVS_EXPIRED);		/* stored as expired */
	d.ended_expired = false;
	d.revoked_at = 300;
	ck_assert_int_eq(inv_state_at(&d, 2000), INVS_REVOKED);		/* revoked stays revoked after the end */
	d.revoked_at = 0;
	d.declined_at = 300;
	ck_assert_int_eq(inv_state_at(&d, 2000), INVS_DECLINED);
	d.declined_at = 0;
	d.accepted_at = 300;
	ck_assert_int_eq(inv_state_at(&d, 2000), INVS_ACCEPTED);
	const char *words[] = { "Sent", "Opened", "Accepted", "Declined", "Expired", "Revoked" };
	for (int s = 0; s < INVS__COUNT; s++)
		ck_assert_str_eq(inv_state_label((enum inv_state)s), words[s]);
}
END_TEST

START_TEST(line_of_dates)
{
	struct inv_dates d = { .sent_at = 0, .expires_at = 86400 };
	ck_assert_str_eq(inv_state_line(&A, &d, 10, NULL), "Sent 01 Jan 1970, 00:00 UTC · link valid until 02 Jan 1970, 00:00 UTC");
	d.opened_at = 3600;
	d.accepted_at = 7200;
	ck_assert_str_eq(inv_state_line(&A, &d, 10, NULL),
	    "Sent 01 Jan 1970, 00:00 UTC · Opened 01 Jan 1970, 01:00 UTC · Accepted 01 Jan 1970, 02:00 UTC");
	d.accepted_at = 0;
	ck_assert_str_eq(inv_state_line(&A, &d, 90000, NULL),
	    "Sent 01 Jan 1970, 00:00 UTC · Opened 01 Jan 1970, 01:00 UTC · Expired 02 Jan 1970, 00:00 UTC");
}
END_TEST

/* A pending delegated admin request of a reseller to its customer, sent at now. */
static int64_t
pending_request(int64_t now, struct da_row *d)
{
	struct unit_ids res = unit_partner(.domain = "res.example", .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	int64_t customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, res.account, customer, 0, 0, 0, false, 10), 1);
	int64_t user = unit_user(.tenant = res.tenant, .email = "aa@res.example", .roles = ROLE_MASK(ADMIN_AGENT));
	struct da_request q = { .partner_tenant = res.tenant, .other_tenant = customer, .name = "Helpdesk", .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 30 };
	enum da_refusal why;
	int64_t expires;
	int64_t id = da_request(&DB, &q, user, now, &expires, &why);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(da_get(&DB, &A, id, d), 1);
	return id;
}

START_TEST(opened_once_and_only_while_open)
{
	struct da_row d;
	int64_t id = pending_request(1000, &d);
	ck_assert_int_eq(inv_opened(&DB, INV_DELEGATED, id, 1100), -1);	/* needs the write transaction */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(inv_opened(&DB, INV_DELEGATED, id, 1100), 1);
	ck_assert_int_eq(inv_opened(&DB, INV_DELEGATED, id, 1200), 0);
	ck_assert_int_eq(store_commit(&DB), 0);
	struct inv_dates t;
	ck_assert_int_eq(inv_dates_of(&DB, INV_DELEGATED, id, &t), 1);
	ck_assert_int_eq(t.opened_at, 1100);
	ck_assert_int_eq(t.sent_at, 1000);
	ck_assert_int_eq(t.expires_at, 1000 + DA_REQUEST_TTL);
	ck_assert_int_eq(inv_state_at(&t, 1300), INVS_OPENED);
	ck_assert_int_eq(inv_dates_of(&DB, INV_DELEGATED, id + 99, &t), 0);
	/* declined: the state both sides see */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(da_answer(&DB, &d, false, 0, 1400), 1);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(inv_dates_of(&DB, INV_DELEGATED, id, &t), 1);
	ck_assert_int_eq(inv_state_at(&t, 1500), INVS_DECLINED);
	ck_assert_int_eq(t.declined_at, 1400);
}
END_TEST

START_TEST(reminder_due_in_its_window_and_claimed_once_per_expiry)
{
	struct da_row d;
	int64_t id = pending_request(0, &d);
	int64_t end = DA_REQUEST_TTL;
	struct inv_due_list due;
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, end - INV_REMIND_BEFORE - 1, &due), 0);
	ck_assert_uint_eq(due.n, 0);						/* more than 7 days left */
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, end - INV_REMIND_BEFORE, &due), 0);
	ck_assert_uint_eq(due.n, 1);
	ck_assert_int_eq(due.v[0].id, id);
	ck_assert_int_eq(due.v[0].expires_at, end);
	ck_assert_str_eq(due.v[0].from_name, "res.example");	/* the fixture names it by its domain */
	ck_assert_str_eq(due.v[0].also_name, "Helpdesk");
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, end, &due), 0);
	ck_assert_uint_eq(due.n, 0);						/* expired: no reminder */
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, end - 86400, &due), 0);
	ck_assert_uint_eq(due.n, 1);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(inv_claim_reminder(&DB, &due.v[0], end - 86400), 1);
	ck_assert_int_eq(inv_claim_reminder(&DB, &due.v[0], end - 86400), 0);		/* the second node */
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, end - 86400, &due), 0);
	ck_assert_uint_eq(due.n, 0);
	/* a resend moves the expiry: the new one gets its own reminder */
	int64_t expires;
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(da_resend(&DB, &d, end - 86400, &expires), 1);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(inv_due(&DB, &A, INV_DELEGATED, expires - 86400, &due), 0);
	ck_assert_uint_eq(due.n, 1);
	ck_assert_int_eq(due.v[0].expires_at, expires);
}
END_TEST

/* Checked before sending: acceptance's decision on the address's organization. */
START_TEST(reseller_invitation_checked_before_sending)
{
	struct unit_ids prov = unit_partner(.domain = "prov.example", .type = PT_INDIRECT_PROVIDER, .status = PA_APPROVED);
	unit_partner(.domain = "pend.example", .type = PT_INDIRECT_RESELLER, .status = PA_IN_REVIEW);
	unit_partner(.domain = "far.example", .country = "US", .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	unit_partner(.domain = "ok.example", .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	unit_org(.name = "Cust AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	struct inv_precheck pc;
	const struct {
		const char *email;
		enum inv_check level;
	} cases[] = {
		{ "a@nowhere.example", INVC_OK }, { "a@ok.example", INVC_OK }, { "a@prov.example", INVC_REFUSE },
		{ "a@cust.example", INVC_REFUSE }, { "a@far.example", INVC_REFUSE }, { "a@pend.example", INVC_WARN },
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(inv_precheck_reseller(&DB, &A, prov.account, cases[i].email, 1000, &pc), 0);
		ck_assert_msg(pc.level == cases[i].level, "%s: %d", cases[i].email, pc.level);
		ck_assert(pc.level == INVC_OK || (pc.text != NULL && *pc.text));
	}
	/* related: refused, with the way to the list */
	struct unit_ids ok;
	ok.account = 0;
	int64_t okt = st_tenant_by_domain(&DB, "ok.example");
	struct partner_account_list accs;
	ck_assert_int_eq(st_partner_accounts(&DB, &A, okt, &accs), 0);
	ok.account = accs.v[0].id;
	ck_assert_int_gt(st_rel_insert(&DB, prov.account, ok.account, 0, 0, 10), 0);
	ck_assert_int_eq(inv_precheck_reseller(&DB, &A, prov.account, "a@ok.example", 1000, &pc), 0);
	ck_assert_int_eq(pc.level, INVC_REFUSE);
	ck_assert_str_eq(pc.link, "/resellers");
}
END_TEST

UNIT_MAIN("invitations",
	unit_case("logic", unit_setup, unit_teardown, UNIT_TESTS(state_from_the_dates, line_of_dates)),
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(opened_once_and_only_while_open,
	    reminder_due_in_its_window_and_claimed_once_per_expiry, reseller_invitation_checked_before_sending)))
