/* mfa.h — the second factor: TOTP (base/otp.h) with secrets sealed at rest (base/seal.h),
 * single-use recovery codes, and who must have it.
 *
 * The rules:
 *   - a secret is 20 random bytes, stored sealed; it is pending (setup started) until a
 *     code confirms it, then enabled; never logged, never in an audit entry;
 *   - a code is accepted within ±1 time step of clock skew, and once: the time step it
 *     matched must be after the last one accepted (users.mfa_last_step), taken with a
 *     conditional UPDATE so two concurrent uses of one code succeed exactly once;
 *   - ten recovery codes (xxxx-xxxx-xx from 31 readable characters, about 50 bits each)
 *     are made at confirmation and on request (replacing all), shown once, stored as keyed
 *     BLAKE2b hashes (the key derived from the user's TOTP secret: a stolen database alone
 *     does not let anyone test guesses offline), and each works once;
 *   - enabling, disabling and regenerating end the user's outstanding password-reset and
 *     set-password links;
 *   - the program (program_settings 'require_mfa', the operator's portalctl) or the
 *     organization (tenants.require_mfa, a Global admin's Settings → Security) may require
 *     it; a user who must have it cannot turn it off.
 * Every write runs in the caller's write transaction; -1 means the store failed. */
#ifndef MFA_H
#define MFA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/otp.h"
#include "store/store.h"

#define MFA_RECOVERY_CODES 10
#define MFA_RECOVERY_LEN 12		/* "xxxx-xxxx-xx" */

struct mfa_state {
	bool enabled;			/* a code confirmed the secret */
	bool pending;			/* setup started, not confirmed */
	int64_t enabled_at;
	int64_t codes_left;		/* unused recovery codes */
};
typedef char mfa_recovery_codes[MFA_RECOVERY_CODES][MFA_RECOVERY_LEN + 1];

/* The user's second factor. 0 or -1. */
int mfa_state(struct store *s, struct arena *a, int64_t user_id, struct mfa_state *out);
/* Starts (or restarts) setup: a new secret, sealed, pending. Refused (1) when the user has
 * MFA enabled already. 0 with secret filled, 1, or -1. */
int mfa_setup_begin(struct store *s, int64_t user_id, unsigned char secret[OTP_SECRET_BYTES]);
/* The user's secret in clear (pending or enabled) for the setup page. 1 with secret, 0 when
 * the user has none (or it cannot be opened: its key was retired), -1 on error. */
int mfa_secret(struct store *s, struct arena *a, int64_t user_id, unsigned char secret[OTP_SECRET_BYTES]);

enum mfa_result { MFA_ERROR = -1, MFA_OK = 0, MFA_WRONG, MFA_REPLAY, MFA_NONE };
/* Checks a 6-digit code of user_id at now and takes its time step (see the rules).
 * MFA_OK, MFA_WRONG, MFA_REPLAY (a code already used, or older than the last one),
 * MFA_NONE (the user has no secret), MFA_ERROR. Re-seals the secret under the current key
 * when it was sealed under an older one. pending_ok: a pending secret counts (setup). */
enum mfa_result mfa_check_code(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now,
    bool pending_ok);
/* Confirms setup with a code: MFA_OK (then enabled, recovery codes made into codes, links
 * revoked), or why not. */
enum mfa_result mfa_confirm(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now,
    mfa_recovery_codes codes);
/* Replaces every recovery code with ten new ones (shown once) and revokes links. 0 or -1. */
int mfa_recovery_regenerate(struct store *s, struct arena *a, int64_t user_id, int64_t now, mfa_recovery_codes codes);
/* Uses a recovery code (any case, spaces and dashes ignored): MFA_OK (it is used now),
 * MFA_WRONG (none matches, or it was used), MFA_NONE, MFA_ERROR. */
enum mfa_result mfa_recovery_use(struct store *s, struct arena *a, int64_t user_id, const char *code, int64_t now);
/* Turns MFA off: secret and recovery codes gone, links revoked. 0 or -1. */
int mfa_disable(struct store *s, int64_t user_id);
/* An administrator's reset of user_id's second factor (the authenticator and the recovery
 * codes lost): secret, last step and recovery codes gone, outstanding password-reset and
 * set-password links revoked (mfa_disable), and every session of the user ended, so they
 * sign in again and set it up anew where it is required. Only a confirmed (enabled) second
 * factor is reset. 1 reset (*ended: the sessions ended), 0 the user has none (nothing
 * written), -1 error. */
int mfa_admin_reset(struct store *s, struct arena *a, int64_t user_id, int64_t *ended);
/* Whether text looks like a TOTP code (six digits, spaces ignored) rather than a recovery
 * code; the digits go to out. */
bool mfa_is_totp_code(const char *text, char out[OTP_DIGITS + 1]);
/* The canonical form of a recovery code ("abcd-efgh-jk") into out; false when it cannot be one. */
bool mfa_recovery_canonical(const char *text, char out[MFA_RECOVERY_LEN + 1]);

/* The demo world's users (portalctl demo): a secret set up and enabled without a code
 * (the operator prints it), unless the user has one already. No recovery codes. 1 set up
 * now, 0 had one, -1 error. */
int mfa_enable_unconfirmed(struct store *s, struct arena *a, int64_t user_id, int64_t now);

/* ---- who must have it ---- */

/* The program-wide requirement: 1 on, 0 off (also when never set: an installation older
 * than the setting), -1 error. */
int mfa_program_required(struct store *s, struct arena *a);
int mfa_set_program_required(struct store *s, bool on);
/* The organization's requirement: 1, 0, -1. */
int mfa_tenant_required(struct store *s, int64_t tenant);
int mfa_set_tenant_required(struct store *s, int64_t tenant, bool on);
/* Whether user of tenant must have a second factor (program or organization): 1, 0, -1. */
int mfa_user_required(struct store *s, struct arena *a, int64_t tenant);

/* Records a completed sign-in for the compliance view. 0 or -1. */
int mfa_record_signin(struct store *s, int64_t user_id, int64_t now, bool mfa);
/* Re-seals every stored secret under the current key (after portalctl rotate-key): the
 * number re-sealed, or -1. Secrets whose key is gone already are left as they are and
 * counted in *lost. */
int mfa_reseal_all(struct store *s, struct arena *a, int *lost);

#endif
