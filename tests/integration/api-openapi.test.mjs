// api-openapi.test.mjs — the OpenAPI 3.1 document of the JSON API (issue 14): served at
// /api/v1/openapi.json without a credential, valid by the OpenAPI 3.1 schema (the npm
// validator @seriousme/openapi-schema-validator, a devDependency), and checked against
// src/web/routes.def: every F_API route is documented with its method, path, route id and
// permission, and every documented operation is a route. Also runs the curl examples of
// README's "API" section against a real stack.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startStack, stopChecked, ROOT } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client } from '../lib/http.mjs';
import { call } from '../lib/api.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The F_API routes of routes.def: [{ id, method, path (with {id}), perm, flags }]. */
function apiRoutes() {
  const text = readFileSync(join(ROOT, 'src/web/routes.def'), 'utf8');
  const out = [];
  for (const m of text.matchAll(/^ROUTE\(\s*(\w+)\s*,\s*(GET|POST)\s*,\s*"([^"]*)"\s*,\s*\w+\s*,\s*(\w+)\s*,\s*([^)]*)\)/gm)) {
    if (!/\bF_API\b/.test(m[5])) {
      assert.ok(!m[3].startsWith('/api/'), `${m[1]}: a path under /api/ must have F_API`);
      continue;
    }
    assert.ok(m[3].startsWith('/api/v1/'), `${m[1]}: an F_API route lives under /api/v1/`);
    out.push({ id: m[1], method: m[2].toLowerCase(), path: m[3].replace('#', '{id}'), perm: m[4], flags: m[5] });
  }
  return out;
}

test('the document is served without a credential and is valid OpenAPI 3.1', async () => {
  const res = await call(stack.base, null, 'GET', '/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(res.json.openapi, '3.1.0');
  assert.deepEqual(res.json.servers, [{ url: stack.base }]);
  const v = new Validator();
  const r = await v.validate(res.json);
  assert.equal(v.version, '3.1');
  assert.ok(r.valid, `OpenAPI validation errors: ${JSON.stringify(r.errors, null, 1)}`);
  // The validator is not one that accepts anything: a broken copy fails.
  const broken = structuredClone(res.json);
  broken.paths['/api/v1/me'].get.responses = 'none';
  assert.equal((await new Validator().validate(broken)).valid, false);
});

test('every API route of routes.def is documented (method, path, route id, permission) and every documented operation is a route', async () => {
  const doc = (await call(stack.base, null, 'GET', '/api/v1/openapi.json')).json;
  const routes = apiRoutes();
  assert.ok(routes.length >= 12);
  const documented = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      documented.push(`${method.toUpperCase()} ${path}`);
      const r = routes.find((x) => x.method === method && x.path === path);
      assert.ok(r, `${method.toUpperCase()} ${path} is documented but routes.def has no such F_API route`);
      assert.equal(o['x-route'], r.id, `${path}: x-route`);
      assert.equal(o['x-permission'], r.perm, `${path}: x-permission is the route's permission`);
      assert.ok(Object.keys(o.responses).some((c) => c.startsWith('2')), `${r.id}: a success response`);
      if (r.perm !== 'PUBLIC') for (const c of ['401', '403', '429']) assert.ok(o.responses[c], `${r.id}: documents ${c}`);
      if (path.includes('{id}')) assert.ok(o.responses['404'], `${r.id}: documents 404`);
      const schema = Object.values(Object.values(o.responses).find((x, i) => Object.keys(o.responses)[i].startsWith('2')).content ?? {})[0]?.schema;
      if (!o.responses['204']) assert.ok(schema, `${r.id}: the success response has a schema`);
      assert.equal(/F_PROVIDER|F_RESELLER/.test(r.flags), Boolean(o['x-partner-type']), `${r.id}: x-partner-type documents the partner-type flag`);
    }
  }
  const missing = routes.filter((r) => !documented.includes(`${r.method.toUpperCase()} ${r.path}`)).map((r) => r.id);
  assert.deepEqual(missing, [], 'F_API routes without a documented operation');
});

test('answers match the documented schemas (a smoke check of the users resource)', async () => {
  const doc = (await call(stack.base, null, 'GET', '/api/v1/openapi.json')).json;
  const a = new Client(stack.base);
  await a.signup({ domain: 'oas.example', email: 'ana@oas.example', org: 'Oas' });
  const c = await F.apiCredential(stack, { tenant: F.tenantId(stack, 'oas.example') });
  const list = await call(stack.base, c.secret, 'GET', '/api/v1/users');
  const user = doc.components.schemas.User;
  for (const u of list.json.items) assert.deepEqual(Object.keys(u).sort(), Object.keys(user.properties).sort());
  const me = await call(stack.base, c.secret, 'GET', '/api/v1/me');
  assert.deepEqual(Object.keys(me.json).sort(), [...doc.components.schemas.Me.required].sort());
  const prob = await call(stack.base, null, 'GET', '/api/v1/me');
  assert.deepEqual(Object.keys(prob.json).sort(), [...doc.components.schemas.Problem.required].sort());
});

test("README's API section: its curl examples run as written", async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## API\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section, 'README has an "## API" section');
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const cmds = blocks.join('\n').split('\n').filter((l) => l.startsWith('curl '));
  assert.ok(cmds.length >= 4, 'at least four curl examples');
  const a = new Client(stack.base);
  await a.signup({ domain: 'readme-api.example', email: 'ana@readme-api.example', org: 'Readme' });
  const tenant = F.tenantId(stack, 'readme-api.example');
  const c = await F.apiCredential(stack, { tenant });
  // issue 14 (session 7): the organization is a reseller with a customer, for the relationships and delegated admin lines
  const account = F.partnerAccount(stack, { tenant, type: 'indirect_reseller' });
  const customer = F.newTenant(stack, { name: 'Readme Customer', domain: 'readme-cust.example', kind: 'customer' });
  F.customerRelationships(stack, customer, [account]);
  const out = join(stack.data, 'curl-out.txt');
  const env = { ...process.env, PORTAL: stack.base, TOKEN: c.secret, OUT: out, CUSTOMER: String(customer) };
  const statuses = [];
  for (const cmd of cmds) {
    const r = spawnSync('sh', ['-c', `${cmd} -sS -o "$OUT" -w '%{http_code}'`], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, /^2\d\d$/, `${cmd} answered ${r.stdout}: ${readFileSync(out, 'utf8')}`);
    statuses.push(Number(r.stdout));
  }
  assert.deepEqual(statuses, [200, 200, 202, 202, 200, 200, 200, 200, 201, 200]);
  assert.equal(F.count(stack, 'users', { email: 'bo@contoso.example' }), 1, 'the repeated POST added nobody');
  assert.equal(F.count(stack, 'delegated_admins', { partner_tenant_id: tenant, customer_tenant_id: customer, state: 'pending' }), 1,
    'the delegated admin request is pending');
});
