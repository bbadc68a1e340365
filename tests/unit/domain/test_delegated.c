/* test_delegated.c — delegated administration (domain/delegated.c, store/delegated.c, schema
 * section 13): every refusal of a request and its order, every action in every state from
 * both sides, the states people see (expired, expiring), and on the database: request,
 * approve once, decline, resend, withdraw, terminate, and the standing "administrator access"
 * of sections 5 and 6 migrated to a default relationship per pair. */
#include "unit.h"

#include <limits.h>
#include <time.h>

#include "domain/access.h"
#include "domain/delegated.h"
#include "domain/relationships.h"

#define P 10		/* the partner organization */
#define C 20		/* the customer organization */

static struct da_request
good_request(void)
{
	return (struct da_request){ .partner_tenant = P, .other_tenant = C, .name = "Helpdesk 2026", .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 30 };
}

START_TEST(request_refusals_in_order)
{
	struct da_request q = good_request();
	struct da_request_facts f = { .kind = DAK_CUSTOMER };
	ck_assert_int_eq(da_request_check(&q, &f), DA_OK);
	f.kind = DAK_RESELLER;
	ck_assert_int_eq(da_request_check(&q, &f), DA_OK);
	/* not related comes first, whatever else is wrong */
	f.kind = DAK_NONE;
	q.days = 0;
	ck_assert_int_eq(da_request_check(&q, &f), DA_NOT_RELATED);
	f.kind = DAK_CUSTOMER;
	q = good_request();
	q.other_tenant = P;
	ck_assert_int_eq(da_request_check(&q, &f), DA_NOT_RELATED);
	q = good_request();
	f.name_taken = true;
	ck_assert_int_eq(da_request_check(&q, &f), DA_NAME_TAKEN);
	f.name_taken = false;
	for (int days = -1; days <= 731; days++) {
		q.days = days;
		ck_assert_int_eq(da_request_check(&q, &f), days >= 1 && days <= 730 ? DA_OK : DA_BAD_DURATION);
	}
	q = good_request();
	q.roles = 0;
	ck_assert_int_eq(da_request_check(&q, &f), DA_NO_ROLES);
	q.roles = 1u << ROLE__COUNT;		/* not a role */
	ck_assert_int_eq(da_request_check(&q, &f), DA_NO_ROLES);
	/* Global admin only with its own tick-box, a reason, and never auto-extended */
	q.roles = ROLE_MASK(GLOBAL_ADMIN);
	ck_assert_int_eq(da_request_check(&q, &f), DA_NO_ROLES);
	q.global_admin = true;
	ck_assert_int_eq(da_request_check(&q, &f), DA_GLOBAL_NO_REASON);
	q.message = "Migration of the tenant";
	ck_assert_int_eq(da_request_check(&q, &f), DA_OK);
	q.auto_extend = true;
	ck_assert_int_eq(da_request_check(&q, &f), DA_GLOBAL_AUTO_EXTEND);
	q = good_request();
	q.auto_extend = true;
	ck_assert_int_eq(da_request_check(&q, &f), DA_OK);
	q.global_admin = true;			/* the tick-box without the bit */
	ck_assert_int_eq(da_request_check(&q, &f), DA_NO_ROLES);
	for (int i = 1; i < DA__REFUSALS; i++) {
		ck_assert_str_ne(da_refusal_text((enum da_refusal)i), "");
		ck_assert_str_ne(da_refusal_code((enum da_refusal)i), "?");
	}
}
END_TEST

static struct da_row
row(enum da_state st)
{
	return (struct da_row){ .id = 1, .partner_tenant_id = P, .customer_tenant_id = C, .state = st, .roles = 4,
		.duration_days = 30, .request_expires_at = 1000, .expires_at = st == DA_PENDING ? 0 : 100000 };
}

