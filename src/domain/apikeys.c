/* apikeys.c — API credentials: see apikeys.h. */
#include "base/i18n.h"
#include "domain/apikeys.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <string.h>

#include "base/util.h"

/* The stored hash of a secret; -1 when it is not shaped like one of ours. */
static int
secret_hash(const char *secret, unsigned char out[32])
{
	if (secret == NULL || strlen(secret) != API_SECRET_LEN || !str_has_prefix(secret, API_SECRET_PREFIX))
		return -1;
	crypto_generichash(out, 32, (const unsigned char *)secret, API_SECRET_LEN, NULL, 0);
	return 0;
}

enum api_auth
api_decide(const struct api_credential *c, const char *ip, int64_t now, int rate, int64_t *win_start,
    int64_t *win_count, int64_t *retry_after)
{
	if (c->revoked_at != 0)
		return API_AUTH_REVOKED;
	if (now >= c->expires_at)
		return API_AUTH_EXPIRED;
	if (!api_address_allowed(c->allowed_ips, ip))
		return API_AUTH_ADDRESS;
	if (now >= c->win_start + API_RATE_WINDOW) {
		*win_start = now;
		*win_count = 1;
		return API_AUTH_OK;
	}
	*win_start = c->win_start;
	*win_count = c->win_count + 1;
	if (c->win_count >= rate) {
		*retry_after = c->win_start + API_RATE_WINDOW - now;
		if (*retry_after < 1)
			*retry_after = 1;
		return API_AUTH_THROTTLED;
	}
	return API_AUTH_OK;
}

enum api_auth
api_authenticate(struct store *s, struct arena *a, const char *secret, const char *ip, int64_t now, int rate,
    struct api_credential *cred, struct session *sess, int64_t *retry_after)
{
	unsigned char h[32];
	if (secret_hash(secret, h) < 0)
		return API_AUTH_UNKNOWN;
	/* Issue 17: the credential is read without the write lock, and decided on what was read
	 * (a window that read as full within its minute is full: counts only grow in it, so a
	 * refused call writes nothing). A call that may pass is counted by one conditional
	 * UPDATE under the write lock, atomic on any node: it is the count, not the read, that
	 * admits the call. That bookkeeping commits without its own sync (store_commit_nosync):
	 * a power cut can lose the last counts and last-use times, never an action. */
	int found = st_api_credential_by_hash(s, a, h, cred, sess);
	enum api_auth v = found < 0 ? API_AUTH_ERROR : found == 0 ? API_AUTH_UNKNOWN : API_AUTH_OK;
	int64_t ws = 0, wc = 0;
	if (v == API_AUTH_OK)
		v = api_decide(cred, ip, now, rate, &ws, &wc, retry_after);
	if (v == API_AUTH_OK) {
		if (store_begin_write(s) < 0)
			return API_AUTH_ERROR;
		int counted = st_api_credential_call(s, cred->id, now, ip, API_RATE_WINDOW, rate);
		if (counted < 0 || store_commit_nosync(s) < 0) {
			store_rollback(s);
			v = API_AUTH_ERROR;
		} else if (counted == 0) {
			/* another call (of any node) filled the window since the read */
			v = API_AUTH_THROTTLED;
			*retry_after = now < cred->win_start + API_RATE_WINDOW ? cred->win_start + API_RATE_WINDOW - now
			    : API_RATE_WINDOW;
			if (*retry_after < 1)
				*retry_after = 1;
		}
	}
	if (v != API_AUTH_UNKNOWN && v != API_AUTH_ERROR) {
		sess->user_id = 0;
		sess->email = arena_printf(a, "api:%s", cred->name);
		sess->name = cred->name;
		sess->auth_at = now;
	}
	return v;
}

/* One address of a list: IPv4 or IPv6, in its normal text form into buf. */
static bool
address_norm(const char *word, char buf[INET6_ADDRSTRLEN])
{
	unsigned char bin[16];
	if (inet_pton(AF_INET, word, bin) == 1)
		return inet_ntop(AF_INET, bin, buf, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, word, bin) == 1)
		return inet_ntop(AF_INET6, bin, buf, INET6_ADDRSTRLEN) != NULL;
	return false;
}

