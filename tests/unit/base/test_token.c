/* test_token.c — signed link tokens: round trip and every way to refuse one (token.c). */
#include "unit.h"

#include <sodium.h>

#include "base/token.h"

static const int64_t NOW = 1800000000;

/* Replaces one base64url character with a different valid one. */
static char
flip(char c)
{
	return c == 'A' ? 'B' : 'A';
}

/* Builds a token text from raw fields, with a tag that is not a valid MAC. */
static char *
forge(int format, int purpose, uint32_t kid, int64_t row, int64_t expires)
{
	unsigned char raw[54];
	memset(raw, 0x5a, sizeof(raw));
	raw[0] = (unsigned char)format;
	raw[1] = (unsigned char)purpose;
	for (int i = 0; i < 4; i++)
		raw[2 + i] = (unsigned char)(kid >> (8 * (3 - i)));
	for (int i = 0; i < 8; i++) {
		raw[6 + i] = (unsigned char)((uint64_t)row >> (8 * (7 - i)));
		raw[14 + i] = (unsigned char)((uint64_t)expires >> (8 * (7 - i)));
	}
	return b64url_encode(&A, raw, sizeof(raw));
}

START_TEST(round_trip)
{
	char *t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(strlen(t), TOKEN_TEXT_LEN);
	ck_assert_uint_eq(strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), TOKEN_TEXT_LEN);
	struct token tok;
	memset(&tok, 0, sizeof(tok));
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_OK);
	ck_assert_int_eq(tok.purpose, TP_PASSWORD_RESET);
	ck_assert_int_eq(tok.row, 42);
	ck_assert_int_eq(tok.expires, NOW + 3600);
	ck_assert_uint_eq(tok.kid, UNIT_KID);
	/* Large row ids survive. */
	t = token_make(&A, TP_CUSTOMER_INVITE, INT64_C(9007199254740993), NOW + 1);
	ck_assert_int_eq(token_open(t, TP_CUSTOMER_INVITE, NOW, &tok), TOKEN_OK);
	ck_assert_int_eq(tok.row, INT64_C(9007199254740993));
	/* Two tokens for the same row are the same bytes (deterministic MAC)... */
	ck_assert_str_eq(token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600), token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600));
	/* ...and differ for another row. */
	ck_assert_str_ne(token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600), token_make(&A, TP_PASSWORD_RESET, 43, NOW + 3600));
}
END_TEST

START_TEST(tampered_tag)
{
	char *t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	struct token tok;
	t[TOKEN_TEXT_LEN - 1] = flip(t[TOKEN_TEXT_LEN - 1]);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_BAD_MAC);
	t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	t[40] = flip(t[40]);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_BAD_MAC);
}
END_TEST

START_TEST(tampered_body)
{
	struct token tok;
	/* Row id (bytes 6..13, characters 8..17) and expiry (bytes 14..21, characters 19..28). */
	char *t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	t[12] = flip(t[12]);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_BAD_MAC);
	t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	t[24] = flip(t[24]);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_BAD_MAC);
	/* No single changed character anywhere yields a usable token. */
	for (int i = 0; i < TOKEN_TEXT_LEN; i++) {
		t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
		t[i] = flip(t[i]);
		enum token_error e = token_open(t, TP_PASSWORD_RESET, NOW, &tok);
		ck_assert_msg(e != TOKEN_OK, "changing character %d was not noticed", i);
	}
}
END_TEST

START_TEST(wrong_purpose)
{
	struct token tok;
	char *t = token_make(&A, TP_SET_PASSWORD, 42, NOW + 3600);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_WRONG_PURPOSE);
	ck_assert_int_eq(token_open(t, TP_VERIFY_CONTACT, NOW, &tok), TOKEN_WRONG_PURPOSE);
	ck_assert_int_eq(token_open(t, TP_SET_PASSWORD, NOW, &tok), TOKEN_OK);
	/* No token for a purpose that does not exist. */
	ck_assert_ptr_null(token_make(&A, (enum token_purpose)0, 1, NOW + 1));
	ck_assert_ptr_null(token_make(&A, TP__MAX, 1, NOW + 1));
	ck_assert_str_eq(token_purpose_name(TP_PASSWORD_RESET), "password-reset");
	ck_assert_str_eq(token_purpose_name(TP_RESELLER_INVITE), "reseller-invite");
	ck_assert_str_eq(token_purpose_name(TP__MAX), "?");
}
END_TEST

START_TEST(unknown_key_id)
{
	struct token tok;
	ck_assert_int_eq(token_open(forge(1, TP_PASSWORD_RESET, 99, 42, NOW + 3600), TP_PASSWORD_RESET, NOW, &tok),
	    TOKEN_BAD_KEY);
	ck_assert_int_eq(token_open(forge(1, TP_PASSWORD_RESET, 0, 42, NOW + 3600), TP_PASSWORD_RESET, NOW, &tok),
	    TOKEN_BAD_KEY);
	/* A known key id with a forged tag is still refused. */
	ck_assert_int_eq(token_open(forge(1, TP_PASSWORD_RESET, UNIT_KID, 42, NOW + 3600), TP_PASSWORD_RESET, NOW, &tok),
	    TOKEN_BAD_MAC);
}
END_TEST

