-- bench/scale-customers.sql — bench-scale's customer organizations, one formula for both
-- databases (bench/scale-load.sql: j 1..1,000,000; bench/scale.sh's demo side: a few hundred).
-- Needs the temp tables cust(j, reseller, provider, mpn) (customer j, tenant 200000 + j
-- "Xyzw Customer j", related with its reseller's and its provider's accounts, one subscription
-- under the reseller's MPN ID), cc(k, code) (the countries in order, k from 1) and
-- offer_k(k, offer_id) (the active offers in order, k from 0).
INSERT INTO tenants(id, name, domain, country, kind, created_at)
SELECT 200000 + j,
       char(65 + (j * 7) % 26, 97 + (j * 11) % 26, 97 + (j * 13) % 26, 97 + (j * 17) % 26) || ' Customer ' || j,
       'c' || j || '.scale.example',
       (SELECT code FROM cc WHERE k = 1 + j % (SELECT count(*) FROM cc)),
       'customer', 1710000000 + j
FROM cust;

-- partner_tenant_id and customer_name as store/customers.c writes them (schema section 11)
INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin, partner_tenant_id, customer_name)
SELECT reseller, 200000 + j, 1710000000 + j, j % 2, (SELECT tenant_id FROM partner_accounts WHERE id = reseller),
       (SELECT lower(name) FROM tenants WHERE id = 200000 + j)
FROM cust;
INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin, partner_tenant_id, customer_name)
SELECT provider, 200000 + j, 1710000000 + j, j % 2, (SELECT tenant_id FROM partner_accounts WHERE id = provider),
       (SELECT lower(name) FROM tenants WHERE id = 200000 + j)
FROM cust;

INSERT INTO subscriptions(customer_tenant_id, provider_id, reseller_id, mpn_id, offer_id, quantity, created_at,
                          status, order_key)
SELECT 200000 + j, provider, reseller, mpn,
       (SELECT offer_id FROM offer_k WHERE k = j % (SELECT count(*) FROM offer_k)),
       1 + j % 50, 1720000000 + j, 'active', printf('scale-order-%010d', j)
FROM cust;
