/* mfa.c — see mfa.h. */
#include "base/i18n.h"
#include "domain/mfa.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "base/seal.h"
#include "domain/accounts.h"
#include "domain/session.h"

#define SEALED_LEN (OTP_SECRET_BYTES + SEAL_OVERHEAD)
/* Readable: no 0/o, 1/l/i. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

int
mfa_state(struct store *s, struct arena *a, int64_t user_id, struct mfa_state *out)
{
	memset(out, 0, sizeof(*out));
	struct mfa_row m;
	int found = st_mfa_get(s, a, user_id, &m);
	if (found < 0)
		return -1;
	out->enabled = found && m.secret != NULL && m.enabled_at > 0;
	out->pending = found && m.secret != NULL && m.enabled_at == 0;
	out->enabled_at = m.enabled_at;
	out->codes_left = out->enabled ? st_mfa_codes_count(s, user_id) : 0;
	return out->codes_left < 0 ? -1 : 0;
}

int
mfa_setup_begin(struct store *s, int64_t user_id, unsigned char secret[OTP_SECRET_BYTES])
{
	struct arena a;
	arena_init(&a, 0);
	struct mfa_state st;
	int rc = mfa_state(s, &a, user_id, &st);
	arena_free(&a);
	if (rc < 0)
		return -1;
	if (st.enabled)
		return 1;
	unsigned char sealed[SEALED_LEN];
	randombytes_buf(secret, OTP_SECRET_BYTES);
	if (seal(secret, OTP_SECRET_BYTES, sealed) < 0)
		return -1;
	return st_mfa_set_pending(s, user_id, sealed, sizeof(sealed)) == 1 ? 0 : -1;
}

/* Opens m's secret into secret: 1, or 0 when there is none or it cannot be opened. */
static int
open_secret(const struct mfa_row *m, unsigned char secret[OTP_SECRET_BYTES])
{
	if (m->secret == NULL || m->secret_len != SEALED_LEN)
		return 0;
	return seal_open(m->secret, m->secret_len, secret) == 0 ? 1 : 0;
}

int
mfa_secret(struct store *s, struct arena *a, int64_t user_id, unsigned char secret[OTP_SECRET_BYTES])
{
	struct mfa_row m;
	int found = st_mfa_get(s, a, user_id, &m);
	if (found <= 0)
		return found;
	return open_secret(&m, secret);
}

/* Seals the secret again under the current key when it is under an older one. 0 or -1. */
static int
reseal_if_old(struct store *s, int64_t user_id, const struct mfa_row *m, const unsigned char secret[OTP_SECRET_BYTES])
{
	if (seal_is_current(m->secret, m->secret_len))
		return 0;
	unsigned char sealed[SEALED_LEN];
	if (seal(secret, OTP_SECRET_BYTES, sealed) < 0)
		return -1;
	return st_mfa_reseal(s, user_id, sealed, sizeof(sealed)) < 0 ? -1 : 0;
}

enum mfa_result
mfa_check_code(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now, bool pending_ok)
{
	struct mfa_row m;
	unsigned char secret[OTP_SECRET_BYTES];
	int found = st_mfa_get(s, a, user_id, &m);
	if (found < 0)
		return MFA_ERROR;
	if (!found || m.secret == NULL || (m.enabled_at == 0 && !pending_ok) || !open_secret(&m, secret))
		return MFA_NONE;
	char digits[OTP_DIGITS + 1];
	int64_t step = mfa_is_totp_code(code, digits) ? otp_verify(secret, sizeof(secret), now, digits) : 0;
	enum mfa_result res = MFA_WRONG;
	if (step < 0)
		res = MFA_ERROR;
	else if (step > 0) {
		int took = st_mfa_take_step(s, user_id, step);
		res = took < 0 ? MFA_ERROR : took == 0 ? MFA_REPLAY : MFA_OK;
	}
	if (res == MFA_OK && reseal_if_old(s, user_id, &m, secret) < 0)
		res = MFA_ERROR;
	sodium_memzero(secret, sizeof(secret));
	return res;
}

