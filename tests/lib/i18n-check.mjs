// i18n-check.mjs — issue 18: is a page really in its language? untranslated(html, lang) lists
// the English message ids of po/<lang>.po that appear verbatim in the page's text (its text
// nodes and the attributes a person hears or reads: alt, title, aria-label, data-label,
// placeholder). Only ids of two words or more, whose translation differs from the English,
// are looked for (a single word such as "Email" may be a name in the data); a {placeholder}
// matches any value. `areas`: only ids used in files whose path starts with one of these.
//
//   assert.deepEqual(untranslated(res.text, 'pl', { areas: ['templates/users/'] }), []);
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';
import { decode } from './http.mjs';

const catalogs = new Map();

function unquote(s) {
  return JSON.parse(s);
}

/** The entries of po/<lang>.po: [{ ids: [msgid, msgid_plural?], strs: [...], refs: [file...] }]. */
export function catalog(lang) {
  if (catalogs.has(lang)) return catalogs.get(lang);
  const out = [];
  for (const block of readFileSync(join(ROOT, 'po', `${lang}.po`), 'utf8').split(/\n\n+/)) {
    const e = { ids: [], strs: [], refs: [], fuzzy: false };
    for (const line of block.split('\n')) {
      if (line.startsWith('#:')) e.refs.push(...line.slice(2).trim().split(/\s+/).map((r) => r.replace(/:\d+$/, '')));
      else if (line.startsWith('#,') && /\bfuzzy\b/.test(line)) e.fuzzy = true;
      else if (/^msgid(_plural)? "/.test(line)) e.ids.push(unquote(line.slice(line.indexOf(' ') + 1)));
      else if (/^msgstr(\[\d\])? "/.test(line)) e.strs.push(unquote(line.slice(line.indexOf(' ') + 1)));
    }
    if (e.ids.length && e.ids[0] !== '') out.push(e);
  }
  catalogs.set(lang, out);
  return out;
}

/** The text a person gets from the page: text nodes and the spoken or shown attributes. */
export function pageText(html) {
  const body = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ');
  const attrs = [...body.matchAll(/\s(?:alt|title|aria-label|data-label|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  return decode([body.replace(/<[^>]*>/g, ' '), ...attrs].join(' \n ')).replace(/\s+/g, ' ');
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English ids of the catalog (of `areas`) that appear in the page: [] when none. */
export function untranslated(html, lang, { areas = null } = {}) {
  const text = pageText(html);
  const found = [];
  const terms = catalog(lang).flatMap((e) => e.strs).join('\n');	// ids kept inside translations (MPN ID)
  for (const e of catalog(lang)) {
    if (areas && !e.refs.some((r) => areas.some((a) => r.startsWith(a)))) continue;
    e.ids.forEach((id, k) => {
      if (e.strs.includes(id) || e.strs[k] === id || terms.includes(id)) return;	// the same in this language
      const literal = id.replace(/\{[A-Za-z0-9_.]+\}/g, ' ').trim();
      if (literal.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < 2) return;
      const re = new RegExp(`(?<![\\p{L}])${id.split(/\{[A-Za-z0-9_.]+\}/).map((p) => escapeRe(p).replace(/\s+/g, '\\s+')).join('.{1,200}?')}(?![\\p{L}])`, 'u');
      if (re.test(text)) found.push(id);
    });
  }
  return [...new Set(found)];
}
