// user-groups.test.mjs — partner user groups (issue 13), through nginx: a Global admin makes a
// group under Settings -> User groups (a name refused beside the field), adds one of the
// organization's users (never another organization's), assigns the group on a delegated admin
// relationship's page; the member — a Helpdesk agent, no Admin agent — then opens the customer
// as partner under that relationship only and works there with its roles; taking the member out
// ends it from the next request; every step audited (both logs and the relationship's timeline
// for the assignment); other organizations' groups are 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, errorsOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The reseller of w asks cust for User admin and cust's Global admin approves: the id. */
async function grant(w, cust, name) {
  const before = messages(stack.mailDir).length;
  const res = await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name, days: '30', 'roles[]': ['user_admin'], message: '' });
  assert.equal(res.status, 303);
  const id = Number(/^\/delegated-admin\/(\d+)/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: cust.email, after: before, subject: 'delegated administration' });
  const u = new URL(linkIn(mail, '/delegated-admin/respond'));
  assert.equal((await cust.client.get(u.pathname + u.search)).status, 303);
  assert.equal((await cust.client.get('/delegated-admin/respond')).status, 200);
  assert.equal((await cust.client.submit('/delegated-admin/respond', { decision: 'approve' })).status, 303);
  return id;
}

test('a member of a group assigned to a relationship acts as partner under it, without Admin agent, until taken out', async () => {
  const w = await C.custPair(stack, { prefix: 'ug', providerOrg: 'UG Distribution', resellerOrg: 'UG Reselling' });
  const cust = await C.custOrg(stack, { domain: 'ug-cust.example', org: 'UG Customer AG', email: 'ga@ug-cust.example' });
  await C.custRelate(stack, w, cust);
  const helpdesk = await grant(w, cust, 'Helpdesk 2026');
  const projects = await grant(w, cust, 'Projects');
  const hal = await F.relUser(stack, w.reseller, { email: 'hal@ug-resell.example', name: 'Hal Helper', roles: ['helpdesk_agent'] });
  const halId = X.userId(stack, hal.email);
  const ga = w.reseller.client;

  // without a group, a Helpdesk agent may not act (refused by the acting decision, audited)
  let res = await hal.client.submit('/delegated-admin/act', { rel: String(helpdesk) }, '/customers');
  assert.equal(res.status, 403);
  assert.match(textOf(res.text), /Admin agents .* and members of a user group assigned to this relationship/);

  // Settings -> User groups: in the navigation for the Global admin; a name is required and unique in any case
  let page = await ga.get('/settings/groups');
  assert.equal(page.status, 200);
  assert.match(page.text, /href="\/settings\/groups"/);
  assert.doesNotMatch((await hal.client.get('/')).text, /href="\/settings\/groups"/);
  res = await ga.submit('/settings/groups', { name: '' });
  assert.equal(res.status, 422);
  res = await ga.submit('/settings/groups', { name: 'Helpdesk team' });
  assert.equal(res.status, 303);
  const group = Number(/^\/settings\/groups\/(\d+)$/.exec(res.location)[1]);
  res = await ga.submit('/settings/groups', { name: 'HELPDESK TEAM' });
  assert.equal(res.status, 422);
  assert.ok(errorsOf(res.text).some((e) => /has a group of that name/.test(e)), errorsOf(res.text).join(' | '));
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM user_groups WHERE tenant_id = ?', w.reseller.tenantId)), 1);

  // members: the organization's users only
  page = await ga.get(`/settings/groups/${group}`);
  assert.match(page.text, new RegExp(`<option value="${halId}">Hal Helper \\(hal@ug-resell\\.example\\)</option>`));
  const custGa = X.userId(stack, cust.email);
  res = await ga.submit(`/settings/groups/${group}`, { action: 'add', user: String(custGa) });
  assert.equal(res.status, 422);
  res = await ga.submit(`/settings/groups/${group}`, { action: 'add', user: String(halId) });
  assert.equal(res.status, 303);
  assert.match(textOf((await ga.get(`/settings/groups/${group}`)).text), /Members Hal Helper \(hal@ug-resell\.example\)/);
  // a member of an unassigned group: still refused
  assert.equal((await hal.client.submit('/delegated-admin/act', { rel: String(helpdesk) }, '/customers')).status, 403);

  // assigned on the relationship's page (the partner's Global admin), in both logs and on the timeline
  page = await ga.get(`/delegated-admin/${helpdesk}`);
  assert.match(page.text, new RegExp(`<option value="${group}">Helpdesk team</option>`));
  res = await ga.submit(`/delegated-admin/${helpdesk}/groups`, { group: String(group), assign: '1' }, `/delegated-admin/${helpdesk}`);
  assert.equal(res.status, 303);
  assert.match(textOf((await ga.get(`/delegated-admin/${helpdesk}`)).text), /User groups .* Helpdesk team \(1 members\)/);
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE action = 'delegated-admin.group-assign' AND outcome = 'ok'
    AND rel_kind = 'delegated' AND rel_id = ? AND tenant_id IN (?, ?)`, helpdesk, w.reseller.tenantId, cust.tenantId)), 2);
  const timeline = await cust.client.get(`/relationships/delegated/${helpdesk}`);
  assert.match(textOf(timeline.text), /Ana Admin gave a user group access as partner under UG Customer AG \(delegated admin 'Helpdesk 2026'\) \(user group 'Helpdesk team'\)/);
  // the customer cannot assign (its own groups are not the partner's; the reseller's are not its own)
  const custGroup = Number(db.exec(stack, 'INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id', cust.tenantId, 'Theirs', X.now())[0].id);
  assert.equal((await cust.client.submit(`/delegated-admin/${helpdesk}/groups`, { group: String(custGroup), assign: '1' }, `/delegated-admin/${helpdesk}`)).status, 403);
  assert.equal((await cust.client.submit(`/delegated-admin/${helpdesk}/groups`, { group: String(group), assign: '1' }, `/delegated-admin/${helpdesk}`)).status, 404);

  // Hal acts: under "Helpdesk 2026" only, with its roles (User admin: adds a user, no audit log)
  // (a Helpdesk agent does not see the Delegated admin pages: the switcher on the customer's page)
  page = await hal.client.get(`/customers/${cust.tenantId}`);
  assert.equal(page.status, 200);
  assert.deepEqual([...page.text.matchAll(/name="rel" value="(\d+)"><button type="submit">Open UG Customer AG as partner/g)].map((m) => Number(m[1])), [helpdesk]);
  assert.equal((await hal.client.submit('/delegated-admin/act', { rel: String(projects) }, '/customers')).status, 403);
  res = await hal.client.submit('/delegated-admin/act', { rel: String(helpdesk) }, '/customers');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/settings/users');
  page = await hal.client.get('/settings/users');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Acting as partner in UG Customer AG/);
  res = await hal.client.submit('/settings/users/new', { name: 'Cy Customer', email: 'cy@ug-cust.example', 'roles[]': ['user_admin'] });
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(Number(db.value(stack, 'SELECT tenant_id FROM users WHERE email = ?', 'cy@ug-cust.example')), cust.tenantId);
  assert.equal((await hal.client.get('/settings/audit')).status, 403);

  // taken out of the group: refused from the next request (both logs), the button gone
  res = await ga.submit(`/settings/groups/${group}`, { action: 'remove', user: String(halId) });
  assert.equal(res.status, 303);
  res = await hal.client.get('/settings/users');
  assert.equal(res.status, 403);
  assert.match(textOf(res.text), /delegated admin access to this organization has ended/);
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE action = 'access' AND outcome = 'refused'
    AND detail = 'delegated admin ended' AND actor LIKE 'hal@%' AND tenant_id IN (?, ?)`, w.reseller.tenantId, cust.tenantId)), 0,
  'the actor is written as the acting label');
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE action = 'access' AND outcome = 'refused'
    AND detail = 'delegated admin ended' AND rel_id = ? AND tenant_id IN (?, ?)`, helpdesk, w.reseller.tenantId, cust.tenantId)), 2);
  assert.equal((await hal.client.submit('/delegated-admin/stop', {}, '/customers')).status, 303);
  assert.doesNotMatch((await hal.client.get(`/customers/${cust.tenantId}`)).text, /Open UG Customer AG as partner/);

  // back in, then the assignment taken away, then the group deleted: each ends it
  assert.equal((await ga.submit(`/settings/groups/${group}`, { action: 'add', user: String(halId) })).status, 303);
  assert.equal((await hal.client.submit('/delegated-admin/act', { rel: String(helpdesk) }, '/customers')).status, 303);
  assert.equal((await hal.client.get('/settings/users')).status, 200);
  assert.equal((await ga.submit(`/delegated-admin/${helpdesk}/groups`, { group: String(group), assign: '0' }, `/delegated-admin/${helpdesk}`)).status, 303);
  assert.equal((await hal.client.get('/settings/users')).status, 403);
  assert.equal((await ga.submit(`/delegated-admin/${helpdesk}/groups`, { group: String(group), assign: '1' }, `/delegated-admin/${helpdesk}`)).status, 303);
  assert.equal((await hal.client.get('/settings/users')).status, 200);
  assert.equal((await ga.submit(`/settings/groups/${group}/delete`, {}, `/settings/groups/${group}`)).status, 303);
  assert.equal((await hal.client.get('/settings/users')).status, 403);
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM delegated_admin_groups WHERE group_id = ?', group)), 0);

  // the group's steps in the reseller's log
  const actions = db.rows(stack, "SELECT action FROM audit WHERE tenant_id = ? AND action LIKE 'group.%' AND outcome = 'ok' ORDER BY id",
    w.reseller.tenantId).map((x) => x.action);
  assert.deepEqual(actions, ['group.create', 'group.member-add', 'group.member-remove', 'group.member-add', 'group.delete']);
});

test('groups: rename (a taken name refused beside the field), another organization\'s group is 404, audited', async () => {
  const a = await F.relPartner(stack, { domain: 'ug-a.example', org: 'UG A Ltd' });
  const b = await F.relPartner(stack, { domain: 'ug-b.example', org: 'UG B Ltd' });
  const mk = async (client, name) => Number(/(\d+)$/.exec((await client.submit('/settings/groups', { name })).location)[1]);
  const one = await mk(a.client, 'One');
  await mk(a.client, 'Two');
  let res = await a.client.submit(`/settings/groups/${one}`, { action: 'rename', name: 'two' });
  assert.equal(res.status, 422);
  assert.match(res.text, /value="two"/);
  assert.ok(errorsOf(res.text).some((e) => /has a group of that name/.test(e)));
  res = await a.client.submit(`/settings/groups/${one}`, { action: 'rename', name: 'First line' });
  assert.equal(res.status, 303);
  assert.match(textOf((await a.client.get('/settings/groups')).text), /First line 0 Two 0/);
  assert.equal((await a.client.submit(`/settings/groups/${one}`, { action: 'dance' })).status, 400);
  for (const [method, path, fields] of [['GET', `/settings/groups/${one}`], ['POST', `/settings/groups/${one}`, { action: 'rename', name: 'Mine' }],
    ['POST', `/settings/groups/${one}/delete`, {}]]) {
    res = method === 'GET' ? await b.client.get(path) : await b.client.submit(path, fields, '/settings/groups');
    assert.equal(res.status, 404, `${method} ${path}`);
  }
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE tenant_id = ? AND action = 'access' AND outcome = 'refused'
    AND target = ? AND detail = ?`, b.tenantId, `user group ${one}`, "not one of this organization's groups")), 3);
  assert.equal(db.value(stack, 'SELECT name FROM user_groups WHERE id = ?', one), 'First line');
});
