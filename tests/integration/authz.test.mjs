// authz.test.mjs — the authorization matrix: EVERY route of src/web/routes.def, asked by someone
// signed out, by a user holding each of the seven roles alone, and (for routes with an id)
// by a Global admin of another organization. Every answer is compared with the table below.
//
// The test parses src/web/routes.def and src/domain/roles.def itself, so it FAILS when:
//   - routes.def has a route that EXPECT does not name (add its row), or EXPECT names a route
//     that routes.def no longer has (remove the row);
//   - roles.def's roles differ from the table's role columns (add or reorder a column);
//   - a path with "#" names a kind of object OBJECT_KINDS does not know (add the kind: how
//     the other organization's refusal is written in its audit log).
//
// THE WORLD (before())
//   Organization A (authz-a.example, DE): a Global admin who signed it up and one user per
//     other role, each holding that role alone. A is an approved indirect provider AND an
//     approved indirect reseller (two partner_accounts rows), has an MPN ID linked, a legal
//     profile whose primary contact has not verified the current address yet (so `Resend
//     verification email` really sends), a PMC account with a second profile to link, one
//     reseller and one provider of its own, and a pending invitation. The partner-type flags
//     (F_PROVIDER, F_RESELLER) therefore pass for A and every answer is decided by role.
//     Because A's reseller enrollment is approved (submitted), the enrollment steps send a
//     Global admin back to /enroll (303) — the answer a permitted user really gets.
//   Organization B (authz-b.example, DE): its Global admin is OTHER. B is an approved
//     indirect provider and reseller too, so it passes the same gates and an id of A's in the
//     path reaches the handler's object check: 404, and a "refused" entry in B's audit log.
//   The agreement version 2025-01 is published (operator: portalctl mpa publish).
//
// HOW TO ADD A ROUTE
//   1. Add a row to EXPECT, keyed by the route id (the first argument of ROUTE in routes.def):
//        ID: [OUT, GA, ACC, UA, AA, SA, HA, BA, OTHER],
//      OUT    signed out;
//      GA..BA a user with only that role (Global admin, Account admin, User admin, Admin agent,
//             Sales agent, Helpdesk agent, Billing admin), of organization A;
//      OTHER  a Global admin of organization B (required for paths with "#", else null).
//      A value is a status (200, 400, 403, 404, 422, ...) or a redirect: '303 /path' (the
//      Location exactly) or '303 /path*' (a Location starting with /path).
//      The table says what SHOULD happen (perms.def, SPEC): a cell that fails is a bug to fix
//      in the code, not a value to copy into the table.
//   2. POSTs are sent with a valid CSRF token of the asker, so the answer is about who asks.
//      Give REQUESTS the fields the page's real form sends (a permitted user's answer must be
//      the real one: 303 done, 422 form again, 409...; not a 400 because the body is empty),
//      an id function for "#" (a real object of organization A of the route's kind; the
//      default is VICTIM, a Helpdesk agent of A), `prepare` for state the request needs, or
//      `fresh` for routes that end the session.
//   3. For a "#" path, name its kind in OBJECT_KINDS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, ROOT, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, csrfOf, errorsOf } from '../lib/http.mjs';
import { addUser, activate, PASSWORD } from '../lib/users.mjs';
import * as F from '../lib/fixtures.mjs';
import { endpointFixture } from '../lib/webhooks.mjs';
import { importCsv } from '../lib/enroll.mjs';
import { newOperator } from '../lib/operators.mjs';
import { call } from '../lib/api.mjs';

const ROLE_COLUMNS = ['GLOBAL_ADMIN', 'ACCOUNT_ADMIN', 'USER_ADMIN', 'ADMIN_AGENT', 'SALES_AGENT', 'HELPDESK_AGENT', 'BILLING_ADMIN'];
const SIGNIN = (path) => `303 /signin?next=${path}`;
const DENIED_POST = 403;		// signed out, POST: "Your session has ended" (nothing to redirect to)
const NO = 403;				// refused by role (the dispatcher; audited as action "access")

// The enrollment steps for A's Global admin: A has submitted (approved) its reseller
// enrollment, so every step sends them back to the status page.
const ENROLLED = '303 /enroll';

