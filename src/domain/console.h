/* console.h — the rules behind the operator console's enrollment queue (issue 19). The
 * decisions themselves are enroll_apply's (domain/enroll.h), as for portalctl approve and
 * reject; this adds what a browser needs around them: the queue's filters, one enrollment
 * with everything a reviewer checks, who else has it open, and the refusal of a stale form
 * (a decision made while the form was open) with the name of who decided. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/agreement.h"
#include "domain/enroll.h"
#include "store/store.h"

#define CONSOLE_QUEUE_MAX 200			/* enrollments on the queue's page */
#define CONSOLE_PRESENCE_WINDOW (10 * 60)	/* "also looking at it": seen this recently */
#define CONSOLE_HISTORY_MAX 50

/* The queue: enrollments with status (PA_NONE: any) in country ("" or NULL: any), oldest
 * first. 0 or -1. */
int console_queue(struct store *s, struct arena *a, int status, const char *country, struct enrollment_list *out);

/* One enrollment with what a reviewer checks. */
struct enrollment_view {
	struct console_enrollment e;
	bool has_legal;
	struct legal_profile legal;		/* the legal profile and its primary contact */
	struct console_mpn_list mpns;		/* the linked MPN profiles */
	struct user_list users;			/* the organization's users */
	struct console_event_list history;	/* its enrollment entries, newest first */
};
/* 1 found, 0 none, -1 error. */
int console_enrollment(struct store *s, struct arena *a, int64_t id, struct enrollment_view *out);
/* Whether a linked MPN profile fits the organization: active, and of its country. */
bool console_mpn_matches(const struct console_mpn *m, const char *country);

/* user_id has enrollment id open at now (in the caller's write transaction), and the other
 * operators who had it open within CONSOLE_PRESENCE_WINDOW. 0 or -1. */
int console_presence(struct store *s, struct arena *a, int64_t id, int64_t user_id, int64_t now,
    struct console_viewer_list *others);

/* Decides enrollment id (to: PA_APPROVED or PA_REJECTED with reason) for a form that showed
 * it with status seen, in the caller's write transaction: refused (1, *why) when the status
 * moved since (a decision by someone else: *why names them, from the program team's log
 * team, the time in zone: the operator's, NULL: UTC), else enroll_apply's answer. 0 moved (c filled), 1 refused, -1 error. */
int console_decide(struct store *s, struct arena *a, int64_t team, int64_t id, enum pa_status to, const char *reason,
    enum pa_status seen, struct pa_change *c, const char **why, const char *zone);

/* ---- partners (item 3) ---- */

#define CONSOLE_PARTNERS_MAX 100
#define CONSOLE_AUDIT_RECENT 20

/* Partner accounts of organizations whose name or domain contains q, or with MPN ID q, in
 * country ("" or NULL: any). 0 or -1. */
int console_partners(struct store *s, struct arena *a, const char *q, const char *country, struct console_partner_list *out);

/* A partner organization as the console shows it. */
struct partner_view {
	struct tenant_row t;
	struct partner_account_list accounts;
	struct agreement_state agreement;
	struct rel_overview_list as_provider, as_reseller;	/* relationships, both directions */
	int64_t customers;
	struct user_list users;
	struct console_event_list audit;			/* the newest entries of its log */
};
/* Organization tenant (never the program team's own): 1 found, 0 none, -1 error. */
int console_partner(struct store *s, struct arena *a, int64_t tenant, struct partner_view *out);

/* Ends active relationship id (the operator's End relationship, as portalctl
 * end-relationship) in the caller's write transaction, with reason why: 0 ended (*provider and
 * *reseller filled: the two sides to tell), 1 not an active relationship, -1 error. */
int console_end_relationship(struct store *s, struct arena *a, int64_t id, const char *why, int64_t now,
    struct partner *provider, struct partner *reseller);

/* ---- uploads kept between preview and commit; agreement versions (item 4) ---- */

#define CONSOLE_UPLOAD_TTL (24 * 60 * 60)	/* a preview is committed within a day, or purged */

/* Stores an operator's upload of kind ("agreement", "mpn", "offers") for its commit: its id,
 * or -1. In the caller's write transaction. */
int64_t console_upload_store(struct store *s, int64_t user_id, const char *kind, const char *label, const char *name,
    const char *body, int64_t now);