START_TEST(every_action_in_every_state_from_both_sides)
{
	for (int s = 0; s < DA__COUNT; s++) {
		struct da_row d = row((enum da_state)s);
		bool pending = s == DA_PENDING;
		/* answering: the customer's Global admin, a pending request within its 90 days */
		for (int act = DA_APPROVE; act <= DA_DECLINE; act++) {
			ck_assert_int_eq(da_can(act, &d, C, true, 500), pending ? DA_OK : DA_NOT_PENDING);
			ck_assert_int_eq(da_can(act, &d, C, false, 500), DA_NOT_GLOBAL_ADMIN);
			ck_assert_int_eq(da_can(act, &d, P, true, 500), DA_WRONG_SIDE);
			ck_assert_int_eq(da_can(act, &d, 99, true, 500), DA_WRONG_SIDE);
			ck_assert_int_eq(da_can(act, &d, C, true, 1000), pending ? DA_REQUEST_EXPIRED : DA_NOT_PENDING);
		}
		/* the partner's: resend and withdraw a pending request, also past its 90 days */
		for (int act = DA_RESEND; act <= DA_WITHDRAW; act++) {
			ck_assert_int_eq(da_can(act, &d, P, false, 500), pending ? DA_OK : DA_NOT_PENDING);
			ck_assert_int_eq(da_can(act, &d, P, false, 5000), pending ? DA_OK : DA_NOT_PENDING);
			ck_assert_int_eq(da_can(act, &d, C, true, 500), DA_WRONG_SIDE);
		}
		/* terminate: either side (the customer's Global admin), an active one before its end */
		bool active = s == DA_ACTIVE;
		ck_assert_int_eq(da_can(DA_TERMINATE, &d, P, false, 500), active ? DA_OK : DA_NOT_ACTIVE);
		ck_assert_int_eq(da_can(DA_TERMINATE, &d, C, true, 500), active ? DA_OK : DA_NOT_ACTIVE);
		ck_assert_int_eq(da_can(DA_TERMINATE, &d, C, false, 500), DA_NOT_GLOBAL_ADMIN);
		ck_assert_int_eq(da_can(DA_TERMINATE, &d, 99, true, 500), DA_WRONG_SIDE);
		ck_assert_int_eq(da_can(DA_TERMINATE, &d, P, false, 100000), DA_NOT_ACTIVE);
	}
}
END_TEST

START_TEST(states_as_people_see_them)
{
	struct da_row d = row(DA_PENDING);
	ck_assert_int_eq(da_state_at(&d, 999), DA_PENDING);
	ck_assert_str_eq(da_state_label(&d, 999), "Pending");
	ck_assert_int_eq(da_state_at(&d, 1000), DA_EXPIRED);
	ck_assert_str_eq(da_state_label(&d, 1000), "Expired");
	d = row(DA_ACTIVE);
	d.expires_at = 100 * 86400;
	ck_assert_str_eq(da_state_label(&d, 0), "Active");
	ck_assert(!da_expiring(&d, 70 * 86400 - 1));
	ck_assert(da_expiring(&d, 70 * 86400));		/* 30 days left */
	ck_assert_str_eq(da_state_label(&d, 70 * 86400), "Expiring");
	ck_assert_str_eq(da_state_tag(&d, 70 * 86400), "warn");
	ck_assert_int_eq(da_state_at(&d, 100 * 86400), DA_EXPIRED);
	ck_assert(!da_expiring(&d, 100 * 86400));
	const enum da_state ended[] = { DA_DECLINED, DA_WITHDRAWN, DA_TERMINATED };
	for (size_t i = 0; i < NELEM(ended); i++) {
		d = row(ended[i]);
		ck_assert_int_eq(da_state_at(&d, 0), ended[i]);
		ck_assert_str_eq(da_state_tag(&d, 0), "muted");
	}
}
END_TEST

