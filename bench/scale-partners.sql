-- bench/scale-partners.sql — bench-scale's partner organizations and their relationships with
-- providers, one formula for both databases: bench/scale-load.sql reads it for the large one
-- (i 1..100,000), bench/scale.sh for the demo side's lists in small (a few hundred i).
-- Needs the temp tables part(i) (which organizations: i <= 10,000 an approved indirect
-- provider "Provider XYZ i", above an approved indirect reseller "Reseller XYZ i", tenant and
-- account 100 + i, MPN ID 7000000 + i), rel(i, p) (reseller i's provider account p) and
-- cc(k, code) (the countries in order, k from 1).
INSERT INTO tenants(id, name, domain, country, kind, created_at)
SELECT 100 + i,
       CASE WHEN i <= 10000 THEN 'Provider ' ELSE 'Reseller ' END
         || char(65 + (i * 7) % 26, 65 + (i * 11) % 26, 65 + (i * 13) % 26) || ' ' || i,
       'p' || i || '.scale.example',
       (SELECT code FROM cc WHERE k = 1 + i % (SELECT count(*) FROM cc)),
       'partner', 1700000000 + i
FROM part;

-- name_key, country, region as store/enroll.c writes them (schema section 11)
INSERT INTO partner_accounts(id, tenant_id, type, status, support_email, support_phone, support_website,
                             created_at, submitted_at, verified_at, decided_at, name_key, country, region)
SELECT 100 + i, 100 + i, CASE WHEN i <= 10000 THEN 'indirect_provider' ELSE 'indirect_reseller' END, 'approved',
       'support@p' || i || '.scale.example', '+1 555 0100', 'https://p' || i || '.scale.example',
       1700000000 + i, 1700000000 + i, 1700000000 + i, 1700000000 + i, lower(t.name), t.country, c.region
FROM part JOIN tenants t ON t.id = 100 + i JOIN countries c ON c.code = t.country;

INSERT INTO mpn_profiles(mpn_id, company_name, country, status)
SELECT 7000000 + i, t.name, t.country, 'active' FROM part JOIN tenants t ON t.id = 100 + i;
INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at)
SELECT 7000000 + i, 100 + i, 1700000000 + i FROM part;

-- provider_name and reseller_name as store/relationships.c writes them (schema section 11)
INSERT INTO provider_relationships(provider_id, reseller_id, since, provider_name, reseller_name)
SELECT p, 100 + i, 1700000000 + i * 3,
       (SELECT lower(t.name) FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = p),
       (SELECT lower(name) FROM tenants WHERE id = 100 + i)
FROM rel;
