// html-check.mjs — issue 18: is a page's HTML valid? htmlProblems(html) lists what
// html-validate's "standard" rules (the HTML standard's content models, nesting, duplicate ids,
// attributes and their values; not its style rules) find in the markup the server sent, one
// line per problem: "rule line:column message". The crawls (tests/lib/crawl.mjs) run it on
// every page state in every language, on the response body, not on the DOM the browser made of
// it (a browser repairs what it can, which hides the errors).
import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({ extends: ['html-validate:standard'] });

/** The problems html-validate finds in an HTML document: ["rule line:col message", ...]. */
export async function htmlProblems(html) {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`));
}
