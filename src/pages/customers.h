/* customers.h — what the customer pages share (customers.c, providers_customers.c): the
 * signed-in reseller's relationship with one of its providers, an invitation's state, and a
 * reseller a provider shares a customer with. */
#ifndef PAGES_CUSTOMERS_H
#define PAGES_CUSTOMERS_H

#include <stdint.h>

#include "base/tmpl.h"
#include "domain/customers.h"
#include "web/http.h"

/* Loads the signed-in reseller's active relationship id with one of its providers: 0, or
 * 404 (audited) when it is not one. */
int cust_page_relationship(struct req *r, int64_t id, struct cust_reseller_rel *rel);

/* Appends a reseller a provider shares a customer with to list: { id (its account),
 * tenant_id, name, mpn, agreement (its agreement standing's words) }, *v filled. The row. */
struct tv *cust_reseller_tv(struct req *r, struct tv *list, const struct shared_partner *s, struct agreement_view *v);

/* obj.state_text, obj.tag (the CSS tag class) and obj.pending for an invitation's state. */
void cust_inv_state_tv(struct tv *obj, enum inv_status state);

/* Queues customer invitation inv's email (who invites: the signed-in reseller and inv's
 * provider; the message; the link; its expiry). 0 or -1. */
int cust_send_invitation(struct req *r, const struct customer_invitation *inv);

/* After cust_order_place placed order o (res) for customer at now: the confirmation emails
 * to the provider, the reseller and the customer, and the audit entries of the three
 * organizations (the order form and the API). 0 or -1. */
int cust_order_placed(struct req *r, const struct cust_order *o, const struct cust_order_result *res,
    const struct offer *offer, const struct tenant_row *customer, int64_t now);

/* A customer's Create one, confirmed (signup.c): accepts the invitation of request sr for
 * the organization just created in this transaction (tenant, its Global admin user), with
 * the facts gathered again here, so that one link makes one organization however many
 * Create one were confirmed. 0 when accepted; else the refusal's answer (the caller's
 * transaction rolls back). */
struct signup_request;
int customer_org_accept(struct req *r, const struct signup_request *sr, int64_t tenant, int64_t user);

#endif
