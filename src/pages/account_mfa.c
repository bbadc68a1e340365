/* account_mfa.c — /account/mfa: the signed-in user's second factor (domain/mfa.h). Set up
 * (a new secret shown as grouped base32 text and as a QR code served from this origin as
 * SVG, then N_("Enter the 6-digit code")), the recovery codes (shown once, at confirmation and
 * when regenerated), and turning it off (re-authentication first: routes.def F_REAUTH;
 * refused while the organization or the program requires it).
 *
 * Enforcement: a user who must have a second factor and has none gets a session at sign-in
 * as usual, but the dispatcher sends every request of it to /account/mfa except the routes
 * flagged F_MFA_SETUP (these pages and sign-out) until the setup is confirmed. */
#include <sodium.h>
#include <string.h>

#include "base/i18n.h"
#include "base/otp.h"
#include "base/util.h"
#include "domain/mfa.h"
#include "domain/session.h"
#include "web/form.h"
#include "web/page.h"

static const struct field confirm_fields[] = {
	{ "code", N_("Enter the 6-digit code"), "text", 20, FF_REQUIRED, NULL,
	  N_("The code your authenticator app shows for this account now."), "one-time-code" },
};

/* The setup page with the pending secret (as text and QR), or the state of an enabled one. */
static int
mfa_page(struct req *r, int status, struct form *f)
{
	struct mfa_state st;
	int required = mfa_user_required(r->store, r->a, r->sess->tenant_id);
	if (required < 0 || mfa_state(r->store, r->a, r->sess->user_id, &st) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Multi-factor sign-in"));
	tv_setb(ctx, "required", required);
	tv_setb(ctx, "enabled", st.enabled);
	tv_setb(ctx, "pending", st.pending);
	tv_setb(ctx, "must_setup", session_must_setup_mfa(r->sess));
	if (st.enabled) {
		tv_set(ctx, "enabled_at", page_time(r, st.enabled_at));
		tv_seti(ctx, "codes_left", st.codes_left);
	}
	if (st.pending) {
		unsigned char secret[OTP_SECRET_BYTES];
		int have = mfa_secret(r->store, r->a, r->sess->user_id, secret);
		if (have < 0)
			return page_error(r, 500, NULL);
		if (have) {
			tv_set(ctx, "secret", otp_base32_grouped(r->a, secret, sizeof(secret)));
			tv_set(ctx, "uri", otp_uri(r->a, r->portal->cfg.product, r->sess->email, secret, sizeof(secret)));
		}
		sodium_memzero(secret, sizeof(secret));
		form_to_tv(f, ctx);
	}
	return page_render(r, status, "account/mfa", ctx);
}

/* GET /account/mfa — the second factor's page. Any signed-in user (also one who must
 * set it up first). */
int
page_account_mfa(struct req *r)
{
	struct form f;
	form_init(&f, confirm_fields, NELEM(confirm_fields));
	return mfa_page(r, 200, &f);
}

/* POST /account/mfa/start — a new secret (pending until confirmed); starting again
 * replaces a pending one. A user whose MFA is on already is sent back to the page. */
int
page_account_mfa_start_post(struct req *r)
{
	unsigned char secret[OTP_SECRET_BYTES];
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int rc = mfa_setup_begin(r->store, r->sess->user_id, secret);
	sodium_memzero(secret, sizeof(secret));
	if (rc < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, "/account/mfa");
}

/* GET /account/mfa/qr.svg — the pending secret's otpauth:// URI as a QR code (SVG, from
 * this origin: the Content-Security-Policy allows no inline images). 404 without a
 * pending secret: an enabled secret is never shown again. */
int
page_account_mfa_qr(struct req *r)
{
	struct mfa_state st;
	unsigned char secret[OTP_SECRET_BYTES];
	if (mfa_state(r->store, r->a, r->sess->user_id, &st) < 0)
		return page_error(r, 500, NULL);
	int have = st.pending ? mfa_secret(r->store, r->a, r->sess->user_id, secret) : 0;
	if (have < 0)
		return page_error(r, 500, NULL);
	if (have == 0)
		return page_error(r, 404, NULL);
	const char *uri = otp_uri(r->a, r->portal->cfg.product, r->sess->email, secret, sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	const char *svg = uri ? otp_qr_svg(r->a, uri) : NULL;
	if (svg == NULL)
		return page_error(r, 500, NULL);
	return resp_text(r, 200, "image/svg+xml; charset=utf-8", svg, strlen(svg));
}

/* The recovery codes, shown once: in the answer to the POST that made them. */
static int
codes_page(struct req *r, mfa_recovery_codes codes, bool first)
{
	struct tv *ctx = page_ctx(r, _("Your recovery codes"));
	struct tv *list = tv_list(ctx, "codes");
	for (int i = 0; i < MFA_RECOVERY_CODES; i++)
		tv_push_str(list, codes[i]);
	tv_setb(ctx, "first", first);
	sodium_memzero(codes, sizeof(mfa_recovery_codes));
	return page_render(r, 200, "account/mfa-codes", ctx);
}

/* POST /account/mfa — code: confirms the pending secret. A right code turns MFA on, counts
 * as a fresh proof with a second factor for this session, and shows the recovery codes; a
 * wrong one shows the form again with the message beside the field. */
int
page_account_mfa_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, confirm_fields, NELEM(confirm_fields)) > 0)
		return mfa_page(r, 422, &f);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	mfa_recovery_codes codes;
	int64_t now = now_sec();
	enum mfa_result res = mfa_confirm(r->store, r->a, r->sess->user_id, form_get(&f, "code"), now, codes);
	if (res == MFA_ERROR)
		return page_error(r, 500, NULL);
	if (res == MFA_NONE)
		return resp_redirect(r, "/account/mfa");
	if (res != MFA_OK) {
		audit(r, "mfa.enable", r->sess->email, "refused", res == MFA_REPLAY ? "code used before" : "wrong code");
		form_fail(&f, "code", res == MFA_REPLAY ? N_("This code was used already. Wait for the next one and enter it.")
		    : N_("That code is not right. Check that your phone's time is correct and enter the code shown now."));
		return mfa_page(r, 422, &f);
	}
	if (session_proof(r->store, r->sess, now, true) < 0 || mfa_record_signin(r->store, r->sess->user_id, now, true) < 0)
		return page_error(r, 500, NULL);
	r->sess->mfa_enabled = true;	/* the page below is the first one of the full session */
	audit(r, "mfa.enable", r->sess->email, "ok", "TOTP");
	return codes_page(r, codes, true);
}

