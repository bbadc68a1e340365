/* test_groups.c — partner user groups (issue 13; domain/groups.c, store/groups.c) and the acting
 * decision with them (domain/delegated.c: da_may_act, da_acting_decision, da_acting_of): the
 * pure decision's table; on the database, a member of a group assigned to a relationship acts
 * under it without Admin agent and under no other, and removing the member, the assignment or
 * the group ends it; names unique per organization in any case; members only of the group's
 * organization; only the partner assigns its own groups, never to an ended relationship. */
#include "unit.h"

#include <string.h>

#include "domain/access.h"
#include "domain/delegated.h"
#include "domain/groups.h"

#define NOW 100000000
#define DAY 86400

static struct session
session_of(int64_t tenant, int64_t user, unsigned bits)
{
	return (struct session){ .tenant_id = tenant, .user_id = user, .roles = bits, .name = "Hal Helper",
		.tenant_name = "North Reselling" };
}

START_TEST(decision_table)
{
	struct da_row active = { .id = 1, .partner_tenant_id = 10, .customer_tenant_id = 20, .state = DA_ACTIVE,
		.approved_at = NOW - DAY, .expires_at = NOW + DAY };
	struct da_row ended = active;
	ended.state = DA_TERMINATED;
	struct da_row pending = active;
	pending.state = DA_PENDING;
	pending.request_expires_at = NOW + DAY;
	struct session agent = session_of(10, 1, ROLE_MASK(ADMIN_AGENT)), helper = session_of(10, 2, ROLE_MASK(HELPDESK_AGENT)),
		customer = session_of(20, 3, ROLE_MASK(GLOBAL_ADMIN)), ga = session_of(10, 4, ROLE_MASK(GLOBAL_ADMIN));
	const struct { const struct da_row *d; const struct session *s; bool in_group; enum da_refusal want; } cases[] = {
		{ &active, &agent, false, DA_OK },
		{ &active, &ga, false, DA_OK },
		{ &active, &helper, false, DA_NOT_ADMIN_AGENT },
		{ &active, &helper, true, DA_OK },		/* the group's member, without Admin agent */
		{ &active, &customer, true, DA_WRONG_SIDE },	/* never the other side, group or not */
		{ &ended, &helper, true, DA_NOT_ACTIVE },
		{ &pending, &helper, true, DA_NOT_ACTIVE },
		{ &ended, &agent, false, DA_NOT_ACTIVE },
	};
	for (size_t i = 0; i < NELEM(cases); i++)
		ck_assert_msg(da_may_act(cases[i].d, cases[i].s, cases[i].in_group, NOW) == cases[i].want, "case %zu", i);
	/* past its end reads as expired */
	ck_assert_int_eq(da_may_act(&active, &helper, true, NOW + 2 * DAY), DA_NOT_ACTIVE);
	/* da_can_act is the decision without a group */
	ck_assert_int_eq(da_can_act(&active, &helper, NOW), DA_NOT_ADMIN_AGENT);
	ck_assert_int_eq(da_can_act(&active, &agent, NOW), DA_OK);
}
END_TEST

struct world {
	struct unit_ids partner, other;
	int64_t customer, helper, agent, outsider, da, da2;
};

static int64_t
approved(int64_t partner, int64_t customer, const char *name, int64_t by, int64_t ga)
{
	struct da_request q = { .partner_tenant = partner, .other_tenant = customer, .name = name, .message = "",
		.roles = ROLE_MASK(USER_ADMIN), .days = 30 };
	enum da_refusal why;
	int64_t expires;
	int64_t id = da_request(&DB, &q, by, NOW, &expires, &why);
	ck_assert_int_eq(why, DA_OK);
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, id, &d), 1);
	ck_assert_int_eq(da_answer(&DB, &d, true, ga, NOW), 1);
	return id;
}

