/* test_audit_words.c — the audit log's entries as sentences (domain/audit_words.c, issue 15). */
#include "unit.h"

#include "domain/audit.h"

static const char *
say(const char *actor, const char *name, const char *action, const char *target, const char *outcome,
    const char *detail, const char *page)
{
	struct audit_row e = { .actor = actor, .actor_name = name, .action = action, .target = target,
		.outcome = outcome, .detail = detail };
	return audit_sentence(&A, &e, page);
}

START_TEST(sentences)
{
	/* the example: a page refused by role, with the actor's name and the page's */
	ck_assert_str_eq(say("nora@x.example", "Nora North", "access", "PROVIDERS", "refused", "role", "Indirect providers"),
	    "Nora North was refused Indirect providers: their roles do not allow it.");
	ck_assert_str_eq(say("nora@x.example", "Nora North", "access", "customer 12", "refused",
	    "not this organization's customer", NULL),
	    "Nora North was refused customer 12: not this organization's customer.");
	/* done, with the target and the detail */
	ck_assert_str_eq(say("ana@x.example", "Ana Admin", "user.add", "bo@x.example", "ok", "roles: Sales agent", NULL),
	    "Ana Admin added the user bo@x.example (roles: Sales agent).");
	/* an action without a target in its words */
	ck_assert_str_eq(say("ana@x.example", "Ana Admin", "signin", "ana@x.example", "ok", "", NULL), "Ana Admin signed in.");
	/* failed and refused attempts; no name known: the address */
	ck_assert_str_eq(say("x@x.example", "", "signin", "x@x.example", "failed", "wrong password", NULL),
	    "x@x.example tried to sign in and failed: wrong password.");
	ck_assert_str_eq(say("ana@x.example", "Ana Admin", "user.roles", "bo@x.example", "refused", "last Global admin", NULL),
	    "Ana Admin tried to change the roles of bo@x.example and was refused: last Global admin.");
	/* the operator, someone unknown, an action without words */
	ck_assert_str_eq(say("operator", "", "mpn.import", "pmc.csv", "ok", "", NULL), "The operator imported the MPN directory.");
	ck_assert_str_eq(say("", "", "password.reset-request", "", "ok", "", NULL), "Someone asked for a password reset link.");
	ck_assert_str_eq(say("a@x.example", "", "brand.new", "t", "ok", "", NULL), "a@x.example: brand.new t.");
	/* the filter's words */
	ck_assert_str_eq(audit_action_label("user.add"), "Add a user");
	ck_assert_str_eq(audit_action_label("access"), "Open a page");
	ck_assert_str_eq(audit_action_label("brand.new"), "brand.new");
}
END_TEST

UNIT_MAIN("audit words",
	unit_case("audit words", unit_setup, unit_teardown, UNIT_TESTS(sentences)))
