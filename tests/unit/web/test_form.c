/* test_form.c — field validators and declarative form reading (form.c). */
#include "unit.h"

#include "web/form.h"
#include "web/http.h"

static struct req R;

static void
setup(void)
{
	unit_db_setup();
	memset(&R, 0, sizeof(R));
	R.a = &A;
	R.store = &DB;
}


START_TEST(emails)
{
	static const char *const good[] = {
		"ana@contoso.com", "a.b-c+tag@mail.contoso.co.uk", "x@ab.io", "o'neil@example.org", "UPPER@Example.COM",
		"1234567890123456789012345678901234567890123456789012345678901234@example.com",	/* 64 */
	};
	static const char *const bad[] = {
		"", "ana", "@contoso.com", "ana@", "ana@contoso", "ana@@contoso.com", "a@b@contoso.com",
		"ana @contoso.com", "ana@contoso .com", ".ana@contoso.com", "ana.@contoso.com", "a..b@contoso.com",
		"ana@contoso..com", "ana@-contoso.com", "ana@contoso-.com", "ana@contoso.c", "ana@contoso.123",
		"ana@contoso.com\r\nBcc: x@y.com", "ana\n@contoso.com", "\"ana\"@contoso.com", "ana(x)@contoso.com",
		"ana@contoso_x.com", "anä@contoso.com", "ana@contöso.com", "<ana@contoso.com>",
		"12345678901234567890123456789012345678901234567890123456789012345@example.com",	/* 65 */
	};
	UNIT_VERDICTS(email_valid, good, bad);
	/* Over 254 characters in all. */
	char local[65], label[51];
	memset(local, 'l', 64);
	local[64] = '\0';
	memset(label, 'd', 50);
	label[50] = '\0';
	ck_assert(email_valid(arena_printf(&A, "%s@%s.%s.com", local, label, label)));
	char *longd = arena_printf(&A, "%s@%s.%s.%s.%s.com", local, label, label, label, label);
	ck_assert_uint_gt(strlen(longd), 254);
	ck_assert(!email_valid(longd));
}
END_TEST

START_TEST(domains)
{
	static const char *const good[] = {
		"contoso.com", "a-b.contoso.co.uk", "x1.io", "xn--bcher-kva.example", "CONTOSO.COM",
	};
	static const char *const bad[] = {
		"", "com", "contoso", ".com", "contoso.", "contoso..com", "-contoso.com", "contoso-.com",
		"con_toso.com", "con toso.com", "contoso.c", "contoso.c0m", "contoso.123", "http://contoso.com",
		"contoso.com/", "contoso.com:80", "bücher.example", "a.b", "contoso.com\n",
	};
	UNIT_VERDICTS(domain_valid, good, bad);
	/* A 63-character label is fine, 64 is not. */
	char l63[64], l64[65];
	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l64, 'a', 64);
	l64[64] = '\0';
	ck_assert(domain_valid(arena_printf(&A, "%s.com", l63)));
	ck_assert(!domain_valid(arena_printf(&A, "%s.com", l64)));
	/* Over 253 characters in all. */
	char *longd = arena_printf(&A, "%s.%s.%s.%s.com", l63, l63, l63, l63);
	ck_assert(!domain_valid(longd));
}
END_TEST

START_TEST(phones)
{
	static const char *const good[] = {
		"1234567", "+49 30 1234567", "(555) 123-4567", "+1-555-123-4567", "12345678901234567890",
		"+ 1 (2) 3-4 5 6 7",
	};
	static const char *const bad[] = {
		"", "123456", "+1 23 45", "123456789012345678901", "555.123.4567", "555-CALL-NOW",
		"+49 30 1234567 ext 5", "1234567\n", "١٢٣٤٥٦٧", "+/1234567", "12345678#",
	};
	UNIT_VERDICTS(phone_valid, good, bad);
}
END_TEST

START_TEST(https_urls)
{
	static const char *const good[] = {
		"https://contoso.com", "https://contoso.com/", "https://www.contoso.co.uk/partners?x=1&y=2#top",
		"https://CONTOSO.com/Path", "https://contoso.com/%20x",
	};
	static const char *const bad[] = {
		"", "http://contoso.com", "https://", "https:///path", "https://contoso", "https://contoso.com:8443/",
		"https://user@contoso.com/", "https://contoso.com/a b", "https://contoso.com/\"x", "https://contoso.com/<x>",
		"https://contoso.com/\\x", "https://contoso.com/\x7f", "https://contoso.com/\xc3\xa9", "javascript:alert(1)",
		"HTTPS://contoso.com", " https://contoso.com", "https://contoso.com/\n", "https://-x.com",
	};
	UNIT_VERDICTS(https_url_valid, good, bad);
	/* Longer than 200 characters. */
	char path[200];
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	ck_assert(!https_url_valid(arena_printf(&A, "https://contoso.com/%s", path)));
}
END_TEST