START_TEST(lifecycle_steps)
{
	const int64_t D = 86400;
	int stage;
	struct da_row d = row(DA_PENDING);
	ck_assert_int_eq(da_next_step(&d, 999, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, 1000, &stage), DA_STEP_REQUEST_EXPIRE);
	/* a 90-day grant: 30, 7, 1 days before, each once, the latest due only */
	d = row(DA_ACTIVE);
	d.approved_at = 0;
	d.expires_at = 90 * D;
	ck_assert_int_eq(da_next_step(&d, 60 * D - 1, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, 60 * D, &stage), DA_STEP_REMIND);
	ck_assert_int_eq(stage, 1);
	d.reminder_stage = 1;
	ck_assert_int_eq(da_next_step(&d, 70 * D, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, 83 * D, &stage), DA_STEP_REMIND);
	ck_assert_int_eq(stage, 2);
	d.reminder_stage = 0;				/* nothing sent yet: the latest one only */
	ck_assert_int_eq(da_next_step(&d, 89 * D, &stage), DA_STEP_REMIND);
	ck_assert_int_eq(stage, 3);
	d.reminder_stage = 3;
	ck_assert_int_eq(da_next_step(&d, 90 * D - 1, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, 90 * D, &stage), DA_STEP_EXPIRE);
	d.auto_extend = true;
	ck_assert_int_eq(da_next_step(&d, 90 * D, &stage), DA_STEP_EXTEND);
	d.global_admin = true;				/* never extended with Global admin */
	d.roles |= ROLE_MASK(GLOBAL_ADMIN);
	ck_assert_int_eq(da_next_step(&d, 90 * D, &stage), DA_STEP_EXPIRE);
	/* a 30-day grant gets no "30 days left" at its approval; a 1-day grant no reminder */
	d = row(DA_ACTIVE);
	d.approved_at = 0;
	d.expires_at = 30 * D;
	ck_assert_int_eq(da_next_step(&d, 0, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, 23 * D, &stage), DA_STEP_REMIND);
	ck_assert_int_eq(stage, 2);
	d.expires_at = D;
	ck_assert_int_eq(da_next_step(&d, 0, &stage), DA_STEP_NONE);
	ck_assert_int_eq(da_next_step(&d, D - 1, &stage), DA_STEP_NONE);
	/* nothing for ended ones */
	const enum da_state ended[] = { DA_EXPIRED, DA_DECLINED, DA_WITHDRAWN, DA_TERMINATED };
	for (size_t i = 0; i < NELEM(ended); i++) {
		d = row(ended[i]);
		ck_assert_int_eq(da_next_step(&d, 1000000, &stage), DA_STEP_NONE);
	}
}
END_TEST

/* ---- on the database ---- */

struct world {
	int64_t partner, customer, stranger, user, ga;
};

