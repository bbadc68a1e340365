/* apilists.c — the JSON API's further lists: see apilists.h. */
#include "domain/apilists.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "domain/delegated.h"

char *
api_like_pattern(struct arena *a, const char *q)
{
	size_t n = q ? strlen(q) : 0;
	char *p = arena_alloc(a, 2 * n + 3), *o = p;
	if (p == NULL)
		return NULL;
	*o++ = '%';
	for (size_t i = 0; i < n; i++) {
		char c = q[i];
		if (c == '%' || c == '_' || c == '!')
			*o++ = '!';
		*o++ = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	if (n > 0)
		*o++ = '%';
	*o = '\0';
	return p;
}

int
api_customers_page(struct store *s, struct arena *a, int64_t tenant, const char *q, bool by_since, bool desc,
    int64_t after, int64_t limit, struct customer_list *out)
{
	const char *like = api_like_pattern(a, q);
	if (like == NULL)
		return -1;
	return st_api_customers(s, a, tenant, q, like, by_since, desc, after, limit, out);
}

int
api_cinv_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t before, int64_t limit,
    int64_t now, struct customer_invitation **out, size_t *n)
{
	struct id_list ids;
	if (st_api_cinv_ids(s, a, rel->reseller_id, rel->provider_id, before ? before : INT64_MAX, limit, &ids) < 0)
		return -1;
	*out = arena_alloc(a, (ids.n ? ids.n : 1) * sizeof(**out));
	if (*out == NULL)
		return -1;
	*n = 0;
	for (size_t i = 0; i < ids.n; i++)
		if (cust_invitation_load(s, a, ids.v[i], now, &(*out)[(*n)++]) != 1)
			return -1;
	return 0;
}

char *
api_order_key(struct arena *a, int64_t credential, const char *idem_key)
{
	char cred[24];
	unsigned char h[16];
	snprintf(cred, sizeof(cred), "%lld:", (long long)credential);
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"csp-portal api order key", 24, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)cred, strlen(cred));
	crypto_generichash_update(&st, (const unsigned char *)idem_key, strlen(idem_key));
	crypto_generichash_final(&st, h, sizeof(h));
	return b64url_encode(a, h, sizeof(h));
}

int
api_da_page(struct store *s, struct arena *a, int64_t tenant, int64_t before, int64_t limit, struct da_row **out,
    size_t *n)
{
	struct id_list ids;
	if (st_api_da_ids(s, a, tenant, before ? before : INT64_MAX, limit, &ids) < 0)
		return -1;
	*out = arena_alloc(a, (ids.n ? ids.n : 1) * sizeof(**out));
	if (*out == NULL)
		return -1;
	*n = 0;
	for (size_t i = 0; i < ids.n; i++)
		if (da_get(s, a, ids.v[i], &(*out)[(*n)++]) != 1)
			return -1;
	return 0;
}
