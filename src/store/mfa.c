/* mfa.c — multi-factor sign-in (store.h, "multi-factor sign-in"): a user's sealed TOTP
 * secret and its last accepted time step, their recovery codes (hashes only), the
 * organization's and the program's "require it" settings, and a session's proof. */
#include "store/db.h"

#include <string.h>

#define QUERIES(Q) \
	Q(Q_GET, 3, "SELECT mfa_secret, coalesce(mfa_enabled_at, 0), mfa_last_step FROM users WHERE id = ?") \
	/* A new (pending) secret: not enabled until a code confirms it. */ \
	Q(Q_SET_PENDING, 0, "UPDATE users SET mfa_secret = ?, mfa_enabled_at = NULL, mfa_last_step = 0 WHERE id = ?") \
	Q(Q_ENABLE, 0, "UPDATE users SET mfa_enabled_at = ? WHERE id = ? AND mfa_enabled_at IS NULL" \
	  " AND mfa_secret IS NOT NULL") \
	/* The replay guard: a time step is taken once, and never one at or before the last. */ \
	Q(Q_TAKE_STEP, 0, "UPDATE users SET mfa_last_step = ?1 WHERE id = ?2 AND mfa_last_step < ?1") \
	Q(Q_RESEAL, 0, "UPDATE users SET mfa_secret = ? WHERE id = ?") \
	Q(Q_DISABLE, 0, "UPDATE users SET mfa_secret = NULL, mfa_enabled_at = NULL, mfa_last_step = 0 WHERE id = ?") \
	Q(Q_WITH_SECRET, 1, "SELECT id FROM users WHERE mfa_secret IS NOT NULL ORDER BY id") \
	Q(Q_SIGNED_IN, 0, "UPDATE users SET last_signin_at = ?, last_signin_mfa = ? WHERE id = ?") \
	Q(Q_CODES_DELETE, 0, "DELETE FROM mfa_recovery_codes WHERE user_id = ?") \
	Q(Q_CODE_INSERT, 0, "INSERT INTO mfa_recovery_codes(user_id, code_hash, created_at) VALUES (?, ?, ?)") \
	Q(Q_CODES_UNUSED, 2, "SELECT id, code_hash FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL ORDER BY id") \
	Q(Q_CODE_USE, 0, "UPDATE mfa_recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL") \
	Q(Q_CODES_COUNT, 1, "SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL") \
	Q(Q_SETTING, 1, "SELECT value FROM program_settings WHERE name = ?") \
	Q(Q_SETTING_SET, 0, "INSERT INTO program_settings(name, value) VALUES (?1, ?2)" \
	  " ON CONFLICT(name) DO UPDATE SET value = ?2") \
	Q(Q_TENANT_REQUIRE, 1, "SELECT require_mfa FROM tenants WHERE id = ?") \
	Q(Q_TENANT_REQUIRE_SET, 0, "UPDATE tenants SET require_mfa = ? WHERE id = ?") \
	Q(Q_COUNTS, 3, "SELECT (SELECT count(*) FROM tenants WHERE require_mfa = 1), count(*), count(mfa_enabled_at) FROM users") \
	Q(Q_SESSION_PROOF, 0, "UPDATE sessions SET auth_at = ?1, mfa = CASE WHEN ?2 > mfa THEN ?2 ELSE mfa END WHERE id = ?3")
SQL_AREA(mfa, QUERIES);

static void
read_mfa(struct arena *a, struct db_stmt *st, void *out)
{
	struct mfa_row *m = out;
	m->secret = db_blob(a, st, 0, &m->secret_len);
	m->enabled_at = db_i64(st, 1);
	m->last_step = db_i64(st, 2);
}

int
st_mfa_get(struct store *s, struct arena *a, int64_t user_id, struct mfa_row *out)
{
	memset(out, 0, sizeof(*out));
	return db_one(a, db_q(s, Q_GET, QI(user_id)), read_mfa, out);
}

int
st_mfa_set_pending(struct store *s, int64_t user_id, const unsigned char *sealed, size_t len)
{
	return db_run(s, Q_SET_PENDING, QB(sealed, len), QI(user_id));
}