/* The key recovery codes are hashed under: derived from the user's TOTP secret. */
static void
recovery_key(const unsigned char secret[OTP_SECRET_BYTES], unsigned char key[32])
{
	static const char label[] = "csp-portal recovery codes";
	crypto_generichash(key, 32, (const unsigned char *)label, sizeof(label) - 1, secret, OTP_SECRET_BYTES);
}

static void
recovery_hash(const unsigned char key[32], const char canonical[MFA_RECOVERY_LEN + 1], unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)canonical, MFA_RECOVERY_LEN, key, 32);
}

static int
make_codes(struct store *s, struct arena *a, int64_t user_id, int64_t now, mfa_recovery_codes codes)
{
	unsigned char secret[OTP_SECRET_BYTES], key[32];
	int have = mfa_secret(s, a, user_id, secret);
	if (have <= 0 || st_mfa_codes_delete(s, user_id) < 0)
		return -1;
	recovery_key(secret, key);
	sodium_memzero(secret, sizeof(secret));
	int rc = 0;
	for (int i = 0; i < MFA_RECOVERY_CODES && rc == 0; i++) {
		char *c = codes[i];
		for (int k = 0, o = 0; k < 10; k++) {
			if (k == 4 || k == 8)
				c[o++] = '-';
			c[o++] = recovery_alphabet[randombytes_uniform(sizeof(recovery_alphabet) - 1)];
		}
		c[MFA_RECOVERY_LEN] = '\0';
		unsigned char h[32];
		recovery_hash(key, c, h);
		if (st_mfa_code_insert(s, user_id, h, now) < 0)
			rc = -1;
	}
	sodium_memzero(key, sizeof(key));
	return rc;
}

enum mfa_result
mfa_confirm(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now, mfa_recovery_codes codes)
{
	struct mfa_state st;
	if (mfa_state(s, a, user_id, &st) < 0)
		return MFA_ERROR;
	if (!st.pending)
		return MFA_NONE;
	enum mfa_result res = mfa_check_code(s, a, user_id, code, now, true);
	if (res != MFA_OK)
		return res;
	if (st_mfa_enable(s, user_id, now) != 1 || make_codes(s, a, user_id, now, codes) < 0 ||
	    account_links_revoke(s, user_id) < 0)
		return MFA_ERROR;
	return MFA_OK;
}

int
mfa_recovery_regenerate(struct store *s, struct arena *a, int64_t user_id, int64_t now, mfa_recovery_codes codes)
{
	struct mfa_state st;
	if (mfa_state(s, a, user_id, &st) < 0 || !st.enabled)
		return -1;
	return make_codes(s, a, user_id, now, codes) < 0 || account_links_revoke(s, user_id) < 0 ? -1 : 0;
}

bool
mfa_recovery_canonical(const char *text, char out[MFA_RECOVERY_LEN + 1])
{
	int n = 0;
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		char ch = (char)tolower((unsigned char)*p);
		if (n == 10 || strchr(recovery_alphabet, ch) == NULL || ch == '\0')
			return false;
		if (n == 4 || n == 8)
			*out++ = '-';
		*out++ = ch;
		n++;
	}
	*out = '\0';
	return n == 10;
}

enum mfa_result
mfa_recovery_use(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now)
{
	unsigned char secret[OTP_SECRET_BYTES], key[32], h[32];
	struct mfa_state st;
	if (mfa_state(s, a, user_id, &st) < 0)
		return MFA_ERROR;
	if (!st.enabled)
		return MFA_NONE;
	char canonical[MFA_RECOVERY_LEN + 1];
	if (!mfa_recovery_canonical(code, canonical))
		return MFA_WRONG;
	int have = mfa_secret(s, a, user_id, secret);
	if (have < 0)
		return MFA_ERROR;
	if (have == 0)
		return MFA_NONE;
	recovery_key(secret, key);
	sodium_memzero(secret, sizeof(secret));
	recovery_hash(key, canonical, h);
	sodium_memzero(key, sizeof(key));
	struct mfa_code_list list;
	if (st_mfa_codes_unused(s, a, user_id, &list) < 0)
		return MFA_ERROR;
	for (size_t i = 0; i < list.n; i++) {
		if (sodium_memcmp(list.v[i].hash, h, 32) != 0)
			continue;
		int used = st_mfa_code_use(s, list.v[i].id, now);
		return used < 0 ? MFA_ERROR : used == 1 ? MFA_OK : MFA_WRONG;
	}
	return MFA_WRONG;
}