static const struct field fields[] = {
	{ "name", "Your name", "text", 10, FF_REQUIRED, NULL, NULL, "name" },
	{ "email", "Work email", "email", 254, FF_REQUIRED | FF_LOWER, check_email, NULL, "username" },
	{ "about", "About", "textarea", 40, FF_MULTILINE, NULL, NULL, NULL },
	{ "password", "Password", "password", 256, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, NULL, NULL },
	{ "country", "Country", "select", 2, FF_REQUIRED, check_country, NULL, NULL },
	{ "terms", "Terms", "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "phone", "Phone", "tel", 30, 0, check_phone, NULL, NULL },
};

/* form_read of fields on a request with the POST body text: its result (errors counted). */
static int
read_form(const char *text, struct form *f)
{
	memset(&R.form, 0, sizeof(R.form));
	ck_assert_int_eq(req_parse_urlencoded(&A, text, strlen(text), &R.form), PARSE_OK);
	return form_read(&R, f, fields, NELEM(fields));
}

START_TEST(form_read_trims_and_accepts)
{
	struct form f;
	ck_assert_int_eq(read_form("name=++Ana+&email=+Ana%40Contoso.COM+&about=line+one%0D%0Aline%09two"
	    "&password=+secret+pass+&country=DE&terms=yes&extra=ignored", &f), 0);
	ck_assert_int_eq(f.nerrors, 0);
	ck_assert_str_eq(form_get(&f, "name"), "Ana");
	ck_assert_str_eq(form_get(&f, "email"), "ana@contoso.com");
	ck_assert_str_eq(form_get(&f, "about"), "line one\r\nline\ttwo");
	ck_assert_str_eq(form_get(&f, "password"), " secret pass ");	/* every byte counts */
	ck_assert_str_eq(form_get(&f, "phone"), "");			/* optional and absent */
	ck_assert_ptr_null(form_get(&f, "extra"));
}
END_TEST

START_TEST(form_read_required)
{
	struct form f;
	ck_assert_int_eq(read_form("name=+++&about=", &f), 5);
	/* issue 15, item 8: sentences that name the field ("Enter your name.", not "Enter Your
	 * name."), so the summary shows them without the label in front */
	ck_assert_str_eq(f.error[0], "Enter your name.");
	ck_assert_str_eq(f.error[1], "Enter the work email address.");
	ck_assert_ptr_null(f.error[2]);
	ck_assert_str_eq(f.error[3], "Enter the password.");
	ck_assert_str_eq(f.error[4], "Choose the country.");
	ck_assert_str_eq(f.error[5], "Tick this box to continue.");
	ck_assert_ptr_null(f.error[6]);
	ck_assert(f.named[0] && f.named[1] && f.named[4] && !f.named[5]);
}
END_TEST

/* issue 15, item 8: labels that are not nouns, and abbreviations */
START_TEST(form_required_sentences)
{
	static const struct field more[] = {
		{ "password2", "Confirm new password", "password", 256, FF_REQUIRED, NULL, NULL, NULL },
		{ "code", "Enter the 6-digit code", "text", 6, FF_REQUIRED, NULL, NULL, NULL },
		{ "pmc_user", "PMC user name", "text", 100, FF_REQUIRED, NULL, NULL, NULL },
		{ "email", "Reseller's email", "email", 254, FF_REQUIRED, NULL, NULL, NULL },
	};
	struct form f;
	memset(&R.form, 0, sizeof(R.form));
	ck_assert_int_eq(req_parse_urlencoded(&A, "x=1", 3, &R.form), PARSE_OK);
	ck_assert_int_eq(form_read(&R, &f, more, NELEM(more)), 4);
	ck_assert_str_eq(f.error[0], "Enter the new password again.");
	ck_assert_str_eq(f.error[1], "Enter the 6-digit code.");
	ck_assert_str_eq(f.error[2], "Enter the PMC user name.");
	ck_assert_str_eq(f.error[3], "Enter the reseller's email address.");
}
END_TEST

START_TEST(form_read_too_long_not_truncated)
{
	struct form f;
	ck_assert_int_eq(read_form("name=Anastasia+M&email=ana%40contoso.com"
	    "&password=correct+horse+battery&country=DE&terms=1"
	    "&about=12345678901234567890123456789012345678901", &f), 2);
	ck_assert_str_eq(f.error[0], "Use at most 10 characters.");
	ck_assert_str_eq(f.error[2], "Use at most 40 characters.");
	/* The value is kept whole, so the form shows what was typed. */
	ck_assert_str_eq(form_get(&f, "name"), "Anastasia M");
	ck_assert_uint_eq(strlen(form_get(&f, "about")), 41);
	/* Exactly the maximum is fine. */
	ck_assert_int_eq(read_form("name=Anastasia1&email=ana%40contoso.com&password=correct+horse+battery"
	    "&country=DE&terms=1", &f), 0);
	/* The maximum counts characters, not bytes: "Zoë Müller" is 10 characters in 12 bytes. */
	ck_assert_int_eq(read_form("name=Zo%C3%AB+M%C3%BCller&email=ana%40contoso.com"
	    "&password=correct+horse+battery&country=DE&terms=1", &f), 0);
	ck_assert_int_eq(read_form("name=Zo%C3%AB+M%C3%BCller%C3%A9&email=ana%40contoso.com"
	    "&password=correct+horse+battery&country=DE&terms=1", &f), 1);
	ck_assert_str_eq(f.error[0], "Use at most 10 characters.");
}
END_TEST

START_TEST(form_read_control_characters)
{
	/* Single-line fields refuse control characters inside the value (trimmed ends are fine). */
	struct form f;
	ck_assert_int_eq(read_form("name=A%0Ab&email=ana%40contoso.com&password=correct+horse%0Abattery"
	    "&country=DE&terms=1&phone=1234567%09", &f), 2);
	ck_assert_str_eq(f.error[0], "Remove the control characters from this field.");
	ck_assert_str_eq(f.error[3], "Remove the control characters from this field.");
	ck_assert_ptr_null(f.error[6]);
	static const char *const ctl[] = { "%01", "%1B", "%7F", "%0D", "%09" };
	for (size_t i = 0; i < NELEM(ctl); i++) {
		const char *text = arena_printf(&A, "name=A%sB&email=ana%%40contoso.com&password=correct+horse+battery"
		    "&country=DE&terms=1", ctl[i]);
		ck_assert_msg(read_form(text, &f) == 1 && f.error[0] != NULL, "%s in a single-line field", ctl[i]);
	}
	/* A textarea keeps newlines and tabs but not other controls. */
	ck_assert_int_eq(read_form("name=A&email=ana%40contoso.com&password=correct+horse+battery"
	    "&country=DE&terms=1&about=a%0Ab%1Bc", &f), 1);
	ck_assert_ptr_nonnull(f.error[2]);
}
END_TEST

START_TEST(form_read_validators)
{
	struct form f;
	ck_assert_int_eq(read_form("name=Ana&email=ana%40contoso&password=short&country=XX&terms=1&phone=12", &f), 4);
	ck_assert_str_eq(f.error[1], "Enter an email address like name@example.com.");
	ck_assert_str_eq(f.error[3], "Use at least 12 characters.");
	ck_assert_str_eq(f.error[4], "Choose a country from the list.");
	ck_assert_ptr_nonnull(f.error[6]);
	/* form_fail: the first message per field wins; unknown names are ignored. */
	form_fail(&f, "email", "second message");
	ck_assert_str_eq(f.error[1], "Enter an email address like name@example.com.");
	form_fail(&f, "nope", "x");
	ck_assert_int_eq(f.nerrors, 4);
	form_fail(&f, "name", "Taken.");
	ck_assert_int_eq(f.nerrors, 5);
}
END_TEST

START_TEST(form_to_template_values)
{
	struct form f;
	ck_assert_int_eq(read_form("name=%3Cb%3E&email=bad&password=correct+horse+battery&country=DE"
	    "&terms=1", &f), 1);
	struct tv *ctx = tv_new_obj(&A);
	form_to_tv(&f, ctx);
	const struct tv *fo = tv_get(ctx, "f");
	ck_assert_str_eq(tv_str(tv_get(fo, "name"), "value"), "<b>");
	ck_assert_str_eq(tv_str(tv_get(fo, "name"), "id"), "f-name");
	ck_assert_str_eq(tv_str(tv_get(fo, "email"), "error"), "Enter an email address like name@example.com.");
	/* Secrets are never echoed back. */
	ck_assert_str_eq(tv_str(tv_get(fo, "password"), "value"), "");
	const struct tv *errs = tv_get(ctx, "errors");
	ck_assert_uint_eq(errs->n, 1);
	ck_assert_str_eq(tv_str(errs->items[0], "id"), "f-email");
	ck_assert_str_eq(tv_str(errs->items[0], "label"), "Work email");
}
END_TEST

UNIT_MAIN("form",
	unit_case("validators", setup, unit_db_teardown, UNIT_TESTS(emails, domains, phones, https_urls)),
	unit_case("form_read", setup, unit_db_teardown, UNIT_TESTS(form_read_trims_and_accepts, form_read_required, form_required_sentences,
	    form_read_too_long_not_truncated, form_read_control_characters, form_read_validators,
	    form_to_template_values)))
