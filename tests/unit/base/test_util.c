/* test_util.c — shared helpers (util.c) and the log line cleaner (log.c). */
#include "unit.h"

#include <stdint.h>

#include "base/log.h"

START_TEST(utf8)
{
	static const char *const good[] = {
		"", "ascii", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "Zoë 日本 🔑",
	};
	static const char *const bad[] = {
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80",
		"\xfc\x84\x80\x80\x80\x80", "\xfe", "\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x94", "\xc3(", "\xe2(\xa1",
	};
	for (size_t i = 0; i < NELEM(good); i++)
		ck_assert_msg(utf8_valid(good[i], strlen(good[i])), "good[%zu] refused", i);
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(!utf8_valid(bad[i], strlen(bad[i])), "bad[%zu] accepted", i);
	/* Length-bounded: a sequence cut by n is refused. */
	ck_assert(!utf8_valid("\xc3\xa9", 1));
	ck_assert(utf8_valid("\xc3\xa9", 2));
}
END_TEST

START_TEST(integers)
{
	int64_t v = -1;
	ck_assert_int_eq(parse_i64("0", 0, 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_i64("-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(parse_i64("9223372036854775807", 0, INT64_MAX, &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	static const char *const bad[] = {
		"", "-", " 1", "1 ", "+1", "1a", "0x1", "1.0", "9223372036854775808", "-9223372036854775809",
		"99999999999999999999999",
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		v = 77;
		ck_assert_msg(parse_i64(bad[i], INT64_MIN, INT64_MAX, &v) == -1, "\"%s\" accepted", bad[i]);
		ck_assert_int_eq(v, 77);
	}
	ck_assert_int_eq(parse_i64(NULL, 0, 1, &v), -1);
	ck_assert_int_eq(parse_i64("11", 0, 10, &v), -1);
	ck_assert_int_eq(parse_i64("-1", 0, 10, &v), -1);
}
END_TEST

START_TEST(base64url)
{
	unsigned char raw[40], back[41];
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 37 + 251);
	for (size_t n = 0; n <= sizeof(raw); n++) {
		char *s = b64url_encode(&A, raw, n);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), strlen(s));
		ck_assert_int_eq(b64url_decode(s, back, sizeof(back)), (long)n);
		ck_assert(memcmp(raw, back, n) == 0);
	}
	ck_assert_int_eq(b64url_decode("AAAA", back, 2), -1);		/* does not fit */
	ck_assert_int_eq(b64url_decode("AA==", back, sizeof(back)), -1);	/* no padding */
	ck_assert_int_eq(b64url_decode("A+/A", back, sizeof(back)), -1);	/* not the URL alphabet */
	ck_assert_int_eq(b64url_decode("AA A", back, sizeof(back)), -1);
	ck_assert_int_eq(b64url_decode("AB", back, sizeof(back)), -1);	/* non-canonical */
	ck_assert_int_eq(b64url_decode(NULL, back, sizeof(back)), -1);
	/* Bytes >= 0x80 are not '_' (libsodium 1.0.18's decoder alone takes them as such). */
	ck_assert_int_eq(b64url_decode("A\x80" "AA", back, sizeof(back)), -1);
	ck_assert_int_eq(b64url_decode("A\xff" "AA", back, sizeof(back)), -1);
	ck_assert_int_eq(b64url_decode("A_AA", back, sizeof(back)), 3);
	ck_assert_str_eq(hex_encode(&A, (const unsigned char *)"\x01\xab\xff", 3), "01abff");
}
END_TEST