/* A reseller with a customer (and a stranger organization), a user on each side. */
static struct world
make_world(void)
{
	struct world w;
	struct unit_ids res = unit_partner(.domain = "res.example", .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	w.partner = res.tenant;
	w.customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	w.stranger = unit_org(.name = "Stranger AG", .domain = "stranger.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, res.account, w.customer, 0, 0, 0, false, 10), 1);
	w.user = unit_user(.tenant = w.partner, .email = "aa@res.example", .roles = ROLE_MASK(ADMIN_AGENT));
	w.ga = unit_user(.tenant = w.customer, .email = "ga@cust.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	return w;
}

static int64_t
request(const struct world *w, const char *name, int64_t now)
{
	struct da_request q = good_request();
	q.partner_tenant = w->partner;
	q.other_tenant = w->customer;
	q.name = name;
	enum da_refusal why;
	int64_t expires;
	int64_t id = da_request(&DB, &q, w->user, now, &expires, &why);
	ck_assert_int_eq(why, DA_OK);
	ck_assert_int_eq(expires, now + DA_REQUEST_TTL);
	return id;
}

START_TEST(request_gathers_relationship_and_name)
{
	struct world w = make_world();
	struct da_target_list t;
	ck_assert_int_eq(da_targets(&DB, &A, w.partner, &t), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].tenant_id, w.customer);
	ck_assert_int_eq(t.v[0].kind, DAK_CUSTOMER);
	int64_t id = request(&w, "Helpdesk", 100);
	ck_assert_int_gt(id, 0);
	struct da_request q = good_request();
	q.partner_tenant = w.partner;
	q.other_tenant = w.customer;
	q.name = "HELPDESK";			/* the same name, any case */
	enum da_refusal why;
	int64_t expires;
	ck_assert_int_eq(da_request(&DB, &q, w.user, 101, &expires, &why), 0);
	ck_assert_int_eq(why, DA_NAME_TAKEN);
	q.other_tenant = w.stranger;
	ck_assert_int_eq(da_request(&DB, &q, w.user, 101, &expires, &why), 0);
	ck_assert_int_eq(why, DA_NOT_RELATED);
	/* the other way round: the customer is no partner of the reseller */
	q.partner_tenant = w.customer;
	q.other_tenant = w.partner;
	ck_assert_int_eq(da_request(&DB, &q, w.ga, 101, &expires, &why), 0);
	ck_assert_int_eq(why, DA_NOT_RELATED);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM delegated_admins"), 1);
	/* both sides see it; the stranger does not */
	struct da_row d;
	const char *why_not = NULL;
	ck_assert_int_eq(da_of(&DB, &A, id, w.partner, &d, &why_not), 1);
	ck_assert_int_eq(da_of(&DB, &A, id, w.customer, &d, &why_not), 1);
	ck_assert_int_eq(da_of(&DB, &A, id, w.stranger, &d, &why_not), 0);
	ck_assert_str_eq(why_not, "another organization's delegated admin relationship");
	struct paging pg;
	struct da_list l;
	ck_assert_int_eq(da_page(&DB, &A, w.customer, 1, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Helpdesk");
	ck_assert_str_eq(l.v[0].partner_name, "res.example");
	ck_assert_str_eq(l.v[0].creator_email, "aa@res.example");
	ck_assert_int_eq(da_page(&DB, &A, w.stranger, 1, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(answered_once_and_only_in_time)
{
	struct world w = make_world();
	int64_t id = request(&w, "Once", 100);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 200), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 201), 0);	/* a second answer changes nothing */
	ck_assert_int_eq(da_answer(&DB, &d, false, w.ga, 202), 0);
	struct da_row after;
	ck_assert_int_eq(da_get(&DB, &A, id, &after), 1);
	ck_assert_int_eq(after.state, DA_ACTIVE);
	ck_assert_int_eq(after.approved_at, 200);
	ck_assert_int_eq(after.expires_at, 200 + 30 * 86400);
	ck_assert_int_eq(da_withdraw(&DB, &after, w.user, 300), 0);	/* answered: not withdrawn */
	/* a request past its 90 days cannot be approved, nor one whose expiry moved (resent) */
	int64_t late = request(&w, "Late", 100);
	ck_assert_int_eq(da_get(&DB, &A, late, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 100 + DA_REQUEST_TTL), 0);
	int64_t expires;
	ck_assert_int_eq(da_resend(&DB, &d, 500, &expires), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 600), 0);	/* d holds the old expiry */
	ck_assert_int_eq(da_get(&DB, &A, late, &d), 1);
	ck_assert_int_eq(d.request_expires_at, 500 + DA_REQUEST_TTL);
	ck_assert_int_eq(da_answer(&DB, &d, false, w.ga, 600), 1);
	ck_assert_int_eq(da_get(&DB, &A, late, &d), 1);
	ck_assert_int_eq(d.state, DA_DECLINED);
	ck_assert_int_eq(da_resend(&DB, &d, 700, &expires), 0);
	/* withdraw */
	int64_t gone = request(&w, "Gone", 100);
	ck_assert_int_eq(da_get(&DB, &A, gone, &d), 1);
	ck_assert_int_eq(da_withdraw(&DB, &d, w.user, 150), 1);
	ck_assert_int_eq(da_withdraw(&DB, &d, w.user, 151), 0);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 152), 0);
	ck_assert_int_eq(da_get(&DB, &A, gone, &d), 1);
	ck_assert_int_eq(d.state, DA_WITHDRAWN);
	ck_assert_int_eq(d.ended_at, 150);
	/* the name of an ended request is free again */
	ck_assert_int_gt(request(&w, "Gone", 160), 0);
	/* terminate one: once, and only while active */
	int64_t t1 = request(&w, "Terminated", 100);
	ck_assert_int_eq(da_get(&DB, &A, t1, &d), 1);
	ck_assert_int_eq(da_terminate(&DB, &d, w.ga, 150, "early"), 0);		/* pending */
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 160), 1);
	ck_assert_int_eq(da_terminate(&DB, &d, w.user, 170, "done"), 1);
	ck_assert_int_eq(da_terminate(&DB, &d, w.ga, 171, "again"), 0);
	ck_assert_int_eq(da_get(&DB, &A, t1, &d), 1);
	ck_assert_int_eq(d.state, DA_TERMINATED);
	ck_assert_str_eq(d.end_reason, "done");
	/* terminate the pair's active ones: "Once" only */
	ck_assert_int_eq(da_terminate_pair(&DB, w.partner, w.customer, w.ga, 800, "Administrator access removed"), 1);
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(d.state, DA_TERMINATED);
	ck_assert_str_eq(d.end_reason, "Administrator access removed");
	ck_assert_int_eq(da_terminate_pair(&DB, w.partner, w.customer, w.ga, 801, "again"), 0);
}
END_TEST

