/* test_req.c — query/form and cookie parsing, url_encode, safe redirect targets (req.c). */
#include "unit.h"

#include <stdarg.h>

#include "web/req.h"

/* Parses s (as a C string) into a fresh params. */
static enum req_parse
parse(const char *s, struct params *p)
{
	memset(p, 0, sizeof(*p));
	return req_parse_urlencoded(&A, s, strlen(s), p);
}

/* Asserts that each of the texts parses (as a form) to the outcome want. */
static void
expect_outcome(const char *what, enum req_parse want, const char *const *texts, size_t n)
{
	struct params p;
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(parse(texts[i], &p) == want, "%s should be %s", texts[i], what);
}
#define EXPECT_OUTCOME(want, texts) expect_outcome(#want, want, texts, NELEM(texts))

/* Parses text with parser: PARSE_OK and exactly n pairs, among them each name with its value
 * as listed (name, value, ..., NULL). The pairs in *p for further checks. */
static void
expect_pairs(enum req_parse (*parser)(const char *, struct params *), const char *text, struct params *p, size_t n,
    ...)
{
	ck_assert_msg(parser(text, p) == PARSE_OK, "\"%s\" should parse", text);
	ck_assert_msg(p->n == n, "\"%s\": %zu pairs, want %zu", text, p->n, n);
	va_list ap;
	va_start(ap, n);
	for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
		const char *want = va_arg(ap, const char *), *got = params_get(p, name);
		ck_assert_msg(got != NULL && strcmp(got, want) == 0, "\"%s\": %s is \"%s\", want \"%s\"", text, name,
		    got ? got : "(none)", want);
	}
	va_end(ap);
}

START_TEST(form_plain_pairs)
{
	struct params p;
	expect_pairs(parse, "a=1&b=two&c=", &p, 3, "a", "1", "b", "two", "c", "", NULL);
	ck_assert_ptr_null(params_get(&p, "d"));
}
END_TEST

START_TEST(form_plus_is_space_and_percent_decoding)
{
	struct params p;
	expect_pairs(parse, "name=Ana+Mar%C3%ADa&q=a%2Bb%26c%3Dd&%6Bey=v%20w", &p, 3, "name", "Ana Mar\xc3\xad" "a",
	    "q", "a+b&c=d", "key", "v w", NULL);
	/* Lower- and upper-case hex digits alike. */
	expect_pairs(parse, "x=%e2%82%AC", &p, 1, "x", "\xe2\x82\xac", NULL);
}
END_TEST

START_TEST(form_bad_percent_encoding)
{
	static const char *const bad[] = {
		"a=%G1", "a=%1G", "a=%", "a=%4", "a=x%", "a=%%41", "%zz=1", "a=1&b=%4",
	};
	EXPECT_OUTCOME(PARSE_BAD_ENCODING, bad);
}
END_TEST

START_TEST(form_invalid_utf8)
{
	static const char *const bad[] = {
		"a=%C0%AF",		/* overlong '/' */
		"a=%E0%80%AF",		/* overlong, 3 bytes */
		"a=%F0%80%80%AF",	/* overlong, 4 bytes */
		"a=%ED%A0%80",		/* surrogate U+D800 */
		"a=%ED%BF%BF",		/* surrogate U+DFFF */
		"a=%E2%82",		/* truncated */
		"a=%C3",		/* truncated at the end */
		"a=%C3x",		/* continuation missing */
		"a=%F4%90%80%80",	/* U+110000 */
		"a=%F8%88%80%80%80",	/* 5-byte form */
		"a=%80",		/* lone continuation byte */
		"a=%FF",
		"%C3=1",		/* in a name too */
	};
	EXPECT_OUTCOME(PARSE_BAD_ENCODING, bad);
	struct params p;
	/* Raw (unencoded) invalid bytes are refused the same way. */
	ck_assert_int_eq(parse("a=\xc0\xaf", &p), PARSE_BAD_ENCODING);
	/* The largest code point and the ones around the surrogates are fine. */
	ck_assert_int_eq(parse("a=%F4%8F%BF%BF&b=%ED%9F%BF&c=%EE%80%80", &p), PARSE_OK);
}
END_TEST

START_TEST(form_nul_refused)
{
	static const char *const encoded[] = { "a=x%00y", "a%00b=1" };
	EXPECT_OUTCOME(PARSE_BAD_ENCODING, encoded);
	/* A raw NUL inside the body (length-delimited input). */
	static const char raw[] = "a=x\0y&b=2";
	struct params p;
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(req_parse_urlencoded(&A, raw, sizeof(raw) - 1, &p), PARSE_BAD_ENCODING);
}
END_TEST

START_TEST(form_repeated_single_valued)
{
	static const char *const repeated[] = {
		"email=a%40b.c&email=x%40y.z", "a=1&b=2&a=",
		"csrf=1&%63srf=2",	/* an encoded spelling of the same name is the same name */
	};
	EXPECT_OUTCOME(PARSE_REPEATED, repeated);
}
END_TEST

