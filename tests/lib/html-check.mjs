// html-check.mjs — issue 18: is a page's HTML valid? htmlProblems(html) lists what
// html-validate's "standard" rules (the HTML standard's content models, nesting, duplicate ids,
// attributes and their values; not its style rules) find in the markup the server sent, one
// line per problem: "rule line:column message". The crawls (tests/lib/crawl.mjs) run it on
// every page state in every language, on the response body, not on the DOM the browser made of
// it (a browser repairs what it can, which hides the errors).
//
// A validation costs 60-300 ms on a 2-core machine, and most page states of a crawl share their
// markup with one already validated: the same page in another language (only the words differ),
// the same refusal for another user. So a crawl passes a Set and each distinct markup is
// validated once: the key is the page with its words and attribute values left out (tag
// names, attribute names and their order kept). Words that broke the markup (an unescaped
// quote or bracket in a translation) change the tags and attributes the parser sees, so such a
// page has a key of its own and is validated.
import { createHash } from 'node:crypto';
import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({ extends: ['html-validate:standard'] });

/** The page's markup without its words and attribute values (see above). */
export function markupKey(html) {
  const shape = html.replace(/>[^<]*</g, '><').replace(/="[^"]*"/g, '=""');
  return createHash('sha256').update(shape).digest('hex');
}

/** The problems html-validate finds in an HTML document: ["rule line:col message", ...];
 *  [] without validating when `seen` (a Set) already holds the document's markupKey. */
export async function htmlProblems(html, seen = null) {
  if (seen) {
    const key = markupKey(html);
    if (seen.has(key)) return [];
    seen.add(key);
  }
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`));
}
