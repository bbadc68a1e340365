-- bench/scale-load.sql — the large database of issue 17 ("List pages at real volumes"),
-- loaded by bench/scale.sh into a database that `portalctl init` and `portalctl demo` made
-- (so the demo's sign-ins exist in both). Every row is generated here in SQL; foreign keys
-- stay on and every CHECK holds (the script runs foreign_key_check afterwards).
--
-- What it adds to the demo world:
--   100,000 partner organizations (tenants 101..100100): the first 10,000 approved indirect
--     providers (Find a provider), the rest approved indirect resellers; each with its MPN ID;
--   Northwind (demo provider account 1) works with 20,000 of those resellers (/resellers);
--   1,000,000 customer organizations (tenants 200001..1200000), each with a relationship with
--     a reseller and one with that reseller's provider: the first 100,000 are Trey Research's
--     (demo reseller account 4) and Northwind's, the customers both share
--     (/customers for Northwind, /providers/2/customers for Trey);
--   1,000,000 subscriptions, one per customer, under its reseller's MPN ID;
--   10,000,000 audit entries, 2,000,000 of them Northwind's (/settings/audit).
-- SQLite only (a benchmark tool): printf, the recursive CTEs, the pragmas.
--
-- The ids are fixed so that the same loader gives the same database; bench/scale.sh checks
-- that the demo's ids are the ones assumed here (Northwind tenant 1 / account 1, Trey
-- account 4 / relationship 2).

.bail on
PRAGMA foreign_keys = ON;
-- No WAL while loading (a second copy of every page otherwise); bench/scale.sh's
-- `portalctl init` afterwards puts the database back in WAL mode.
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
PRAGMA temp_store = MEMORY;

BEGIN;

-- ---- partner organizations (bench/scale-partners.sql) ----
CREATE TEMP TABLE n100k(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000)
INSERT INTO n100k(i) SELECT i FROM c;

CREATE TEMP TABLE cc(k INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO cc(code) SELECT code FROM countries ORDER BY code;

-- all 100,000; Northwind (account 1) works with resellers 10001..30000, every other reseller
-- with one provider
CREATE TEMP VIEW part AS SELECT i FROM n100k;
CREATE TEMP VIEW rel AS SELECT i, CASE WHEN i <= 30000 THEN 1 ELSE 100 + 1 + i % 10000 END AS p FROM n100k WHERE i > 10000;
.read bench/scale-partners.sql

-- ---- customers (bench/scale-customers.sql) ----
CREATE TEMP TABLE n1m(j INTEGER PRIMARY KEY);
WITH RECURSIVE c(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM c WHERE j < 1000000)
INSERT INTO n1m(j) SELECT j FROM c;

-- For customer j: its reseller account, its provider account, the reseller's MPN ID. The first
-- 100,000 are Trey's (account 4, MPN ID 5300005) and Northwind's (account 1); the others
-- belong to resellers 30001..100000 and their providers.
CREATE TEMP TABLE cust(j INTEGER PRIMARY KEY, reseller INTEGER, provider INTEGER, mpn TEXT);
INSERT INTO cust(j, reseller, provider, mpn)
SELECT j,
       CASE WHEN j <= 100000 THEN 4 ELSE 100 + 30001 + j % 70000 END,
       CASE WHEN j <= 100000 THEN 1 ELSE 100 + 1 + (30001 + j % 70000) % 10000 END,
       CASE WHEN j <= 100000 THEN '5300005' ELSE CAST(7000000 + 30001 + j % 70000 AS TEXT) END
FROM n1m;
CREATE TEMP TABLE offer_k(k INTEGER PRIMARY KEY, offer_id TEXT NOT NULL);
INSERT INTO offer_k(k, offer_id) SELECT row_number() OVER (ORDER BY offer_id) - 1, offer_id FROM offers WHERE active = 1;
.read bench/scale-customers.sql

COMMIT;

-- ---- the audit log: 10,000,000 entries, 2,000,000 of them Northwind's (tenant 1) ----
-- Built without its indexes (bench/scale.sh drops them before and creates them again after,
-- with the schema's own statements).
CREATE TEMP TABLE actions(k INTEGER PRIMARY KEY, action TEXT NOT NULL);
INSERT INTO actions(k, action) VALUES (0, 'signin'), (1, 'user.update'), (2, 'order.place'), (3, 'signout'),
  (4, 'customer.invite'), (5, 'profile.update'), (6, 'reseller.invite'), (7, 'signin'), (8, 'signin'), (9, 'user.create');
CREATE TEMP TABLE actors(k INTEGER PRIMARY KEY, actor TEXT NOT NULL);
INSERT INTO actors(k, actor) SELECT id - 1, email FROM users WHERE tenant_id = 1 AND id <= 5 ORDER BY id;
INSERT INTO actors(k, actor) SELECT 4 + i, 'agent' || i || '@northwind.example' FROM n100k WHERE i <= 45;
CREATE TEMP TABLE n1m_audit(j INTEGER PRIMARY KEY);
INSERT INTO n1m_audit SELECT j FROM n1m;

CREATE TEMP TABLE chunk(c INTEGER PRIMARY KEY);
WITH RECURSIVE k(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM k WHERE c < 9) INSERT INTO chunk SELECT c FROM k;

-- n runs over 10,000,000: every fifth entry is Northwind's, by one of 50 actors (Nora by far the
-- most, agent45 rarely) doing one of 9 actions; the others belong to the partner organizations.
BEGIN;
INSERT INTO audit(at, tenant_id, actor, action, target, outcome, ip, detail)
SELECT 1700000000 + n / 4,
       CASE WHEN n % 5 = 0 THEN 1 ELSE 101 + (n * 37) % 100000 END,
       CASE WHEN n % 5 = 0 THEN (SELECT actor FROM actors WHERE k = CASE WHEN (n / 5) % 97 < 50 THEN (n / 5) % 97 ELSE 0 END)
            ELSE 'user' || (n % 7) || '@p' || (1 + (n * 37) % 100000) || '.scale.example' END,
       (SELECT action FROM actions WHERE k = (n / 5) % 10),
       'target ' || (n % 1000),
       CASE WHEN (n / 5) % 10 = 0 AND n % 3 = 0 THEN 'failed' ELSE 'ok' END,
       '10.0.' || (n % 250) || '.' || (n % 200), ''
FROM (SELECT c * 1000000 + j AS n FROM chunk CROSS JOIN n1m_audit);
COMMIT;
