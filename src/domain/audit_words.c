/* audit_words.c — the audit log's entries as sentences a person reads (issue 15, item 3):
 * "Nora North was refused Indirect providers: their roles do not allow it" instead of
 * access / PROVIDERS / refused / role. One table: each action's words when it was done and
 * when it was tried; the target follows the words where the table says so. */
#include <string.h>

#include "base/util.h"
#include "domain/audit.h"

enum { NO_TARGET = 0, TARGET = 1 };

static const struct {
	const char *action;
	const char *label;	/* the Action filter's choice */
	const char *done;	/* "<who> <done>[ <target>]" */
	const char *attempt;	/* "<who> tried to <attempt>[ <target>] ..." */
	int target;
} words[] = {
	{ "signin", "Sign in", "signed in", "sign in", NO_TARGET },
	{ "signout", "Sign out", "signed out", "sign out", NO_TARGET },
	{ "reauth", "Confirm the password again", "confirmed their password again", "confirm their password again", NO_TARGET },
	{ "session.end", "End a session", "ended a session", "end a session", NO_TARGET },
	{ "signup.request", "Ask for a work account", "asked to create a work account for", "create a work account for", TARGET },
	{ "tenant.create", "Create the organization", "created the organization", "create the organization", TARGET },
	{ "user.add", "Add a user", "added the user", "add the user", TARGET },
	{ "user.roles", "Change a user's roles", "changed the roles of", "change the roles of", TARGET },
	{ "user.delete", "Delete a user", "deleted the user", "delete the user", TARGET },
	{ "user.password-reset", "Reset a user's password", "reset the password of", "reset the password of", TARGET },
	{ "user.sessions-end", "Sign a user out everywhere", "signed out everywhere the user", "sign out everywhere the user", TARGET },
	{ "password.change", "Change one's password", "changed their password", "change their password", NO_TARGET },
	{ "account.time-zone", "Change one's time zone", "changed the time zone to", "change the time zone to", TARGET },
	{ "password.reset-request", "Ask for a password reset", "asked for a password reset link", "ask for a password reset link", NO_TARGET },
	{ "password.reset", "Reset one's password", "reset their password with the emailed link", "reset their password", NO_TARGET },
	{ "password.set", "Set a password", "set their password", "set their password", NO_TARGET },
	{ "mfa.enable", "Turn on multi-factor sign-in", "turned on multi-factor sign-in", "turn on multi-factor sign-in", NO_TARGET },
	{ "mfa.disable", "Turn off multi-factor sign-in", "turned off multi-factor sign-in", "turn off multi-factor sign-in", NO_TARGET },
	{ "mfa.reset", "Reset a user's multi-factor sign-in", "reset the multi-factor sign-in of", "reset the multi-factor sign-in of", TARGET },
	{ "mfa.recovery_regenerate", "Make new recovery codes", "made new recovery codes", "make new recovery codes", NO_TARGET },
	{ "mfa.recovery_used", "Use a recovery code", "signed in with a recovery code", "sign in with a recovery code", NO_TARGET },
	{ "security.require_mfa", "Change the security settings", "changed the multi-factor sign-in requirement", "change the multi-factor sign-in requirement", NO_TARGET },
	{ "partner.create", "Create a partner account", "created the partner account", "create the partner account", TARGET },
	{ "enrollment.start", "Start enrolling", "started the enrollment", "start the enrollment", NO_TARGET },
	{ "enrollment.submit", "Submit the enrollment", "submitted the enrollment", "submit the enrollment", NO_TARGET },
	{ "enrollment.verify", "Verify the primary contact", "verified the primary contact's address", "verify the primary contact's address", NO_TARGET },
	{ "enrollment.verify-resend", "Resend the verification email", "sent the verification email again", "send the verification email again", NO_TARGET },
	{ "enrollment.approve", "Approve an enrollment", "approved the enrollment", "approve the enrollment", TARGET },
	{ "enrollment.reject", "Reject an enrollment", "rejected the enrollment", "reject the enrollment", TARGET },
	{ "profile.update", "Update the organization profile", "updated the organization profile", "update the organization profile", NO_TARGET },
	{ "pmc.signin", "Sign in to Partner Center", "signed in to Partner Center as", "sign in to Partner Center as", TARGET },
	{ "mpn.link", "Link an MPN ID", "linked the MPN ID", "link the MPN ID", TARGET },
	{ "mpn.import", "Import the MPN directory", "imported the MPN directory", "import the MPN directory", NO_TARGET },
	{ "agreement.accept", "Accept the partner agreement", "accepted the partner agreement", "accept the partner agreement", TARGET },
	{ "agreement.publish", "Publish the partner agreement", "published the partner agreement", "publish the partner agreement", TARGET },
	{ "invitation.send", "Invite a reseller", "invited a reseller:", "invite a reseller:", TARGET },
	{ "invitation.resend", "Resend a reseller invitation", "sent again the invitation", "send again the invitation", TARGET },
	{ "invitation.revoke", "Revoke a reseller invitation", "revoked the invitation", "revoke the invitation", TARGET },
	{ "invitation.accept", "Accept a provider's invitation", "accepted the invitation", "accept the invitation", TARGET },
	/* issue 13: an invitation's own events on its relationship's timeline (the link's first
	 * opening by anyone who holds it; the portal's reminder 7 days before the expiry) */
	{ "invitation.open", "Open a reseller invitation", "opened the invitation emailed to", "open the invitation emailed to", TARGET },
	{ "invitation.remind", "Remind of a reseller invitation", "reminded of its expiry the invitation emailed to", "remind of its expiry the invitation emailed to", TARGET },
	{ "customer-invitation.open", "Open a customer invitation", "opened the customer invitation emailed to", "open the customer invitation emailed to", TARGET },
	{ "customer-invitation.remind", "Remind of a customer invitation", "reminded of its expiry the customer invitation emailed to", "remind of its expiry the customer invitation emailed to", TARGET },
	{ "provider.authorize", "Authorize an indirect provider", "authorized the indirect provider of", "authorize the indirect provider of", TARGET },
	{ "provider.admin-access.remove", "Remove a provider's administrator access", "removed the administrator access of", "remove the administrator access of", TARGET },
	{ "relationship.end", "End a relationship", "ended the relationship", "end the relationship", TARGET },
	{ "customer-invitation.send", "Invite a customer", "invited a customer:", "invite a customer:", TARGET },
	{ "customer-invitation.revoke", "Revoke a customer invitation", "revoked the customer invitation", "revoke the customer invitation", TARGET },
	{ "customer.accept", "Accept a partner's invitation", "accepted the partner's invitation", "accept the partner's invitation", TARGET },
	{ "customer.relationship", "Become a partner's customer", "became the customer of", "become the customer of", TARGET },
	{ "order.place", "Place an order", "placed an order for", "place an order for", TARGET },
	{ "subscription.create", "Create a subscription", "created the subscription", "create the subscription", TARGET },
	{ "offers.import", "Import the offer catalog", "imported the offer catalog", "import the offer catalog", NO_TARGET },
	{ "demo.load", "Load the demo data", "loaded the demo data", "load the demo data", NO_TARGET },
	/* issue 14: Settings -> Webhooks */
	{ "webhook.create", "Add a webhook endpoint", "added the webhook endpoint", "add the webhook endpoint", TARGET },
	{ "webhook.disable", "Disable a webhook endpoint", "disabled the webhook endpoint", "disable the webhook endpoint", TARGET },
	{ "webhook.enable", "Enable a webhook endpoint", "enabled the webhook endpoint", "enable the webhook endpoint", TARGET },
	{ "webhook.delete", "Delete a webhook endpoint", "deleted the webhook endpoint", "delete the webhook endpoint", TARGET },
	{ "webhook.resend", "Send a webhook again", "sent again the webhook", "send again the webhook", TARGET },
	/* issue 13: delegated admin relationships (their timeline reads these sentences) */
	{ "delegated-admin.request", "Ask for delegated admin", "asked for delegated admin roles in", "ask for delegated admin roles in", TARGET },
	{ "delegated-admin.resend", "Resend a delegated admin request", "sent again the delegated admin request to", "send again the delegated admin request to", TARGET },
	{ "delegated-admin.withdraw", "Withdraw a delegated admin request", "withdrew the delegated admin request to", "withdraw the delegated admin request to", TARGET },
	{ "delegated-admin.open", "Open a delegated admin request", "opened the emailed delegated admin request of", "open the delegated admin request of", TARGET },
	{ "delegated-admin.approve", "Approve delegated admin", "approved the delegated admin request of", "approve the delegated admin request of", TARGET },
	{ "delegated-admin.decline", "Decline delegated admin", "declined the delegated admin request of", "decline the delegated admin request of", TARGET },
	{ "delegated-admin.act", "Act as partner", "started acting as partner in", "act as partner in", TARGET },
	{ "delegated-admin.stop", "Stop acting as partner", "stopped acting as partner in", "stop acting as partner in", TARGET },
	{ "delegated-admin.terminate", "Terminate delegated admin", "terminated the delegated admin relationship with", "terminate the delegated admin relationship with", TARGET },
	{ "delegated-admin.remind", "Remind of a delegated admin's end", "reminded both sides of the end of the delegated admin relationship with", "remind both sides of the end of", TARGET },
	{ "delegated-admin.extend", "Extend delegated admin", "extended the delegated admin relationship with", "extend the delegated admin relationship with", TARGET },
	{ "delegated-admin.expire", "Delegated admin expired", "ended at its expiry the delegated admin relationship with", "end at its expiry the delegated admin relationship with", TARGET },
	{ "delegated-admin.group-assign", "Assign a user group to delegated admin", "gave a user group access as partner under", "give a user group access as partner under", TARGET },
	{ "delegated-admin.group-unassign", "Take delegated admin from a user group", "took a user group's access as partner away under", "take a user group's access as partner away under", TARGET },
	{ "group.create", "Create a user group", "created the user group", "create the user group", TARGET },
	{ "group.rename", "Rename a user group", "renamed the user group", "rename the user group", TARGET },
	{ "group.delete", "Delete a user group", "deleted the user group", "delete the user group", TARGET },
	{ "group.member-add", "Add a user group member", "added to a user group the user", "add to a user group the user", TARGET },
	{ "group.member-remove", "Remove a user group member", "removed from a user group the user", "remove from a user group the user", TARGET },
	{ "delegated-admin.request-expire", "Delegated admin request expired", "ended, unanswered after 90 days, the delegated admin request of", "end the delegated admin request of", TARGET },
};

