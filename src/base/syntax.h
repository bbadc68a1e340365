/* syntax.h — what a well-formed email address, domain name, phone number and https URL
 * look like. Pure checks on text, shared by forms (web/form.h), mail, the domain rules,
 * portalctl and the tests. */
#ifndef SYNTAX_H
#define SYNTAX_H

#include <stdbool.h>

bool email_valid(const char *v);
bool domain_valid(const char *v);
bool phone_valid(const char *v);
bool https_url_valid(const char *v);
/* True when s holds a control character (DEL included); multiline allows line breaks and
 * tabs (a textarea, a quoted CSV field). */
bool text_has_control(const char *s, bool multiline);

#endif
