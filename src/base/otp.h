/* otp.h — one-time passwords for the second factor: TOTP (RFC 6238: 30-second steps, 6
 * digits, HMAC-SHA-1, as every authenticator app expects) through Debian's liboath — no
 * HMAC of our own — the secret's base32 text, and the QR code of its otpauth:// URI as SVG
 * (libqrencode). Pure functions: no database, no keys. */
#ifndef OTP_H
#define OTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define OTP_SECRET_BYTES 20	/* 160 bits, RFC 4226's recommendation */
#define OTP_STEP 30
#define OTP_DIGITS 6
#define OTP_WINDOW 1		/* steps of clock skew accepted either way */

/* Initializes liboath (once per process; thread-safe). 0 or -1. */
int otp_init(void);
/* The time step of unix time t (t / 30). */
int64_t otp_step(int64_t t);
/* Checks a 6-digit code against secret at time now, within ±OTP_WINDOW steps. Returns the
 * matching time step (> 0), 0 when the code matches none, -1 on error. The comparison is
 * constant-time. Codes that are not exactly 6 digits never match. */
int64_t otp_verify(const unsigned char *secret, size_t len, int64_t now, const char *code);
/* The code for time step `step` into out (7 bytes). 0 or -1. (The demo, tests.) */
int otp_code(const unsigned char *secret, size_t len, int64_t step, char out[OTP_DIGITS + 1]);

/* RFC 4648 base32 without padding ("JBSWY3DPEHPK3PXP"), into the arena; NULL on error. */
char *otp_base32(struct arena *a, const unsigned char *p, size_t n);
/* The same in groups of four separated by spaces, for reading and typing. */
char *otp_base32_grouped(struct arena *a, const unsigned char *p, size_t n);
/* The otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
 * URI (issuer and account percent-encoded), into the arena. */
char *otp_uri(struct arena *a, const char *issuer, const char *account, const unsigned char *secret, size_t n);
/* The QR code of text as a standalone SVG document (dark modules as one path, a quiet zone
 * of four modules), into the arena; NULL on error. */
char *otp_qr_svg(struct arena *a, const char *text);

#endif
