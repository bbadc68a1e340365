// http.mjs — a small browser-like HTTP client for integration tests: a cookie jar, no
// automatic redirects (tests look at each 303), and form helpers that read the page's
// CSRF token and submit like a browser would.
//
//   const c = new Client(stack.base);
//   let res = await c.get('/signin');                   // { status, headers, text, location, cookies }
//   res = await c.submit('/signin', { email, password }); // GETs the form page, adds csrf, POSTs
//   res = await c.follow(res);                           // follows one redirect
import { request } from 'node:http';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as db from './db.mjs';
import { messages, waitForMail, linkIn } from './mail.mjs';
import { mintToken, PURPOSE } from './linktoken.mjs';
import { nextCode } from './totp.mjs';

/** Each running stack by its base URL (stack.mjs fills it), so that Client.signup can follow
 * Create one's emailed link. */
export const stacks = new Map();
/** base URL -> Map(email -> TOTP secret): the demo world's (stack.mjs fills it). */
export const totpSecrets = new Map();

export class Client {
  /** from: the local address to connect from (e.g. '127.0.0.2': the portal sees that client
   * address; every 127.x address reaches the stack on Linux). */
  constructor(base, { from } = {}) {
    this.base = base;
    this.jar = new Map();      // name -> { value, path }
    this.from = from;
  }

  // (A cookie of another path than / is kept beside them under "name NUL path", with its
  // name, as a browser keeps both: Create one's link lands at /signup/confirm while another
  // link's cookie waits at its own path.)
  cookieHeader(path) {
    const parts = [];
    for (const [key, c] of this.jar) {
      if (path.startsWith(c.path)) parts.push(`${c.name ?? key}=${c.value}`);
    }
    return parts.join('; ');
  }

