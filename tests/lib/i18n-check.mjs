// i18n-check.mjs — issue 18: which English message ids of the catalog a page (or an email)
// still shows untranslated. untranslated(html, lang, { sources }) reads po/<lang>.po and
// returns the message ids whose English text appears verbatim in the page's text while the
// catalog translates it: the id's own words (a run of two or more) in order, any value where its
// placeholders ({name}, %s) stand, on word boundaries. sources: path prefixes of the ids'
// "#:" references to check (default: every id).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const poDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'po');
const catalogs = new Map();

/** The catalog's entries: { id, plural, strs, refs }. */
export function catalog(lang) {
  if (catalogs.has(lang)) return catalogs.get(lang);
  const entries = [];
  let e = { refs: [], strs: [] }, key = null;
  const flush = () => { if (e.id) entries.push(e); e = { refs: [], strs: [] }; key = null; };
  for (const line of readFileSync(join(poDir, `${lang}.po`), 'utf8').split('\n')) {
    if (line === '') flush();
    else if (line.startsWith('#: ')) e.refs.push(...line.slice(3).split(' ').map((r) => r.replace(/:\d+$/, '')));
    else if (line.startsWith('#')) continue;
    else if (line.startsWith('msgid_plural ')) { e.plural = JSON.parse(line.slice(13)); key = 'plural'; }
    else if (line.startsWith('msgid ')) { e.id = JSON.parse(line.slice(6)); key = 'id'; }
    else if (/^msgstr(\[\d\])? /.test(line)) { e.strs.push(JSON.parse(line.slice(line.indexOf(' ') + 1))); key = 'str'; }
    else if (line.startsWith('"') && key) {
      const s = JSON.parse(line);
      if (key === 'str') e.strs[e.strs.length - 1] += s; else e[key] += s;
    }
  }
  flush();
  catalogs.set(lang, entries);
  return entries;
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
/** A page's visible text: no tags, scripts or styles; entities decoded; white space collapsed. */
export function pageText(html) {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, n) => entities[n]).replace(/\s+/g, ' ');
}

// A message's English as a pattern: its literal runs in order, any value between them.
const pieces = (s) => s.split(/\{[^{}]*\}|%(?:\d+\$)?l*[sd]/).map((r) => r.replace(/\s+/g, ' ').trim()).filter(Boolean);
const words = (s) => s.split(' ').filter((w) => /\p{L}/u.test(w)).length;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (s) => new RegExp(`(^|[^\\p{L}])${pieces(s).map(escape).join('.{0,300}?')}($|[^\\p{L}])`, 'u');

/** The message ids of lang's catalog (from sources) that text shows in English. */
export function untranslated(html, lang, { sources } = {}) {
  const text = pageText(html);
  const found = [];
  for (const e of catalog(lang)) {
    if (sources && !e.refs.some((r) => sources.some((s) => r.startsWith(s)))) continue;
    const translated = e.strs.join('\n').replace(/\s+/g, ' ');
    for (const id of [e.id, e.plural].filter(Boolean)) {
      const lit = pieces(id);
      // a single word, or only single words between values, is too common to tell; the same words in lang are fine
      if (Math.max(...lit.map(words)) < 2 || lit.every((r) => translated.includes(r))) continue;
      if (pattern(id).test(text)) { found.push(e.id); break; }
    }
  }
  return found;
}
