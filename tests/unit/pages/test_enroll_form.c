/* test_enroll_form.c — what the enrollment pages share (pages/enroll.h): the legal business
 * profile's field table and validators, the form <-> profile mapping, and the draft's
 * encoding of the form fields. The rules behind the validators: tests/unit/domain/test_enroll.c. */
#include <string.h>

#include "base/password.h"
#include "pages/enroll.h"
#include "unit.h"

static struct req *
fake_req(void)
{
	struct req *r = arena_alloc(&A, sizeof(*r));
	r->a = &A;
	r->store = &DB;
	return r;
}

START_TEST(test_validators)
{
	ck_assert(check_email(NULL, "x@y") != NULL);
	ck_assert(check_email(NULL, "x@y.example") == NULL);
	ck_assert_str_eq(check_phone(NULL, "12"), "Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.");
	ck_assert(check_phone(NULL, "030 1234567") == NULL);
	ck_assert(check_https_url(NULL, "ftp://x.example") != NULL);
	ck_assert(check_postal_code(NULL, "60311") == NULL);
	ck_assert(check_postal_code(NULL, "1015 AA") == NULL);
	ck_assert(check_postal_code(NULL, "SW1A 1AA") == NULL);
	ck_assert(check_postal_code(NULL, "98101-1234") == NULL);
	ck_assert(check_postal_code(NULL, "--") != NULL);
	ck_assert(check_postal_code(NULL, "60311;") != NULL);
}
END_TEST

START_TEST(test_postal_code_required)
{
	/* Empty is refused by the field being required. */
	const struct field *pc = NULL;
	for (size_t i = 0; i < enroll_profile_nfields; i++)
		if (strcmp(enroll_profile_fields[i].name, "postal_code") == 0)
			pc = &enroll_profile_fields[i];
	ck_assert_ptr_nonnull(pc);
	ck_assert(pc->flags & FF_REQUIRED);
	ck_assert(pc->check == check_postal_code);
}
END_TEST

START_TEST(test_required_fields)
{
	/* Every field of the profile is required but address line 2 and state/province. */
	for (size_t i = 0; i < enroll_profile_nfields; i++) {
		const struct field *f = &enroll_profile_fields[i];
		bool optional = strcmp(f->name, "address2") == 0 || strcmp(f->name, "state") == 0;
		ck_assert_msg(((f->flags & FF_REQUIRED) != 0) == !optional, "%s", f->name);
	}
	ck_assert_str_eq(enroll_support_fields[0].name, "support_email");
	ck_assert_str_eq(enroll_support_fields[ENROLL_SUPPORT_N - 1].name, "support_website");
}
END_TEST

START_TEST(test_contact_email_names_the_rule)
{
	struct req *r = fake_req();
	const char *m = check_contact_email(r, "boss@hotmail.fr");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "web-mail") != NULL && strstr(m, "hotmail.fr") != NULL && strstr(m, "matches \"hotmail.*\"") != NULL, "%s", m);
	m = check_contact_email(r, "boss@GMAIL.com");
	ck_assert_str_eq(m, "The primary contact cannot use a web-mail address: gmail.com is on the list of web-mail services. "
	    "Use an address at your company's own domain.");
	ck_assert_ptr_nonnull(check_contact_email(r, "boss-at-contoso"));
	ck_assert_ptr_null(check_contact_email(r, "boss@contoso.example"));
}
END_TEST

START_TEST(test_form_round_trip)
{
	struct form f;
	form_init(&f, enroll_profile_fields, enroll_profile_nfields);
	struct legal_profile l = { .legal_name = "Müller GmbH", .address1 = "A 1", .address2 = "", .city = "C", .state = "",
	    .postal_code = "1", .contact_first = "F", .contact_last = "L", .contact_email = "c@m.example",
	    .contact_phone = "1234567" };
	struct partner_account p = { .support_email = "s@m.example", .support_phone = "7654321",
	    .support_website = "https://s.m.example" };
	enroll_form_fill(&f, &l, &p);
	ck_assert_str_eq(form_get(&f, "legal_name"), "Müller GmbH");
	ck_assert_str_eq(form_get(&f, "support_website"), "https://s.m.example");
	struct legal_profile got;
	struct support_details sup;
	enroll_form_read(&f, &got, &sup);
	ck_assert_str_eq(got.contact_email, "c@m.example");
	ck_assert_str_eq(got.postal_code, "1");
	ck_assert_str_eq(sup.phone, "7654321");
	/* The support-only form (the shortcut) reads "" for the profile's fields. */
	form_init(&f, enroll_support_fields, ENROLL_SUPPORT_N);
	enroll_form_fill(&f, &l, &p);
	enroll_form_read(&f, &got, &sup);
	ck_assert_str_eq(got.legal_name, "");
	ck_assert_str_eq(sup.email, "s@m.example");
}
END_TEST

START_TEST(test_draft_round_trip)
{
	struct form_draft d = { 0 };
	form_draft_set(&A, &d, "legal_name", "Müller & Söhne GmbH");
	form_draft_set(&A, &d, "address1", "a=b&c=d %20 +");
	form_draft_set(&A, &d, "city", "");
	form_draft_set(&A, &d, "legal_name", "Müller & Söhne AG");	/* replaced */
	form_draft_set(&A, &d, "gone", "x");
	form_draft_set(&A, &d, "gone", NULL);			/* removed */
	char *text = draft_encode(&A, &d.fields);
	ck_assert_ptr_nonnull(text);
	struct params p;
	ck_assert_int_eq(draft_decode(&A, text, &p), 0);
	ck_assert_str_eq(params_get(&p, "legal_name"), "Müller & Söhne AG");
	ck_assert_str_eq(params_get(&p, "address1"), "a=b&c=d %20 +");
	ck_assert_str_eq(params_get(&p, "city"), "");
	ck_assert_ptr_null(params_get(&p, "gone"));
	ck_assert_int_eq(draft_decode(&A, "a=%ZZ", &p), -1);
}
END_TEST

UNIT_MAIN("enroll_form",
	unit_once(unit_password_once, unit_case("form", unit_db_setup, unit_db_teardown, UNIT_TESTS(test_validators,
	    test_postal_code_required, test_required_fields, test_contact_email_names_the_rule, test_form_round_trip,
	    test_draft_round_trip))))