START_TEST(form_brackets_may_repeat)
{
	struct params p;
	ck_assert_int_eq(parse("roles[]=a&roles[]=b&x=1&roles%5B%5D=c", &p), PARSE_OK);
	const char *v[8];
	ck_assert_uint_eq(params_all(&p, "roles[]", v, NELEM(v)), 3);
	ck_assert_str_eq(v[0], "a");
	ck_assert_str_eq(v[1], "b");
	ck_assert_str_eq(v[2], "c");
	ck_assert_uint_eq(params_all(&p, "roles[]", v, 2), 2);
	ck_assert_uint_eq(params_all(&p, "x", v, NELEM(v)), 1);
}
END_TEST

START_TEST(form_empty_pairs)
{
	struct params p;
	expect_pairs(parse, "", &p, 0, NULL);
	expect_pairs(parse, "&&a=1&&b=2&", &p, 2, NULL);
	/* A name without '=' has an empty value; an empty name is ignored. */
	expect_pairs(parse, "flag&=orphan&c=3", &p, 2, "flag", "", "c", "3", NULL);
	/* Only the first '=' separates. */
	expect_pairs(parse, "k=a=b", &p, 1, "k", "a=b", NULL);
}
END_TEST

START_TEST(form_too_many_fields)
{
	struct buf b;
	buf_init(&b, &A);
	for (int i = 0; i < REQ_MAX_PARAMS; i++)
		buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	struct params p;
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(req_parse_urlencoded(&A, b.p, b.len, &p), PARSE_OK);
	ck_assert_uint_eq(p.n, REQ_MAX_PARAMS);
	buf_puts(&b, "&one=more");
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(req_parse_urlencoded(&A, b.p, b.len, &p), PARSE_TOO_MANY);
	/* Repeatable names count too. */
	buf_init(&b, &A);
	for (int i = 0; i <= REQ_MAX_PARAMS; i++)
		buf_puts(&b, "x[]=1&");
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(req_parse_urlencoded(&A, b.p, b.len, &p), PARSE_TOO_MANY);
}
END_TEST

START_TEST(form_arena_exhausted)
{
	struct arena small;
	arena_init(&small, 64);
	struct params p;
	memset(&p, 0, sizeof(p));
	const char *s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	ck_assert_int_eq(req_parse_urlencoded(&small, s, strlen(s), &p), PARSE_NOMEM);
	arena_free(&small);
}
END_TEST

/* Cookies */

static enum req_parse
cookies(const char *s, struct params *p)
{
	memset(p, 0, sizeof(*p));
	return req_parse_cookies(&A, s, p);
}

START_TEST(cookie_basic_and_spaces)
{
	struct params p;
	expect_pairs(cookies, "sid=abc; pre=def;theme=dark ;  x=1", &p, 4, "sid", "abc", "pre", "def", "theme", "dark",
	    "x", "1", NULL);
	ck_assert_int_eq(cookies(NULL, &p), PARSE_OK);
	ck_assert_uint_eq(p.n, 0);
	expect_pairs(cookies, "", &p, 0, NULL);
	expect_pairs(cookies, " ; ;\t", &p, 0, NULL);
}
END_TEST

START_TEST(cookie_malformed_skipped)
{
	struct params p;
	expect_pairs(cookies, "novalue; =nameless; a=1; ;;b=; c=x=y", &p, 3, "a", "1", "b", "", "c", "x=y", NULL);
	ck_assert_ptr_null(params_get(&p, "novalue"));
	/* Values are not decoded. */
	expect_pairs(cookies, "v=a%20b+c", &p, 1, "v", "a%20b+c", NULL);
}
END_TEST

START_TEST(cookie_first_duplicate_wins)
{
	struct params p;
	expect_pairs(cookies, "sid=specific; other=1; sid=general", &p, 2, "sid", "specific", NULL);
}
END_TEST

START_TEST(cookie_too_many)
{
	struct buf b;
	buf_init(&b, &A);
	for (int i = 0; i <= REQ_MAX_PARAMS; i++)
		buf_printf(&b, "c%d=%d; ", i, i);
	struct params p;
	ck_assert_int_eq(cookies(b.p, &p), PARSE_TOO_MANY);
	/* Duplicates do not count. */
	buf_init(&b, &A);
	for (int i = 0; i <= REQ_MAX_PARAMS * 2; i++)
		buf_puts(&b, "same=1; ");
	ck_assert_int_eq(cookies(b.p, &p), PARSE_OK);
	ck_assert_uint_eq(p.n, 1);
}
END_TEST

/* url_encode */

