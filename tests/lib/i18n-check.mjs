// i18n-check.mjs — issue 18: is a page really in its language? untranslated(html, lang) lists
// the English message ids of po/<lang>.po that appear verbatim in the page's text (its text
// nodes and the attributes a person hears or reads: alt, title, aria-label, data-label,
// placeholder). Only ids of two words or more, whose translation differs from the English,
// are looked for (a single word such as "Email" may be a name in the data); a {placeholder}
// or a %s matches any value. `areas` (or `sources`): only ids used in files whose path starts
// with one of these.
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

/** The text a person gets from the page in its language: text nodes and the spoken or shown attributes. */
export function pageText(html) {
  // recorded values (an audit entry's actor, target and detail, as written when it happened)
  // are marked translate="no": data, not the page's words (an element without the same
  // element nested in it, as the audit templates write them)
  const body = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<([a-z][a-z0-9]*)\b[^>]*\stranslate="no"[^>]*>[\s\S]*?<\/\1>/gi, ' ');
  const attrs = [...body.matchAll(/\s(?:alt|title|aria-label|data-label|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  return decode([body.replace(/<[^>]*>/g, ' '), ...attrs].join(' \n ')).replace(/\s+/g, ' ');
}

// A value in a message: {name} in templates, %s / %d / %1$s in C.
const PLACEHOLDER = /\{[A-Za-z0-9_.]+\}|%(?:\d+\$)?l*[sdu]/g;
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ids of lang's catalog (of `areas`) worth looking for, each with its pattern and its
 *  literal runs (a cheap test before the pattern). Made once per lang and areas: the
 *  crawl asks for thousands of pages. */
const wanted = new Map();
function candidates(lang, areas) {
  const key = `${lang} ${areas ? areas.join('|') : '*'}`;
  if (wanted.has(key)) return wanted.get(key);
  const out = [];
  const terms = catalog(lang).flatMap((e) => e.strs).join('\n');	// ids kept inside translations (MPN ID)
  for (const e of catalog(lang)) {
    if (areas && !e.refs.some((r) => areas.some((a) => r.startsWith(a)))) continue;
    e.ids.forEach((id, k) => {
      if (e.strs.includes(id) || e.strs[k] === id || terms.includes(id)) return;	// the same in this language
      const literal = id.replace(PLACEHOLDER, ' ').trim();
      if (literal.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < 2) return;
      const runs = id.split(PLACEHOLDER);
      const probes = runs.map((r) => r.replace(/\s+/g, ' ').trim()).filter(Boolean);
      const re = new RegExp(`(?<![\\p{L}])${runs.map((p) => escapeRe(p).replace(/\s+/g, '\\s+')).join('.{1,200}?')}(?![\\p{L}])`, 'u');
      out.push({ id, probes, re });
    });
  }
  wanted.set(key, out);
  return out;
}

/** The English ids of the catalog (of `areas`) that appear in the page: [] when none. */
export function untranslated(html, lang, { areas = null, sources = null } = {}) {
  const text = pageText(html);
  const found = [];
  for (const { id, probes, re } of candidates(lang, areas || sources))
    if (probes.every((p) => text.includes(p)) && re.test(text)) found.push(id);
  return [...new Set(found)];
}
