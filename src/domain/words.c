/* words.c — see words.h. */
#include "domain/words.h"

static const struct {
	const char *label, *words, *noun;
} partner_types[PT__COUNT] = {
	[PT_INDIRECT_RESELLER] = { "Indirect reseller", "indirect reseller", "an indirect reseller" },
	[PT_INDIRECT_PROVIDER] = { "Indirect provider", "indirect provider", "an indirect provider" },
	[PT_DIRECT_BILL] = { "Direct-bill partner", "direct-bill partner", "a direct-bill partner" },
};

static const struct {
	const char *label, *brief;
} pa_statuses[PA__COUNT] = {
	[PA_DRAFT] = { "Draft", "Pending" },
	[PA_PENDING_VERIFICATION] = { "Pending verification", "Pending" },
	[PA_IN_REVIEW] = { "In review", "Pending" },
	[PA_APPROVED] = { "Approved", "Accepted" },
	[PA_REJECTED] = { "Rejected", "Rejected" },
};

static const char *const inv_statuses[INV__COUNT] = {
	[INV_PENDING] = "Pending", [INV_ACCEPTED] = "Accepted", [INV_REVOKED] = "Revoked", [INV_EXPIRED] = "Expired",
};

const char *
partner_type_label(enum partner_type t)
{
	return (unsigned)t < PT__COUNT ? partner_types[t].label : "Partner";
}

const char *
partner_type_words(enum partner_type t)
{
	return (unsigned)t < PT__COUNT ? partner_types[t].words : "partner";
}

const char *
partner_type_noun(enum partner_type t)
{
	return (unsigned)t < PT__COUNT ? partner_types[t].noun : "a partner";
}

const char *
pa_status_label(enum pa_status s)
{
	return (unsigned)s < PA__COUNT ? pa_statuses[s].label : "Unknown";
}

const char *
pa_status_short(enum pa_status s)
{
	return (unsigned)s < PA__COUNT ? pa_statuses[s].brief : "Unknown";
}

const char *
inv_status_label(enum inv_status s)
{
	return (unsigned)s < INV__COUNT ? inv_statuses[s] : "Unknown";
}

static const char *program = "Cloud Solution Provider program";
static const char *agreement = "Partner Agreement (MPA)";

void
words_configure(const struct config *cfg)
{
	if (cfg->program != NULL && *cfg->program)
		program = cfg->program;
	if (cfg->agreement != NULL && *cfg->agreement)
		agreement = cfg->agreement;
}

const char *
words_program(void)
{
	return program;
}

const char *
words_agreement(void)
{
	return agreement;
}