START_TEST(url_encode_round_trip)
{
	ck_assert_str_eq(url_encode(&A, "/x/y?a=1&b=c d"), "/x/y%3Fa%3D1%26b%3Dc%20d");
	ck_assert_str_eq(url_encode(&A, "AZaz09-_.~"), "AZaz09-_.~");
	ck_assert_str_eq(url_encode(&A, "\xc3\xa9+%"), "%C3%A9%2B%25");
	ck_assert_str_eq(url_encode(&A, ""), "");
	/* What url_encode writes, the parser reads back unchanged. */
	const char *orig = "/reports?from=2026-01-01&who=Zoë & co/+%";
	char *q = arena_printf(&A, "next=%s", url_encode(&A, orig));
	struct params p;
	expect_pairs(parse, q, &p, 1, "next", orig, NULL);
}
END_TEST

/* req_safe_next */

START_TEST(safe_next_accepts_relative_paths)
{
	ck_assert(req_safe_next("/"));
	ck_assert(req_safe_next("/x"));
	ck_assert(req_safe_next("/x?y=1"));
	ck_assert(req_safe_next("/users/12?tab=roles&m=saved"));
	ck_assert(req_safe_next("/a/b#frag"));
}
END_TEST

START_TEST(safe_next_refuses_others)
{
	static const char *const bad[] = {
		"", "x", "//evil", "//evil.example/x", "/\\evil", "/x\\y", "\\\\evil", "http://x",
		"https://evil.example/", "javascript:alert(1)", "data:text/html,x", "/x\r\nSet-Cookie: a=b",
		"/x\ty", "/\x7f", "/x\x01", " /x", "?next=/", "#x",
	};
	ck_assert(!req_safe_next(NULL));
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(!req_safe_next(bad[i]), "req_safe_next(\"%s\") should refuse", bad[i]);
	/* Absurdly long targets too. */
	char *longp = arena_alloc(&A, 2000);
	memset(longp, 'a', 1999);
	longp[0] = '/';
	ck_assert(!req_safe_next(longp));
}
END_TEST

/* multipart/form-data (issue 19) */

#define MP_CT "multipart/form-data; boundary=XyZ"
static enum req_parse
parse_mp(const char *ct, const char *s, struct params *p)
{
	memset(p, 0, sizeof(*p));
	return req_parse_multipart(&A, ct, s, strlen(s), p);
}

START_TEST(multipart_fields_and_file)
{
	struct params p;
	const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"text\"; filename=\"mpa.txt\"\r\n"
	    "Content-Type: text/plain\r\n\r\nLine one\r\nLine two — ü\r\n\r\n--XyZ--\r\n";
	ck_assert_int_eq(parse_mp(MP_CT, body, &p), PARSE_OK);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_str_eq(params_get(&p, "csrf"), "abc");
	ck_assert_str_eq(params_get(&p, "text"), "Line one\r\nLine two — ü\r\n");
	/* A quoted boundary, and an empty file. */
	ck_assert_int_eq(parse_mp("multipart/form-data; boundary=\"XyZ\"",
	    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--XyZ--", &p), PARSE_OK);
	ck_assert_str_eq(params_get(&p, "f"), "");
}
END_TEST

START_TEST(multipart_malformed_refused)
{
	struct params p;
	static const char *const bad[] = {
		"",								/* nothing */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",	/* no closing delimiter */
		"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--",	/* no name */
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--XyZ--",	/* no blank line */
		"--Other\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--Other--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--XyZ--",	/* not UTF-8 */
	};
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(parse_mp(MP_CT, bad[i], &p) == PARSE_BAD_ENCODING, "case %zu", i);
	ck_assert_int_eq(parse_mp("multipart/form-data", "--XyZ--", &p), PARSE_BAD_ENCODING);	/* no boundary */
	ck_assert_int_eq(parse_mp("text/plain; boundary=XyZ", "--XyZ--", &p), PARSE_BAD_ENCODING);
	/* A single-valued name twice. */
	ck_assert_int_eq(parse_mp(MP_CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--XyZ--", &p), PARSE_REPEATED);
	/* A NUL inside a value (length-delimited input). */
	static const char raw[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--XyZ--";
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(req_parse_multipart(&A, MP_CT, raw, sizeof(raw) - 1, &p), PARSE_BAD_ENCODING);
}
END_TEST

UNIT_MAIN("req",
	unit_case("multipart", unit_setup, unit_teardown, UNIT_TESTS(multipart_fields_and_file, multipart_malformed_refused)),
	unit_case("form", unit_setup, unit_teardown, UNIT_TESTS(form_plain_pairs,
	    form_plus_is_space_and_percent_decoding, form_bad_percent_encoding, form_invalid_utf8, form_nul_refused,
	    form_repeated_single_valued, form_brackets_may_repeat, form_empty_pairs, form_too_many_fields,
	    form_arena_exhausted)),
	unit_case("cookies", unit_setup, unit_teardown, UNIT_TESTS(cookie_basic_and_spaces, cookie_malformed_skipped,
	    cookie_first_duplicate_wins, cookie_too_many)),
	unit_case("urls", unit_setup, unit_teardown, UNIT_TESTS(url_encode_round_trip,
	    safe_next_accepts_relative_paths, safe_next_refuses_others)))