int
st_mfa_enable(struct store *s, int64_t user_id, int64_t now)
{
	return db_run(s, Q_ENABLE, QI(now), QI(user_id));
}

int
st_mfa_take_step(struct store *s, int64_t user_id, int64_t step)
{
	return db_run(s, Q_TAKE_STEP, QI(step), QI(user_id));
}

int
st_mfa_reseal(struct store *s, int64_t user_id, const unsigned char *sealed, size_t len)
{
	return db_run(s, Q_RESEAL, QB(sealed, len), QI(user_id));
}

int
st_mfa_disable(struct store *s, int64_t user_id)
{
	return db_run(s, Q_DISABLE, QI(user_id));
}

static void
read_id(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	*(int64_t *)out = db_i64(st, 0);
}

int
st_mfa_users_with_secret(struct store *s, struct arena *a, struct id_list *out)
{
	return DB_LIST(s, a, db_q0(s, Q_WITH_SECRET), DB_ALL, out, read_id);
}

int
st_user_signed_in(struct store *s, int64_t user_id, int64_t now, bool mfa)
{
	return db_run(s, Q_SIGNED_IN, QI(now), QI(mfa ? 1 : 0), QI(user_id));
}

int
st_mfa_codes_delete(struct store *s, int64_t user_id)
{
	return db_run(s, Q_CODES_DELETE, QI(user_id));
}

int64_t
st_mfa_code_insert(struct store *s, int64_t user_id, const unsigned char hash[32], int64_t now)
{
	return db_insert(s, Q_CODE_INSERT, QI(user_id), QB(hash, 32), QI(now));
}

static void
read_code(struct arena *a, struct db_stmt *st, void *out)
{
	struct mfa_code *c = out;
	c->id = db_i64(st, 0);
	size_t n;
	const void *p = db_bytes(st, 1, &n);
	(void)a;
	memset(c->hash, 0, sizeof(c->hash));
	if (p != NULL)
		memcpy(c->hash, p, n < sizeof(c->hash) ? n : sizeof(c->hash));
}

int
st_mfa_codes_unused(struct store *s, struct arena *a, int64_t user_id, struct mfa_code_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_CODES_UNUSED, QI(user_id)), DB_ALL, out, read_code);
}

int
st_mfa_code_use(struct store *s, int64_t code_id, int64_t now)
{
	return db_run(s, Q_CODE_USE, QI(now), QI(code_id));
}

int64_t
st_mfa_codes_count(struct store *s, int64_t user_id)
{
	return db_checked(s, db_int(s, Q_CODES_COUNT, 0, QI(user_id)));
}

int
st_setting_get(struct store *s, struct arena *a, const char *name, const char **value)
{
	*value = NULL;
	return db_one(a, db_q(s, Q_SETTING, QT(name)), db_read_text, value);
}

int
st_setting_set(struct store *s, const char *name, const char *value)
{
	return db_run(s, Q_SETTING_SET, QT(name), QT(value));
}

int
st_tenant_require_mfa(struct store *s, int64_t tenant)
{
	return (int)db_checked(s, db_int(s, Q_TENANT_REQUIRE, 0, QI(tenant)));
}

int
st_tenant_set_require_mfa(struct store *s, int64_t tenant, bool on)
{
	return db_run(s, Q_TENANT_REQUIRE_SET, QI(on ? 1 : 0), QI(tenant));
}

int
st_session_proof(struct store *s, int64_t session_id, int64_t now, bool mfa)
{
	return db_run(s, Q_SESSION_PROOF, QI(now), QI(mfa ? 1 : 0), QI(session_id));
}

static void
read_counts(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	struct mfa_counts *c = out;
	c->orgs_requiring = db_i64(st, 0);
	c->users = db_i64(st, 1);
	c->users_with_mfa = db_i64(st, 2);
}

int
st_mfa_counts(struct store *s, struct arena *a, struct mfa_counts *out)
{
	return db_one(a, db_q0(s, Q_COUNTS), read_counts, out) == 1 ? 0 : -1;
}