int
mfa_disable(struct store *s, int64_t user_id)
{
	if (st_mfa_disable(s, user_id) < 0 || st_mfa_codes_delete(s, user_id) < 0)
		return -1;
	return account_links_revoke(s, user_id);
}

int
mfa_admin_reset(struct store *s, struct arena *a, int64_t user_id, int64_t *ended)
{
	struct mfa_state st;
	if (mfa_state(s, a, user_id, &st) < 0)
		return -1;
	if (!st.enabled)
		return 0;
	int64_t n = sessions_count(s, user_id);
	if (n < 0 || mfa_disable(s, user_id) < 0 || sessions_end_user(s, user_id) < 0)
		return -1;
	if (ended != NULL)
		*ended = n;
	return 1;
}

int
mfa_enable_unconfirmed(struct store *s, struct arena *a, int64_t user_id, int64_t now)
{
	struct mfa_state st;
	unsigned char secret[OTP_SECRET_BYTES];
	if (mfa_state(s, a, user_id, &st) < 0)
		return -1;
	if (st.enabled)
		return 0;
	int rc = mfa_setup_begin(s, user_id, secret);
	sodium_memzero(secret, sizeof(secret));
	if (rc != 0 || st_mfa_enable(s, user_id, now) != 1)
		return -1;
	return 1;
}

bool
mfa_is_totp_code(const char *text, char out[OTP_DIGITS + 1])
{
	int n = 0;
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == OTP_DIGITS)
			return false;
		out[n++] = *p;
	}
	out[n] = '\0';
	return n == OTP_DIGITS;
}

int
mfa_program_required(struct store *s, struct arena *a)
{
	const char *v = NULL;
	int found = st_setting_get(s, a, "require_mfa", &v);
	if (found < 0)
		return -1;
	return found && v != NULL && strcmp(v, "1") == 0;
}

int
mfa_set_program_required(struct store *s, bool on)
{
	return st_setting_set(s, "require_mfa", on ? "1" : "0") < 0 ? -1 : 0;
}

int
mfa_tenant_required(struct store *s, int64_t tenant)
{
	return st_tenant_require_mfa(s, tenant);
}

int
mfa_set_tenant_required(struct store *s, int64_t tenant, bool on)
{
	return st_tenant_set_require_mfa(s, tenant, on) < 0 ? -1 : 0;
}

int
mfa_user_required(struct store *s, struct arena *a, int64_t tenant)
{
	int p = mfa_program_required(s, a);
	if (p != 0)
		return p;
	return mfa_tenant_required(s, tenant);
}

int
mfa_record_signin(struct store *s, int64_t user_id, int64_t now, bool mfa)
{
	return st_user_signed_in(s, user_id, now, mfa) < 0 ? -1 : 0;
}

int
mfa_reseal_all(struct store *s, struct arena *a, int *lost)
{
	struct id_list ids;
	*lost = 0;
	if (st_mfa_users_with_secret(s, a, &ids) < 0)
		return -1;
	int n = 0;
	for (size_t i = 0; i < ids.n; i++) {
		struct mfa_row m;
		unsigned char secret[OTP_SECRET_BYTES];
		if (st_mfa_get(s, a, ids.v[i], &m) < 0)
			return -1;
		if (seal_is_current(m.secret, m.secret_len))
			continue;
		if (!open_secret(&m, secret)) {
			(*lost)++;
			continue;
		}
		int rc = reseal_if_old(s, ids.v[i], &m, secret);
		sodium_memzero(secret, sizeof(secret));
		if (rc < 0)
			return -1;
		n++;
	}
	return n;
}
