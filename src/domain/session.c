/* session.c — see session.h. */
#include "base/i18n.h"
#include "domain/session.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "base/util.h"
#include "domain/operators.h"

int
session_hash(const char *cookie, unsigned char out[32])
{
	unsigned char raw[33];
	if (cookie == NULL || strlen(cookie) != SESSION_COOKIE_LEN || b64url_decode(cookie, raw, sizeof(raw)) != 32)
		return -1;
	crypto_generichash(out, 32, raw, 32, NULL, 0);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

void
session_user_agent(char out[SESSION_UA_MAX + 1], const char *ua)
{
	size_t n = ua != NULL ? strlen(ua) : 0;
	if (n > SESSION_UA_MAX) {
		n = SESSION_UA_MAX;
		while (n > 0 && ((unsigned char)ua[n] & 0xC0) == 0x80)
			n--;		/* never cut a character in two */
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)ua[i] < 0x20 || ua[i] == 0x7f ? ' ' : ua[i];
	out[n] = '\0';
	if (!utf8_valid(out, n))
		out[0] = '\0';
}

int
session_create(struct store *s, int64_t user_id, const char *ip, const char *user_agent, int64_t auth_at, bool mfa,
    char cookie[SESSION_COOKIE_LEN + 1])
{
	char ua[SESSION_UA_MAX + 1];
	session_user_agent(ua, user_agent);
	unsigned char raw[32], hash[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(cookie, SESSION_COOKIE_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(hash, sizeof(hash), raw, sizeof(raw), NULL, 0);
	sodium_memzero(raw, sizeof(raw));
	return st_session_insert(s, hash, user_id, now_sec(), ip, ua, auth_at, mfa) > 0 ? 0 : -1;
}

int
session_proof(struct store *s, struct session *sess, int64_t now, bool mfa)
{
	if (st_session_proof(s, sess->id, now, mfa) < 0)
		return -1;
	sess->auth_at = now;
	sess->mfa = sess->mfa || mfa;
	return 0;
}

bool
session_needs_reauth(const struct session *sess, int64_t now)
{
	return sess->auth_at <= 0 || now - sess->auth_at > SESSION_REAUTH_AFTER;
}

bool
session_must_setup_mfa(const struct session *sess)
{
	return sess != NULL && sess->mfa_required && !sess->mfa_enabled;
}

/* Runs one small write of its own (expiry, the seen_at touch) when no transaction is open;
 * inside the action's transaction it simply joins it. */
static void
own_write(struct store *s, int (*fn)(struct store *, int64_t, int64_t), int64_t a, int64_t b)
{
	bool own = !store_in_write(s);
	if (own && store_begin_write(s) < 0)
		return;
	fn(s, a, b);
	if (own)
		store_commit(s);
}

static int
delete_one(struct store *s, int64_t id, int64_t unused)
{
	(void)unused;
	return st_session_delete(s, id);
}

static int
touch(struct store *s, int64_t id, int64_t now)
{
	return st_session_touch(s, id, now);
}

int
session_load(struct store *s, struct arena *a, const char *cookie, struct session *out)
{
	memset(out, 0, sizeof(*out));
	if (session_hash(cookie, out->token_hash) < 0)
		return 0;
	int found = st_session_load(s, a, out->token_hash, out);
	if (found <= 0)
		return found;
	/* issue 19: an operator's session carries the operator role's bits (and no partner
	 * role), must have a second factor from the first sign-in, and ends sooner when idle. */
	int op = out->op_role == NULL ? OP_NONE : op_role_parse(out->op_role);
	if (op < 0)
		op = OP_NONE;
	int64_t idle = SESSION_IDLE;
	if (op != OP_NONE) {
		out->roles = op_role_bits((enum op_role)op);
		out->mfa_required = true;
		idle = OPERATOR_IDLE;
	}
	int64_t now = now_sec();
	if (now - out->seen_at > idle || now - out->created_at > SESSION_ABSOLUTE) {
		own_write(s, delete_one, out->id, 0);
		return 0;
	}
	if (now - out->seen_at >= SESSION_TOUCH_EVERY) {
		own_write(s, touch, out->id, now);
		out->seen_at = now;
	}
	return 1;
}

int
session_end(struct store *s, int64_t id)
{
	return st_session_delete(s, id) < 0 ? -1 : 0;
}

int
session_end_cookie(struct store *s, const char *cookie)
{
	unsigned char hash[32];
	if (session_hash(cookie, hash) < 0)
		return 0;
	return st_session_delete_hash(s, hash) < 0 ? -1 : 0;
}

int
sessions_end_user(struct store *s, int64_t user_id)
{
	return st_sessions_delete_user(s, user_id) < 0 ? -1 : 0;
}

static const char *const end_words[] = {
	[SESSION_END_ROLES] = "roles", [SESSION_END_APPROVED] = "approved", [SESSION_END_BY_ADMIN] = "by-admin",
};

int
sessions_end_user_why(struct store *s, int64_t user_id, enum session_end_why why)
{
	if (st_session_ends_keep(s, user_id, end_words[why], now_sec()) < 0)
		return -1;
	return sessions_end_user(s, user_id);
}

const char *
session_ended_why(struct store *s, struct arena *a, const char *cookie)
{
	unsigned char hash[32];
	char *reason = NULL;
	if (session_hash(cookie, hash) < 0 || st_session_ends_reason(s, a, hash, &reason) != 1)
		return NULL;
	for (size_t i = 0; i < sizeof(end_words) / sizeof(end_words[0]); i++)
		if (strcmp(end_words[i], reason) == 0)
			return end_words[i];
	return NULL;
}

int64_t
sessions_count(struct store *s, int64_t user_id)
{
	return st_sessions_count_user(s, user_id);
}

void
sessions_purge(struct store *s, int64_t now)
{
	if (store_begin_write(s) < 0)
		return;
	st_sessions_purge(s, now - SESSION_IDLE, now - SESSION_ABSOLUTE);
	st_session_ends_purge(s, now - SESSION_ABSOLUTE);
	store_commit(s);
}

/* ---- the sessions list ---- */

int
sessions_list(struct store *s, struct arena *a, int64_t user_id, int64_t now, struct session_list *out)
{
	return st_sessions_of_user(s, a, user_id, now - SESSION_IDLE, now - SESSION_ABSOLUTE, out);
}

int
session_end_own(struct store *s, int64_t user_id, int64_t id)
{
	int n = st_session_delete_of_user(s, id, user_id);
	return n < 0 ? -1 : n > 0;
}

int64_t
sessions_end_others(struct store *s, int64_t user_id, int64_t keep)
{
	return st_sessions_delete_user_except(s, user_id, keep);
}

/* The first of the names whose marker the User-Agent contains (order matters: Edge and
 * Opera say "Chrome" too, Chrome says "Safari", Android says "Linux", iOS "Mac OS X"). */
struct ua_name {
	const char *marker, *name;
};
static const struct ua_name ua_browsers[] = {
	{ "Edg/", "Edge" }, { "EdgA/", "Edge" }, { "EdgiOS/", "Edge" }, { "OPR/", "Opera" }, { "Opera", "Opera" },
	{ "SamsungBrowser/", "Samsung Internet" }, { "Vivaldi/", "Vivaldi" }, { "Firefox/", "Firefox" },
	{ "FxiOS/", "Firefox" }, { "CriOS/", "Chrome" }, { "Chromium/", "Chromium" }, { "Chrome/", "Chrome" },
	{ "Version/", "Safari" }, { "MSIE ", "Internet Explorer" }, { "Trident/", "Internet Explorer" },
};
static const struct ua_name ua_systems[] = {
	{ "Windows", "Windows" }, { "Android", "Android" }, { "iPhone", "iOS" }, { "iPad", "iPadOS" },
	{ "CrOS", "ChromeOS" }, { "Mac OS X", "macOS" }, { "Macintosh", "macOS" }, { "Linux", "Linux" },
	{ "FreeBSD", "FreeBSD" }, { "OpenBSD", "OpenBSD" },
};

static const char *
ua_find(const char *ua, const struct ua_name *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(ua, names[i].marker) != NULL)
			return names[i].name;
	return NULL;
}

const char *
session_browser(struct arena *a, const char *user_agent)
{
	const char *ua = user_agent != NULL ? user_agent : "";
	const char *browser = ua_find(ua, ua_browsers, NELEM(ua_browsers));
	if (browser == NULL && strstr(ua, "Mozilla/") == NULL) {
		/* Another client: its product name ("curl/8.5.0" -> "curl"), letters and digits. */
		size_t n = 0;
		while (n < 24 && (isalnum((unsigned char)ua[n]) || ua[n] == '-' || ua[n] == '_' || ua[n] == '.'))
			n++;
		if (n > 0 && (ua[n] == '/' || ua[n] == '\0' || ua[n] == ' '))
			return arena_strndup(a, ua, n);
	}
	if (browser == NULL)
		return _("Unknown browser");
	const char *system = ua_find(ua, ua_systems, NELEM(ua_systems));
	return system != NULL ? arena_printf(a, _("%s on %s"), browser, system) : browser;
}

bool
session_in_program(const struct session *s)
{
	for (int t = 0; s != NULL && t < PT__COUNT; t++)
		if (s->pa[t] != PA_NONE)
			return true;
	return false;
}