/* user_id's upload id of kind, stored less than CONSOLE_UPLOAD_TTL ago: 1, 0 (none, another
 * operator's, or too old), -1. */
int console_upload_get(struct store *s, struct arena *a, int64_t id, int64_t user_id, const char *kind, int64_t now,
    struct console_upload *out);

/* A published version as the console lists it: the version, its title ("" when published
 * with portalctl), its acceptances. */
struct console_version {
	struct agreement_version v;
	const char *title;
};
struct console_version_list {
	struct console_version *v;
	size_t n;
};
/* Every version, newest first. 0 or -1. */
int console_versions(struct store *s, struct arena *a, struct console_version_list *out);
/* A title's problem (1-200 characters on one line), or NULL. */
const char *console_title_problem(const char *title);
/* Publishes upload id (the previewed text, version label, title), now current, in the
 * caller's write transaction, and removes the upload: the version id; 0 refused (*why: the
 * label was taken meanwhile); -1 error. */
int64_t console_publish(struct store *s, struct arena *a, int64_t upload_id, const struct console_upload *u, int64_t now,
    const char **why);
/* Version id and who accepted it: 1, 0 no such version, -1. */
int console_acceptances(struct store *s, struct arena *a, int64_t id, struct console_version *v, struct acceptance_list *out);

/* ---- the program-wide audit log (item 5) ---- */

#define CONSOLE_AUDIT_PAGE 100
/* A page of the audit log of every organization, newest first (before: the last id of the
 * page before, 0 the newest). *more: an older page exists. 0 or -1. */
int console_audit(struct store *s, struct arena *a, const struct console_audit_filter *f, int64_t before,
    struct console_audit_list *out, bool *more);
/* The organization whose primary domain is domain: its id, 0 none, -1. */
int64_t console_org_by_domain(struct store *s, const char *domain);
/* A date "YYYY-MM-DD" (UTC) as Unix seconds at its midnight: 0, or -1 when malformed. */
int console_date(const char *s, int64_t *out);

/* ---- the mail outbox (item 6) ---- */

#define CONSOLE_OUTBOX_MAX 200
/* The messages not delivered yet (queued, or failed with their last error), oldest first;
 * *total: how many in all. 0 or -1. */
int console_outbox(struct store *s, struct arena *a, struct outbox_list *out, int64_t *total);
/* Up to max ids of undelivered messages no process is delivering at now: how many, or -1. */
int console_outbox_pending(struct store *s, int64_t now, int64_t *ids, int max);

/* ---- directories import (item 6) ----
 * A CSV file is checked (mpn_import_check, offers_import_check: the importers' own checks)
 * and previewed; only its digest is kept (a PMC file may hold passwords: its text is never
 * stored), and the commit takes the same file again, imported only when its digest is the
 * previewed one's. */

/* The file's digest (BLAKE2b-256, hex), in the arena. */
const char *console_file_digest(struct arena *a, const char *text, size_t len);
/* Records user_id's preview of a file of kind ("mpn", "offers") with digest. In the caller's
 * write transaction. 0 or -1. */
int console_preview_record(struct store *s, int64_t user_id, const char *kind, const char *digest, int64_t now);
/* user_id's preview of that file, within CONSOLE_UPLOAD_TTL: its id, 0 none, -1. */
int64_t console_preview_find(struct store *s, int64_t user_id, const char *kind, const char *digest, int64_t now);
/* Removes a preview (the file was imported). 0 or -1. */
int console_preview_done(struct store *s, int64_t id);

/* ---- the program dashboard (item 6) ---- */

enum metric { M_STATUS, M_AGE, M_APPROVALS, M_AGREEMENT, M_INVITES, M_RELATIONSHIPS, M__COUNT };
#define DASHBOARD_WEEKS 12

struct metric_row {
	const char *label;
	int64_t n;
};
/* One of the dashboard's tables: its key (the CSV's name), title, the column's name, rows. */
struct metric_table {
	const char *key, *title, *unit;
	struct metric_row *v;
	size_t n;
	int64_t total;
};
/* Metric m at now: every row, empty ones too (each status, each age, each of the last
 * DASHBOARD_WEEKS weeks). 0 or -1. */
int console_metric(struct store *s, struct arena *a, enum metric m, int64_t now, struct metric_table *out);
/* The metric named key ("status", ...), or -1. */
int console_metric_parse(const char *key);

#endif