/* The relationship the session stored under hash acts under, as the dispatcher reads it:
 * with the session (issue 17: one statement, st_session_load). */
static int64_t
acting_stored(const char *hash)
{
	struct session l;
	ck_assert_int_eq(st_session_load(&DB, &A, (const unsigned char *)hash, &l), 1);
	return l.acting_da_id;
}

/* Acting as partner: only an Admin agent of the partner, only under an active grant before
 * its end; the session remembers it; an ended grant reads as not valid. */
START_TEST(acting_needs_an_admin_agent_and_an_active_grant)
{
	struct world w = make_world();
	int64_t id = request(&w, "Act", 100);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	struct session s = { .id = 0, .user_id = w.user, .tenant_id = w.partner, .roles = ROLE_MASK(ADMIN_AGENT),
		.name = "Nora North", .tenant_name = "res.example" };
	ck_assert_int_eq(da_can_act(&d, &s, 150), DA_NOT_ACTIVE);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 200), 1);
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(da_can_act(&d, &s, 300), DA_OK);
	ck_assert_int_eq(da_can_act(&d, &s, d.expires_at), DA_NOT_ACTIVE);
	s.roles = ROLE_MASK(ACCOUNT_ADMIN) | ROLE_MASK(USER_ADMIN);
	ck_assert_int_eq(da_can_act(&d, &s, 300), DA_NOT_ADMIN_AGENT);
	s.roles = ROLE_MASK(ADMIN_AGENT);
	s.tenant_id = w.customer;
	ck_assert_int_eq(da_can_act(&d, &s, 300), DA_WRONG_SIDE);
	s.tenant_id = w.partner;
	/* a session of the Admin agent acts under it */
	s.id = st_session_insert(&DB, (const unsigned char *)"0123456789abcdef0123456789abcdef", w.user, 300, "", "", 300, false);
	ck_assert_int_gt(s.id, 0);
	struct da_acting act;
	ck_assert_int_eq(da_acting_of(&DB, &A, &s, 300, &act), 0);
	ck_assert_int_eq(da_act(&DB, s.id, id), 0);
	s.acting_da_id = acting_stored("0123456789abcdef0123456789abcdef");
	ck_assert_int_eq(da_acting_of(&DB, &A, &s, 300, &act), 1);
	ck_assert(act.valid);
	ck_assert_int_eq(act.tenant, w.customer);
	ck_assert_uint_eq(act.roles, ROLE_MASK(USER_ADMIN));
	ck_assert_str_eq(act.label, "Nora North (res.example, delegated admin 'Act')");
	ck_assert_int_eq(da_acting_of(&DB, &A, &s, d.expires_at, &act), 1);
	ck_assert(!act.valid);
	ck_assert_int_eq(da_terminate(&DB, &d, w.ga, 400, "bye"), 1);
	ck_assert_int_eq(da_acting_of(&DB, &A, &s, 401, &act), 1);
	ck_assert(!act.valid);
	ck_assert_int_eq(da_act(&DB, s.id, 0), 0);
	s.acting_da_id = acting_stored("0123456789abcdef0123456789abcdef");
	ck_assert_int_eq(da_acting_of(&DB, &A, &s, 401, &act), 0);
}
END_TEST

