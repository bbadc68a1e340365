/* relcenter_bulk.c — the Relationships page's bulk actions' decisions (relcenter_bulk.h). */
#include "domain/relcenter_bulk.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "base/i18n.h"

#include "domain/delegated.h"

#define VERSION_STEP 10000000000LL	/* state × this + a time: times stay below it until 2286 */

int
rcb_ref_parse(const char *text, bool with_version, struct rcb_ref *out)
{
	*out = (struct rcb_ref){ 0 };
	if (text == NULL)
		return -1;
	if (strncmp(text, "da-", 3) == 0)
		out->kind = RCB_DA;
	else if (strncmp(text, "ri-", 3) == 0)
		out->kind = RCB_RI;
	else
		return -1;
	const char *p = text + 3;
	char *end;
	if (!isdigit((unsigned char)*p))
		return -1;
	long long id = strtoll(p, &end, 10);
	if (id <= 0 || id == LLONG_MAX)
		return -1;
	out->id = id;
	if (!with_version)
		return *end == '\0' ? 0 : -1;
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	p = end + 1;
	long long v = strtoll(p, &end, 10);
	if (*end != '\0' || v < 0 || v == LLONG_MAX)
		return -1;
	out->version = v;
	return 0;
}

int64_t
rcb_da_version(const struct da_row *d)
{
	int64_t t = d->state == DA_PENDING ? d->request_expires_at : d->expires_at;
	return (int64_t)d->state * VERSION_STEP + (t > 0 ? t % VERSION_STEP : 0);
}

int64_t
rcb_ri_version(const struct reseller_invitation *inv)
{
	return (int64_t)inv->status * VERSION_STEP + inv->expires_at % VERSION_STEP;
}

const char *
rcb_extend_refusal(const struct da_row *d, int64_t tenant, bool global_admin, int64_t now, int64_t *new_end)
{
	*new_end = 0;
	if (tenant != d->customer_tenant_id)
		return _("Only the organization that granted it can extend it: ask it to, or request a new relationship.");
	if (!global_admin)
		return _("Only a Global admin of your organization can extend it.");
	if (da_state_at(d, now) != DA_ACTIVE)
		return _("It is not active.");
	if (d->global_admin)
		return _("It includes Global admin, which is never extended: request a new relationship instead.");
	int64_t end = d->expires_at + (int64_t)DA_EXTEND_DAYS * 86400;
	if (end > now + (int64_t)RCB_EXTEND_LIMIT_DAYS * 86400)
		return _("Six more months would make it end more than two years from today, longer than any relationship may be asked for.");
	*new_end = end;
	return NULL;
}

const char *
rcb_action_key(enum rcb_action act)
{
	static const char *const k[RCB__COUNT] = { "extend", "terminate", "resend" };
	return (unsigned)act < RCB__COUNT ? k[act] : "";
}

const char *
rcb_action_label(enum rcb_action act)
{
	static const char *const w[RCB__COUNT] = { N_("Extend"), N_("Terminate"), N_("Resend") };
	return (unsigned)act < RCB__COUNT ? _(w[act]) : "";
}

int
rcb_extend(struct store *s, const struct da_row *d, int64_t new_end, int64_t now)
{
	return st_rc_da_extend(s, d->id, d->expires_at, new_end, now);
}
