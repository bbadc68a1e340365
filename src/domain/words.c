/* words.c — see words.h. */
#include "domain/words.h"

#include "base/util.h"

/* Each table has one row more than its enum has values: the words for a value out of
 * range, which words_of picks. */
static const struct {
	const char *label, *words, *noun;
} partner_types[PT__COUNT + 1] = {
	[PT_INDIRECT_RESELLER] = { "Indirect reseller", "indirect reseller", "an indirect reseller" },
	[PT_INDIRECT_PROVIDER] = { "Indirect provider", "indirect provider", "an indirect provider" },
	[PT_DIRECT_BILL] = { "Direct-bill partner", "direct-bill partner", "a direct-bill partner" },
	[PT__COUNT] = { "Partner", "partner", "a partner" },
};

static const struct {
	const char *label, *brief;
} pa_statuses[PA__COUNT + 1] = {
	[PA_DRAFT] = { "Draft", "Pending" },
	[PA_PENDING_VERIFICATION] = { "Pending verification", "Pending" },
	[PA_IN_REVIEW] = { "In review", "Pending" },
	[PA_APPROVED] = { "Approved", "Approved" },	/* issue 15, item 13: one word per state */
	[PA_REJECTED] = { "Rejected", "Rejected" },
	[PA__COUNT] = { "Unknown", "Unknown" },
};

static const struct {
	const char *label;
} inv_statuses[INV__COUNT + 1] = {
	[INV_PENDING] = { "Pending" }, [INV_ACCEPTED] = { "Accepted" }, [INV_REVOKED] = { "Revoked" },
	[INV_EXPIRED] = { "Expired" }, [INV__COUNT] = { "Unknown" },
};

/* The row of table for value v: the last row when v is out of range. */
#define words_of(table, v) (table[(unsigned)(v) < NELEM(table) - 1 ? (unsigned)(v) : NELEM(table) - 1])

const char *partner_type_label(enum partner_type t) { return words_of(partner_types, t).label; }
const char *partner_type_words(enum partner_type t) { return words_of(partner_types, t).words; }
const char *partner_type_noun(enum partner_type t) { return words_of(partner_types, t).noun; }
const char *pa_status_label(enum pa_status s) { return words_of(pa_statuses, s).label; }
const char *pa_status_short(enum pa_status s) { return words_of(pa_statuses, s).brief; }
const char *inv_status_label(enum inv_status s) { return words_of(inv_statuses, s).label; }

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
