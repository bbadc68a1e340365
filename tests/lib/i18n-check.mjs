// i18n-check.mjs — issue 18: untranslated(html, lang): the catalog's message ids that a page
// in lang still shows in English. Reads po/<lang>.po once; only entries with a translation
// that differs from the id count (an untranslated catalog entry cannot be expected on a page),
// and only ids a page could show whole and unambiguously: two words or more, no {value} or
// %s inside, and not contained in their own translation (names kept in every language). The
// page's text is what a reader sees: tags, scripts and styles removed, entities decoded,
// every run of white space one space; plus the aria-label, alt, title and placeholder
// attributes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

const catalogs = new Map();

/** The PO string of a line's quoted part ("a \"b\"" -> a "b"). */
const unquote = (s) => JSON.parse(s.replace(/\\(?!["\\nt])/g, '\\\\'));

/** [msgid, translation] of po/<lang>.po's translated singular entries. */
export function catalog(lang) {
  if (catalogs.has(lang)) return catalogs.get(lang);
  const out = [];
  for (const entry of readFileSync(join(ROOT, 'po', `${lang}.po`), 'utf8').split(/\n\n+/)) {
    if (/^#, .*fuzzy/m.test(entry) || /^msgid_plural/m.test(entry)) continue;
    const id = /^msgid ((?:".*"\n?)+)/m.exec(entry), str = /^msgstr ((?:".*"\n?)+)/m.exec(entry);
    if (!id || !str) continue;
    const join2 = (m) => m[1].trim().split('\n').map(unquote).join('');
    const msgid = join2(id), msgstr = join2(str);
    if (msgid && msgstr) out.push([msgid, msgstr]);
  }
  catalogs.set(lang, out);
  return out;
}

/** What a reader of html sees (and hears: the labels of attributes), one line. */
export function pageText(html) {
  const attrs = [...html.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const text = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ');
  return decode([text, ...attrs].join(' \u0000 ')).replace(/\s+/g, ' ');
}

function decode(s) {
  return s.replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The message ids of po/<lang>.po that html shows untranslated (sorted, each once). */
export function untranslated(html, lang) {
  if (lang === 'en') return [];
  const text = pageText(html);
  const found = [];
  for (const [id, str] of catalog(lang)) {
    if (id === str || str.includes(id) || /[{}%]/.test(id) || !/\S\s+\S/.test(id)) continue;
    if (!text.includes(id)) continue;
    // a whole phrase, not the middle of a longer word
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escape(id)}($|[^\\p{L}\\p{N}])`, 'u').test(text)) found.push(id);
  }
  return [...new Set(found)].sort();
}
