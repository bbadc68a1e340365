/* agreement.h — the partner agreement (MPA): versions, acceptances, and the gate every
 * transaction goes through. SPEC §2.4.
 *
 * The operator publishes versions (portalctl mpa publish); the current version is the one
 * published last. An organization (tenant) accepts a version once, through a Global admin,
 * on /agreement. An account may transact only when it is approved AND its organization has
 * accepted the current version: agreement_gate() is the one place that decides it.
 * (What pages show of it — the overview's banner, the Program info row — is in
 * pages/agreement.h.) */
#ifndef AGREEMENT_H
#define AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

/* The current version, and the organization's standing with it. Strings live in the arena. */
struct agreement_state {
	bool published;			/* some version exists */
	int64_t version_id;		/* the current version (0 when none) */
	const char *version;		/* its label, "" when none */
	int64_t published_at;
	bool accepted;			/* the organization accepted the current version */
	/* The organization's latest acceptance (of the current version when accepted, else of an
	 * older one, or none: accepted_version_id == 0). */
	int64_t accepted_version_id;
	const char *accepted_version;
	const char *signer_name;	/* "First Last" */
	const char *signer_email, *signer_title;
	int64_t accepted_at;
};

/* Fills s for tenant_id. Returns 0 (also when nothing is published: s->published false), or
 * -1 on a database error. */
int agreement_state(struct store *db, struct arena *a, int64_t tenant_id, struct agreement_state *s);
/* s from st_agreement_standing's answer found (1: a version is published) and its rows. */
void agreement_state_of(struct arena *a, int found, const struct agreement_version *v,
    const struct agreement_acceptance *acc, struct agreement_state *s);

/* ---- the gate: may this partner account transact now? ---- */

enum agreement_gate {
	GATE_OK = 0,
	GATE_NO_ACCOUNT,		/* the organization has no partner account (of that type) */
	GATE_NOT_APPROVED,		/* enrolled, but the status is not "approved" (g->status says which) */
	GATE_NO_VERSION,		/* no agreement version has been published */
	GATE_NOT_ACCEPTED,		/* the current version is not accepted (maybe an older one is) */
	GATE_ERROR,			/* database error: treat as "no" */
};

struct gate {
	enum agreement_gate reason;
	int type;			/* the partner account's enum partner_type, -1 when none */
	int status;			/* its enum pa_status, PA_NONE when none */
	const char *version;		/* the current version, NULL when none */
	const char *text;		/* one sentence for people: why not (or that it may) */
};

/* Decides whether tenant_id's partner account of `type` (an enum partner_type; -1: any of
 * its accounts, an approved one first) may transact now. Providers, resellers and
 * direct-bill partners all go through here. Checks in this order: account exists,
 * approved, a version is published, the current version accepted. Returns g->reason
 * (GATE_OK when it may); g->text is in the arena, written about the organization in the
 * third person ("... has not accepted ..."). */
enum agreement_gate agreement_gate(struct store *db, struct arena *a, int64_t tenant_id, int type, struct gate *g);

/* ---- what other pages show ---- */

/* A provider's view of one reseller's agreement standing (Indirect resellers page). */
struct agreement_view {
	const char *words;		/* "Accepted", "Not accepted", "Older version accepted", "Not published" (issue 15: the program's word is "accept") */
	const char *detail;		/* "Version 2, 3 Mar 2026" / "Version 1 signed; version 2 is current" / "" */
	const char *tag;		/* CSS tag class: "ok", "warn", "muted" */
	bool accepted;			/* the current version is accepted */
};
/* Fills v for the reseller tenant. Returns 0 or -1 (then v says "Unknown"). */
int agreement_reseller_view(struct store *db, struct arena *a, int64_t reseller_tenant_id, struct agreement_view *v);

/* The users of tenant who may accept the agreement for it (AGREEMENT_ACCEPT: its Global
 * admins), by name then email: whom everybody else is told to ask. 0 or -1. */
int agreement_acceptors(struct store *db, struct arena *a, int64_t tenant_id, struct user_list *out);

/* ---- accepting (/agreement) ---- */

/* The current version with its text: 1, 0 when nothing is published, -1 error. */
int agreement_current(struct store *db, struct arena *a, struct agreement_version *out);

struct agreement_signer {
	const char *first, *last, *email, *phone, *title;
};

enum agreement_accept {
	ACCEPT_RECORDED = 0,		/* the acceptance is recorded */
	ACCEPT_ALREADY,			/* the organization had accepted this version: nothing changed */
	ACCEPT_NOTHING_PUBLISHED,	/* there is no version to accept */
	ACCEPT_NOT_CURRENT,		/* the version shown is no longer (or not) the current one */
	ACCEPT_ERROR,
};

/* Records tenant_id's acceptance of the version the signer was shown (its id; 0 when none
 * was), with the signer, the user, the time and the client address — only when that version
 * is still the current one. The caller holds the write transaction: the current version
 * read here stays current until commit. *current gets the current version's label ("" when
 * none). */
enum agreement_accept agreement_accept(struct store *db, struct arena *a, int64_t tenant_id, int64_t shown,
    const struct agreement_signer *who, int64_t user_id, const char *ip, int64_t now, const char **current);

/* ---- the operator ---- */

/* Checks a version label: 1-40 characters of letters, digits and . _ - ; NULL or a message. */
const char *agreement_version_problem(const char *version);
/* Publishes body as version (caller holds a write transaction). Returns the new version's
 * id, 0 when the label is already used (err says so), or -1 with err. */
int64_t agreement_publish(struct store *db, const char *version, const char *body, int64_t now, char *err,
    size_t errlen);
/* How many organizations in the program have not accepted version_id yet; -1 on error. */
int64_t agreement_pending_orgs(struct store *db, int64_t version_id);
/* Every published version, newest first, with its size and acceptances. 0 or -1. */
int agreement_versions(struct store *db, struct arena *a, struct agreement_version_list *out);

#endif