/* Each step is claimed by one process: the second claim of the same step changes nothing. */
START_TEST(lifecycle_claims_once)
{
	const int64_t D = 86400;
	struct world w = make_world();
	int64_t id = request(&w, "Claims", 100);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, w.ga, 100), 1);	/* 30 days from 100 */
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	struct da_list due;
	ck_assert_int_eq(da_due(&DB, &A, 100, &due), 0);
	ck_assert_uint_eq(due.n, 1);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REMIND, 2, 100 + 23 * D), 1);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REMIND, 2, 100 + 23 * D), 0);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REMIND, 1, 100 + 23 * D), 0);	/* never back */
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_EXPIRE, 0, 100 + 29 * D), 0);	/* not yet */
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_EXTEND, 0, d.expires_at), 0);	/* not auto-extend */
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_EXPIRE, 0, d.expires_at), 1);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_EXPIRE, 0, d.expires_at), 0);
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(d.state, DA_EXPIRED);
	ck_assert_int_eq(da_due(&DB, &A, d.expires_at, &due), 0);
	ck_assert_uint_eq(due.n, 0);
	/* an unanswered request */
	int64_t late = request(&w, "Late", 100);
	ck_assert_int_eq(da_get(&DB, &A, late, &d), 1);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REQUEST_EXPIRE, 0, 100 + DA_REQUEST_TTL - 1), 0);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REQUEST_EXPIRE, 0, 100 + DA_REQUEST_TTL), 1);
	ck_assert_int_eq(da_step_claim(&DB, &d, DA_STEP_REQUEST_EXPIRE, 0, 100 + DA_REQUEST_TTL), 0);
	ck_assert_int_eq(da_get(&DB, &A, late, &d), 1);
	ck_assert_int_eq(d.state, DA_EXPIRED);
}
END_TEST

/* The schema refuses what the rules refuse, should a write ever get past them. */
START_TEST(schema_refuses_impossible_rows)
{
	UNIT_SQLITE_ONLY("sqlite3_exec on the handle");
	struct world w = make_world();
	char sql[512];
	const char *bad[] = {
		"'x', 1, 0, 30, 0",		/* Global admin's bit without the tick-box */
		"'x', 1, 1, 30, 1",		/* Global admin auto-extended */
		"'x', 4, 0, 731, 0",		/* longer than two years */
		"'x', 0, 0, 30, 0",		/* no roles */
		"'', 4, 0, 30, 0",		/* no name */
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles,"
		    " global_admin, duration_days, auto_extend, created_at, sent_at, request_expires_at) VALUES (%lld, %lld,"
		    " 'customer', %s, 1, 1, 2)", (long long)w.partner, (long long)w.customer, bad[i]);
		ck_assert_msg(sqlite3_exec(DB.h, sql, NULL, NULL, NULL) != SQLITE_OK, "accepted: %s", bad[i]);
	}
}
END_TEST

/* An acceptance's default relationship (issue 13): active at once, Admin agent's role for two
 * years, not migrated; once per pair while live (a second acceptance keeps it); after it
 * ends, the next acceptance makes a new one. */
