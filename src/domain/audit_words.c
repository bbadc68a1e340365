/* audit_words.c — the audit log's entries as sentences a person reads (issue 15, item 3):
 * "Nora North was refused Indirect providers: their roles do not allow it" instead of
 * access / PROVIDERS / refused / role. One table: each action's words when it was done and
 * when it was tried; the target follows the words where the table says so. */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/audit.h"

/* issue 18: each action's clause is one message with its values ({who}, {target}), so a
 * language orders them as it needs; the outcome and the recorded detail complete it in one
 * of the six sentences of audit_sentence. The recorded values themselves (target, detail)
 * are data and stay as they were written. */
static const struct {
	const char *action;
	const char *label;	/* the Action filter's choice */
	const char *done;	/* "{who} <done>[ {target}]" */
	const char *attempt;	/* "{who} tried to <attempt>[ {target}]" */
} words[] = {
	{ "signin", N_("Sign in"), N_("{who} signed in"), N_("{who} tried to sign in") },
	{ "signout", N_("Sign out"), N_("{who} signed out"), N_("{who} tried to sign out") },
	{ "reauth", N_("Confirm the password again"), N_("{who} confirmed their password again"), N_("{who} tried to confirm their password again") },
	{ "session.end", N_("End a session"), N_("{who} ended a session"), N_("{who} tried to end a session") },
	{ "signup.request", N_("Ask for a work account"), N_("{who} asked to create a work account for {target}"), N_("{who} tried to create a work account for {target}") },
	{ "tenant.create", N_("Create the organization"), N_("{who} created the organization {target}"), N_("{who} tried to create the organization {target}") },
	{ "user.add", N_("Add a user"), N_("{who} added the user {target}"), N_("{who} tried to add the user {target}") },
	{ "user.roles", N_("Change a user's roles"), N_("{who} changed the roles of {target}"), N_("{who} tried to change the roles of {target}") },
	{ "user.delete", N_("Delete a user"), N_("{who} deleted the user {target}"), N_("{who} tried to delete the user {target}") },
	{ "user.password-reset", N_("Reset a user's password"), N_("{who} reset the password of {target}"), N_("{who} tried to reset the password of {target}") },
	{ "user.sessions-end", N_("Sign a user out everywhere"), N_("{who} signed out everywhere the user {target}"), N_("{who} tried to sign out everywhere the user {target}") },
	{ "password.change", N_("Change one's password"), N_("{who} changed their password"), N_("{who} tried to change their password") },
	{ "account.time-zone", N_("Change one's time zone"), N_("{who} changed the time zone to {target}"), N_("{who} tried to change the time zone to {target}") },
	{ "password.reset-request", N_("Ask for a password reset"), N_("{who} asked for a password reset link"), N_("{who} tried to ask for a password reset link") },
	{ "password.reset", N_("Reset one's password"), N_("{who} reset their password with the emailed link"), N_("{who} tried to reset their password") },
	{ "password.set", N_("Set a password"), N_("{who} set their password"), N_("{who} tried to set their password") },
	{ "mfa.enable", N_("Turn on multi-factor sign-in"), N_("{who} turned on multi-factor sign-in"), N_("{who} tried to turn on multi-factor sign-in") },
	{ "mfa.disable", N_("Turn off multi-factor sign-in"), N_("{who} turned off multi-factor sign-in"), N_("{who} tried to turn off multi-factor sign-in") },
	{ "mfa.reset", N_("Reset a user's multi-factor sign-in"), N_("{who} reset the multi-factor sign-in of {target}"), N_("{who} tried to reset the multi-factor sign-in of {target}") },
	{ "mfa.recovery_regenerate", N_("Make new recovery codes"), N_("{who} made new recovery codes"), N_("{who} tried to make new recovery codes") },
	{ "mfa.recovery_used", N_("Use a recovery code"), N_("{who} signed in with a recovery code"), N_("{who} tried to sign in with a recovery code") },
	{ "security.require_mfa", N_("Change the security settings"), N_("{who} changed the multi-factor sign-in requirement"), N_("{who} tried to change the multi-factor sign-in requirement") },
	{ "partner.create", N_("Create a partner account"), N_("{who} created the partner account {target}"), N_("{who} tried to create the partner account {target}") },
	{ "enrollment.start", N_("Start enrolling"), N_("{who} started the enrollment"), N_("{who} tried to start the enrollment") },
	{ "enrollment.submit", N_("Submit the enrollment"), N_("{who} submitted the enrollment"), N_("{who} tried to submit the enrollment") },
	{ "enrollment.verify", N_("Verify the primary contact"), N_("{who} verified the primary contact's address"), N_("{who} tried to verify the primary contact's address") },
	{ "enrollment.verify-resend", N_("Resend the verification email"), N_("{who} sent the verification email again"), N_("{who} tried to send the verification email again") },
	{ "enrollment.approve", N_("Approve an enrollment"), N_("{who} approved the enrollment {target}"), N_("{who} tried to approve the enrollment {target}") },
	{ "enrollment.reject", N_("Reject an enrollment"), N_("{who} rejected the enrollment {target}"), N_("{who} tried to reject the enrollment {target}") },
	{ "profile.update", N_("Update the organization profile"), N_("{who} updated the organization profile"), N_("{who} tried to update the organization profile") },
	{ "pmc.signin", N_("Sign in to Partner Center"), N_("{who} signed in to Partner Center as {target}"), N_("{who} tried to sign in to Partner Center as {target}") },
	{ "mpn.link", N_("Link an MPN ID"), N_("{who} linked the MPN ID {target}"), N_("{who} tried to link the MPN ID {target}") },
	{ "mpn.import", N_("Import the MPN directory"), N_("{who} imported the MPN directory"), N_("{who} tried to import the MPN directory") },
	{ "agreement.accept", N_("Accept the partner agreement"), N_("{who} accepted the partner agreement {target}"), N_("{who} tried to accept the partner agreement {target}") },
	{ "agreement.publish", N_("Publish the partner agreement"), N_("{who} published the partner agreement {target}"), N_("{who} tried to publish the partner agreement {target}") },
	{ "invitation.send", N_("Invite a reseller"), N_("{who} invited a reseller: {target}"), N_("{who} tried to invite a reseller: {target}") },
	{ "invitation.resend", N_("Resend a reseller invitation"), N_("{who} sent again the invitation {target}"), N_("{who} tried to send again the invitation {target}") },
	{ "invitation.revoke", N_("Revoke a reseller invitation"), N_("{who} revoked the invitation {target}"), N_("{who} tried to revoke the invitation {target}") },
	{ "invitation.accept", N_("Accept a provider's invitation"), N_("{who} accepted the invitation {target}"), N_("{who} tried to accept the invitation {target}") },
	/* issue 13: an invitation's own events on its relationship's timeline (the link's first
	 * opening by anyone who holds it; the portal's reminder 7 days before the expiry) */
	{ "invitation.open", N_("Open a reseller invitation"), N_("{who} opened the invitation emailed to {target}"), N_("{who} tried to open the invitation emailed to {target}") },
	{ "invitation.remind", N_("Remind of a reseller invitation"), N_("{who} reminded of its expiry the invitation emailed to {target}"), N_("{who} tried to remind of its expiry the invitation emailed to {target}") },
	{ "customer-invitation.open", N_("Open a customer invitation"), N_("{who} opened the customer invitation emailed to {target}"), N_("{who} tried to open the customer invitation emailed to {target}") },
	{ "customer-invitation.remind", N_("Remind of a customer invitation"), N_("{who} reminded of its expiry the customer invitation emailed to {target}"), N_("{who} tried to remind of its expiry the customer invitation emailed to {target}") },
	{ "provider.authorize", N_("Authorize an indirect provider"), N_("{who} authorized the indirect provider of {target}"), N_("{who} tried to authorize the indirect provider of {target}") },
	{ "provider.admin-access.remove", N_("Remove a provider's administrator access"), N_("{who} removed the administrator access of {target}"), N_("{who} tried to remove the administrator access of {target}") },
	{ "relationship.end", N_("End a relationship"), N_("{who} ended the relationship {target}"), N_("{who} tried to end the relationship {target}") },
	{ "customer-invitation.send", N_("Invite a customer"), N_("{who} invited a customer: {target}"), N_("{who} tried to invite a customer: {target}") },
	{ "customer-invitation.revoke", N_("Revoke a customer invitation"), N_("{who} revoked the customer invitation {target}"), N_("{who} tried to revoke the customer invitation {target}") },
	{ "customer.accept", N_("Accept a partner's invitation"), N_("{who} accepted the partner's invitation {target}"), N_("{who} tried to accept the partner's invitation {target}") },
	{ "customer.relationship", N_("Become a partner's customer"), N_("{who} became the customer of {target}"), N_("{who} tried to become the customer of {target}") },
	{ "order.place", N_("Place an order"), N_("{who} placed an order for {target}"), N_("{who} tried to place an order for {target}") },
	{ "subscription.create", N_("Create a subscription"), N_("{who} created the subscription {target}"), N_("{who} tried to create the subscription {target}") },
	{ "offers.import", N_("Import the offer catalog"), N_("{who} imported the offer catalog"), N_("{who} tried to import the offer catalog") },
	{ "demo.load", N_("Load the demo data"), N_("{who} loaded the demo data"), N_("{who} tried to load the demo data") },
	/* issue 14: Settings -> Webhooks */
	{ "webhook.create", N_("Add a webhook endpoint"), N_("{who} added the webhook endpoint {target}"), N_("{who} tried to add the webhook endpoint {target}") },
	{ "webhook.disable", N_("Disable a webhook endpoint"), N_("{who} disabled the webhook endpoint {target}"), N_("{who} tried to disable the webhook endpoint {target}") },
	{ "webhook.enable", N_("Enable a webhook endpoint"), N_("{who} enabled the webhook endpoint {target}"), N_("{who} tried to enable the webhook endpoint {target}") },
	{ "webhook.delete", N_("Delete a webhook endpoint"), N_("{who} deleted the webhook endpoint {target}"), N_("{who} tried to delete the webhook endpoint {target}") },
	{ "webhook.resend", N_("Send a webhook again"), N_("{who} sent again the webhook {target}"), N_("{who} tried to send again the webhook {target}") },
	/* issue 13: delegated admin relationships (their timeline reads these sentences) */
	{ "delegated-admin.request", N_("Ask for delegated admin"), N_("{who} asked for delegated admin roles in {target}"), N_("{who} tried to ask for delegated admin roles in {target}") },
	{ "delegated-admin.resend", N_("Resend a delegated admin request"), N_("{who} sent again the delegated admin request to {target}"), N_("{who} tried to send again the delegated admin request to {target}") },
	{ "delegated-admin.withdraw", N_("Withdraw a delegated admin request"), N_("{who} withdrew the delegated admin request to {target}"), N_("{who} tried to withdraw the delegated admin request to {target}") },
	{ "delegated-admin.open", N_("Open a delegated admin request"), N_("{who} opened the emailed delegated admin request of {target}"), N_("{who} tried to open the delegated admin request of {target}") },
	{ "delegated-admin.approve", N_("Approve delegated admin"), N_("{who} approved the delegated admin request of {target}"), N_("{who} tried to approve the delegated admin request of {target}") },
	{ "delegated-admin.decline", N_("Decline delegated admin"), N_("{who} declined the delegated admin request of {target}"), N_("{who} tried to decline the delegated admin request of {target}") },
	{ "delegated-admin.act", N_("Act as partner"), N_("{who} started acting as partner in {target}"), N_("{who} tried to act as partner in {target}") },
	{ "delegated-admin.stop", N_("Stop acting as partner"), N_("{who} stopped acting as partner in {target}"), N_("{who} tried to stop acting as partner in {target}") },
	{ "delegated-admin.terminate", N_("Terminate delegated admin"), N_("{who} terminated the delegated admin relationship with {target}"), N_("{who} tried to terminate the delegated admin relationship with {target}") },
	{ "delegated-admin.remind", N_("Remind of a delegated admin's end"), N_("{who} reminded both sides of the end of the delegated admin relationship with {target}"), N_("{who} tried to remind both sides of the end of {target}") },
	{ "delegated-admin.extend", N_("Extend delegated admin"), N_("{who} extended the delegated admin relationship with {target}"), N_("{who} tried to extend the delegated admin relationship with {target}") },
	{ "delegated-admin.expire", N_("Delegated admin expired"), N_("{who} ended at its expiry the delegated admin relationship with {target}"), N_("{who} tried to end at its expiry the delegated admin relationship with {target}") },
	{ "delegated-admin.group-assign", N_("Assign a user group to delegated admin"), N_("{who} gave a user group access as partner under {target}"), N_("{who} tried to give a user group access as partner under {target}") },
	{ "delegated-admin.group-unassign", N_("Take delegated admin from a user group"), N_("{who} took a user group's access as partner away under {target}"), N_("{who} tried to take a user group's access as partner away under {target}") },
	{ "group.create", N_("Create a user group"), N_("{who} created the user group {target}"), N_("{who} tried to create the user group {target}") },
	{ "group.rename", N_("Rename a user group"), N_("{who} renamed the user group {target}"), N_("{who} tried to rename the user group {target}") },
	{ "group.delete", N_("Delete a user group"), N_("{who} deleted the user group {target}"), N_("{who} tried to delete the user group {target}") },
	{ "group.member-add", N_("Add a user group member"), N_("{who} added to a user group the user {target}"), N_("{who} tried to add to a user group the user {target}") },
	{ "group.member-remove", N_("Remove a user group member"), N_("{who} removed from a user group the user {target}"), N_("{who} tried to remove from a user group the user {target}") },
	{ "delegated-admin.request-expire", N_("Delegated admin request expired"), N_("{who} ended, unanswered after 90 days, the delegated admin request of {target}"), N_("{who} tried to end the delegated admin request of {target}") },
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
		return _("Open a page");
	int i = find(action);
	return i < 0 ? action : _(words[i].label);
}

