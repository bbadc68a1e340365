// enroll-verify.test.mjs — the primary contact's verification link: used once, replaced by
// a resend, expired after 7 days (SPEC §2.2 step 5, §5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import { newCompany, profileFields, submitProfile, verifyLink, openLink, partnerAccount } from '../lib/enroll.mjs';

async function enrolled(stack, domain) {
  const c = await newCompany(stack, { org: `Org ${domain}`, domain });
  const r = await submitProfile(c, profileFields(domain));
  assert.equal(r.status, 303);
  return c;
}

function tokenOf(html) {
  return /name="t" value="([^"]+)"/.exec(html)[1];
}

async function verify(c, link) {
  const page = await openLink(c, link);
  if (page.status !== 200) return page;
  return c.submit('/verify', { t: tokenOf(page.text), confirm_signup: 'yes', confirm_company: 'yes' });
}

test('a verification link works once; a used one is refused and changes nothing', async () => {
  const stack = await startStack();
  try {
    await enrolled(stack, 'once.example');
    const link = await verifyLink(stack, 'carla@once.example');
    const contact = new Client(stack.base);
    let r = await verify(contact, link);
    assert.equal(r.status, 303);
    assert.equal(partnerAccount(stack, 'once.example')[0].status, 'in_review');
    const before = messages(stack.mailDir).length;
    // The same link again, in a fresh browser: refused on landing.
    const again = new Client(stack.base);
    r = await openLink(again, link);
    assert.equal(r.status, 400);
    assert.match(textOf(r.text), /This link has already been used\. Each link works once\./);
    // The used link changed nothing: the operator still decides the enrollment in review.
    await stack.ctl('reject', String(partnerAccount(stack, 'once.example')[0].id), '--reason', 'Address unclear');
    assert.equal(partnerAccount(stack, 'once.example')[0].status, 'rejected');
    assert.equal(messages(stack.mailDir).length, before + 1);
    assert.equal(F.auditCount(stack, { action: 'enrollment.verify', outcome: 'ok' }), 1);
    // A tampered link.
    const bad = new Client(stack.base);
    r = await openLink(bad, link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA'));
    assert.equal(r.status, 400);
    assert.match(textOf(r.text), /link/i);
  } finally {
    await stack.stop();
  }
});

test('two submissions of one verification form: exactly one succeeds', async () => {
  const stack = await startStack();
  try {
    await enrolled(stack, 'race.example');
    const link = await verifyLink(stack, 'carla@race.example');
    const a = new Client(stack.base), b = new Client(stack.base);
    const pa = await openLink(a, link), pb = await openLink(b, link);
    const { csrfOf } = await import('../lib/http.mjs');
    const [ra, rb] = await Promise.all([
      a.post('/verify', { csrf: csrfOf(pa.text), t: tokenOf(pa.text), confirm_signup: 'yes', confirm_company: 'yes' }),
      b.post('/verify', { csrf: csrfOf(pb.text), t: tokenOf(pb.text), confirm_signup: 'yes', confirm_company: 'yes' }),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [303, 400]);
    assert.equal(F.auditCount(stack, { action: 'enrollment.verify', outcome: 'ok' }), 1);
    assert.equal(messages(stack.mailDir).filter((m) => /in review/.test(m.subject)).length, 1);
  } finally {
    await stack.stop();
  }
});

test('Resend verification email makes earlier links invalid', async () => {
  const stack = await startStack();
  try {
    const c = await enrolled(stack, 'resend.example');
    const first = await verifyLink(stack, 'carla@resend.example');
    let r = await c.get('/settings/profile');
    assert.equal(r.status, 200);
    assert.match(r.text, /Not verified/);
    assert.match(r.text, /<button type="submit">Resend verification email<\/button>/);
    r = await c.submit('/settings/profile/resend', {}, '/settings/profile');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/settings/profile?m=verification-sent');
    const all = messages(stack.mailDir).filter((m) => m.to === 'carla@resend.example' && /Verify/.test(m.subject));
    assert.equal(all.length, 2);
    assert.match(all[1].body, /Links\s+in\s+earlier\s+emails\s+no\s+longer\s+work/);	// (issue 15: lines wrapped at 72)
    const second = await verifyLink(stack, 'carla@resend.example');
    assert.notEqual(second, first);
    r = await verify(new Client(stack.base), first);
    assert.equal(r.status, 400);
    assert.match(textOf(r.text), /This link was replaced by a newer one/);
    assert.equal(partnerAccount(stack, 'resend.example')[0].status, 'pending_verification');
    r = await verify(new Client(stack.base), second);
    assert.equal(r.status, 303);
    assert.equal(partnerAccount(stack, 'resend.example')[0].status, 'in_review');
    // Verified: no more resend button, and a resend is refused.
    r = await c.get('/settings/profile');
    assert.doesNotMatch(r.text, /Resend verification email/);
    assert.match(r.text, /<span class="tag ok">Verified<\/span>/);
    r = await c.submit('/settings/profile/resend', {}, '/settings/profile');
    assert.equal(r.status, 409);
    assert.equal(messages(stack.mailDir).filter((m) => /Verify/.test(m.subject)).length, 2);
  } finally {
    await stack.stop();
  }
});

test('a verification link expires after 7 days', async () => {
  const stack = await startStack();
  let later;
  try {
    await enrolled(stack, 'expired.example');
    const link = await verifyLink(stack, 'carla@expired.example');
    await stack.stop({ keep: true });
    // The same data, eight days later.
    later = await startStack({ data: stack.data, env: { PORTAL_CLOCK_OFFSET: String(8 * 24 * 3600) } });
    const r = await verify(new Client(later.base), link);
    assert.equal(r.status, 400);
    assert.match(textOf(r.text), /expired/);
    assert.equal(partnerAccount(later, 'expired.example')[0].status, 'pending_verification');
  } finally {
    if (later) await later.stop();
    const { rmSync } = await import('node:fs');
    rmSync(stack.data, { recursive: true, force: true });
  }
});
