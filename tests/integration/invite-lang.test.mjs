// invite-lang.test.mjs — issue 18, "Language of the email" on the invitation forms (a
// provider's reseller invitation, a reseller's customer invitation): by default the language
// of the country of the organization the address belongs to (its primary domain), else the
// inviter's; stored with the invitation (schema 26), so the email, a resend and the reminder
// (moved through time with PORTAL_CLOCK_OFFSET) go out in it; a value that is not a language
// is the form again with the message beside the field, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { messages, waitForMail } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';

const DAY = 86400;
const langOf = (table, email) => db.value(globalThis.stack, `SELECT lang FROM ${table} WHERE email = ? ORDER BY id DESC`, email);

test('the reseller invitation: the default follows the address\'s organization, a choice wins, resend and reminder keep it', async () => {
  let stack = globalThis.stack = await startStack();
  const data = stack.data;
  try {
    const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'il-prov.example', country: 'DE' });
    await F.relPartner(stack, { domain: 'il-sverige.example', country: 'SE' });	// an organization in Sweden
    let form = await p.client.get('/resellers/invite');
    assert.equal(form.status, 200);
    assert.match(form.text, /<label for="f-lang">Language of the email<\/label>/);
    assert.match(form.text, /<option value="" selected>The language of the recipient organization&#39;s country, else mine<\/option><option value="en">English<\/option><option value="pl">Polski<\/option><option value="ru">Русский<\/option><option value="sv">Svenska<\/option>/);

    // the default: an address at the Swedish organization's domain is written to in Swedish
    const sv = await F.relInvite(stack, p, 'someone@il-sverige.example');
    assert.equal(langOf('reseller_invitations', 'someone@il-sverige.example'), 'sv');
    assert.equal(sv.mail.headers['content-language'], 'sv');
    assert.match(sv.mail.subject, /bjuder in dig|inbjud|auktorisera/i, sv.mail.subject);
    // ... an address of no organization: the inviter's language (English here)
    const en = await F.relInvite(stack, p, 'nobody@il-nowhere.example');
    assert.equal(langOf('reseller_invitations', 'nobody@il-nowhere.example'), 'en');
    assert.equal(en.mail.headers['content-language'], 'en');

    // a choice on the form wins: Polish, with the expiry date in Polish
    let before = messages(stack.mailDir).length;
    let res = await p.client.submit('/resellers/invite', { email: 'kto@il-nowhere.example', message: '', lang: 'pl', send_anyway: 'yes' });
    assert.equal(res.status, 303);
    let mail = await waitForMail(stack.mailDir, { to: 'kto@il-nowhere.example', after: before });
    assert.equal(langOf('reseller_invitations', 'kto@il-nowhere.example'), 'pl');
    assert.equal(mail.headers['content-language'], 'pl');
    assert.match(mail.body, /\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) \d{4}, \d\d:\d\d/, mail.body);
    const plId = Number(/\/resellers\/invitations\/(\d+)/.exec(res.location)[1]);
    // resent: Polish again
    before = messages(stack.mailDir).length;
    assert.equal((await p.client.submit(`/resellers/invitations/resend/${plId}`, {}, `/resellers/invitations/resend/${plId}`)).status, 303);
    mail = await waitForMail(stack.mailDir, { to: 'kto@il-nowhere.example', after: before });
    assert.equal(mail.headers['content-language'], 'pl');

    // not a language: the form again, the message beside the field, nothing written
    const count = () => Number(db.value(stack, 'SELECT count(*) FROM reseller_invitations'));
    const n = count();
    res = await p.client.submit('/resellers/invite', { email: 'x@il-nowhere.example', message: '', lang: 'tlh', send_anyway: 'yes' }, '/resellers/invite');
    assert.equal(res.status, 422);
    assert.match(res.text, /<p class="error" id="f-lang-error"><span class="visually-hidden">Error: <\/span>Choose one of the languages in the list\.<\/p>/);
    assert.match(res.text, /<option value="" selected>/);
    assert.equal(count(), n);

    // the reminder, 24 days later (6 left): in each invitation's language
    await sleep(300);
    await stack.stop({ keep: true });
    stack = globalThis.stack = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(24 * DAY) } });
    const reminder = async (to) => {
      for (let i = 0; i < 100; i++) {
        const m = messages(stack.mailDir).find((x) => x.to === to && /^Reminder|Przypomnienie|Напоминание|Påminnelse/.test(x.subject));
        if (m) return m;
        await sleep(50);
      }
      assert.fail(`no reminder to ${to}`);
    };
    const rpl = await reminder('kto@il-nowhere.example');
    assert.equal(rpl.headers['content-language'], 'pl');
    assert.match(rpl.subject + rpl.body, /\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) \d{4}, \d\d:\d\d/);
    const rsv = await reminder('someone@il-sverige.example');
    assert.equal(rsv.headers['content-language'], 'sv');
  } finally {
    await stopChecked(stack);
  }
});

test('the customer invitation: the same choice, stored and used', async () => {
  const stack = globalThis.stack = await startStack();
  try {
    const w = await C.custPair(stack, { prefix: 'ilc' });
    await C.custOrg(stack, { domain: 'ilc-polska.example', org: 'ILC Polska', email: 'ga@ilc-polska.example', country: 'PL' });
    const form = await w.reseller.client.get(`/providers/${w.rel}/invite-customer`);
    assert.match(form.text, /<select id="f-lang" name="lang" aria-describedby="f-lang-help">/);
    // default: the Polish organization's address gets Polish
    const pl = await C.custInvite(stack, w, 'buyer@ilc-polska.example');
    assert.equal(langOf('customer_invitations', 'buyer@ilc-polska.example'), 'pl');
    assert.equal(pl.mail.headers['content-language'], 'pl');
    // a choice wins
    const before = messages(stack.mailDir).length;
    const res = await w.reseller.client.submit(`/providers/${w.rel}/invite-customer`, { email: 'kupiec@ilc-elsewhere.example', message: '', lang: 'ru', send_anyway: 'yes' });
    assert.equal(res.status, 303);
    const mail = await waitForMail(stack.mailDir, { to: 'kupiec@ilc-elsewhere.example', after: before });
    assert.equal(langOf('customer_invitations', 'kupiec@ilc-elsewhere.example'), 'ru');
    assert.equal(mail.headers['content-language'], 'ru');
  } finally {
    await stopChecked(stack);
  }
});