/* Why the dispatcher refused a page, as the end of a sentence. */
static const char *
reason_words(const char *detail)
{
	if (strcmp(detail, "role") == 0)
		return _("their roles do not allow it");
	if (strcmp(detail, "partner type") == 0)
		return _("the organization's partner accounts do not include this page");
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
		return _("The operator");
	if (strcmp(e->actor, "portal") == 0)	/* issue 13: the lifecycle worker's own steps */
		return _("The portal");
	return *e->actor ? e->actor : _("Someone");
}

/* A translated sentence with its values: each {name} of fmt replaced by the value of that
 * name (names: who, target, what, why, clause, detail). An empty target leaves no double space. */
static const char *
fill(struct arena *a, const char *fmt, const char *const *kv, size_t nkv)
{
	struct buf b;
	buf_init(&b, a);
	for (const char *p = fmt; *p;) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			bool done = false;
			for (size_t i = 0; close != NULL && i + 1 < nkv; i += 2)
				if (strlen(kv[i]) == (size_t)(close - p - 1) && strncmp(p + 1, kv[i], (size_t)(close - p - 1)) == 0) {
					if (*kv[i + 1] == '\0' && b.len > 0 && b.p[b.len - 1] == ' ' && (close[1] == ' ' || close[1] == '\0'))
						b.len--, b.p[b.len] = '\0';	/* no value: no space for it */
					buf_puts(&b, kv[i + 1]);
					p = close + 1;
					done = true;
					break;
				}
			if (done)
				continue;
		}
		buf_printf(&b, "%c", *p++);
	}
	return b.p ? b.p : "";
}

