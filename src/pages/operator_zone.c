/* operator_zone.c — /operator/time-zone (issue 15): the zone an operator reads the console's
 * times in, and (issue 18) the language of the console and of the emails it sends them.
 * Operators never open the partners' Your account; the forms are the same (pages/account.h,
 * pages/language.h), the zone's default UTC (the program team has no country of its own),
 * the language's the browser's. */
#include "base/i18n.h"
#include "domain/language.h"
#include "pages/account.h"
#include "pages/language.h"
#include "web/page.h"

static int
zone_page(struct req *r, int status, const struct form *zf)
{
	struct tv *ctx = page_ctx(r, _("Your time zone and language"));
	page_crumbs(ctx, "/operator", _("Program console"), NULL);
	if (zone_form_tv(r, ctx, zf, "/operator/time-zone") < 0)
		return page_error(r, 500, NULL);
	account_lang_tv(r, ctx, "/operator/language");
	return page_render(r, status, "operator/time-zone", ctx);
}

/* GET /operator/time-zone — the form with the stored zone. Any operator. */
int
page_op_time_zone(struct req *r)
{
	struct form zf;
	zone_form_init(r, &zf);
	return zone_page(r, 200, &zf);
}

/* POST /operator/time-zone — time_zone (an id ICU knows, or empty: UTC). Any operator, for
 * themselves; an unknown zone is the form again (422), nothing written; audited. */
int
page_op_time_zone_post(struct req *r)
{
	struct form zf;
	int rc = zone_form_save(r, &zf);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc > 0)
		return zone_page(r, 422, &zf);
	return resp_redirect(r, "/operator/time-zone?m=time-zone-saved");
}

/* POST /operator/language — lang: the operator's language for the console and its emails
 * ("": the browser's), stored like a partner user's (users.lang). Any operator, for
 * themselves (language_set_post in pages/language.c). */
int
page_op_language_post(struct req *r)
{
	return language_set_post(r, "/operator/time-zone?m=language-saved");
}