/* eslint-disable no-multi-spaces */
const EXPECT = {
  //                  OUT                                       GA    ACC   UA    AA    SA    HA    BA    OTHER
  HOME:              [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  HEALTHZ:           [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  SIGNIN:            [200,                                      '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', null],
  SIGNIN_POST:       [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  // issue 15: a signed-in user opening Create one goes to the overview
  SIGNUP:            [200,                                      '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', null],
  SIGNUP_POST:       [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  SIGNUP_CONFIRM:    [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  SIGNUP_CONFIRM_POST: [400,                                    400,  400,  400,  400,  400,  400,  400,  null],
  SIGNOUT_POST:      [DENIED_POST, ...Array(7).fill('303 /signin?m=signed-out'),                              null],
  FORGOT:            [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  FORGOT_POST:       [...Array(8).fill('303 /password/forgot?m=reset-sent'),                                   null],
  RESET:             [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  RESET_POST:        [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  // issue 18: the visitors' language menu (no language: the browser's, back to the overview)
  // and the user's own language (none given: the browser's)
  LANGUAGE_POST:     [...Array(8).fill('303 /'),                                                             null],
  ACCOUNT_LANG_POST: [DENIED_POST, ...Array(7).fill('303 /account?m=language-saved'),                       null],

  // Your account: anyone signed in; the password form with the right current password.
  ACCOUNT:           [SIGNIN('/account'),                       200,  200,  200,  200,  200,  200,  200,  null],
  ACCOUNT_PW_POST:   [DENIED_POST, ...Array(7).fill('303 /account?m=password-updated'),                       null],
  // issue 15: anyone signed in chooses their own time zone (here: back to the default)
  ACCOUNT_ZONE_POST: [DENIED_POST, ...Array(7).fill('303 /account?m=time-zone-saved'),                        null],
  // ... and an operator's, in the console (partners: refused as on every console page)
  OP_TIME_ZONE:      ['303 /operator/signin?next=/operator/time-zone', NO, NO, NO, NO, NO, NO, NO,   null],
  OP_TIME_ZONE_POST: [DENIED_POST,                              NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  // issue 18: ... and an operator's language beside it
  OP_LANGUAGE_POST:  [DENIED_POST,                              NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  // issue 12, the sessions list: anyone signed in ends a session of their own (the id is a
  // fresh session of the asker's own user; OTHER gets one of a user of A: 404) or all but
  // the current one. Signing a user out everywhere: USER_SESSIONS_END (Global admin).
  SESSION_END_POST:  [DENIED_POST, ...Array(7).fill('303 /account?m=session-ended'),                          404],
  SESSIONS_END_OTHERS_POST: [DENIED_POST, ...Array(7).fill('303 /account?m=sessions-ended'),                  null],

  // issue 12: multi-factor sign-in. The code page without the password step's challenge
  // cookie: back to the password (a signed-in user's GET: home). The user's own MFA pages:
  // anyone signed in (REQUESTS starts a setup first where the page needs one pending); a
  // wrong code shows the form again (422); re-authentication with the right password goes
  // home. Settings -> Security: SECURITY_MANAGE (Global admin).
  SIGNIN_CODE:       ['303 /signin?next=/', ...Array(7).fill('303 /'),                                      null],
  SIGNIN_CODE_POST:  [...Array(8).fill('303 /signin?next=/'),                                             null],
  ACCOUNT_MFA:       [SIGNIN('/account/mfa'),                   200,  200,  200,  200,  200,  200,  200,  null],
  ACCOUNT_MFA_START_POST: [DENIED_POST, ...Array(7).fill('303 /account/mfa'),                             null],
  ACCOUNT_MFA_QR:    [SIGNIN('/account/mfa/qr.svg'),            200,  200,  200,  200,  200,  200,  200,  null],
  ACCOUNT_MFA_POST:  [DENIED_POST,                              422,  422,  422,  422,  422,  422,  422,  null],
  ACCOUNT_MFA_RECOVERY_POST: [DENIED_POST, ...Array(7).fill('303 /account/mfa'),                          null],
  ACCOUNT_MFA_DISABLE: [SIGNIN('/account/mfa/disable'),         200,  200,  200,  200,  200,  200,  200,  null],
  ACCOUNT_MFA_DISABLE_POST: [DENIED_POST, ...Array(7).fill('303 /account/mfa?m=mfa-disabled'),            null],
  ACCOUNT_REAUTH:    [SIGNIN('/account/reauth'),                200,  200,  200,  200,  200,  200,  200,  null],
  ACCOUNT_REAUTH_POST: [DENIED_POST, ...Array(7).fill('303 /?m=reauth-done'),                              null],
  SECURITY:          [SIGNIN('/settings/security'),             200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  SECURITY_POST:     [DENIED_POST, '303 /settings/security?m=security-saved', NO, NO, NO, NO, NO, NO,      null],

  // Enrollment. /enroll and /enroll/account are public; the steps need ENROLL (Global admin).
  // /enroll/account answers a signed-in user without ENROLL itself: 403 "A Global admin must
  // enroll" (audited as enrollment.start refused).
  ENROLL:            [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  ENROLL_ACCOUNT:    [200,                                      ENROLLED, 403, 403, 403, 403, 403, 403, null],
  ENROLL_MPN:        [SIGNIN('/enroll/mpn'),                    ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_POST:   [DENIED_POST,                              ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_PW:     [SIGNIN('/enroll/mpn/password'),           ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_PW_POST: [DENIED_POST,                             ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_PICK:   [SIGNIN('/enroll/mpn/profiles'),           ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_PICK_POST: [DENIED_POST,                           ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_CANCEL: [DENIED_POST,                              ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_MPN_SKIP:   [DENIED_POST,                              ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_PROFILE:    [SIGNIN('/enroll/profile'),                ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],
  ENROLL_PROFILE_POST: [DENIED_POST,                            ENROLLED, NO, NO,  NO,   NO,   NO,   NO,   null],

  // The primary contact's verification link. Without a token every asker gets the
  // "link not valid" page (400); the routes are public, so no role is refused.
  VERIFY:            [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  VERIFY_POST:       [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  VERIFY_DONE:       [200,                                      200,  200,  200,  200,  200,  200,  200,  null],

  // Organization profile: PROFILE_VIEW (not Sales or Helpdesk agents); editing and linking
  // MPN IDs PROFILE_EDIT (Global admin, Account admin).
  PROFILE:           [SIGNIN('/settings/profile'),              200,  200,  200,  200,  NO,   NO,   200,  null],
  PROFILE_LEGAL:     [SIGNIN('/settings/profile/legal'),        200,  200,  NO,   NO,   NO,   NO,   NO,   null],
  PROFILE_LEGAL_POST: [DENIED_POST, '303 /settings/profile?m=profile-saved', '303 /settings/profile?m=profile-saved', NO, NO, NO, NO, NO, null],
  PROFILE_RESEND_POST: [DENIED_POST, '303 /settings/profile?m=verification-sent', '303 /settings/profile?m=verification-sent', NO, NO, NO, NO, NO, null],
  PROFILE_MPN:       [SIGNIN('/settings/profile/mpn'),          200,  200,  NO,   NO,   NO,   NO,   NO,   null],
  PROFILE_MPN_POST:  [DENIED_POST, '303 /settings/profile/mpn/password', '303 /settings/profile/mpn/password', NO, NO, NO, NO, NO, null],
  PROFILE_MPN_PW:    [SIGNIN('/settings/profile/mpn/password'), 200,  200,  NO,   NO,   NO,   NO,   NO,   null],
  PROFILE_MPN_PW_POST: [DENIED_POST, '303 /settings/profile/mpn/profiles', '303 /settings/profile/mpn/profiles', NO, NO, NO, NO, NO, null],
  PROFILE_MPN_PICK:  [SIGNIN('/settings/profile/mpn/profiles'), 200,  200,  NO,   NO,   NO,   NO,   NO,   null],
  PROFILE_MPN_PICK_POST: [DENIED_POST, '303 /settings/profile?m=mpn-linked', '303 /settings/profile?m=mpn-linked', NO, NO, NO, NO, NO, null],
  PROFILE_MPN_CANCEL: [DENIED_POST, '303 /settings/profile/mpn', '303 /settings/profile/mpn', NO, NO, NO, NO, NO, null],

  // A new user's emailed set-password link: without a token, "link not valid" (400) for all.
  SET_PASSWORD:      [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  SET_PASSWORD_POST: [400,                                      400,  400,  400,  400,  400,  400,  400,  null],

  USERS:             [SIGNIN('/settings/users'),                200,  200,  200,  200,  403,  403,  403,  null],
  USER_NEW:          [SIGNIN('/settings/users/new'),            200,  403,  200,  200,  403,  403,  403,  null],
  USER_NEW_POST:     [DENIED_POST, '303 /settings/users?m=user-added', 403, '303 /settings/users?m=user-added', '303 /settings/users?m=user-added', 403, 403, 403, null],
  USER:              [SIGNIN('/settings/users/*'),              200,  200,  200,  200,  403,  403,  403,  404],
  USER_POST:         [DENIED_POST, '303 /settings/users/*',     403, '303 /settings/users/*', '303 /settings/users/*', 403, 403, 403, 404],
  USER_RESET:        [SIGNIN('/settings/users/*'),              200,  403,  200,  200,  403,  403,  403,  404],
  USER_RESET_POST:   [DENIED_POST, '303 /settings/users/*',     403, '303 /settings/users/*', '303 /settings/users/*', 403, 403, 403, 404],
  USER_DELETE:       [SIGNIN('/settings/users/*'),              200,  403,  200,  200,  403,  403,  403,  404],
  USER_DELETE_POST:  [DENIED_POST, '303 /settings/users?m=user-deleted', 403, '303 /settings/users?m=user-deleted', '303 /settings/users?m=user-deleted', 403, 403, 403, 404],
  ROLES:             [SIGNIN('/settings/roles'),                200,  200,  200,  200,  200,  200,  200,  null],
  AUDIT:             [SIGNIN('/settings/audit'),                200,  403,  403,  403,  403,  403,  403,  null],
  AUDIT_CSV:         [SIGNIN('/settings/audit.csv'),            200,  403,  403,  403,  403,  403,  403,  null],
  // issue 12: a Global admin signs a user out everywhere; the MFA compliance view and its CSV (MFA_REPORT).
  USER_SESSIONS_POST: [DENIED_POST, '303 /settings/users/*',    NO,   NO,   NO,   NO,   NO,   NO,   404],
  MFA_COMPLIANCE:    [SIGNIN('/settings/security/compliance'),  200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  MFA_COMPLIANCE_CSV: [SIGNIN('/settings/security/compliance.csv'), 200, NO, NO,  NO,   NO,   NO,   NO,   null],
  // a Global admin resets a user's multi-factor sign-in (MFA_RESET; the id: a user of A with MFA set up)
  USER_MFA_RESET:    [SIGNIN('/settings/users/*'),              200,  NO,   NO,   NO,   NO,   NO,   NO,   404],
  USER_MFA_RESET_POST: [DENIED_POST, '303 /settings/users/*',   NO,   NO,   NO,   NO,   NO,   NO,   404],

  // The partner agreement: anyone signed in reads it; only a Global admin accepts.
  AGREEMENT:         [SIGNIN('/agreement'),                     200,  200,  200,  200,  200,  200,  200,  null],
  AGREEMENT_POST:    [DENIED_POST,                              '303 /', NO, NO, NO,   NO,   NO,   NO,   null],

  // Indirect resellers (F_PROVIDER): RESELLERS_VIEW (not User admin, Billing admin);
  // inviting, one invitation, Resend, Revoke: RESELLERS_INVITE (GA, ACC, AA).
  RESELLERS:         [SIGNIN('/resellers'),                     200,  200,  NO,   200,  200,  200,  NO,   null],
  // issue 15, item 11: one reseller by relationship id, with the list's permission
  RESELLER:          [SIGNIN('/resellers/*'),                   200,  200,  NO,   200,  200,  200,  NO,   404],
  RESELLER_INVITE:   [SIGNIN('/resellers/invite'),              200,  200,  NO,   200,  NO,   NO,   NO,   null],
  RESELLER_INVITE_POST: [DENIED_POST, '303 /resellers/invitations/*', '303 /resellers/invitations/*', NO, '303 /resellers/invitations/*', NO, NO, NO, null],
  INVITATION:        [SIGNIN('/resellers/invitations/*'),       200,  200,  NO,   200,  NO,   NO,   NO,   404],
  INVITATION_RESEND_POST: [DENIED_POST, '303 /resellers/invitations/*', '303 /resellers/invitations/*', NO, '303 /resellers/invitations/*', NO, NO, NO, 404],
  INVITATION_REVOKE_POST: [DENIED_POST, '303 /resellers?m=invitation-revoked', '303 /resellers?m=invitation-revoked', NO, '303 /resellers?m=invitation-revoked', NO, NO, NO, 404],
  // issue 15: Resend and Revoke ask first (GET: the confirmation page)
  INVITATION_RESEND: [SIGNIN('/resellers/invitations/resend/*'), 200, 200, NO, 200, NO, NO, NO, 404],
  INVITATION_REVOKE: [SIGNIN('/resellers/invitations/revoke/*'), 200, 200, NO, 200, NO, NO, NO, 404],

  // Indirect providers (F_RESELLER): PROVIDERS_VIEW; Remove administrator access: Global admin.
  PROVIDERS:         [SIGNIN('/providers'),                     200,  200,  NO,   200,  200,  200,  NO,   null],
  PROVIDER_REMOVE_ACCESS: [SIGNIN('/providers/remove-access/*'), 200, NO,   NO,   NO,   NO,   NO,   NO,   404],
  PROVIDER_REMOVE_ACCESS_POST: [DENIED_POST, '303 /providers?m=admin-access-removed', NO, NO, NO, NO, NO, NO, 404],

  // The invitation link's landing page is public: without a token, "open the link in the
  // email again" (400, audited as provider.authorize refused, no-link) for everyone.
  AUTHORIZE:         [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  // Accepting needs PROVIDERS_AUTHORIZE (GA, ACC): the other roles are refused by the
  // dispatcher before the token is looked at; GA and ACC, without a token, get the no-link
  // page (400).
  AUTHORIZE_POST:    [DENIED_POST,                              400,  400,  NO,   NO,   NO,   NO,   NO,   null],
  FIND_PROVIDER:     [200,                                      200,  200,  200,  200,  200,  200,  200,  null],

  // issue 7: customers and orders (SPEC §2.6). The rows assume the matrix's world: A and B are
  // approved indirect providers AND resellers (issue7() below makes sure of it). CUSTOMERS_VIEW:
  // every role but User admin; ORDERS_PLACE: Global admin, Admin agent, Sales agent (F_PROVIDER);
  // CUSTOMERS_INVITE: Global admin, Account admin, Admin agent, Sales agent (F_RESELLER_APPROVED);
  // accepting a customer invitation: CUSTOMER_ACCEPT (Global admin) — without a link, 400. The
  // landing page and Create one are public: without a link, 400 for everyone.
  CUSTOMERS:         [SIGNIN('/customers'),                     200,  200,  403,  200,  200,  200,  200,  null],
  CUSTOMER:          [SIGNIN('/customers/*'),                   200,  200,  403,  200,  200,  200,  200,  404],
  ORDER:             [SIGNIN('/customers/*'),                   200,  403,  403,  200,  200,  403,  403,  404],
  ORDER_POST:        [DENIED_POST, '303 /customers/*',          403,  403, '303 /customers/*', '303 /customers/*', 403, 403, 404],
  // issue 15: the order review (writes nothing; 200 with the review for who may order)
  ORDER_REVIEW_POST: [DENIED_POST,                              200,  403,  403,  200,  200,  403,  403,  404],
  PROVIDER_CUSTOMERS: [SIGNIN('/providers/*'),                  200,  200,  403,  200,  200,  200,  200,  404],
  CUSTOMER_INVITE_FORM: [SIGNIN('/providers/*'),                200,  200,  403,  200,  200,  403,  403,  404],
  CUSTOMER_INVITE_FORM_POST: [DENIED_POST, '303 /providers/customer-invitations/*', '303 /providers/customer-invitations/*', 403,
    '303 /providers/customer-invitations/*', '303 /providers/customer-invitations/*', 403, 403, 404],
  CUSTOMER_INVITATION: [SIGNIN('/providers/customer-invitations/*'), 200, 200, 403, 200, 200, 403, 403, 404],
  CUSTOMER_INVITATION_REVOKE_POST: [DENIED_POST, '303 /providers/*', '303 /providers/*', 403, '303 /providers/*', '303 /providers/*', 403, 403, 404],
  CUSTOMER_INVITATION_REVOKE: [SIGNIN('/providers/customer-invitations/revoke/*'), 200, 200, 403, 200, 200, 403, 403, 404],
  CUSTOMER_INVITE:   [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  CUSTOMER_INVITE_POST: [DENIED_POST,                           400,  403,  403,  403,  403,  403,  403,  null],
  CUSTOMER_ORG_NEW:  [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  CUSTOMER_ORG_NEW_POST: [400,                                  400,  400,  400,  400,  400,  400,  400,  null],

  // issue 13: delegated administration. DELEGATED_ADMIN_VIEW / _REQUEST: Global admin, Account
  // admin, Admin agent; answering (DELEGATED_ADMIN_APPROVE): Global admin — without a link, 400.
  // The landing page is public: without a link, 400 for everyone.
  DA_LIST:           [SIGNIN('/delegated-admin'),               200,  200,  403,  200,  403,  403,  403,  null],
  DA_NEW:            [SIGNIN('/delegated-admin/new'),           200,  200,  403,  200,  403,  403,  403,  null],
  DA_NEW_POST:       [DENIED_POST, '303 /delegated-admin/*', '303 /delegated-admin/*', 403, '303 /delegated-admin/*', 403, 403, 403, null],
  DA_ONE:            [SIGNIN('/delegated-admin/*'),             200,  200,  403,  200,  403,  403,  403,  404],
  DA_RESEND_POST:    [DENIED_POST, '303 /delegated-admin/*', '303 /delegated-admin/*', 403, '303 /delegated-admin/*', 403, 403, 403, 404],
  DA_WITHDRAW_POST:  [DENIED_POST, '303 /delegated-admin/*', '303 /delegated-admin/*', 403, '303 /delegated-admin/*', 403, 403, 403, 404],
  // terminating A's active grant (A is the partner: its users who may ask)
  DA_TERMINATE:      [SIGNIN('/delegated-admin/terminate/*'),   200,  200,  403,  200,  403,  403,  403,  404],
  DA_TERMINATE_POST: [DENIED_POST, '303 /delegated-admin/*', '303 /delegated-admin/*', 403, '303 /delegated-admin/*', 403, 403, 403, 404],
  // acting as partner: Admin agents (and Global admins: DELEGATED_ADMIN_ACT), under A's active grant; stopping: anyone signed in
  DA_ACT_POST:       [DENIED_POST, '303 /settings/users', 403, 403, '303 /settings/users', 403, 403, 403, null],
  DA_STOP_POST:      [DENIED_POST, ...Array(7).fill('303 /delegated-admin'),                                 null],
  DA_RESPOND:        [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  DA_RESPOND_POST:   [DENIED_POST,                              400,  403,  403,  403,  403,  403,  403,  null],
  // the relationship center (DELEGATED_ADMIN_VIEW): the organization's own relationships, whoever acts where
  RELATIONSHIPS:     [SIGNIN('/relationships'),                 200,  200,  403,  200,  403,  403,  403,  null],
  RELATIONSHIPS_CSV: [SIGNIN('/relationships.csv'),             200,  200,  403,  200,  403,  403,  403,  null],
  // its bulk actions: the confirmation and the per-row POST, each row authorized by its single action's rules
  RC_BULK_EXTEND:    [`${SIGNIN('/relationships/bulk/extend')}*`,     200,  200,  403,  200,  403,  403,  403,  null],
  RC_BULK_EXTEND_POST: [DENIED_POST,                            200,  200,  403,  200,  403,  403,  403,  null],
  RC_BULK_TERMINATE: [`${SIGNIN('/relationships/bulk/terminate')}*`,  200,  200,  403,  200,  403,  403,  403,  null],
  RC_BULK_TERMINATE_POST: [DENIED_POST,                         200,  200,  403,  200,  403,  403,  403,  null],
  RC_BULK_RESEND:    [`${SIGNIN('/relationships/bulk/resend')}*`,     200,  200,  403,  200,  403,  403,  403,  null],
  RC_BULK_RESEND_POST: [DENIED_POST,                            200,  200,  403,  200,  403,  403,  403,  null],
  // issue 13: one timeline per relationship (RELATIONSHIP_TIMELINE: whoever opens Relationships); B's Global admin: 404
  REL_TIMELINE_RESELLER:  [SIGNIN('/relationships/reseller/*'),  200, 200, 403, 200, 403, 403, 403, 404],
  REL_TIMELINE_CUSTOMER:  [SIGNIN('/relationships/customer/*'),  200, 200, 403, 200, 403, 403, 403, 404],
  REL_TIMELINE_DELEGATED: [SIGNIN('/relationships/delegated/*'), 200, 200, 403, 200, 403, 403, 403, 404],
  // issue 13: partner user groups (USER_GROUPS_MANAGE: Global admin); B's Global admin: 404
  GROUPS:            [SIGNIN('/settings/groups'),               200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  GROUPS_POST:       [DENIED_POST, '303 /settings/groups/*',    NO,   NO,   NO,   NO,   NO,   NO,   null],
  GROUP:             [SIGNIN('/settings/groups/*'),             200,  NO,   NO,   NO,   NO,   NO,   NO,   404],
  GROUP_POST:        [DENIED_POST, '303 /settings/groups/*',    NO,   NO,   NO,   NO,   NO,   NO,   404],
  GROUP_DELETE_POST: [DENIED_POST, '303 /settings/groups',      NO,   NO,   NO,   NO,   NO,   NO,   404],
  DA_GROUPS_POST:    [DENIED_POST, '303 /delegated-admin/*',    NO,   NO,   NO,   NO,   NO,   NO,   404],
  // issue 19: the program owner's console. Its sign-in is public (a partner's form answers
  // 422 without fields); every other console page needs an operator permission, which no
  // partner role has: a partner's session is refused (403, audited as "access"). The operator
  // column (OPERATOR_EXPECT, below) says what reviewers and admins get.
  OP_SIGNIN:         [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  OP_SIGNIN_POST:    [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  OP_HOME:           ['303 /operator/signin?next=/operator',    NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_ENROLLMENTS:    ['303 /operator/signin?next=/operator/enrollments', NO, NO, NO, NO, NO, NO, NO,  null],
  OP_ENROLLMENT:     ['303 /operator/signin?next=/operator/enrollments/*', NO, NO, NO, NO, NO, NO, NO, NO],
  OP_ENROLLMENT_APPROVE_POST: [DENIED_POST,                     NO,   NO,   NO,   NO,   NO,   NO,   NO,   NO],
  OP_ENROLLMENT_REJECT_POST: [DENIED_POST,                      NO,   NO,   NO,   NO,   NO,   NO,   NO,   NO],
  OP_ENROLLMENT_RESEND_POST: [DENIED_POST,                      NO,   NO,   NO,   NO,   NO,   NO,   NO,   NO],
  OP_PARTNERS:       ['303 /operator/signin?next=/operator/partners', NO, NO, NO, NO, NO, NO, NO,     null],
  OP_PARTNER:        ['303 /operator/signin?next=/operator/partners/*', NO, NO, NO, NO, NO, NO, NO,   NO],
  OP_REL_END_POST:   [DENIED_POST,                              NO,   NO,   NO,   NO,   NO,   NO,   NO,   NO],
  OP_AGREEMENT:      ['303 /operator/signin?next=/operator/agreement', NO, NO, NO, NO, NO, NO, NO,    null],
  OP_AGREEMENT_PREVIEW_POST: [DENIED_POST,                      NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_AGREEMENT_PUBLISH_POST: [DENIED_POST,                      NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_AGREEMENT_VERSION: ['303 /operator/signin?next=/operator/agreement/*', NO, NO, NO, NO, NO, NO, NO, NO],
  OP_AGREEMENT_CSV:  ['303 /operator/signin?next=/operator/agreement/*', NO, NO, NO, NO, NO, NO, NO,  NO],
  OP_AUDIT:          ['303 /operator/signin?next=/operator/audit', NO, NO, NO, NO, NO, NO, NO,        null],
  OP_MAIL:           ['303 /operator/signin?next=/operator/mail', NO, NO, NO, NO, NO, NO, NO,         null],
  OP_MAIL_RETRY_POST: [DENIED_POST,                             NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_DIRECTORIES:    ['303 /operator/signin?next=/operator/directories', NO, NO, NO, NO, NO, NO, NO,  null],
  OP_DIRECTORY_PREVIEW_POST: [DENIED_POST,                      NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_DIRECTORY_IMPORT_POST: [DENIED_POST,                       NO,   NO,   NO,   NO,   NO,   NO,   NO,   null],
  OP_DASHBOARD:      ['303 /operator/signin?next=/operator/dashboard', NO, NO, NO, NO, NO, NO, NO,    null],
  OP_DASHBOARD_CSV:  ['303 /operator/signin?next=/operator/dashboard.csv', NO, NO, NO, NO, NO, NO, NO, null],
  // issue 14: Settings -> API (API_MANAGE: Global admins) and the JSON API. An API row's
  // askers are credentials instead of sessions: OUT has none (401), each role column a
  // credential of A carrying that role alone, OTHER one of B's Global admin (see askApi).
  API_KEYS:          [SIGNIN('/settings/api'),                  200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  API_KEY_NEW:       [SIGNIN('/settings/api/new'),              200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  API_KEY_NEW_POST:  [DENIED_POST,                              201,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  API_KEY_REVOKE_POST: [DENIED_POST, '303 /settings/api?m=key-revoked', NO, NO, NO, NO, NO,   NO,   404],
  API_OPENAPI:       [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  API_ME:            [401,                                      200,  200,  200,  200,  200,  200,  200,  null],
  API_USERS:         [401,                                      200,  200,  200,  200,  NO,   NO,   NO,   null],
  API_USER_ADD_POST: [401,                                      202,  NO,   202,  202,  NO,   NO,   NO,   null],
  API_USER:          [401,                                      200,  200,  200,  200,  NO,   NO,   NO,   404],
  API_USER_ROLES_POST: [401,                                    200,  NO,   200,  200,  NO,   NO,   NO,   404],
  API_USER_DELETE_POST: [401,                                   204,  NO,   204,  204,  NO,   NO,   NO,   404],
  API_RESELLERS:     [401,                                      200,  200,  NO,   200,  200,  200,  NO,   null],
  API_RESELLER_AGREEMENT: [401,                                 200,  200,  NO,   200,  200,  200,  NO,   404],
  API_PROVIDERS:     [401,                                      200,  200,  NO,   200,  200,  200,  NO,   null],
  API_AGREEMENT:     [401,                                      200,  200,  200,  200,  200,  200,  200,  null],
  API_INVITATIONS:   [401,                                      200,  200,  NO,   200,  NO,   NO,   NO,   null],
  API_INVITATION_ADD_POST: [401,                                201,  201,  NO,   201,  NO,   NO,   NO,   null],
  API_INVITATION_RESEND_POST: [401,                             200,  200,  NO,   200,  NO,   NO,   NO,   404],
  API_INVITATION_REVOKE_POST: [401,                             200,  200,  NO,   200,  NO,   NO,   NO,   404],
  // issue 14: Settings -> Webhooks (WEBHOOKS_MANAGE: Global admins; making one asks for fresh proof)
  WEBHOOKS:          [SIGNIN('/settings/webhooks'),             200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  WEBHOOK_NEW:       [SIGNIN('/settings/webhooks/new'),         200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  WEBHOOK_NEW_POST:  [DENIED_POST,                              201,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  WEBHOOK:           [SIGNIN('/settings/webhooks/*'),           200,  NO,   NO,   NO,   NO,   NO,   NO,   404],
  WEBHOOK_DISABLE_POST: [DENIED_POST, '303 /settings/webhooks/*', NO, NO,   NO,   NO,   NO,   NO,   404],
  WEBHOOK_ENABLE_POST: [DENIED_POST, '303 /settings/webhooks/*', NO,  NO,   NO,   NO,   NO,   NO,   404],
  WEBHOOK_DELETE_POST: [DENIED_POST, '303 /settings/webhooks?m=webhook-deleted', NO, NO, NO, NO, NO, NO, 404],
  WEBHOOK_RESEND_POST: [DENIED_POST, '303 /settings/webhooks/*', NO,  NO,   NO,   NO,   NO,   NO,   404],
  // issue 14, the API's further resources: customers as /customers (CUSTOMERS_VIEW), a
  // reseller's customer invitations as /providers/#/invite-customer (CUSTOMERS_INVITE,
  // F_RESELLER_APPROVED); "#" as for the pages (issue7()).
  API_CUSTOMERS:     [401,                                      200,  200,  NO,   200,  200,  200,  200,  null],
  API_CUSTOMER:      [401,                                      200,  200,  NO,   200,  200,  200,  200,  404],
  API_CUSTOMER_SUBS: [401,                                      200,  200,  NO,   200,  200,  200,  200,  404],
  API_CINVS:         [401,                                      200,  200,  NO,   200,  200,  NO,   NO,   404],
  API_CINV_ADD_POST: [401,                                      201,  201,  NO,   201,  201,  NO,   NO,   404],
  API_CINV:          [401,                                      200,  200,  NO,   200,  200,  NO,   NO,   404],
  API_CINV_REVOKE_POST: [401,                                   200,  200,  NO,   200,  200,  NO,   NO,   404],
  // orders as Place order (ORDERS_PLACE, F_PROVIDER): a new Idempotency-Key for each asker
  API_ORDER_POST:    [401,                                      201,  NO,   NO,   201,  201,  NO,   NO,   404],
  // the audit log as /settings/audit (AUDIT_VIEW: Global admins)
  API_AUDIT:         [401,                                      200,  NO,   NO,   NO,   NO,   NO,   NO,   null],
  // delegated admin relationships as /delegated-admin (DELEGATED_ADMIN_VIEW), read-only
  API_DAS:           [401,                                      200,  200,  NO,   200,  NO,   NO,   NO,   null],
  API_DA:            [401,                                      200,  200,  NO,   200,  NO,   NO,   NO,   404],
  // issue 14 (session 7): the relationship center's list as /relationships (DELEGATED_ADMIN_VIEW)
  API_RELATIONSHIPS: [401,                                      200,  200,  NO,   200,  NO,   NO,   NO,   null],
  // delegated admin writes as the pages: request, resend, withdraw (DELEGATED_ADMIN_REQUEST), terminate (DELEGATED_ADMIN_VIEW)
  API_DA_REQUEST_POST: [401,                                    201,  201,  NO,   201,  NO,   NO,   NO,   null],
  API_DA_RESEND_POST: [401,                                     200,  200,  NO,   200,  NO,   NO,   NO,   404],
  API_DA_WITHDRAW_POST: [401,                                   200,  200,  NO,   200,  NO,   NO,   NO,   404],
  API_DA_TERMINATE_POST: [401,                                  200,  200,  NO,   200,  NO,   NO,   NO,   404],
};

// How another organization's id is refused, per kind of object in a "#" path: the path
// prefix, and the audit entry the handler writes in the asker's (B's) log.
const OBJECT_KINDS = [
  { kind: 'user', prefix: '/settings/users/', target: 'user #%', detail: 'no such user in this organization' },
  // issue 12: one of the asker's own sessions ('/account/sessions/end/#')
  { kind: 'session', prefix: '/account/sessions/', target: 'session %', detail: 'not one of your sessions' },
  { kind: 'invitation', prefix: '/resellers/invitations/', target: 'invitation %', detail: "another organization's invitation" },
  // issue 7: customers, customer invitations; '/providers/#/customers', '/providers/#/invite-customer'
  // and '/providers/remove-access/#' name relationships (the most general prefix comes last).
  { kind: 'customer', prefix: '/customers/', target: 'customer %', detail: "not this organization's customer" },
  { kind: 'customer invitation', prefix: '/providers/customer-invitations/', target: 'customer invitation %', detail: "another organization's invitation" },
  { kind: 'relationship', prefix: '/providers/', target: 'relationship %', detail: "another organization's relationship" },
  // issue 13: '/delegated-admin/#', '/delegated-admin/resend/#', '/delegated-admin/withdraw/#'
  { kind: 'delegated admin relationship', prefix: '/delegated-admin/', target: 'delegated admin relationship %', detail: "another organization's delegated admin relationship" },
  // issue 19: the console's ids are the program's (any organization's): a partner of any
  // organization is refused by the console's wall (403), not by an object check (404).
  { kind: 'enrollment (console)', prefix: '/operator/enrollments/', console: true },
  { kind: 'partner (console)', prefix: '/operator/partners/', console: true },
  { kind: 'relationship (console)', prefix: '/operator/relationships/', console: true },
  { kind: 'agreement version (console)', prefix: '/operator/agreement/', console: true },
  // issue 14: an API credential of Settings -> API; a user asked through the JSON API
  { kind: 'api credential', prefix: '/settings/api/', target: 'api credential %', detail: 'not in this organization' },
  { kind: 'api user', prefix: '/api/v1/users/', target: 'user %', detail: 'not in this organization' },
  { kind: 'api reseller mpn', prefix: '/api/v1/resellers/', target: 'reseller mpn %', detail: 'not in this organization' },
  { kind: 'api invitation', prefix: '/api/v1/reseller-invitations/', target: 'invitation %', detail: 'not in this organization' },
  // issue 14: a webhook delivery, a webhook endpoint (the longer prefix first)
  { kind: 'webhook delivery', prefix: '/settings/webhooks/deliveries/', target: 'webhook delivery %', detail: 'not in this organization' },
  { kind: 'webhook endpoint', prefix: '/settings/webhooks/', target: 'webhook endpoint %', detail: 'not in this organization' },
  { kind: 'api customer', prefix: '/api/v1/customers/', target: 'customer organization %', detail: 'not in this organization' },
  { kind: 'api relationship', prefix: '/api/v1/providers/', target: 'relationship %', detail: 'not in this organization' },
  { kind: 'api customer invitation', prefix: '/api/v1/customer-invitations/', target: 'customer invitation %', detail: 'not in this organization' },
  { kind: 'api delegated admin relationship', prefix: '/api/v1/delegated-admin/', target: 'delegated admin relationship %', detail: 'not in this organization' },
  // issue 15, item 11: '/resellers/#' names a relationship of the provider (after '/resellers/invitations/')
  { kind: 'reseller relationship', prefix: '/resellers/', target: 'reseller relationship %', detail: "another organization's relationship" },
  // issue 13: a relationship's timeline ('/relationships/<kind>/#': "<kind> relationship <id>")
  { kind: 'relationship timeline', prefix: '/relationships/', target: '% relationship %', detail: 'a relationship of other organizations' },
  // issue 13: a user group ('/settings/groups/#', '/settings/groups/#/delete')
  { kind: 'user group', prefix: '/settings/groups/', target: 'user group %', detail: "not one of this organization's groups" },
];
const kindOf = (path) => OBJECT_KINDS.find((k) => path.startsWith(k.prefix));

const PMC_USER = 'pmc@authz-a.example';
const PMC_PASSWORD = 'Authz-PMC-2025';
const PMC_CSV = [
  'pmc_username,pmc_password,mpn_id,company_name,country,status',
  `${PMC_USER},${PMC_PASSWORD},6300001,Authz A GmbH,DE,active`,
  `${PMC_USER},,6300002,Authz A Services GmbH,DE,active`,
  '',
].join('\n');

/** The legal profile form as a real user fills it in (the contact address stays the same). */
const LEGAL = {
  legal_name: 'Authz A GmbH', address1: 'Teststraße 1', address2: '', city: 'Berlin', state: '',
  postal_code: '10115', contact_first: 'Conny', contact_last: 'Contact', contact_email: 'contact@authz-a.example',
  contact_phone: '+49 30 555 0100', support_email: 'support@authz-a.example', support_phone: '+49 30 555 0199',
  support_website: 'https://support.authz-a.example',
};

// What a request to a route needs beyond "the path, with # = VICTIM, and a CSRF token":
//   body(t)         the form fields (t: the test's world: t.unique(), t.victim, ...)
//   id(t)           an async function giving the id to put in the path
//   prepare(t, who) an async function run before each request (who: 'OUT', a role id, 'OTHER')
//   fresh           ask from a new session of the same user (for routes that end the session)
const REQUESTS = {
  // Empty on purpose: a real sign-in or Create one would replace the asker's session (and
  // failed sign-ins would soon be throttled), so these show the form again (422) for all.
  SIGNIN_POST: { body: () => ({}) },
  FORGOT_POST: { body: () => ({ email: 'vic@authz-a.example' }) },
  // No roles: every user manager may grant that (nobody grants a role they do not hold).
  // issue 15: a role is required; each asker grants one it holds (GA all, UA and AA their own)
  USER_NEW_POST: { body: (t, who) => ({ name: 'New Person', email: `${t.unique()}@authz-a.example`,
    'roles[]': [who === 'ADMIN_AGENT' ? 'admin_agent' : 'user_admin'] }) },
  USER_POST: { body: () => ({ 'roles[]': ['helpdesk_agent'] }) },
  USER_DELETE_POST: { id: (t) => t.freshVictim() },
  // A user of A with a second factor (as if set up), a new one for each asker.
  USER_MFA_RESET: { id: (t) => t.freshMfaUser() },
  USER_MFA_RESET_POST: { id: (t) => t.freshMfaUser() },
  SIGNOUT_POST: { fresh: true },

  // The same password again (allowed); "others" unticked, so that the askers' sessions of
  // the rest of the test live on (with it ticked the answer is the same 303).
  ACCOUNT_PW_POST: { fresh: true, body: () => ({ current: PASSWORD, password: PASSWORD, password2: PASSWORD }) },
  ACCOUNT_ZONE_POST: { body: () => ({ time_zone: '' }) },
  // issue 12: a new session of the asker's own user (signed in from another browser); OTHER
  // gets a session of a user of A who asks nothing else (so it must still be there at the end).
  SESSION_END_POST: { id: (t, who) => t.sessionFor(who) },

  // issue 12: pages that need a pending MFA setup of the asker start one first; the
  // organization's requirement stays off (turning it on would send every asker to setup).
  ACCOUNT_MFA_QR: { prepare: (t, who) => startMfa(t, who) },
  ACCOUNT_MFA_POST: { prepare: (t, who) => startMfa(t, who), body: () => ({ code: '000000' }) },
  ACCOUNT_MFA_DISABLE: { prepare: (t, who) => startMfa(t, who) },
  ACCOUNT_REAUTH_POST: { body: () => ({ password: PASSWORD }) },
  SECURITY_POST: { body: () => ({}) },

  ENROLL_MPN_POST: { body: () => ({ pmc_user: PMC_USER }) },
  ENROLL_MPN_PW_POST: { body: () => ({ pmc_password: PMC_PASSWORD }) },
  ENROLL_MPN_PICK_POST: { body: () => ({ mpn_id: '6300002' }) },
  ENROLL_PROFILE_POST: { body: () => ({ ...LEGAL, action: 'enroll' }) },
  // ENROLL_MPN_CANCEL, ENROLL_MPN_SKIP, PROFILE_RESEND_POST, PROFILE_MPN_CANCEL: their real
  // forms carry nothing but the CSRF token.

  // The form without a token: the two statements ticked, no t (and no landing cookie).
  VERIFY_POST: { body: () => ({ confirm_signup: 'yes', confirm_company: 'yes' }) },

  PROFILE_LEGAL_POST: { body: () => ({ ...LEGAL }) },
  PROFILE_MPN_POST: { body: () => ({ pmc_user: PMC_USER }) },
  // The later steps need the earlier ones done by the asker: the PMC user name in the
  // organization's draft and, for the profiles, this user signed in to PMC a moment ago.
  PROFILE_MPN_PW: { prepare: (t, who) => t.pmcSignedIn(who, false) },
  PROFILE_MPN_PW_POST: { prepare: (t, who) => t.pmcSignedIn(who, false), body: () => ({ pmc_password: PMC_PASSWORD }) },
  PROFILE_MPN_PICK: { prepare: (t, who) => t.pmcSignedIn(who, true) },
  PROFILE_MPN_PICK_POST: { prepare: (t, who) => t.pmcSignedIn(who, true), body: () => ({ mpn_id: '6300002' }) },

  // Without a token (see the table); the set-password form as a new user fills it in.
  SET_PASSWORD_POST: { body: () => ({ password: 'a brand new password', password2: 'a brand new password' }) },
  RESET_POST: { body: () => ({ password: 'a brand new password', password2: 'a brand new password' }) },

  AGREEMENT_POST: {
    body: (t) => ({ first: 'Gale', last: 'Admin', email: 'ga@authz-a.example', phone: '+49 30 555 0111', title: 'Managing Director', accept: 'yes', version: t.agreementVersion }),
  },

  RESELLER_INVITE_POST: { body: (t) => ({ email: `${t.unique()}@reseller.example`, message: 'Let us work together.' }) },
  INVITATION: { id: (t) => t.invitation },
  RESELLER: { id: (t) => (t.resellerRel ??= F.relate(stack, t.aProvider, F.bulkPartners(stack, { prefix: `authz-res-${t.unique()}-`, names: ['Reseller of A'], type: 'indirect_reseller' })[0], { since: now() })) },
  INVITATION_RESEND_POST: { id: (t) => t.invitation },
  INVITATION_RESEND: { id: (t) => t.invitation },
  INVITATION_REVOKE: { id: (t) => t.invitation },
  // Revoking ends an invitation: a new pending one for each asker.
  INVITATION_REVOKE_POST: { id: (t) => t.freshInvitation() },
  PROVIDER_REMOVE_ACCESS: { id: (t) => t.providerRel },
  // Removing ends the access: a new relationship (with a new provider) for each asker.
  PROVIDER_REMOVE_ACCESS_POST: { id: (t) => t.freshProviderRel() },
  AUTHORIZE_POST: { body: () => ({ confirm: 'yes' }) },

  // issue 7: customers and orders. Every route's id function first makes the objects it needs
  // (issue7(), once): "#" is A's shared customer, A's relationship as a reseller, or A's
  // customer invitation. Each Place order is a real order (a new order key each time).
  CUSTOMERS: { id: (t) => issue7(t).then(() => 0) },
  CUSTOMER: { id: (t) => issue7(t).then((w) => w.customer) },
  ORDER: { id: (t) => issue7(t).then((w) => w.customer) },
  ORDER_POST: {
    id: (t) => issue7(t).then((w) => w.customer),
    body: (t) => ({ reseller: t.i7?.reseller ?? 0, mpn_id: t.i7?.mpn ?? '', offer: 'AUTHZ-7', quantity: '1', order_key: `authz7-${t.unique()}-0123456789abcdef` }),
  },
  ORDER_REVIEW_POST: {
    id: (t) => issue7(t).then((w) => w.customer),
    body: (t) => ({ reseller: t.i7?.reseller ?? 0, mpn_id: t.i7?.mpn ?? '', offer: 'AUTHZ-7', quantity: '2', order_key: `authz15-${t.unique()}-0123456789abcdef` }),
  },
  PROVIDER_CUSTOMERS: { id: (t) => issue7(t).then((w) => w.rel) },
  CUSTOMER_INVITE_FORM: { id: (t) => issue7(t).then((w) => w.rel) },
  CUSTOMER_INVITE_FORM_POST: { id: (t) => issue7(t).then((w) => w.rel), body: (t) => ({ email: `${t.unique()}@customer.example`, message: '', delegated_admin: 'yes' }) },
  CUSTOMER_INVITATION: { id: (t) => issue7(t).then((w) => w.invitation) },
  // Revoking ends an invitation: a new pending one for each asker.
  CUSTOMER_INVITATION_REVOKE_POST: { id: (t) => issue7(t).then((w) => w.freshInvitation()) },
  CUSTOMER_INVITATION_REVOKE: { id: (t) => issue7(t).then((w) => w.invitation) },
  CUSTOMER_INVITE_POST: { body: () => ({ confirm: 'yes' }) },
  // issue 13: A (as a partner of issue7's customer) asks it; "#" is a pending request of A's,
  // a new one for each asker where the action ends it.
  DA_NEW_POST: { id: (t) => issue7(t).then(() => 0),
    body: (t) => ({ other: String(t.i7?.customer ?? 0), name: `Authz ${t.unique()}`, days: '30', 'roles[]': ['user_admin'], message: '' }) },
  DA_ONE: { id: (t) => issue7(t).then(() => daRequest(t)) },
  DA_RESEND_POST: { id: (t) => issue7(t).then(() => daRequest(t)) },
  DA_WITHDRAW_POST: { id: (t) => issue7(t).then(() => daRequest(t, true)) },
  DA_RESPOND_POST: { body: () => ({ decision: 'approve' }) },
  DA_TERMINATE: { id: (t) => issue7(t).then(() => daActive(t, true)) },
  DA_TERMINATE_POST: { id: (t) => issue7(t).then(() => daActive(t, true)), body: () => ({ reason: 'Authz test' }) },
  // the Relationships page's bulk actions: a ticked grant of A's (query for the confirmation), the
  // rows the confirmation carries (item[]: id and version) with a reason; a fresh grant where it ends
  RC_BULK_EXTEND: { query: (t) => issue7(t).then(() => `?sel[]=da-${daActive(t)}`) },
  RC_BULK_TERMINATE: { query: (t) => issue7(t).then(() => `?sel[]=da-${daActive(t)}`) },
  RC_BULK_RESEND: { query: (t) => issue7(t).then(() => `?sel[]=da-${daRequest(t)}`) },
  RC_BULK_EXTEND_POST: { prepare: (t) => issue7(t), body: (t) => ({ 'item[]': [bulkItem(daActive(t))] }) },
  RC_BULK_TERMINATE_POST: { prepare: (t) => issue7(t), body: (t) => ({ 'item[]': [bulkItem(daActive(t, true))], reason: 'Authz bulk' }) },
  RC_BULK_RESEND_POST: { prepare: (t) => issue7(t), body: (t) => ({ 'item[]': [bulkItem(daRequest(t, true))] }) },
  // a new session (acting would change what the asker's later requests mean), A's active grant
  DA_ACT_POST: { fresh: true, id: (t) => issue7(t).then(() => 0), body: (t) => ({ rel: String(daActive(t)) }) },
  CUSTOMER_ORG_NEW_POST: { body: (t) => ({ org: 'New Customer', domain: `${t.unique()}.customer.example`, country: 'DE', name: 'New Person',
    email: `${t.unique()}@customer.example`, password: PASSWORD, password2: PASSWORD }) },
  // issue 14: a credential with the Global admin's own role; a fresh credential of A to revoke;
  // the API's JSON bodies (json) and headers.
  API_KEY_NEW_POST: { body: (t) => ({ name: `matrix ${t.unique()}`, days: '30', 'roles[]': ['global_admin'] }) },
  API_KEY_REVOKE_POST: { id: async () => (await F.apiCredential(stack, { tenant: world.tenantA })).id },
  // issue 14: webhooks of A (a fresh endpoint for each asker where the action deletes it)
  WEBHOOK_NEW_POST: { body: () => ({ url: 'https://hooks.invalid/authz', 'events[]': ['user.added'] }) },
  WEBHOOK: { id: () => endpointFixture(stack, world.tenantA) },
  WEBHOOK_DISABLE_POST: { id: () => endpointFixture(stack, world.tenantA) },
  WEBHOOK_ENABLE_POST: { id: () => endpointFixture(stack, world.tenantA) },
  WEBHOOK_DELETE_POST: { id: () => endpointFixture(stack, world.tenantA) },
  WEBHOOK_RESEND_POST: { id: async () => Number(db.value(stack, 'SELECT id FROM webhook_deliveries WHERE endpoint_id = ?', await endpointFixture(stack, world.tenantA))) },
  // issue 15: a role is required; each asker grants one it holds (GA all, UA and AA their own)
  API_USER_ADD_POST: { json: (t, who) => ({ name: 'Api Person', email: `${t.unique()}@authz-a.example`,
    roles: [who === 'ADMIN_AGENT' ? 'admin_agent' : 'user_admin'] }) },
  API_USER_ROLES_POST: { json: () => ({ roles: ['helpdesk_agent'] }), headers: { 'if-match': '"r32"' } },
  API_USER_DELETE_POST: { id: (t) => t.freshVictim() },
  // a reseller of A's with an MPN ID (its organization's), for the agreement status
  API_RESELLER_AGREEMENT: { id: (t) => {
    const [r] = F.bulkPartners(stack, { prefix: `authz-mpn-${t.unique()}-`, names: ['Reseller with MPN'], mpn: true });
    F.relate(stack, t.aProvider, r);
    return Number(db.value(stack, 'SELECT m.mpn_id FROM tenant_mpn_ids m JOIN partner_accounts a ON a.tenant_id = m.tenant_id WHERE a.id = ?', r));
  } },
  API_INVITATION_ADD_POST: { json: (t) => ({ email: `${t.unique()}@reseller.example` }) },
  API_INVITATION_RESEND_POST: { id: (t) => t.freshInvitation() },
  API_INVITATION_REVOKE_POST: { id: (t) => t.freshInvitation() },
  API_CUSTOMERS: { id: (t) => issue7(t).then(() => 0) },
  API_CUSTOMER: { id: (t) => issue7(t).then((w) => w.customer) },
  API_CUSTOMER_SUBS: { id: (t) => issue7(t).then((w) => w.customer) },
  API_CINVS: { id: (t) => issue7(t).then((w) => w.rel) },
  API_CINV_ADD_POST: { id: (t) => issue7(t).then((w) => w.rel), json: (t) => ({ email: `${t.unique()}@customer.example` }) },
  API_CINV: { id: (t) => issue7(t).then((w) => w.invitation) },
  API_CINV_REVOKE_POST: { id: (t) => issue7(t).then((w) => w.freshInvitation()) },
  API_ORDER_POST: { id: (t) => issue7(t).then((w) => w.customer),
    json: (t) => ({ reseller_account_id: t.i7?.reseller ?? 0, mpn_id: t.i7?.mpn ?? '000000', offer_id: 'AUTHZ-7', quantity: 1 }),
    headers: (t) => ({ 'idempotency-key': `authz-order-${t.unique()}` }) },
  API_DA: { id: (t) => issue7(t).then(() => daRequest(t)) },
  // issue 14 (session 7): A asks issue7's customer (a new name for each asker); "#" as for the pages
  API_DA_REQUEST_POST: { id: (t) => issue7(t).then(() => 0),
    json: (t) => ({ organization_id: t.i7?.customer ?? 0, name: `Authz api ${t.unique()}`, duration_days: 30, roles: ['user_admin'] }) },
  API_DA_RESEND_POST: { id: (t) => issue7(t).then(() => daRequest(t)) },
  API_DA_WITHDRAW_POST: { id: (t) => issue7(t).then(() => daRequest(t, true)) },
  API_DA_TERMINATE_POST: { id: (t) => issue7(t).then(() => daActive(t, true)), json: () => ({ reason: 'Authz test' }) },
  // issue 13: A's relationship as a reseller, A's relationship with the shared customer, A's request
  REL_TIMELINE_RESELLER: { id: (t) => issue7(t).then((w) => w.rel) },
  REL_TIMELINE_CUSTOMER: { id: (t) => issue7(t).then((w) => Number(db.value(stack, `SELECT min(c.id) FROM customer_relationships c
    JOIN partner_accounts a ON a.id = c.partner_id WHERE a.tenant_id = ? AND c.customer_tenant_id = ?`, t.tenantA, w.customer))) },
  REL_TIMELINE_DELEGATED: { id: (t) => issue7(t).then(() => daRequest(t)) },
  // issue 13: a user group of A (a fresh one where the action deletes it), A's pending request
  GROUPS_POST: { body: (t) => ({ name: `Group ${t.unique()}` }) },
  GROUP: { id: () => userGroup() },
  GROUP_POST: { id: () => userGroup(), body: (t) => ({ action: 'rename', name: `Renamed ${t.unique()}` }) },
  GROUP_DELETE_POST: { id: () => userGroup(true) },
  DA_GROUPS_POST: { id: (t) => issue7(t).then(() => daRequest(t)), body: () => ({ group: String(userGroup()), assign: '1' }) },
};

/** issue 13: a user group of A (fresh: a new one; else one kept). */
let keptGroup = 0;
function userGroup(fresh = false) {
  if (keptGroup && !fresh) return keptGroup;
  const id = Number(db.exec(stack, 'INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id',
    world.tenantA, `Authz group ${F.now()}-${Math.random().toString(36).slice(2)}`, F.now())[0].id);
  if (!fresh) keptGroup = id;
  return id;
}


/**
 * issue 7: what the customer routes need, made once (each step skipped when the world has it):
 * A and B approved providers and resellers; A related (as a reseller) to a provider; a reseller
 * of A (as a provider) with an MPN ID; the agreement accepted by A and that reseller; a
 * customer organization shared by A's two accounts and that reseller; an offer; and A's pending
 * customer invitation.
 */
async function issue7(t) {
  if (t.i7) return t.i7;
  for (const domain of ['authz-a.example', 'authz-b.example']) {
    F.partnerAccount(stack, { domain, type: 'indirect_provider', status: 'approved' });
    F.partnerAccount(stack, { domain, type: 'indirect_reseller', status: 'approved' });
  }
  const account = (tenant, type) => F.partnerAccountId(stack, tenant, type);
  const aProvider = account(t.tenantA, 'indirect_provider'), aReseller = account(t.tenantA, 'indirect_reseller');
  let rel = t.providerRel;
  if (!rel) {
    const [provider] = F.bulkPartners(stack, { prefix: 'authz7-prov-', names: ['Provider of A (7)'], type: 'indirect_provider' });
    rel = F.relate(stack, provider, aReseller);
  }
  const [reseller] = F.bulkPartners(stack, { prefix: 'authz7-res-', names: ['Reseller of A (7)'], type: 'indirect_reseller', mpn: true });
  F.relate(stack, aProvider, reseller);
  const resellerTenant = Number(db.value(stack, 'SELECT tenant_id FROM partner_accounts WHERE id = ?', reseller));
  const mpn = db.value(stack, 'SELECT mpn_id FROM tenant_mpn_ids WHERE tenant_id = ?', resellerTenant);
  // the agreement (unless one is published), accepted by A and that reseller
  F.publishAgreement(stack, 'authz-7', { body: 'The agreement.', ifNone: true });
  const versionId = F.maxAgreementId(stack);
  for (const tenant of [t.tenantA, resellerTenant]) {
    F.acceptAgreement(stack, tenant, { versionId, first: 'Gale', last: 'Admin', email: 'ga@authz-a.example', phone: '+49 30 555 0111',
      title: 'CEO', userId: 1, ip: '', ifAbsent: true });
  }
  const customer = F.newTenant(stack, { name: 'Customer of A (7)', domain: 'authz7-customer.example', country: 'DE', kind: 'customer' });
  F.customerRelationships(stack, customer, [aProvider, aReseller, reseller], { delegatedAdmin: 1 });
  F.offer(stack, { id: 'AUTHZ-7', name: 'Authz Offer', unit: 'user/month', priceCents: 100, currency: 'USD' });
  const invite = async () => {
    const res = await t.admin.submit(`/providers/${rel}/invite-customer`, { email: `${t.unique()}@customer.example`, message: '' });
    assert.equal(res.status, 303, `customer invitation: ${res.status}`);
    return Number(/^\/providers\/customer-invitations\/(\d+)\?/.exec(res.location)[1]);
  };
  t.i7 = { rel, customer, reseller, mpn, invitation: await invite(), freshInvitation: invite };
  return t.i7;
}
/* eslint-enable no-multi-spaces */

/** issue 13: an active delegated admin relationship of A with issue7's customer (User admin, 30 days). */
function daActive(t, fresh = false) {
  if (t.daActive && !fresh) return t.daActive;
  const at = F.now();
  db.exec(stack, `INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles, duration_days,
    state, created_at, sent_at, request_expires_at, answered_at, approved_at, expires_at) VALUES (?, ?, 'customer', ?,
    4, 30, 'active', ?, ?, ?, ?, ?, ?)`, t.tenantA, t.i7.customer, `Authz grant ${t.unique()}`, at, at, at, at, at, at + 30 * 86400);
  const id = Number(db.value(stack, 'SELECT max(id) FROM delegated_admins'));
  if (!fresh) t.daActive = id;
  return id;
}

/** issue 13: a delegated admin relationship as a bulk action's confirmation carries it ("da-ID.VERSION"). */
function bulkItem(id) {
  const d = db.one(stack, 'SELECT state, request_expires_at, expires_at FROM delegated_admins WHERE id = ?', id);
  const states = ['pending', 'active', 'expired', 'declined', 'withdrawn', 'terminated'];
  const t = d.state === 'pending' ? Number(d.request_expires_at) : Number(d.expires_at ?? 0);
  return `da-${id}.${BigInt(states.indexOf(d.state)) * 10000000000n + BigInt(t)}`;
}

/** issue 13: a pending delegated admin request of A to issue7's customer (fresh: a new one; else one kept). */
function daRequest(t, fresh = false) {
  if (!fresh && t.da) return t.da;
  const at = F.now();
  db.exec(stack, `INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles, duration_days,
    created_at, sent_at, request_expires_at) VALUES (?, ?, 'customer', ?, 4, 30, ?, ?, ?)`,
  t.tenantA, t.i7.customer, `Authz request ${t.unique()}`, at, at, at + 90 * 86400);
  const id = Number(db.value(stack, 'SELECT max(id) FROM delegated_admins'));
  if (!fresh) t.da = id;
  return id;
}

/** [{ id, method, path, perm, flags }] from src/web/routes.def. */
function parseRoutes() {
  const text = readFileSync(join(ROOT, 'src/web/routes.def'), 'utf8');
  const routes = [];
  for (const line of text.split('\n')) {
    const m = /^ROUTE\(\s*(\w+)\s*,\s*(GET|POST)\s*,\s*"([^"]*)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*([^)]*)\)/.exec(line);
    if (m) routes.push({ id: m[1], method: m[2], path: m[3], perm: m[5], flags: m[6].trim() });
    else assert.ok(!/^\s*ROUTE\(/.test(line), `cannot read this routes.def line: ${line}`);
  }
  return routes;
}

/** Role ids and keys from src/domain/roles.def, in bit order. */
function parseRoles() {
  const text = readFileSync(join(ROOT, 'src/domain/roles.def'), 'utf8');
  return [...text.matchAll(/^ROLE\(\s*(\w+)\s*,\s*(\d+)\s*,\s*"(\w+)"/gm)]
    .map((m) => ({ id: m[1], bit: Number(m[2]), key: m[3] }))
    .sort((a, b) => a.bit - b.bit);
}

const ROUTES = parseRoutes();
const ROLES = parseRoles();
/** Permissions that every signed-in user (or anyone) has: a 403 there is the handler's. */
const OPEN_PERMS = new Set(['PUBLIC', 'SIGNED_IN']);

test('the matrix names every route of routes.def, and only those', () => {
  const inTable = new Set(Object.keys(EXPECT));
  const inDef = new Set(ROUTES.map((r) => r.id));
  const missing = [...inDef].filter((id) => !inTable.has(id));
  const stale = [...inTable].filter((id) => !inDef.has(id));
  assert.deepEqual(missing, [], `routes without a row in EXPECT (tests/integration/authz.test.mjs): ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `EXPECT rows for routes that routes.def no longer has: ${stale.join(', ')}`);
  assert.equal(ROUTES.length, inDef.size, 'route ids are unique');
  for (const id of Object.keys(REQUESTS)) assert.ok(inDef.has(id), `REQUESTS names an unknown route ${id}`);
  for (const r of ROUTES) {
    const row = EXPECT[r.id];
    assert.equal(row.length, 2 + ROLE_COLUMNS.length, `${r.id}: one value per column`);
    if (r.path.includes('#')) {
      assert.notEqual(row.at(-1), null, `${r.id}: a path with an id needs the OTHER column`);
      assert.ok(kindOf(r.path), `${r.id}: add the kind of object of ${r.path} to OBJECT_KINDS`);
    } else {
      assert.equal(row.at(-1), null, `${r.id}: OTHER is only for paths with an id`);
    }
  }
});

test("the matrix's role columns are the roles of roles.def", () => {
  assert.deepEqual(ROLES.map((r) => r.id), ROLE_COLUMNS);
});

let stack;
const world = {};
let serial = 0;
const { now } = F;

/** A pending invitation of A's provider account, sent through Invite reseller by A's Global admin. */
async function inviteAsA() {
  const res = await world.admin.submit('/resellers/invite', { email: `${world.unique()}@reseller.example`, message: '' });
  if (res.status !== 303) throw new Error(`invite: ${res.status} ${errorsOf(res.text).join('; ')}`);
  return Number(/^\/resellers\/invitations\/(\d+)\?/.exec(res.location)[1]);
}

/** Starts an MFA setup (a pending secret) for the asker `who` (issue 12). */
async function startMfa(t, who) {
  if (who === 'OUT') return;
  const { client } = who === 'OTHER' ? t.other : t.as[who];
  const csrf = csrfOf((await client.get('/account/mfa')).text);
  const res = await client.post('/account/mfa/start', { csrf });
  assert.equal(res.status, 303, `MFA setup of ${who}`);
}

/** A new approved provider (no users) related to A's reseller account; returns the relationship id. */
function relateProviderToA() {
  const [provider] = F.bulkPartners(stack, { prefix: `authz-prov-${world.unique()}-`, names: ['Provider of A'], type: 'indirect_provider' });
  return F.relate(stack, provider, world.aReseller, { since: now() });
}

before(async () => {
  stack = await startStack();
  // Organization A: a Global admin (who signed it up) and one user per other role.
  const ga = new Client(stack.base);
  await ga.signup({ org: 'Authz A', domain: 'authz-a.example', email: 'ga@authz-a.example', name: 'Gale Admin' });
  world.admin = ga;
  world.as = { GLOBAL_ADMIN: { client: ga, email: 'ga@authz-a.example' } };
  for (const role of ROLES.slice(1)) {
    const email = `${role.key.replace('_', '-')}@authz-a.example`;
    await addUser(ga, { name: role.id, email, roles: [role.key] });
    world.as[role.id] = { client: await activate(stack, email), email };
  }
  for (const who of Object.values(world.as)) who.id = F.userId(stack, who.email);
  const { id } = await addUser(ga, { name: 'Vic Victim', email: 'vic@authz-a.example', roles: ['helpdesk_agent'] });
  world.victim = id;
  // Organization B: its Global admin is the "other organization" asker.
  const other = new Client(stack.base);
  await other.signup({ org: 'Authz B', domain: 'authz-b.example', email: 'ga@authz-b.example', name: 'Otto Other' });
  world.other = { client: other, email: 'ga@authz-b.example' };
  world.tenantA = F.tenantId(stack, 'authz-a.example');
  world.tenantB = F.tenantId(stack, 'authz-b.example');
  world.unique = () => `u${++serial}`;
  world.freshVictim = async () => (await addUser(ga, { name: 'Short Lived', email: `${world.unique()}@authz-a.example`, roles: ['helpdesk_agent'] })).id;
  world.freshMfaUser = async () => {
    const id = await world.freshVictim();
    db.exec(stack, 'UPDATE users SET mfa_secret = randomblob(60), mfa_enabled_at = ? WHERE id = ?', F.now(), id);
    return id;
  };

  // Both organizations: approved indirect provider and approved indirect reseller.
  for (const domain of ['authz-a.example', 'authz-b.example']) {
    F.partnerAccount(stack, { domain, type: 'indirect_provider', status: 'approved' });
    F.partnerAccount(stack, { domain, type: 'indirect_reseller', status: 'approved' });
  }
  world.aProvider = F.partnerAccountId(stack, world.tenantA, 'indirect_provider');
  world.aReseller = F.partnerAccountId(stack, world.tenantA, 'indirect_reseller');
  // A's legal profile and support details; the primary contact has not verified this address.
  F.setPartnerSupport(stack, { tenant: world.tenantA, email: LEGAL.support_email, phone: LEGAL.support_phone,
    website: LEGAL.support_website, submittedAt: now() });
  F.legalProfile(stack, world.tenantA, {
    legal_name: LEGAL.legal_name, address1: LEGAL.address1, city: LEGAL.city, postal_code: LEGAL.postal_code,
    contact_first: LEGAL.contact_first, contact_last: LEGAL.contact_last, contact_email: LEGAL.contact_email, contact_phone: LEGAL.contact_phone,
  });
  // The PMC copy: A's PMC account with two profiles; the first is A's linked MPN ID.
  const imp = importCsv(stack, PMC_CSV, 'authz-pmc.csv');
  assert.equal(imp.code, 0, imp.stderr);
  world.pmcId = Number(db.value(stack, 'SELECT id FROM pmc_accounts WHERE username = ?', PMC_USER));
  F.linkMpnId(stack, world.tenantA, '6300001');
  // The agreement, published by the operator.
  const file = join(stack.data, 'authz-mpa.txt');
  writeFileSync(file, 'The partner agreement.\n\nSecond paragraph.\n');
  const pub = stack.ctl('mpa', 'publish', file, '--version', '2025-01');
  assert.equal(pub.code, 0, pub.stderr);
  world.agreementVersion = Number(db.value(stack, 'SELECT id FROM agreement_versions WHERE version = ?', '2025-01'));
  // A's own partners: a reseller (A as provider) and a provider (A as reseller), and a
  // pending invitation.
  const [reseller] = F.bulkPartners(stack, { prefix: 'authz-res-', names: ['Reseller of A'], type: 'indirect_reseller' });
  F.relate(stack, world.aProvider, reseller, { since: now() });
  world.providerRel = relateProviderToA();
  world.freshProviderRel = async () => relateProviderToA();
  world.invitation = await inviteAsA();
  world.freshInvitation = inviteAsA;

  // "who has done the earlier steps of Link your MPN ID": the PMC user name in A's draft
  // and, with signedIn, `who` signed in to PMC just now (the row the password step writes).
  // issue 12: a session for SESSION_END_POST (see REQUESTS).
  world.sessionFor = async (who) => {
    if (who === 'OUT') return world.victim;
    let email;
    if (who === 'OTHER') {
      email = `${world.unique()}@authz-a.example`;
      await addUser(ga, { name: 'Session Keeper', email, roles: ['helpdesk_agent'] });
      await activate(stack, email);
    } else {
      email = world.as[who].email;
      assert.equal((await new Client(stack.base).signin(email, PASSWORD)).status, 303);
    }
    return Number(db.value(stack, 'SELECT max(s.id) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ?', email));
  };
  // issue 14: an API credential per asker (each role alone in A; B's Global admin role for OTHER).
  world.api = {};
  world.apiName = {};
  for (const role of ROLES) {
    const c = await F.apiCredential(stack, { tenant: world.tenantA, roles: [role.key] });
    world.api[role.id] = c.secret;
    world.apiName[role.id] = c.name;
  }
  world.api.OTHER = (await F.apiCredential(stack, { tenant: world.tenantB, roles: ['global_admin'] })).secret;
  world.pmcSignedIn = async (who, signedIn) => {
    const user = world.as[who]?.id;
    const pmc = signedIn && user ? { pmcId: world.pmcId, pmcUserId: user, pmcAt: now() } : {};
    F.enrollmentDraft(stack, world.tenantA, { fields: `pmc_user=${encodeURIComponent(PMC_USER)}`, ...pmc });
  };
});

after(() => stopChecked(stack));

/** Does the answer match the expectation (a status, or '303 /x' / '303 /x*')? */
function matches(res, want) {
  if (typeof want === 'number') return res.status === want;
  const [status, loc] = want.split(' ');
  if (res.status !== Number(status)) return false;
  return loc.endsWith('*') ? (res.location || '').startsWith(loc.slice(0, -1)) : res.location === loc;
}

function describe(res) {
  return res.location ? `${res.status} ${res.location}` : String(res.status);
}

/** A client asking as `who`; a fresh session of the same user when the route ends it. */
async function asker(who, spec) {
  if (who === 'OUT') return new Client(stack.base);
  const { client, email } = who === 'OTHER' ? world.other : world.as[who];
  if (!spec.fresh) return client;
  const c = new Client(stack.base);
  const res = await c.signin(email, PASSWORD);
  assert.equal(res.status, 303, `fresh sign-in of ${email}`);
  return c;
}

/** Ids put in paths for OTHER, per route: A's objects B must not have touched. */
const givenToOther = {};

/** An API route asked with `who`'s credential (none for OUT), JSON body and headers from REQUESTS. */
async function askApi(route, who, spec, path) {
  const secret = who === 'OUT' ? null : world.api[who];
  return call(stack.base, secret, route.method, path, { json: spec.json ? spec.json(world, who) : undefined, headers: typeof spec.headers === 'function' ? spec.headers(world) : spec.headers });
}

async function ask(route, who) {
  const spec = REQUESTS[route.id] || {};
  if (route.flags.includes('F_API')) {
    const id = spec.id ? await spec.id(world, who) : world.victim;
    if (who === 'OTHER') givenToOther[route.id] = id;
    return askApi(route, who, spec, route.path.replace('#', String(id)));
  }
  const c = await asker(who, spec);
  const id = spec.id ? await spec.id(world, who) : world.victim;
  if (who === 'OTHER') givenToOther[route.id] = id;
  if (spec.prepare) await spec.prepare(world, who);
  const path = route.path.replace('#', String(id));
  if (route.method === 'GET') return c.get(path + (spec.query ? await spec.query(world, who) : ''));
  const csrf = csrfOf((await c.get('/')).text);
  assert.ok(csrf, `a CSRF token for ${who}`);
  return c.post(path, { csrf, ...(spec.body ? spec.body(world, who) : {}) });
}

const lastAuditId = () => Number(db.value(stack, 'SELECT coalesce(max(id), 0) AS n FROM audit'));
/** Audit rows matching `where` (SQL text with a ? for each value of params). */
const auditCount = (where, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM audit WHERE ${where}`, ...params));

test('every route × signed out, each role alone, another organization', async () => {
  const wrong = [];
  let asked = 0, roleRefusals = 0;
  const OBJECT_KINDS_404 = OBJECT_KINDS.filter((k) => !k.console);
  const otherRefusals = Object.fromEntries(OBJECT_KINDS_404.map((k) => [k.kind, 0]));
  const accessRefused = { tenant_id: world.tenantA, action: 'access', outcome: 'refused' };
  const accessBefore = F.auditCount(stack, accessRefused);
  const otherBefore = Object.fromEntries(OBJECT_KINDS_404.map((k) => [k.kind,
    auditCount("tenant_id = ? AND outcome = 'refused' AND target LIKE ? AND detail = ?", world.tenantB, k.target, k.detail)]));
  for (const route of ROUTES) {
    const row = EXPECT[route.id];
    if (!row) continue;			// the first test names it
    const whos = ['OUT', ...ROLE_COLUMNS, 'OTHER'];
    for (let i = 0; i < whos.length; i++) {
      const want = row[i];
      if (want === null) continue;
      // A refusal by a handler (on a route every signed-in user may open) must be audited too.
      const byHandler = want === 403 && OPEN_PERMS.has(route.perm) && ROLE_COLUMNS.includes(whos[i]);
      const mark = byHandler ? lastAuditId() : 0;
      const res = await ask(route, whos[i]);
      asked++;
      if (!matches(res, want)) wrong.push(`${route.id} (${route.method} ${route.path}) as ${whos[i]}: got ${describe(res)}, want ${want}`);
      else if (byHandler && auditCount("id > ? AND tenant_id = ? AND outcome = 'refused'", mark, world.tenantA) === 0) wrong.push(`${route.id} as ${whos[i]}: refused without an audit entry`);
      // A 403 on a route that needs a permission is the dispatcher's refusal by role (A
      // passes every partner-type gate); on PUBLIC/SIGNED_IN routes a 403 is the handler's.
      if (whos[i] !== 'OUT' && whos[i] !== 'OTHER' && res.status === 403 && !OPEN_PERMS.has(route.perm)) roleRefusals++;
      if (whos[i] === 'OTHER' && res.status === 404) otherRefusals[kindOf(route.path).kind]++;
    }
  }
  assert.deepEqual(wrong, [], `answers that differ from the matrix:\n${wrong.join('\n')}`);
  assert.ok(asked >= ROUTES.length * 8);

  // Each refusal by role is in organization A's audit log.
  assert.equal(F.auditCount(stack, accessRefused) - accessBefore, roleRefusals, 'one "access refused" entry per refusal by role');
  // Each other-organization id is refused in B's log, once per "#" route, for every kind.
  const wantOther = Object.fromEntries(OBJECT_KINDS_404.map((k) => [k.kind, ROUTES.filter((r) => r.path.includes('#') && kindOf(r.path) === k).length]));
  assert.deepEqual(otherRefusals, wantOther, '404 for every "#" route asked by organization B');
  const logged = Object.fromEntries(OBJECT_KINDS_404.map((k) => [k.kind,
    auditCount("tenant_id = ? AND outcome = 'refused' AND target LIKE ? AND detail = ?", world.tenantB, k.target, k.detail) - otherBefore[k.kind]]));
  assert.deepEqual(logged, wantOther, "a refused entry in B's audit log for each of A's ids");
  // The permitted askers' answers were the real thing (the database says so).
  assert.deepEqual(db.rows(stack, 'SELECT tenant_id FROM tenant_mpn_ids WHERE mpn_id = ?', '6300002'), [{ tenant_id: world.tenantA }], 'Settings → Identifiers linked the second profile');
  assert.equal(F.count(stack, 'agreement_acceptances', { tenant_id: world.tenantA, version_id: world.agreementVersion }), 1, 'the Global admin accepted the agreement');
  // (issue 14: the API's revokes are by credentials, revoked_by NULL: counted apart below.)
  assert.deepEqual(db.rows(stack, "SELECT revoked_by FROM reseller_invitations WHERE provider_id = ? AND status = 'revoked' AND revoked_by IS NOT NULL ORDER BY id", world.aProvider),
    ['GLOBAL_ADMIN', 'ACCOUNT_ADMIN', 'ADMIN_AGENT'].map((r) => ({ revoked_by: world.as[r].id })), 'Revoke by exactly the roles with RESELLERS_INVITE');
  assert.equal(F.auditCount(stack, { tenant_id: world.tenantA, action: 'invitation.revoke', outcome: 'ok', actor: ['GLOBAL_ADMIN', 'ACCOUNT_ADMIN', 'ADMIN_AGENT'].map((r) => `api:${world.apiName[r]}`) }), 3,
    'API revoke by exactly the credentials with RESELLERS_INVITE');
  assert.deepEqual(db.rows(stack, 'SELECT admin_removed_by FROM provider_relationships WHERE reseller_id = ? AND admin_access = 0', world.aReseller),
    [{ admin_removed_by: world.as.GLOBAL_ADMIN.id }], 'Remove administrator access by the Global admin only');
  // Organization A's objects are untouched by organization B.
  assert.equal(F.count(stack, 'sessions', { id: givenToOther.SESSION_END_POST }), 1, "B did not end A's session");
  assert.deepEqual(db.rows(stack, 'SELECT tenant_id, roles FROM users WHERE id = ?', world.victim), [{ tenant_id: world.tenantA, roles: 32 }]);
  assert.deepEqual(db.rows(stack, 'SELECT u.tenant_id FROM users u WHERE u.id = ?', givenToOther.USER_DELETE_POST), [{ tenant_id: world.tenantA }]);
  assert.deepEqual(db.rows(stack, 'SELECT provider_id, status, revoked_at FROM reseller_invitations WHERE id = ?', givenToOther.INVITATION_REVOKE_POST),
    [{ provider_id: world.aProvider, status: 'pending', revoked_at: null }]);
  assert.deepEqual(db.rows(stack, 'SELECT reseller_id, status, admin_access FROM provider_relationships WHERE id = ?', givenToOther.PROVIDER_REMOVE_ACCESS_POST),
    [{ reseller_id: world.aReseller, status: 'active', admin_access: 1 }]);
});

test('partner-type gates: a Global admin of an organization without that partner account is refused', async () => {
  // Organization C has no partner account at all: every F_PROVIDER and F_RESELLER route is
  // refused (403, audited "partner type") before any object is looked up.
  const c = new Client(stack.base);
  await c.signup({ org: 'Authz C', domain: 'authz-c.example', email: 'ga@authz-c.example', name: 'Cleo None' });
  const tenantC = F.tenantId(stack, 'authz-c.example');
  const gated = ROUTES.filter((r) => /F_PROVIDER|F_RESELLER/.test(r.flags));
  assert.ok(gated.length >= 9, 'the relationship pages are gated by partner type');
  const ids = { INVITATION: world.invitation, INVITATION_RESEND_POST: world.invitation, INVITATION_REVOKE_POST: world.invitation };
  const wrong = [];
  const cApi = (await F.apiCredential(stack, { tenant: tenantC, roles: ['global_admin'] })).secret;	// issue 14
  const askC = async (route) => {
    const path = route.path.replace('#', String(ids[route.id] ?? world.providerRel));
    if (route.flags.includes('F_API')) return call(stack.base, cApi, route.method, path, { json: REQUESTS[route.id]?.json?.(world) });
    if (route.method === 'GET') return c.get(path);
    return c.post(path, { csrf: csrfOf((await c.get('/')).text), ...(REQUESTS[route.id]?.body?.(world) ?? {}) });
  };
  const partnerTypeRefused = { tenant_id: tenantC, action: 'access', outcome: 'refused', detail: 'partner type' };
  const before = F.auditCount(stack, partnerTypeRefused);
  for (const route of gated) {
    const res = await askC(route);
    if (res.status !== 403) wrong.push(`${route.id} as a Global admin without partner accounts: got ${describe(res)}, want 403`);
  }
  assert.deepEqual(wrong, []);
  assert.equal(F.auditCount(stack, partnerTypeRefused) - before, gated.length);

  // An indirect provider still in review is not an approved provider: F_PROVIDER refuses it.
  F.partnerAccount(stack, { domain: 'authz-c.example', type: 'indirect_provider', status: 'in_review' });
  for (const route of gated.filter((r) => r.flags.includes('F_PROVIDER'))) {
    const res = await askC(route);
    if (res.status !== 403) wrong.push(`${route.id} as a provider in review: got ${describe(res)}, want 403`);
  }
  assert.deepEqual(wrong, []);
  // Nothing of A's changed.
  assert.equal(db.one(stack, 'SELECT status FROM reseller_invitations WHERE id = ?', world.invitation).status, 'pending');
  assert.equal(db.one(stack, 'SELECT admin_access FROM provider_relationships WHERE id = ?', world.providerRel).admin_access, 1);
});

// issue 13: acting as partner. An Admin agent of A opens issue7's customer under A's active
// grant (User admin): every F_DELEGATED route then answers in the customer's organization with
// exactly the granted roles; A's own ids are not found there; once the grant has ended, every
// one of them is refused (403), in both organizations' audit logs.
const ACTING_WITH_GRANT = { USERS: 200, USER_NEW: 200, USER: 200, USER_RESET: 200, USER_DELETE: 200, ROLES: 200, PROFILE: 200, AUDIT: 403, AUDIT_CSV: 403 };
test('acting as partner: every F_DELEGATED route with a grant (its roles, in the other organization) and without one', async () => {
  await issue7(world);
  const grant = daActive(world);
  const delegatedGets = ROUTES.filter((r) => r.flags.includes('F_DELEGATED') && r.method === 'GET');
  assert.deepEqual(delegatedGets.map((r) => r.id).sort(), Object.keys(ACTING_WITH_GRANT).sort(), 'a row per F_DELEGATED GET route');
  const customerUser = F.addUser(stack, { tenant: world.i7.customer, email: 'cu@authz7-customer.example', name: 'Cu Stomer',
    roles: ['helpdesk_agent'], passwordOf: world.as.ADMIN_AGENT.email });
  const c = new Client(stack.base);
  assert.equal((await c.signin(world.as.ADMIN_AGENT.email, PASSWORD)).status, 303);
  assert.equal((await c.submit('/delegated-admin/act', { rel: String(grant) }, '/delegated-admin')).status, 303);
  const wrong = [];
  for (const r of delegatedGets) {
    const res = await c.get(r.path.replace('#', String(customerUser)));
    if (res.status !== ACTING_WITH_GRANT[r.id]) wrong.push(`${r.id} with a grant: got ${describe(res)}, want ${ACTING_WITH_GRANT[r.id]}`);
  }
  assert.deepEqual(wrong, []);
  assert.equal((await c.get(`/settings/users/${world.victim}`)).status, 404, "A's own user is not in the customer's organization");
  // the relationship center is not F_DELEGATED: while acting it lists A's own relationships (the grant asked by A)
  const center = await c.get('/relationships.csv?kind=delegated');
  assert.equal(center.status, 200);
  const grantName = db.value(stack, 'SELECT name FROM delegated_admins WHERE id = ?', grant);
  assert.ok(center.text.includes(`"Asked by you","${grantName}"`), 'the grant, as A sees it');
  // the grant ends: refused everywhere, each refusal in both logs
  db.exec(stack, "UPDATE delegated_admins SET state = 'terminated', ended_at = ? WHERE id = ?", F.now(), grant);
  const ended = () => auditCount("action = 'access' AND outcome = 'refused' AND detail = 'delegated admin ended' AND tenant_id IN (?, ?)", world.tenantA, world.i7.customer);
  const before = ended();
  for (const r of delegatedGets) {
    const res = await c.get(r.path.replace('#', String(customerUser)));
    if (res.status !== 403) wrong.push(`${r.id} without a grant: got ${describe(res)}, want 403`);
  }
  assert.deepEqual(wrong, []);
  assert.equal(ended() - before, 2 * delegatedGets.length);
  // a route that is not F_DELEGATED stays the user's own organization's
  assert.equal((await c.get('/delegated-admin')).status, 200);
});

// issue 13: acting as partner through a user group — a Helpdesk agent of A (no Admin agent)
// is refused until a group of A with them in it is assigned to the grant; then every
// F_DELEGATED route answers with the grant's roles, under that grant only; removing them from
// the group refuses the next request (in both logs).
test('acting as partner with and without a user group: only under the grant the group is assigned to, until removed', async () => {
  await issue7(world);
  const grant = daActive(world, true), other = daActive(world, true);
  const helper = world.as.HELPDESK_AGENT;
  const c = new Client(stack.base);
  assert.equal((await c.signin(helper.email, PASSWORD)).status, 303);
  // issue 13 (review of POST /delegated-admin/act, SIGNED_IN with the decision in the domain):
  // each refusal is audited in the asker's log, on the relationship's timeline; nothing is acted
  const refusedAct = (rel) => auditCount("tenant_id = ? AND actor = ? AND action = 'delegated-admin.act' AND outcome = 'refused'"
    + " AND detail = 'not admin agent' AND rel_kind = 'delegated' AND rel_id = ?", world.tenantA, helper.email, rel);
  const acting = () => db.value(stack, 'SELECT acting_da_id FROM sessions WHERE user_id = ? ORDER BY id DESC LIMIT 1', helper.id);
  assert.equal((await c.submit('/delegated-admin/act', { rel: String(grant) }, '/delegated-admin')).status, 403, 'no group: no Admin agent');
  assert.equal(refusedAct(grant), 1);
  assert.equal(acting(), null);
  const group = userGroup(true);
  db.exec(stack, 'INSERT INTO user_group_members(group_id, user_id) VALUES (?, ?)', group, helper.id);
  assert.equal((await c.submit('/delegated-admin/act', { rel: String(grant) }, '/delegated-admin')).status, 403, 'a group not assigned');
  assert.equal(refusedAct(grant), 2);
  db.exec(stack, 'INSERT INTO delegated_admin_groups(da_id, group_id) VALUES (?, ?)', grant, group);
  assert.equal((await c.submit('/delegated-admin/act', { rel: String(other) }, '/delegated-admin')).status, 403, 'not under another grant');
  assert.equal(refusedAct(other), 1);
  assert.equal(acting(), null);
  assert.equal((await c.submit('/delegated-admin/act', { rel: String(grant) }, '/delegated-admin')).status, 303);
  assert.equal(Number(acting()), grant);
  assert.equal(auditCount("action = 'delegated-admin.act' AND outcome = 'ok' AND rel_kind = 'delegated' AND rel_id = ? AND tenant_id IN (?, ?)",
    grant, world.tenantA, world.i7.customer), 2, 'in both logs');
  const customerUser = Number(db.value(stack, 'SELECT min(id) FROM users WHERE tenant_id = ?', world.i7.customer));
  const delegatedGets = ROUTES.filter((r) => r.flags.includes('F_DELEGATED') && r.method === 'GET');
  const wrong = [];
  for (const r of delegatedGets) {
    const res = await c.get(r.path.replace('#', String(customerUser)));
    if (res.status !== ACTING_WITH_GRANT[r.id]) wrong.push(`${r.id} through the group: got ${describe(res)}, want ${ACTING_WITH_GRANT[r.id]}`);
  }
  assert.deepEqual(wrong, []);
  // out of the group: the next request is refused, in both logs
  db.exec(stack, 'DELETE FROM user_group_members WHERE group_id = ? AND user_id = ?', group, helper.id);
  const ended = () => auditCount("action = 'access' AND outcome = 'refused' AND detail = 'delegated admin ended' AND tenant_id IN (?, ?)", world.tenantA, world.i7.customer);
  const before = ended();
  for (const r of delegatedGets) {
    const res = await c.get(r.path.replace('#', String(customerUser)));
    if (res.status !== 403) wrong.push(`${r.id} out of the group: got ${describe(res)}, want 403`);
  }
  assert.deepEqual(wrong, []);
  assert.equal(ended() - before, 2 * delegatedGets.length);
  assert.equal((await c.submit('/delegated-admin/stop', {}, '/delegated-admin')).status, 303);
});

// ---- issue 19: the operator column ----
// Every route asked by an operator of each role (reviewer, admin), signed in with both
// factors. A console route (an OP_* permission) answers as OPERATOR_EXPECT says; a partner
// route that needs a session is refused (403, audited "access refused" in the program team's
// log), except the second-factor setup and sign-out (F_MFA_SETUP), which every account has.
// Public routes answer operators as anyone (the partners' matrix above).
const OP_COLUMNS = ['reviewer', 'admin'];
/* eslint-disable no-multi-spaces */
const OPERATOR_EXPECT = {
  //                 reviewer          admin
  OP_SIGNIN:         ['303 /operator', '303 /operator'],
  OP_SIGNIN_POST:    [422,             422],
  OP_HOME:           [200,             200],
  OP_ENROLLMENTS:    [200,             200],
  OP_ENROLLMENT:     [200,             200],
  // A's reseller enrollment is approved already: the form that showed "in_review" is stale.
  OP_ENROLLMENT_APPROVE_POST: [409,    409],
  OP_ENROLLMENT_REJECT_POST: [409,     409],
  // ... and not waiting for the contact's verification any more: nothing to resend.
  OP_ENROLLMENT_RESEND_POST: [409,     409],
  OP_PARTNERS:       [200,             200],
  OP_PARTNER:        [200,             200],
  // End relationship: admins only (a fresh relationship of A's each time).
  OP_REL_END_POST:   [NO,              '303 /operator/partners/*'],
  OP_AGREEMENT:      [200,             200],
  // publishing: admins; without fields the form again (422), without a preview 400
  OP_AGREEMENT_PREVIEW_POST: [NO,      422],
  OP_AGREEMENT_PUBLISH_POST: [NO,      400],
  OP_AGREEMENT_VERSION: [200,          200],
  OP_AGREEMENT_CSV:  [200,             200],
  OP_AUDIT:          [200,             200],
  OP_MAIL:           [200,             200],
  OP_MAIL_RETRY_POST: [NO,             '303 /operator/mail?m=mail-retried'],
  OP_DIRECTORIES:    [200,             200],
  // importing: admins; without a kind and a file, 400
  OP_DIRECTORY_PREVIEW_POST: [NO,      400],
  OP_DIRECTORY_IMPORT_POST: [NO,       400],
  OP_DASHBOARD:      [200,             200],
  // issue 15: one's own time zone (here: back to the default, UTC)
  OP_TIME_ZONE:      [200,             200],
  OP_TIME_ZONE_POST: ['303 /operator/time-zone?m=time-zone-saved', '303 /operator/time-zone?m=time-zone-saved'],
  // issue 18: one's own language (here: the browser's)
  OP_LANGUAGE_POST:  ['303 /operator/time-zone?m=language-saved', '303 /operator/time-zone?m=language-saved'],
  // without ?metric=, "choose one of the tables"
  OP_DASHBOARD_CSV:  [400,             400],
};
// What the console's routes are asked with: the id of A's reseller enrollment.
const OP_REQUESTS = {
  OP_ENROLLMENT: { id: (t) => t.aReseller },
  OP_ENROLLMENT_APPROVE_POST: { id: (t) => t.aReseller, body: () => ({ seen: 'in_review' }) },
  OP_ENROLLMENT_REJECT_POST: { id: (t) => t.aReseller, body: () => ({ seen: 'in_review', reason: 'Not this time.' }) },
  OP_ENROLLMENT_RESEND_POST: { id: (t) => t.aReseller },
  OP_PARTNER: { id: (t) => t.tenantA },
  OP_AGREEMENT_VERSION: { id: (t) => t.agreementVersion },
  OP_AGREEMENT_CSV: { id: (t) => t.agreementVersion },
  OP_TIME_ZONE_POST: { body: () => ({ time_zone: '' }) },
  OP_LANGUAGE_POST: { body: () => ({ lang: '' }) },
  OP_REL_END_POST: { id: (t) => t.freshProviderRel(), body: (t) => ({ back: String(t.tenantA), reason: 'Ended by the matrix.' }) },
};
/* eslint-enable no-multi-spaces */

test('the operator column: every route × a reviewer and an admin of the program team', async () => {
  const ops = {};
  for (const role of OP_COLUMNS) ops[role] = await newOperator(stack, { role });
  const teamId = Number(db.value(stack, "SELECT value FROM program_settings WHERE name = 'operator_tenant'"));
  const refused = () => F.auditCount(stack, { tenant_id: teamId, action: 'access', outcome: 'refused' });
  const before = refused();
  const wrong = [];
  let partnerRefusals = 0;
  for (const route of ROUTES) {
    const console = route.perm.startsWith('OP_');
    if (console) assert.ok(OPERATOR_EXPECT[route.id] || route.perm === 'PUBLIC', `${route.id}: add its row to OPERATOR_EXPECT`);
    const row = OPERATOR_EXPECT[route.id];
    if (!row && (route.perm === 'PUBLIC' || route.flags.includes('F_MFA_SETUP'))) continue;
    // The JSON API (issue 14) reads no cookie: an operator's browser session is no credential
    // there, so 401 like anyone without one (not a refusal of the session: nothing audited).
    const api = route.flags.includes('F_API');
    for (let i = 0; i < OP_COLUMNS.length; i++) {
      const want = row ? row[i] : api ? 401 : 403;
      const { c } = ops[OP_COLUMNS[i]];
      const spec = OP_REQUESTS[route.id] || {};
      const path = route.path.replace('#', String(spec.id ? await spec.id(world) : world.victim));
      const res = route.method === 'GET' ? await c.get(path)
        : await c.post(path, { csrf: csrfOf((await c.get('/operator')).text), ...(spec.body ? spec.body(world) : {}) });
      if (!matches(res, want)) wrong.push(`${route.id} (${route.method} ${route.path}) as operator ${OP_COLUMNS[i]}: got ${describe(res)}, want ${want}`);
      if ((!row && !api) || want === NO) partnerRefusals++;	// a partner page, or a console page of the other role
    }
  }
  assert.deepEqual(wrong, [], `answers that differ from the operator column:\n${wrong.join('\n')}`);
  assert.ok(partnerRefusals > 100, 'the partner routes were asked');
  assert.equal(refused() - before, partnerRefusals, 'each refusal (a partner page; an admin\'s page to a reviewer) is in the program team\'s log');
});