bool
api_addresses_parse(struct arena *a, const char *text, const char **out)
{
	struct buf b;
	buf_init(&b, a);
	int n = 0;
	for (const char *p = text ? text : ""; *p;) {
		p += strspn(p, " ,\t\r\n");
		size_t len = strcspn(p, " ,\t\r\n");
		if (len == 0)
			break;
		char word[64], norm[INET6_ADDRSTRLEN];
		if (len >= sizeof(word) || ++n > API_MAX_ADDRESSES)
			return false;
		memcpy(word, p, len);
		word[len] = '\0';
		if (!address_norm(word, norm))
			return false;
		buf_printf(&b, "%s%s", b.len ? " " : "", norm);
		p += len;
	}
	buf_add(&b, "", 1);
	if (b.failed)
		return false;
	*out = b.p;
	return true;
}

bool
api_address_allowed(const char *list, const char *ip)
{
	if (list == NULL || *list == '\0')
		return true;
	char norm[INET6_ADDRSTRLEN];
	if (ip == NULL || !address_norm(ip, norm))
		return false;
	size_t n = strlen(norm);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && memcmp(p, norm, n) == 0)
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

int64_t
api_credential_create(struct store *s, struct arena *a, int64_t tenant, int64_t creator, unsigned creator_roles,
    const char *name, unsigned roles, const char *addresses, int days, int64_t now, const char **secret)
{
	if (roles == 0 || (roles & ~creator_roles) != 0 || days < 1 || days > API_MAX_DAYS)
		return 0;
	unsigned char raw[32], h[32];
	randombytes_buf(raw, sizeof(raw));
	const char *text = arena_printf(a, "%s%s", API_SECRET_PREFIX, b64url_encode(a, raw, sizeof(raw)));
	sodium_memzero(raw, sizeof(raw));
	if (text == NULL || secret_hash(text, h) < 0)
		return -1;
	int64_t id = st_api_credential_insert(s, tenant, name, roles, h, addresses, creator, now, now + (int64_t)days * 86400);
	if (id > 0)
		*secret = text;
	return id;
}

int
api_credential_revoke(struct store *s, int64_t id, int64_t tenant, int64_t now)
{
	int n = st_api_credential_revoke(s, id, tenant, now);
	return n < 0 ? -1 : n > 0;
}

int
api_credential_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct api_credential *out)
{
	return st_api_credential_in_tenant(s, a, id, tenant, out);
}

int
api_credentials_list(struct store *s, struct arena *a, int64_t tenant, struct api_credential_list *out)
{
	return st_api_credentials_of(s, a, tenant, API_LIST_MAX, out);
}

int
api_idem_find(struct store *s, struct arena *a, int64_t credential, const char *key, const char **route, int *status,
    const char **body)
{
	return st_api_idem_get(s, a, credential, key, route, status, body);
}

int
api_idem_save(struct store *s, int64_t credential, const char *key, const char *route, int status, const char *body,
    int64_t now)
{
	return st_api_idem_put(s, credential, key, route, status, body, now);
}

bool
api_idem_key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return false;
	return true;
}

int
api_users_page(struct store *s, struct arena *a, int64_t tenant, int64_t after, bool desc, int64_t limit,
    struct user_list *out)
{
	return st_users_after(s, a, tenant, after, desc, limit, out);
}

int
api_resellers_page(struct store *s, struct arena *a, int64_t provider, bool by_since, bool desc, int64_t after,
    int64_t limit, struct rel_partner_list *out)
{
	bool more = false;
	return st_resellers_seek(s, a, provider, by_since, desc, after ? CUST_AFTER : CUST_FIRST, after, limit, out, &more);
}

int
api_invitations_page(struct store *s, struct arena *a, int64_t provider, int64_t before, int64_t limit,
    struct reseller_invitation **out, size_t *n)
{
	struct id_list ids;
	if (st_invitation_ids_before(s, a, provider, before ? before : INT64_MAX, limit, &ids) < 0)
		return -1;
	*out = arena_alloc(a, (ids.n ? ids.n : 1) * sizeof(**out));
	if (*out == NULL)
		return -1;
	*n = 0;
	for (size_t i = 0; i < ids.n; i++)
		if (st_invitation_get(s, a, ids.v[i], &(*out)[(*n)++]) != 1)
			return -1;
	return 0;
}

int
api_providers_page(struct store *s, struct arena *a, int64_t reseller, bool by_since, bool desc, int64_t after,
    int64_t limit, struct rel_partner_list *out)
{
	bool more = false;
	return st_providers_seek(s, a, reseller, by_since, desc, after ? CUST_AFTER : CUST_FIRST, after, limit, out, &more);
}

int64_t
api_reseller_by_mpn(struct store *s, int64_t provider, const char *mpn)
{
	int64_t t = st_reseller_tenant_by_mpn(s, provider, mpn);
	return store_failed(s) ? -1 : t;
}