static struct world
make_world(void)
{
	struct world w;
	w.partner = unit_partner(.name = "North Reselling", .domain = "north.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	w.other = unit_partner(.name = "South Reselling", .domain = "south.example", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	w.customer = unit_org(.name = "Customer AG", .domain = "cust.example", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(st_cust_relate(&DB, w.partner.account, w.customer, 0, 0, 0, false, NOW), 1);
	w.agent = unit_user(.tenant = w.partner.tenant, .email = "aa@north.example", .roles = ROLE_MASK(ADMIN_AGENT));
	w.helper = unit_user(.tenant = w.partner.tenant, .email = "hal@north.example", .roles = ROLE_MASK(HELPDESK_AGENT));
	w.outsider = unit_user(.tenant = w.other.tenant, .email = "sue@south.example", .roles = ROLE_MASK(HELPDESK_AGENT));
	int64_t ga = unit_user(.tenant = w.customer, .email = "ga@cust.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	w.da = approved(w.partner.tenant, w.customer, "Helpdesk", w.agent, ga);
	w.da2 = approved(w.partner.tenant, w.customer, "Projects", w.agent, ga);
	return w;
}

/* What session s acting under da reads on its next request: 1 valid, 0 refused. */
static int
acting_valid(int64_t da, struct session *s)
{
	s->acting_da_id = da;
	struct da_acting act;
	ck_assert_int_eq(da_acting_of(&DB, &A, s, NOW, &act), 1);
	return act.valid;
}

START_TEST(a_member_acts_under_the_assigned_relationship_only_until_removed)
{
	struct world w = make_world();
	struct session hal = session_of(w.partner.tenant, w.helper, ROLE_MASK(HELPDESK_AGENT));
	struct da_row d, d2;
	ck_assert_int_eq(da_get(&DB, &A, w.da, &d), 1);
	ck_assert_int_eq(da_get(&DB, &A, w.da2, &d2), 1);
	bool failed;
	ck_assert_int_eq(da_acting_decision(&DB, &d, &hal, NOW, &failed), DA_NOT_ADMIN_AGENT);
	ck_assert(!failed);
	ck_assert_int_eq(acting_valid(w.da, &hal), 0);
	/* a group with Hal, assigned to "Helpdesk" */
	enum group_refusal why;
	int64_t g = group_save(&DB, w.partner.tenant, 0, "Helpdesk team", NOW, &why);
	ck_assert_int_gt(g, 0);
	ck_assert_int_eq(group_member_set(&DB, g, w.helper, true, &why), 1);
	struct user_group grp;
	ck_assert_int_eq(group_get(&DB, &A, g, w.partner.tenant, &grp, NULL), 1);
	ck_assert_int_eq(grp.members, 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.partner.tenant, true, NOW, &why), 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.partner.tenant, true, NOW, &why), 0);	/* once */
	ck_assert_int_eq(why, GROUP_OK);
	ck_assert_int_eq(da_acting_decision(&DB, &d, &hal, NOW, &failed), DA_OK);
	ck_assert_int_eq(acting_valid(w.da, &hal), 1);
	/* not under the relationship the group is not assigned to */
	ck_assert_int_eq(da_acting_decision(&DB, &d2, &hal, NOW, &failed), DA_NOT_ADMIN_AGENT);
	ck_assert_int_eq(acting_valid(w.da2, &hal), 0);
	/* removing the member ends it; adding back and taking the assignment away ends it too */
	ck_assert_int_eq(group_member_set(&DB, g, w.helper, false, &why), 1);
	ck_assert_int_eq(acting_valid(w.da, &hal), 0);
	ck_assert_int_eq(group_member_set(&DB, g, w.helper, true, &why), 1);
	ck_assert_int_eq(acting_valid(w.da, &hal), 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.partner.tenant, false, NOW, &why), 1);
	ck_assert_int_eq(acting_valid(w.da, &hal), 0);
	/* and deleting the group */
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.partner.tenant, true, NOW, &why), 1);
	ck_assert_int_eq(acting_valid(w.da, &hal), 1);
	ck_assert_int_eq(group_delete(&DB, g, w.partner.tenant), 1);
	ck_assert_int_eq(acting_valid(w.da, &hal), 0);
	struct user_group_list left;
	ck_assert_int_eq(da_groups(&DB, &A, w.da, &left), 0);
	ck_assert_uint_eq(left.n, 0);
}
END_TEST