  store(setCookies) {
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq), value = pair.slice(eq + 1);
      let path = '/', maxAge = null;
      for (const a of attrs) {
        const [k, v] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'max-age') maxAge = Number(v);
      }
      const key = path === '/' ? name : `${name}\u0000${path}`;
      if (maxAge === 0 || value === '') this.jar.delete(key);
      else this.jar.set(key, { name, value, path });
    }
  }

  cookie(name) { return this.jar.get(name)?.value ?? [...this.jar.values()].find((c) => c.name === name)?.value; }

  /** Raw request: method, path, body (string or object → urlencoded), headers. */
  request(method, path, { body, headers = {} } = {}) {
    const url = new URL(path, this.base);
    let payload = null;
    const h = { ...headers };
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : encodeForm(body);
      h['content-type'] ??= 'application/x-www-form-urlencoded';
      h['content-length'] ??= Buffer.byteLength(payload);
    }
    const ck = this.cookieHeader(url.pathname);
    if (ck && !('cookie' in h)) h.cookie = ck;
    return new Promise((ok, fail) => {
      const req = request(url, { method, headers: h, ...(this.from ? { localAddress: this.from } : {}) }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const sc = res.headers['set-cookie'] || [];
          this.store(sc);
          ok({
            status: res.statusCode,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            location: res.headers.location,
            setCookies: sc,
          });
        });
      });
      req.on('error', fail);
      if (payload !== null) req.write(payload);
      req.end();
    });
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }

  /** Follows a 303/302 once. */
  follow(res) {
    if (!res.location) throw new Error(`no redirect (status ${res.status})`);
    return this.get(res.location);
  }

  /** GETs formPage (default: action), takes its CSRF token, POSTs fields to action. */
  async submit(action, fields, formPage = action) {
    const page = await this.get(formPage);
    const csrf = csrfOf(page.text);
    if (!csrf) throw new Error(`no CSRF token on ${formPage} (status ${page.status})`);
    return this.post(action, { csrf, ...fields });
  }

  /**
   * Creates an organization with "Create one" and stays signed in as its Global admin: the
   * form, then the emailed link (/signup/confirm) and its `Create work account`. Returns the
   * last answer (303 to next). `next` as the form's hidden field.
   */
  async signup({ org = 'Contoso Ltd', domain, country = 'DE', name = 'Ana Admin', email, password = 'correct horse battery', next } = {}) {
    const stack = stacks.get(this.base);
    const before = stack.env.PORTAL_MAIL === 'sendmail' ? 0 : messages(stack.mailDir).length;
    const fields = { org, domain, country, name, email, password, password2: password };
    if (next !== undefined) fields.next = next;
    const res = await this.submit('/signup', fields);
    if (res.status !== 200 || !/Check your email/.test(res.text)) throw new Error(`signup failed: ${res.status} ${errorsOf(res.text).join('; ')}`);
    return this.confirmSignup(email, before);
  }

  /**
   * Follows the newest Create one confirmation link sent to email (after `after` messages in
   * the spool) and creates the work account: the answer to that POST (303, signed in). The
   * message is taken out of the spool, as the fixture it is (tests that read an address's
   * mail afterwards see what came after); with a sendmail transport the link is rebuilt
   * from its link_tokens row, as the portal signed it.
   */
  async confirmSignup(email, after = 0) {
    const stack = stacks.get(this.base);
    let path;
    if (stack.env.PORTAL_MAIL === 'sendmail') {
      const row = db.one(stack, `SELECT l.id, l.expires_at FROM link_tokens l JOIN signup_requests r ON r.id = l.subject_id
        WHERE l.purpose = 'signup-confirm' AND r.email = ? ORDER BY l.id DESC LIMIT 1`, email.toLowerCase());
      path = `/signup/confirm?t=${mintToken(stack, { purpose: PURPOSE['signup-confirm'], row: row.id, expires: row.expires_at })}`;
    } else {
      const msg = await waitForMail(stack.mailDir, { to: email.toLowerCase(), subject: 'Confirm your address', after });
      unlinkSync(join(stack.mailDir, msg.file));
      const link = new URL(linkIn(msg, '/signup/confirm'));
      path = link.pathname + link.search;
    }
    const land = await this.get(path);
    if (land.status !== 303) throw new Error(`signup link: ${land.status}`);
    const res = await this.submit('/signup/confirm', {});
    if (res.status !== 303) throw new Error(`signup confirmation failed: ${res.status} ${textOf(res.text).slice(0, 300)}`);
    return res;
  }

  async signin(email, password = 'correct horse battery', next) {
    const res = await this.submit('/signin', next ? { email, password, next } : { email, password });
    // A user with a second factor whose secret the test knows (the demo world's, or one
    // registered with useTotp): answer the code page too, as a person with the app would.
    const secret = this.totp?.get(email) ?? totpSecrets.get(this.base)?.get(email);
    if (res.status === 303 && res.location?.startsWith('/signin/code') && secret) {
      const page = await this.get(res.location);
      return this.post('/signin/code', { csrf: csrfOf(page.text), code: await nextCode(secret), next: nextOf(page.text) });
    }
    return res;
  }

  /** Registers the TOTP secret of email for signin() (tests that set MFA up themselves). */
  useTotp(email, secret) {
    this.totp ??= new Map();
    this.totp.set(email, secret);
  }

  async signout() {
    const page = await this.get('/');
    return this.post('/signout', { csrf: csrfOf(page.text) });
  }
}

export function encodeForm(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else if (v !== undefined && v !== null) p.append(k, String(v));
  }
  return p.toString();
}

function nextOf(html) {
  const m = /name="next" value="([^"]*)"/.exec(html);
  return m ? decode(m[1]) : undefined;
}

export function csrfOf(html) {
  const m = /name="csrf" value="([^"]*)"/.exec(html);
  return m ? m[1] : null;
}

/** The messages beside fields (class="error") of a re-rendered form. */
export function errorsOf(html) {
  return [...html.matchAll(/<p class="error"[^>]*>(?:<span class="visually-hidden">Error: <\/span>)?([^<]*)<\/p>/g)].map((m) => decode(m[1]));
}

/** Decodes the HTML escapes the template engine produces. */
export function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Visible text of html (tags removed, entities decoded, whitespace collapsed). */
export function textOf(html) {
  return decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}