static void
write_keys(const char *path, const char *k1_state, const char *k2_state)
{
	char text[512];
	snprintf(text, sizeof(text),
	    "# test keys\n"
	    "1 %s 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
	    "%s%s%s",
	    k1_state, k2_state ? "2 " : "", k2_state ? k2_state : "",
	    k2_state ? " ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n" : "");
	unit_write_file(path, text, 0600);
}

START_TEST(retired_key_id)
{
	unit_tmpdir(TMP, sizeof(TMP));
	char path[1024], kerr[256];
	snprintf(path, sizeof(path), "%s/secret.keys", TMP);
	struct token tok;

	write_keys(path, "current", NULL);
	ck_assert_msg(keys_load(path, kerr, sizeof(kerr)) == 0, "%s", kerr);
	ck_assert_uint_eq(keys_current(), 1);
	char *t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_OK);
	ck_assert_uint_eq(tok.kid, 1);

	/* After a rotation key 1 is still valid: links already sent keep working. */
	write_keys(path, "valid", "current");
	ck_assert_msg(keys_load(path, kerr, sizeof(kerr)) == 0, "%s", kerr);
	ck_assert_uint_eq(keys_current(), 2);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_OK);
	ck_assert_uint_eq(token_open(token_make(&A, TP_PASSWORD_RESET, 1, NOW + 5), TP_PASSWORD_RESET, NOW, &tok), TOKEN_OK);
	ck_assert_uint_eq(tok.kid, 2);

	/* Retired: refused. */
	write_keys(path, "retired", "current");
	ck_assert_msg(keys_load(path, kerr, sizeof(kerr)) == 0, "%s", kerr);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_BAD_KEY);
	/* And a key id that was never in the file. */
	write_keys(path, "current", NULL);
	ck_assert_msg(keys_load(path, kerr, sizeof(kerr)) == 0, "%s", kerr);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_OK);
	unit_key_install();
	ck_assert_uint_eq(keys_current(), UNIT_KID);
}
END_TEST

START_TEST(expired)
{
	struct token tok;
	char *t = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW + 3599, &tok), TOKEN_OK);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW + 3600, &tok), TOKEN_EXPIRED);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW + 86400 * 365, &tok), TOKEN_EXPIRED);
	/* An expiry in the past at minting is expired at once. */
	t = token_make(&A, TP_PASSWORD_RESET, 42, NOW - 1);
	ck_assert_int_eq(token_open(t, TP_PASSWORD_RESET, NOW, &tok), TOKEN_EXPIRED);
}
END_TEST

START_TEST(malformed)
{
	struct token tok;
	char *good = token_make(&A, TP_PASSWORD_RESET, 42, NOW + 3600);
	ck_assert_int_eq(token_open(NULL, TP_PASSWORD_RESET, NOW, &tok), TOKEN_MALFORMED);
	ck_assert_int_eq(token_open("", TP_PASSWORD_RESET, NOW, &tok), TOKEN_MALFORMED);
	ck_assert_int_eq(token_open("invalid", TP_PASSWORD_RESET, NOW, &tok), TOKEN_MALFORMED);
	/* One character short or long. */
	char *s = arena_strdup(&A, good);
	s[TOKEN_TEXT_LEN - 1] = '\0';
	ck_assert_int_eq(token_open(s, TP_PASSWORD_RESET, NOW, &tok), TOKEN_MALFORMED);
	s = arena_printf(&A, "%sA", good);
	ck_assert_int_eq(token_open(s, TP_PASSWORD_RESET, NOW, &tok), TOKEN_MALFORMED);
	/* Characters outside base64url: standard base64, padding, spaces, non-ASCII. */
	static const char subst[] = { '+', '/', '=', ' ', '.', '%', '\n', '\x80' };
	for (size_t i = 0; i < sizeof(subst); i++) {
		s = arena_strdup(&A, good);
		s[30] = subst[i];
		ck_assert_msg(token_open(s, TP_PASSWORD_RESET, NOW, &tok) == TOKEN_MALFORMED, "character 0x%02x",
		    (unsigned char)subst[i]);
	}
	/* Right length, wrong format byte. */
	ck_assert_int_eq(token_open(forge(2, TP_PASSWORD_RESET, UNIT_KID, 42, NOW + 3600), TP_PASSWORD_RESET, NOW, &tok),
	    TOKEN_MALFORMED);
	ck_assert_int_eq(token_open(forge(0, TP_PASSWORD_RESET, UNIT_KID, 42, NOW + 3600), TP_PASSWORD_RESET, NOW, &tok),
	    TOKEN_MALFORMED);
}
END_TEST

START_TEST(error_texts)
{
	ck_assert_str_eq(token_error_text(TOKEN_OK), "");
	enum token_error all[] = { TOKEN_MALFORMED, TOKEN_BAD_KEY, TOKEN_BAD_MAC, TOKEN_WRONG_PURPOSE, TOKEN_EXPIRED };
	for (size_t i = 0; i < NELEM(all); i++) {
		const char *s = token_error_text(all[i]);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(strlen(s) > 10, "error %d has no words", (int)all[i]);
	}
	ck_assert_ptr_nonnull(strstr(token_error_text(TOKEN_EXPIRED), "expired"));
}
END_TEST

UNIT_MAIN("token",
	unit_case("token", unit_setup, unit_teardown, UNIT_TESTS(round_trip, tampered_tag, tampered_body,
	    wrong_purpose, unknown_key_id, retired_key_id, expired, malformed, error_texts)))
