/* outbox.c — a message from its template into the outbox, with the action's transaction
 * (mail.h). */
#include "mail/mail.h"

#include <stdbool.h>
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

static int64_t
enqueue(struct store *s, struct arena *a, const struct portal *p, const char *to, const char *tmpl,
    struct tv *ctx, bool claim)
{
	const struct config *cfg = &p->cfg;
	tv_set(ctx, "base_url", cfg->base_url);
	tv_set(ctx, "product", cfg->product);
	tv_set(ctx, "vendor", cfg->vendor);
	tv_set(ctx, "program", cfg->program);
	tv_set(ctx, "agreement_name", cfg->agreement);
	/* issue 18: in the recipient's language when the address is a user's who chose one, else
	 * the caller's hint for that address (ctx "lang": the organization's country), else the
	 * language of the request (or command) that sends it */
	const char *code = NULL;
	int lang = st_user_lang_by_email(s, a, to, &code) == 1 ? i18n_parse(code) : -1;
	if (lang < 0)
		lang = i18n_parse(tv_str(ctx, "lang"));
	enum lang was = i18n_use(lang >= 0 ? (enum lang)lang : i18n_current());
	struct buf text;
	buf_init(&text, a);
	const char *name = arena_printf(a, "email/%s", tmpl);
	int rc = tmpl_render(&p->tmpl, name, NULL, ctx, &text);
	i18n_use(was);
	if (rc < 0 || text.failed || text.p == NULL || !str_has_prefix(text.p, "Subject: ")) {
		log_msg("mail: template %s is missing or has no Subject line", name);
		return -1;
	}
	const char *nl = strchr(text.p, '\n');
	if (nl == NULL)
		return -1;
	char *subject = arena_strndup(a, text.p + 9, (size_t)(nl - text.p - 9));
	const char *body = nl + 1;
	while (*body == '\n')
		body++;
	int64_t now = now_sec();
	char *msg = mail_build_lang(a, cfg, to, tv_str(ctx, "reply_to"), subject, body, now,
	    i18n_code(lang >= 0 ? (enum lang)lang : was));
	if (msg == NULL) {
		log_msg("mail: refused to build a message to an unusable address");
		return -1;
	}
	if (!claim)
		return st_outbox_insert(s, now, to, subject, tmpl, msg);
	char by[160];
	mail_claimant(by, sizeof(by));
	return st_outbox_insert_claimed(s, now, to, subject, tmpl, msg, by, now + MAIL_CLAIM_SECONDS);
}

int64_t
mail_enqueue(struct store *s, struct arena *a, const struct portal *p, const char *to, const char *tmpl,
    struct tv *ctx)
{
	return enqueue(s, a, p, to, tmpl, ctx, false);
}

int64_t
mail_enqueue_claimed(struct store *s, struct arena *a, const struct portal *p, const char *to, const char *tmpl,
    struct tv *ctx)
{
	return enqueue(s, a, p, to, tmpl, ctx, true);
}