START_TEST(acceptance_grants_the_default_relationship_once)
{
	struct world w = make_world();
	ck_assert_int_eq(da_grant_default(&DB, w.partner, w.customer, DAK_CUSTOMER, w.ga, 1000), 1);
	struct da_list l;
	ck_assert_int_eq(st_da_active_between(&DB, &A, w.partner, w.customer, 1001, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	struct da_row d = l.v[0];
	ck_assert_str_eq(d.name, "Administrator access");
	ck_assert_int_eq(d.state, DA_ACTIVE);
	ck_assert_uint_eq(d.roles, ROLE_MASK(ADMIN_AGENT));
	ck_assert_int_eq(d.duration_days, 730);
	ck_assert(!d.migrated && !d.global_admin && !d.auto_extend);
	ck_assert_int_eq(d.approved_at, 1000);
	ck_assert_int_eq(d.expires_at, 1000 + 730 * 86400LL);
	ck_assert_int_eq(da_grant_default(&DB, w.partner, w.customer, DAK_CUSTOMER, w.ga, 2000), 0);
	ck_assert_int_eq(da_terminate(&DB, &d, w.ga, 3000, "done"), 1);
	ck_assert_int_eq(da_grant_default(&DB, w.partner, w.customer, DAK_CUSTOMER, w.ga, 4000), 1);
	ck_assert_int_eq(st_da_active_between(&DB, &A, w.partner, w.customer, 4001, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].approved_at, 4000);
	ck_assert_str_eq(da_default_words(&A, 0), "Admin agent, for 2 years (until 01 Jan 1972)");
}
END_TEST

/* Section 13 on a database of section 12 with standing administrator access: a default
 * relationship per pair (Admin agent, two years, migrated); access that was removed, ended
 * relationships and customers without delegated admin get none. */
START_TEST(standing_access_becomes_a_default_relationship)
{
	UNIT_SQLITE_ONLY("db_migrate_to builds an old SQLite database");
	sqlite3 *h;
	char err[512];
	ck_assert_int_eq(sqlite3_open(":memory:", &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(db_migrate_to(h, 12, err, sizeof(err)), 12);
	unit_sql_exec(h,
	    "INSERT INTO tenants(id, name, domain, country, kind, created_at) VALUES"
	    " (1, 'Prov', 'prov.example', 'DE', 'partner', 1), (2, 'Res', 'res.example', 'DE', 'partner', 1),"
	    " (3, 'Res2', 'res2.example', 'DE', 'partner', 1), (4, 'Cust', 'cust.example', 'DE', 'customer', 1),"
	    " (5, 'Cust2', 'cust2.example', 'DE', 'customer', 1);"
	    "INSERT INTO partner_accounts(id, tenant_id, type, status, created_at) VALUES"
	    " (1, 1, 'indirect_provider', 'approved', 1), (2, 2, 'indirect_reseller', 'approved', 1),"
	    " (3, 3, 'indirect_reseller', 'approved', 1);"
	    "INSERT INTO provider_relationships(provider_id, reseller_id, since) VALUES (1, 2, 50);"
	    "INSERT INTO provider_relationships(provider_id, reseller_id, since, admin_access, admin_removed_at)"
	    " VALUES (1, 3, 60, 0, 70);"
	    "INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin) VALUES"
	    " (2, 4, 80, 1), (1, 4, 80, 1), (2, 5, 90, 0);");
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), store_schema_version());
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM delegated_admins"), 3);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM delegated_admins WHERE state = 'active' AND migrated = 1"
	    " AND roles = 8 AND duration_days = 730 AND name = 'Administrator access'"
	    " AND expires_at > strftime('%s', 'now') + 729 * 86400"), 3);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM delegated_admins WHERE partner_tenant_id = 1"
	    " AND customer_tenant_id = 2 AND kind = 'reseller' AND approved_at = 50"), 1);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM delegated_admins WHERE customer_tenant_id = 4"
	    " AND kind = 'customer'"), 2);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM delegated_admins WHERE customer_tenant_id IN (3, 5)"), 0);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	sqlite3_close(h);
}
END_TEST

