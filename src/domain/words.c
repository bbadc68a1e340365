/* words.c — see words.h. */
#include "domain/words.h"

#include "base/i18n.h"
#include "base/util.h"

/* Each table has one row more than its enum has values: the words for a value out of
 * range, which words_of picks. */
static const struct {
	const char *label, *words, *noun;
} partner_types[PT__COUNT + 1] = {
	[PT_INDIRECT_RESELLER] = { N_("Indirect reseller"), NC_("inside a sentence", "indirect reseller"), N_("an indirect reseller") },
	[PT_INDIRECT_PROVIDER] = { N_("Indirect provider"), NC_("inside a sentence", "indirect provider"), N_("an indirect provider") },
	[PT_DIRECT_BILL] = { N_("Direct-bill partner"), NC_("inside a sentence", "direct-bill partner"), N_("a direct-bill partner") },
	[PT__COUNT] = { N_("Partner"), NC_("inside a sentence", "partner"), N_("a partner") },
};

static const struct {
	const char *label, *brief;
} pa_statuses[PA__COUNT + 1] = {
	[PA_DRAFT] = { N_("Draft"), N_("Pending") },
	[PA_PENDING_VERIFICATION] = { N_("Pending verification"), N_("Pending") },
	[PA_IN_REVIEW] = { N_("In review"), N_("Pending") },
	[PA_APPROVED] = { N_("Approved"), N_("Approved") },	/* issue 15, item 13: one word per state */
	[PA_REJECTED] = { N_("Rejected"), N_("Rejected") },
	[PA__COUNT] = { N_("Unknown"), N_("Unknown") },
};

static const struct {
	const char *label;
} inv_statuses[INV__COUNT + 1] = {
	[INV_PENDING] = { N_("Pending") }, [INV_ACCEPTED] = { N_("Accepted") }, [INV_REVOKED] = { N_("Revoked") },
	[INV_EXPIRED] = { N_("Expired") }, [INV__COUNT] = { N_("Unknown") },
};

/* The row of table for value v: the last row when v is out of range. */
#define words_of(table, v) (table[(unsigned)(v) < NELEM(table) - 1 ? (unsigned)(v) : NELEM(table) - 1])

/* issue 18: labels and nouns in the thread's language (base/i18n.h) */
const char *partner_type_label(enum partner_type t) { return _(words_of(partner_types, t).label); }
const char *partner_type_words(enum partner_type t) { return C_(words_of(partner_types, t).words); }
const char *partner_type_noun(enum partner_type t) { return _(words_of(partner_types, t).noun); }
const char *pa_status_label(enum pa_status s) { return _(words_of(pa_statuses, s).label); }
const char *pa_status_short(enum pa_status s) { return _(words_of(pa_statuses, s).brief); }
const char *inv_status_label(enum inv_status s) { return _(words_of(inv_statuses, s).label); }

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