START_TEST(times)
{
	/* issue 15, item 13: one format for people (was "2027-01-15 08:00 UTC"); portalctl's stamp */
	ck_assert_str_eq(fmt_datetime(&A, 1800000000), "15 Jan 2027, 08:00 UTC");
	ck_assert_str_eq(fmt_datetime(&A, 1772719380), "05 Mar 2026, 14:03 UTC");
	ck_assert_str_eq(fmt_stamp(&A, 1800000000), "2027-01-15 08:00 UTC");
	ck_assert_str_eq(fmt_date(&A, 1800000000), "15 Jan 2027");
	ck_assert_str_eq(fmt_rfc5322(&A, 1800000000), "Fri, 15 Jan 2027 08:00:00 +0000");
	ck_assert_str_eq(fmt_rfc5322(&A, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
	int64_t before = now_sec();
	util_time_offset = 3600;
	ck_assert_int_ge(now_sec() - before, 3600);
	util_time_offset = 0;
	int64_t m1 = mono_usec(), m2 = mono_usec();
	ck_assert_int_ge(m2, m1);
}
END_TEST

START_TEST(strings)
{
	ck_assert(str_eq("a", "a"));
	ck_assert(!str_eq("a", NULL));
	ck_assert(!str_eq(NULL, NULL));
	ck_assert(str_ieq("Ana@Example.COM", "ana@example.com"));
	ck_assert(!str_ieq("ana", NULL));
	ck_assert(str_empty(NULL));
	ck_assert(str_empty(""));
	ck_assert(!str_empty(" "));
	ck_assert(str_has_prefix("https://x", "https://"));
	ck_assert(!str_has_prefix("http://x", "https://"));
	ck_assert(!str_has_prefix(NULL, "x"));
	ck_assert_str_eq(str_trim(&A, " \t\r\n a b \n"), "a b");
	ck_assert_str_eq(str_trim(&A, "   "), "");
	ck_assert_ptr_null(str_trim(&A, NULL));
	ck_assert_str_eq(str_lower_trim(&A, "  Ana@Example.COM "), "ana@example.com");
	/* Only ASCII letters are lowered; UTF-8 bytes pass through. */
	ck_assert_str_eq(str_lower_trim(&A, "\xc3\x89" "COLE"), "\xc3\x89" "cole");
}
END_TEST

/* issue 15: the audit log's date range */
START_TEST(dates)
{
	int64_t t = -1;
	ck_assert_int_eq(parse_date("1970-01-01", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(parse_date("2026-12-01", &t), 0);
	ck_assert_int_eq(t, 1796083200);
	ck_assert_int_eq(parse_date("2024-02-29", &t), 0);
	ck_assert_int_eq(t, 1709164800);
	ck_assert_int_eq(parse_date("2000-03-01", &t), 0);
	ck_assert_int_eq(t, 951868800);
	static const char *const bad[] = {
		"", "2026-1-01", "2026-13-01", "2026-00-10", "2026-04-31", "2025-02-29", "1900-02-29", "1969-12-31",
		"2026/12/01", "2026-12-01 ", "+026-12-01", "20261201",
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		t = 77;
		ck_assert_msg(parse_date(bad[i], &t) == -1, "\"%s\" accepted", bad[i]);
		ck_assert_int_eq(t, 77);
	}
	ck_assert_int_eq(parse_date(NULL, &t), -1);
}
END_TEST

/* issue 15, item 11: a search's LIKE pattern: its %, _ and \ are plain characters. */
START_TEST(search_patterns)
{
	ck_assert_str_eq(like_contains(&A, "ana"), "%ana%");
	ck_assert_str_eq(like_contains(&A, ""), "%%");
	ck_assert_str_eq(like_contains(&A, "50%"), "%50\\%%");
	ck_assert_str_eq(like_contains(&A, "a_b"), "%a\\_b%");
	ck_assert_str_eq(like_contains(&A, "c:\\x"), "%c:\\\\x%");
	ck_assert_str_eq(like_contains(&A, "%_\\"), "%\\%\\_\\\\%");
}
END_TEST

START_TEST(log_lines_cannot_be_forged)
{
	char out[256];
	log_clean(out, sizeof(out), "user=ana\r\n2026-01-01T00:00:00Z forged line\t\\x");
	ck_assert_str_eq(out, "user=ana\\x0d\\x0a2026-01-01T00:00:00Z forged line\\x09\\x5cx");
	ck_assert_ptr_null(strchr(out, '\n'));
	log_clean(out, sizeof(out), "plain Zoë");
	ck_assert_str_eq(out, "plain Zoë");
	/* Truncated to the buffer, always terminated, never a partial escape. */
	char small[8];
	log_clean(small, sizeof(small), "abcdefghijkl");
	ck_assert_uint_lt(strlen(small), sizeof(small));
	log_clean(small, sizeof(small), "ab\n\n\n\n");
	ck_assert_str_eq(small, "ab\\x0a");
	log_clean(small, 1, "abc");
	ck_assert_str_eq(small, "");
}
END_TEST

UNIT_MAIN("util",
	unit_case("util", unit_setup, unit_teardown, UNIT_TESTS(utf8, integers, dates, base64url, times, strings,
	    log_lines_cannot_be_forged, search_patterns)))
