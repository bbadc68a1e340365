/* test_authorize.c — /authorize's answer to each refusal of a provider's invitation link
 * (pages/authorize.h; the refusals themselves: domain/test_relationships.c). */
#include "pages/authorize.h"
#include "unit.h"

START_TEST(every_refusal_has_an_error_status)
{
	ck_assert_int_eq(authorize_refusal_status(RR_OK), 200);
	for (int i = 1; i < RR__COUNT; i++)
		ck_assert_int_ge(authorize_refusal_status(i), 400);
	ck_assert_int_eq(authorize_refusal_status(RR__COUNT), 400);
}
END_TEST

START_TEST(statuses_by_kind)
{
	/* A link that is not one: 400; one that no longer works: 410; used: 409; the visitor: 403. */
	ck_assert_int_eq(authorize_refusal_status(RR_ALTERED), 400);
	ck_assert_int_eq(authorize_refusal_status(RR_NO_LINK), 400);
	ck_assert_int_eq(authorize_refusal_status(RR_EXPIRED), 410);
	ck_assert_int_eq(authorize_refusal_status(RR_REPLACED), 410);
	ck_assert_int_eq(authorize_refusal_status(RR_USED), 409);
	ck_assert_int_eq(authorize_refusal_status(RR_ALREADY_RELATED), 409);
	ck_assert_int_eq(authorize_refusal_status(RR_OTHER_REGION), 403);
	ck_assert_int_eq(authorize_refusal_status(RR_NOT_ADMIN), 403);
}
END_TEST

UNIT_MAIN("authorize",
	unit_case("statuses", NULL, NULL, UNIT_TESTS(every_refusal_has_an_error_status, statuses_by_kind)))