const char *
audit_sentence(struct arena *a, const struct audit_row *e, const char *page)
{
	const char *who = who_of(e);
	bool refused = strcmp(e->outcome, "refused") == 0, failed = strcmp(e->outcome, "failed") == 0;
	if (strcmp(e->action, "access") == 0) {
		const char *what = page != NULL && *page ? page : e->target;
		const char *kv[] = { "who", who, "what", what, "why", reason_words(e->detail) };
		return fill(a, _("{who} was refused {what}: {why}."), kv, NELEM(kv));
	}
	int i = find(e->action);
	const char *clause;
	if (i < 0) {
		const char *kv[] = { "who", who, "action", e->action, "target", e->target };
		clause = fill(a, *e->target ? "{who}: {action} {target}" : "{who}: {action}", kv, NELEM(kv));
	} else {
		const char *kv[] = { "who", who, "target", e->target };
		clause = fill(a, _(refused || failed ? words[i].attempt : words[i].done), kv, NELEM(kv));
	}
	const char *kv[] = { "clause", clause, "detail", e->detail };
	const char *fmt;
	if (refused)
		fmt = *e->detail ? _("{clause} and was refused: {detail}.") : _("{clause} and was refused.");
	else if (failed)
		fmt = *e->detail ? _("{clause} and failed: {detail}.") : _("{clause} and failed.");
	else
		fmt = *e->detail ? _("{clause} ({detail}).") : _("{clause}.");
	return fill(a, fmt, kv, NELEM(kv));
}