START_TEST(groups_rules)
{
	struct world w = make_world();
	enum group_refusal why;
	int64_t g = group_save(&DB, w.partner.tenant, 0, "Helpdesk team", NOW, &why);
	ck_assert_int_gt(g, 0);
	/* names unique per organization in any case; another organization may use it */
	ck_assert_int_eq(group_save(&DB, w.partner.tenant, 0, "HELPDESK TEAM", NOW, &why), 0);
	ck_assert_int_eq(why, GROUP_NAME_TAKEN);
	int64_t theirs = group_save(&DB, w.other.tenant, 0, "Helpdesk team", NOW, &why);
	ck_assert_int_gt(theirs, 0);
	/* renaming to its own name in another case is fine; to another group's name is not */
	ck_assert_int_eq(group_save(&DB, w.partner.tenant, g, "helpdesk Team", NOW, &why), g);
	int64_t g2 = group_save(&DB, w.partner.tenant, 0, "Projects", NOW, &why);
	ck_assert_int_eq(group_save(&DB, w.partner.tenant, g2, "HelpDesk team", NOW, &why), 0);
	ck_assert_int_eq(why, GROUP_NAME_TAKEN);
	/* another organization's group is none of this one's */
	struct user_group grp;
	ck_assert_int_eq(group_get(&DB, &A, theirs, w.partner.tenant, &grp, NULL), 0);
	ck_assert_int_eq(group_delete(&DB, theirs, w.partner.tenant), 0);
	/* members: only the group's organization's users, once */
	ck_assert_int_eq(group_member_set(&DB, g, w.outsider, true, &why), 0);
	ck_assert_int_eq(why, GROUP_NOT_MEMBER_OF_ORG);
	ck_assert_int_eq(group_member_set(&DB, g, w.helper, true, &why), 1);
	ck_assert_int_eq(group_member_set(&DB, g, w.helper, true, &why), 0);
	struct user_list members;
	ck_assert_int_eq(group_get(&DB, &A, g, w.partner.tenant, &grp, &members), 1);
	ck_assert_uint_eq(members.n, 1);
	ck_assert_str_eq(members.v[0].email, "hal@north.example");
	/* only the partner assigns, only its own groups, never to an ended relationship */
	struct da_row d;
	ck_assert_int_eq(da_get(&DB, &A, w.da, &d), 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.customer, true, NOW, &why), 0);
	ck_assert_int_eq(why, GROUP_NOT_PARTNER);
	struct user_group other_grp;
	ck_assert_int_eq(group_get(&DB, &A, theirs, w.other.tenant, &other_grp, NULL), 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &other_grp, w.partner.tenant, true, NOW, &why), 0);
	ck_assert_int_eq(why, GROUP_NOT_PARTNER);
	ck_assert_int_eq(da_terminate(&DB, &d, w.agent, NOW, "done"), 1);
	ck_assert_int_eq(da_get(&DB, &A, w.da, &d), 1);
	ck_assert_int_eq(da_group_assign(&DB, &d, &grp, w.partner.tenant, true, NOW, &why), 0);
	ck_assert_int_eq(why, GROUP_ENDED);
	/* a user's deletion leaves the group */
	ck_assert_int_eq(st_user_delete(&DB, w.helper, w.partner.tenant), 1);
	ck_assert_int_eq(group_get(&DB, &A, g, w.partner.tenant, &grp, &members), 1);
	ck_assert_uint_eq(members.n, 0);
}
END_TEST

UNIT_MAIN("groups",
	unit_case("logic", unit_setup, unit_teardown, UNIT_TESTS(decision_table)),
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(a_member_acts_under_the_assigned_relationship_only_until_removed,
	    groups_rules)))