static int
find(const char *action)
{
	for (size_t i = 0; i < NELEM(words); i++)
		if (strcmp(words[i].action, action) == 0)
			return (int)i;
	return -1;
}

const char *
audit_action_label(const char *action)
{
	if (strcmp(action, "access") == 0)
		return "Open a page";
	int i = find(action);
	return i < 0 ? action : words[i].label;
}

/* Why the dispatcher refused a page, as the end of a sentence. */
static const char *
reason_words(const char *detail)
{
	if (strcmp(detail, "role") == 0)
		return "their roles do not allow it";
	if (strcmp(detail, "partner type") == 0)
		return "the organization's partner accounts do not include this page";
	return detail;
}

/* Who acted: the user's name, else the address (or what was typed at sign-in), the operator,
 * or someone unknown. */
static const char *
who_of(const struct audit_row *e)
{
	if (e->actor_name != NULL && *e->actor_name)
		return e->actor_name;
	if (strcmp(e->actor, "operator") == 0)
		return "The operator";
	if (strcmp(e->actor, "portal") == 0)	/* issue 13: the lifecycle worker's own steps */
		return "The portal";
	return *e->actor ? e->actor : "Someone";
}

const char *
audit_sentence(struct arena *a, const struct audit_row *e, const char *page)
{
	const char *who = who_of(e);
	bool refused = strcmp(e->outcome, "refused") == 0, failed = strcmp(e->outcome, "failed") == 0;
	if (strcmp(e->action, "access") == 0) {
		const char *what = page != NULL && *page ? page : e->target;
		return arena_printf(a, "%s was refused %s: %s.", who, what, reason_words(e->detail));
	}
	int i = find(e->action);
	struct buf b;
	buf_init(&b, a);
	if (i < 0) {
		buf_printf(&b, "%s: %s", who, e->action);
		if (*e->target)
			buf_printf(&b, " %s", e->target);
	} else {
		bool target = words[i].target == TARGET && *e->target;
		if (refused || failed)
			buf_printf(&b, "%s tried to %s", who, words[i].attempt);
		else
			buf_printf(&b, "%s %s", who, words[i].done);
		if (target)
			buf_printf(&b, " %s", e->target);
	}
	if (refused || failed)
		buf_printf(&b, " and %s%s%s", refused ? "was refused" : "failed", *e->detail ? ": " : "", e->detail);
	else if (*e->detail)
		buf_printf(&b, " (%s)", e->detail);
	buf_printf(&b, ".");
	return b.p;
}
