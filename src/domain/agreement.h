/* agreement.h — the partner agreement (MPA): versions, acceptances, and the gate every
 * transaction goes through. SPEC §2.4.
 *
 * The operator publishes versions (portalctl mpa publish); the current version is the one
 * published last. An organization (tenant) accepts a version once, through a Global admin,
 * on /agreement. An account may transact only when it is approved AND its organization has
 * accepted the current version: agreement_gate() is the one place that decides it. */
#ifndef AGREEMENT_H
#define AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct store;
struct req;
struct tv;

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
	const char *type;		/* the partner account's type, NULL when none */
	const char *status;		/* its enrollment status, NULL when none */
	const char *version;		/* the current version, NULL when none */
	const char *text;		/* one sentence for people: why not (or that it may) */
};

/* Decides whether tenant_id's partner account of `type` ("indirect_reseller",
 * "indirect_provider", "direct_bill"; NULL: any of its accounts, an approved one first)
 * may transact now. Providers, resellers and direct-bill partners all go through here.
 * Checks in this order: account exists, approved, a version is published, the current
 * version accepted. Returns g->reason (GATE_OK when it may); g->text is in the arena,
 * written about the organization in the third person ("... has not accepted ..."). */
enum agreement_gate agreement_gate(struct store *db, struct arena *a, int64_t tenant_id, const char *type,
    struct gate *g);

/* ---- what other pages show ---- */

/* A provider's view of one reseller's agreement standing (Indirect resellers page). */
struct agreement_view {
	const char *words;		/* "Signed", "Not signed", "Older version signed", "Not published" */
	const char *detail;		/* "Version 2, 3 Mar 2026" / "Version 1 signed; version 2 is current" / "" */
	const char *tag;		/* CSS tag class: "ok", "warn", "muted" */
	bool accepted;			/* the current version is accepted */
};
/* Fills v for the reseller tenant. Returns 0 or -1 (then v says "Unknown"). */
int agreement_reseller_view(struct store *db, struct arena *a, int64_t reseller_tenant_id, struct agreement_view *v);

/* The organization's Global admins as ctx list `key` of { name, email }, and as one line
 * "Ana Admin (ana@contoso.com), ..." under `key`_text. Returns the number found. */
int agreement_global_admins(struct store *db, int64_t tenant_id, struct tv *ctx, const char *key);

/* True when the signed-in user's organization is in the program (any partner account, any
 * status). Banners and the Program info row are shown only then. */
bool agreement_applies(const struct req *r);

/* Overview hook: fills ctx.agreement_banner for templates/partials/agreement-banner.html
 * (nothing for organizations outside the program or when no version is published). */
void agreement_banner_ctx(struct req *r, struct tv *ctx);
/* The same from a state the caller already has (the overview reads it once for the banner
 * and its checklist). */
void agreement_banner_fill(struct req *r, struct tv *ctx, const struct agreement_state *s);

/* Program info hook: fills ctx.agreement_info for templates/partials/agreement-program-info.html
 * (a <dt>/<dd> pair for a dl.facts list): the agreement's name, signed or not, version,
 * signer and date, and a link to /agreement for a Global admin who has something to accept. */
void agreement_program_info_ctx(struct req *r, struct tv *ctx);
void agreement_program_info_fill(struct req *r, struct tv *ctx, const struct agreement_state *s);

/* ---- the operator ---- */

/* Checks a version label: 1-40 characters of letters, digits and . _ - ; NULL or a message. */
const char *agreement_version_problem(const char *version);
/* Publishes body as version (caller holds a write transaction). Returns the new version's
 * id, 0 when the label is already used (err says so), or -1 with err. */
int64_t agreement_publish(struct store *db, const char *version, const char *body, int64_t now, char *err,
    size_t errlen);

/* The words for an enrollment status ("In review"), for messages. */
const char *agreement_status_words(const char *status);
/* The words for a partner type ("indirect reseller"). */
const char *agreement_type_words(const char *type);

#endif
