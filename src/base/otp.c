/* otp.c — see otp.h. */
#include "base/otp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void
init_once(void)
{
	init_rc = oath_init() == OATH_OK ? 0 : -1;
}

int
otp_init(void)
{
	pthread_once(&once, init_once);
	return init_rc;
}

int64_t
otp_step(int64_t t)
{
	return t / OTP_STEP;
}

/* liboath's comparison hook: 0 when equal, in constant time. */
static int
same_code(void *handle, const char *test_otp)
{
	const char *code = handle;
	return strlen(test_otp) == OTP_DIGITS && sodium_memcmp(code, test_otp, OTP_DIGITS) == 0 ? 0 : 1;
}

int64_t
otp_verify(const unsigned char *secret, size_t len, int64_t now, const char *code)
{
	if (otp_init() < 0)
		return -1;
	if (code == NULL || strlen(code) != OTP_DIGITS || strspn(code, "0123456789") != OTP_DIGITS)
		return 0;
	int pos = 0;
	uint64_t counter = 0;
	int rc = oath_totp_validate4_callback((const char *)secret, len, (time_t)now, OTP_STEP, 0, OTP_DIGITS, OTP_WINDOW,
	    &pos, &counter, 0, same_code, (void *)code);
	if (rc == OATH_INVALID_OTP)
		return 0;
	if (rc < 0)
		return -1;
	return counter > 0 ? (int64_t)counter : 0;
}

int
otp_code(const unsigned char *secret, size_t len, int64_t step, char out[OTP_DIGITS + 1])
{
	if (otp_init() < 0)
		return -1;
	return oath_totp_generate2((const char *)secret, len, (time_t)(step * OTP_STEP), OTP_STEP, 0, OTP_DIGITS, 0,
	    out) == OATH_OK ? 0 : -1;
}

char *
otp_base32(struct arena *a, const unsigned char *p, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char *out = arena_alloc(a, (n * 8 + 4) / 5 + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	unsigned bits = 0, acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return out;
}

char *
otp_base32_grouped(struct arena *a, const unsigned char *p, size_t n)
{
	const char *plain = otp_base32(a, p, n);
	if (plain == NULL)
		return NULL;
	size_t len = strlen(plain);
	char *out = arena_alloc(a, len + len / 4 + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = plain[i];
	}
	out[o] = '\0';
	return out;
}

/* Percent-encodes everything but RFC 3986's unreserved characters. */
static char *
pct(struct arena *a, const char *s)
{
	struct buf b;
	buf_init(&b, a);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_add(&b, (const char *)p, 1);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return b.failed ? NULL : b.p ? b.p : arena_strdup(a, "");
}

char *
otp_uri(struct arena *a, const char *issuer, const char *account, const unsigned char *secret, size_t n)
{
	const char *iss = pct(a, issuer), *acc = pct(a, account), *sec = otp_base32(a, secret, n);
	if (iss == NULL || acc == NULL || sec == NULL)
		return NULL;
	return arena_printf(a, "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d", iss, acc,
	    sec, iss, OTP_DIGITS, OTP_STEP);
}

char *
otp_qr_svg(struct arena *a, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return NULL;
	int w = q->width, size = w + 8;
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
	    " shape-rendering=\"crispEdges\">\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
	    size, size, size * 5, size * 5, size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
	buf_puts(&b, "\"/>\n</svg>\n");
	QRcode_free(q);
	return b.failed ? NULL : b.p;
}
