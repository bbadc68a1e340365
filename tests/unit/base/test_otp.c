/* test_otp.c — TOTP through liboath (RFC 6238's SHA-1 test vectors, ±1 step of skew, code
 * shapes), base32, the otpauth:// URI and the QR code's SVG (base/otp.c); sealing secrets
 * at rest: round trip, tampering, key rotation (base/seal.c). */
#include "unit.h"

#include "base/otp.h"
#include "base/seal.h"

/* RFC 6238 appendix B: the SHA-1 seed, and the 8-digit codes' last six digits (6-digit TOTP
 * is the same HOTP value mod 10^6). */
static const unsigned char rfc_seed[20] = "12345678901234567890";
static const struct { int64_t t; const char *code; } rfc[] = {
	{ 59, "287082" }, { 1111111109, "081804" }, { 1111111111, "050471" },
	{ 1234567890, "005924" }, { 2000000000, "279037" }, { 20000000000, "353130" },
};

START_TEST(rfc6238_vectors)
{
	for (size_t i = 0; i < NELEM(rfc); i++) {
		char code[OTP_DIGITS + 1];
		ck_assert_int_eq(otp_code(rfc_seed, sizeof(rfc_seed), otp_step(rfc[i].t), code), 0);
		ck_assert_str_eq(code, rfc[i].code);
		ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), rfc[i].t, rfc[i].code), otp_step(rfc[i].t));
	}
}
END_TEST

START_TEST(one_step_of_skew)
{
	const int64_t t = 1234567890, step = otp_step(t);
	const char *code = "005924";
	/* The code of step s is accepted from step s-1 to s+1, and reports s. */
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t - OTP_STEP, code), step);
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t + OTP_STEP, code), step);
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t - 2 * OTP_STEP, code), 0);
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t + 2 * OTP_STEP, code), 0);
}
END_TEST

START_TEST(code_shapes)
{
	const int64_t t = 1234567890;
	static const char *const bad[] = { "", "00592", "0059244", "00592a", " 005924", "005924 ", "-05924", "00 5924" };
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(otp_verify(rfc_seed, sizeof(rfc_seed), t, bad[i]) == 0, "'%s'", bad[i]);
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t, NULL), 0);
	ck_assert_int_eq(otp_verify(rfc_seed, sizeof(rfc_seed), t, "005925"), 0);
}
END_TEST

START_TEST(base32_and_uri)
{
	/* RFC 4648 section 10, without padding. */
	ck_assert_str_eq(otp_base32(&A, (const unsigned char *)"", 0), "");
	ck_assert_str_eq(otp_base32(&A, (const unsigned char *)"f", 1), "MY");
	ck_assert_str_eq(otp_base32(&A, (const unsigned char *)"foob", 4), "MZXW6YQ");
	ck_assert_str_eq(otp_base32(&A, (const unsigned char *)"foobar", 6), "MZXW6YTBOI");
	ck_assert_str_eq(otp_base32(&A, rfc_seed, 20), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	ck_assert_str_eq(otp_base32_grouped(&A, rfc_seed, 20), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
	ck_assert_str_eq(otp_uri(&A, "Partner Center", "ana+x@contoso.example", rfc_seed, 20),
	    "otpauth://totp/Partner%20Center:ana%2Bx%40contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	    "&issuer=Partner%20Center&algorithm=SHA1&digits=6&period=30");
}
END_TEST

START_TEST(qr_svg)
{
	const char *svg = otp_qr_svg(&A, "otpauth://totp/Partner%20Center:ana%40contoso.example?secret=GEZDGNBVGY3TQOJQ");
	ck_assert_ptr_nonnull(svg);
	ck_assert(str_has_prefix(svg, "<?xml"));
	ck_assert_ptr_nonnull(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	ck_assert_ptr_nonnull(strstr(svg, "M4 4h1v1h-1z"));	/* the finder pattern's first module */
	ck_assert_ptr_null(strstr(svg, "data:"));
	ck_assert_ptr_null(strstr(svg, "<script"));
}
END_TEST

START_TEST(seal_round_trip_and_tamper)
{
	unsigned char secret[20], blob[20 + SEAL_OVERHEAD], out[20];
	randombytes_buf(secret, sizeof(secret));
	ck_assert_int_eq(seal(secret, sizeof(secret), blob), 0);
	ck_assert(memmem(blob, sizeof(blob), secret, sizeof(secret)) == NULL);
	ck_assert(seal_is_current(blob, sizeof(blob)));
	ck_assert_int_eq(seal_open(blob, sizeof(blob), out), 0);
	ck_assert(memcmp(out, secret, sizeof(out)) == 0);
	/* Two seals of one secret differ (a fresh nonce each time). */
	unsigned char blob2[sizeof(blob)];
	ck_assert_int_eq(seal(secret, sizeof(secret), blob2), 0);
	ck_assert(memcmp(blob, blob2, sizeof(blob)) != 0);
	/* Any altered byte (key id, nonce, ciphertext, tag) is refused. */
	for (size_t i = 0; i < sizeof(blob); i++) {
		unsigned char t[sizeof(blob)];
		memcpy(t, blob, sizeof(t));
		t[i] ^= 0x01;
		ck_assert_msg(seal_open(t, sizeof(t), out) == -1, "byte %zu", i);
	}
	ck_assert_int_eq(seal_open(blob, sizeof(blob) - 1, out), -1);
	ck_assert_int_eq(seal_open(blob, 10, out), -1);
	ck_assert_int_eq(seal_open(NULL, 0, out), -1);
}
END_TEST

START_TEST(seal_across_rotation)
{
	unsigned char secret[20], blob[20 + SEAL_OVERHEAD], out[20];
	randombytes_buf(secret, sizeof(secret));
	ck_assert_int_eq(seal(secret, sizeof(secret), blob), 0);
	/* A new current key: the old blob still opens (its key is valid) but is not current. */
	unsigned char other[32];
	memset(other, 0x42, sizeof(other));
	keys_set_for_test(UNIT_KID + 1, other);
	ck_assert(!seal_is_current(blob, sizeof(blob)));
	ck_assert_int_eq(seal_open(blob, sizeof(blob), out), 0);
	ck_assert(memcmp(out, secret, sizeof(out)) == 0);
	/* The key is derived for this use only: a blob claiming another key id does not open. */
	blob[3] ^= 0x0f;
	ck_assert_int_eq(seal_open(blob, sizeof(blob), out), -1);
}
END_TEST

UNIT_MAIN("otp",
	unit_case("otp", unit_setup, unit_teardown, UNIT_TESTS(rfc6238_vectors, one_step_of_skew, code_shapes,
	    base32_and_uri, qr_svg, seal_round_trip_and_tamper, seal_across_rotation)))