/* The same migration with data on PostgreSQL (make unit-pg): section 13 on a database of
 * section 12, built by db_pg_migrate_to; under make unit (SQLite) the test above covers it. */
static int64_t
pg_int(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
	int64_t v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

START_TEST(standing_access_becomes_a_default_relationship_on_postgresql)
{
	const char *pg = unit_pg();
	if (pg == NULL) {
		fprintf(stderr, "SKIP on SQLite: %s: standing_access_becomes_a_default_relationship covers it\n", __func__);
		return;
	}
	char err[512];
	PGconn *c = PQconnectdb(pg);
	PGresult *r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
	PQclear(r);
	ck_assert_int_eq(db_pg_migrate_to(pg, 12, err, sizeof(err)), 12);
	r = PQexec(c,
	    "INSERT INTO tenants(id, name, domain, country, kind, created_at) VALUES"
	    " (1, 'Prov', 'prov.example', 'DE', 'partner', 1), (2, 'Res', 'res.example', 'DE', 'partner', 1),"
	    " (3, 'Res2', 'res2.example', 'DE', 'partner', 1), (4, 'Cust', 'cust.example', 'DE', 'customer', 1),"
	    " (5, 'Cust2', 'cust2.example', 'DE', 'customer', 1);"
	    "INSERT INTO partner_accounts(id, tenant_id, type, status, created_at) VALUES"
	    " (1, 1, 'indirect_provider', 'approved', 1), (2, 2, 'indirect_reseller', 'approved', 1),"
	    " (3, 3, 'indirect_reseller', 'approved', 1);"
	    "INSERT INTO provider_relationships(provider_id, reseller_id, since) VALUES (1, 2, 50);"
	    "INSERT INTO provider_relationships(provider_id, reseller_id, since, admin_access, admin_removed_at)"
	    " VALUES (1, 3, 60, 0, 70);"
	    "INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin) VALUES"
	    " (2, 4, 80, 1), (1, 4, 80, 1), (2, 5, 90, 0);");
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
	PQclear(r);
	ck_assert_int_eq(db_pg_migrate_to(pg, INT_MAX, err, sizeof(err)), store_schema_version());
	char sql[512];
	ck_assert_int_eq(pg_int(c, "SELECT count(*) FROM delegated_admins"), 3);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM delegated_admins WHERE state = 'active' AND migrated = 1"
	    " AND roles = 8 AND duration_days = 730 AND name = 'Administrator access' AND expires_at > %lld",
	    (long long)time(NULL) + 729 * 86400LL);
	ck_assert_int_eq(pg_int(c, sql), 3);
	ck_assert_int_eq(pg_int(c, "SELECT count(*) FROM delegated_admins WHERE partner_tenant_id = 1"
	    " AND customer_tenant_id = 2 AND kind = 'reseller' AND approved_at = 50"), 1);
	ck_assert_int_eq(pg_int(c, "SELECT count(*) FROM delegated_admins WHERE customer_tenant_id = 4"
	    " AND kind = 'customer'"), 2);
	ck_assert_int_eq(pg_int(c, "SELECT count(*) FROM delegated_admins WHERE customer_tenant_id IN (3, 5)"), 0);
	PQfinish(c);
}
END_TEST

UNIT_MAIN("delegated",
	unit_case("logic", unit_setup, unit_teardown, UNIT_TESTS(request_refusals_in_order,
	    every_action_in_every_state_from_both_sides, states_as_people_see_them, lifecycle_steps)),
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(request_gathers_relationship_and_name,
	    answered_once_and_only_in_time, acting_needs_an_admin_agent_and_an_active_grant, lifecycle_claims_once, schema_refuses_impossible_rows, standing_access_becomes_a_default_relationship,
	    standing_access_becomes_a_default_relationship_on_postgresql, acceptance_grants_the_default_relationship_once)))
