// users.mjs — helpers for tests that need an organization's users: add one through
// Settings → User management, set the password from the emailed link, sign in.
//
//   const { id } = await addUser(admin, { name: 'Bo Berg', email: 'bo@a.example', roles: ['admin_agent'] });
//   const bo = await activate(stack, 'bo@a.example', 'bo password 123');   // a signed-in Client
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, errorsOf } from './http.mjs';
import { messages, linkIn } from './mail.mjs';

export const PASSWORD = 'correct horse battery';

/**
 * Adds a user as `admin` (a signed-in Client); returns { id, res }. Throws unless 303. The
 * answer is the list of users (the same for an address of another organization's user, who
 * is not added: issue 12, item 9), so the id is read from the list's row of the email.
 */
export async function addUser(admin, { name, email, roles = [] }) {
  const res = await admin.submit('/settings/users/new', { name, email, 'roles[]': roles });
  if (res.status !== 303) throw new Error(`add user ${email}: ${res.status} ${errorsOf(res.text).join('; ')}`);
  if (res.location !== '/settings/users?m=user-added') throw new Error(`add user ${email}: redirected to ${res.location}`);
  const id = await userIdInList(admin, email);
  if (!id) throw new Error(`add user ${email}: not in the list of users`);
  return { id, res };
}

/** The id of the row of `email` in the list of users `admin` sees (every page), or null. */
export async function userIdInList(admin, email) {
  const esc = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = new RegExp(`<a href="/settings/users/(\\d+)">[^<]*</a>(?:[^<]|<span[^>]*>[^<]*</span>)*</td>\\s*<td[^>]*>${esc}</td>`);
  for (let page = 1; page <= 100; page++) {
    const list = await admin.get(`/settings/users?sort=email&page=${page}`);
    const m = row.exec(list.text);
    if (m) return Number(m[1]);
    if (!list.text.includes(`page=${page + 1}`)) return null;
  }
  return null;
}

/** Messages in the spool to `to`, oldest first. */
export function mailTo(stack, to) {
  return messages(stack.mailDir).filter((m) => m.to === to);
}

/** Waits until `to` has more than `seen` messages; returns the newest. */
export async function newestMail(stack, to, seen = 0, timeout = 5000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const all = mailTo(stack, to);
    if (all.length > seen) return all[all.length - 1];
    await sleep(20);
  }
  throw new Error(`no new mail to ${to}`);
}

/** Opens the newest set-password link sent to email and sets password; returns the Client
 * (not signed in) and the answer to the POST. */
export async function setPassword(stack, email, password = PASSWORD) {
  const msg = await newestMail(stack, email);
  const c = new Client(stack.base);
  const land = await c.get(linkIn(msg, '/password/set'));
  assert.equal(land.status, 303, 'the link lands with a redirect');
  assert.equal(land.location, '/password/set', 'the token leaves the address bar');
  const res = await c.submit('/password/set', { password, password2: password });
  return { client: c, res, msg };
}

/** setPassword, then signs in; returns the signed-in Client. */
export async function activate(stack, email, password = PASSWORD) {
  const { client, res } = await setPassword(stack, email, password);
  if (res.status !== 303) throw new Error(`set password for ${email}: ${res.status} ${errorsOf(res.text).join('; ')}`);
  const s = await client.signin(email, password);
  if (s.status !== 303) throw new Error(`sign in ${email}: ${s.status}`);
  return client;
}