/* POST /account/mfa/recovery — ten new recovery codes; the old ones stop working. */
int
page_account_mfa_recovery_post(struct req *r)
{
	struct mfa_state st;
	if (tx_begin(r) < 0 || mfa_state(r->store, r->a, r->sess->user_id, &st) < 0)
		return page_error(r, 500, NULL);
	if (!st.enabled)
		return resp_redirect(r, "/account/mfa");
	mfa_recovery_codes codes;
	if (mfa_recovery_regenerate(r->store, r->a, r->sess->user_id, now_sec(), codes) < 0)
		return page_error(r, 500, NULL);
	audit(r, "mfa.recovery_regenerate", r->sess->email, "ok", NULL);
	return codes_page(r, codes, false);
}

/* The sentence when the user may not turn MFA off, or NULL. *err on a database error. */
static const char *
disable_refusal(struct req *r, bool *err)
{
	int required = mfa_user_required(r->store, r->a, r->sess->tenant_id);
	*err = required < 0;
	return required > 0 ? _("Multi-factor sign-in is required for your organization, so it cannot be turned off.") : NULL;
}

/* GET /account/mfa/disable — asks to confirm turning MFA off (after re-authentication). */
int
page_account_mfa_disable(struct req *r)
{
	bool err;
	const char *no = disable_refusal(r, &err);
	struct mfa_state st;
	if (err || mfa_state(r->store, r->a, r->sess->user_id, &st) < 0)
		return page_error(r, 500, NULL);
	if (!st.enabled && !st.pending)
		return resp_redirect(r, "/account/mfa");
	struct tv *ctx = page_ctx(r, _("Turn off multi-factor sign-in"));
	tv_set(ctx, "refusal", no);
	return page_render(r, no ? 403 : 200, "account/mfa-disable", ctx);
}

/* POST /account/mfa/disable — turns MFA off (secret and recovery codes deleted, emailed
 * links ended); refused while it is required. Re-authentication first (F_REAUTH). */
int
page_account_mfa_disable_post(struct req *r)
{
	bool err;
	const char *no = disable_refusal(r, &err);
	if (err)
		return page_error(r, 500, NULL);
	if (no != NULL) {
		audit(r, "mfa.disable", r->sess->email, "refused", "required");
		return page_error(r, 403, no);
	}
	if (tx_begin(r) < 0 || mfa_disable(r->store, r->sess->user_id) < 0)
		return page_error(r, 500, NULL);
	audit(r, "mfa.disable", r->sess->email, "ok", NULL);
	return resp_redirect(r, "/account/mfa?m=mfa-disabled");
}
