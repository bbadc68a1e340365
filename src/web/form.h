/* form.h — forms declared as tables of fields, validated in one place.
 *
 *   static const struct field signin_fields[] = {
 *       { "email", "Email", "email", 254, FF_REQUIRED | FF_LOWER, check_email, NULL, "username" },
 *       ...
 *   };
 *   struct form f;
 *   if (form_read(r, &f, signin_fields, NELEM(signin_fields)) > 0) → re-render with form_to_tv
 *
 * Values are trimmed; single-line fields refuse control characters; a value longer than
 * max is refused with a message (never truncated). Handlers see only checked values. */
#ifndef FORM_H
#define FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"
#include "base/syntax.h"
#include "base/tmpl.h"

enum field_flag {
	FF_REQUIRED = 1,
	FF_SECRET = 2,		/* never echoed back into the page (passwords) */
	FF_LOWER = 4,		/* lowercased (emails, domains) */
	FF_MULTILINE = 8,	/* textarea: newlines allowed */
	FF_NOTRIM = 16,		/* passwords: every byte counts */
};

/* Returns a message for the user when value is wrong, NULL when it is fine. Called only
 * for non-empty values. */
typedef const char *(*field_check)(struct req *r, const char *value);

struct field {
	const char *name, *label, *type;	/* type: the <input> type, "select", "textarea", "checkbox" */
	size_t max;
	unsigned flags;
	field_check check;
	const char *help;
	const char *autocomplete;
};

#define FORM_MAX_FIELDS 32

struct form {
	const struct field *fields;
	size_t n;
	const char *value[FORM_MAX_FIELDS];
	const char *error[FORM_MAX_FIELDS];
	unsigned char named[FORM_MAX_FIELDS];	/* the error names the field (form.c) */
	int nerrors;
};

void form_init(struct form *f, const struct field *fields, size_t n);
/* Reads every field from the POST body and validates it. Returns the number of errors. */
int form_read(struct req *r, struct form *f, const struct field *fields, size_t n);
const char *form_get(const struct form *f, const char *name);
void form_set(struct form *f, const char *name, const char *value);
/* Marks name wrong with msg (first message per field wins). */
void form_fail(struct form *f, const char *name, const char *msg);
/* ctx.f.<name> = { name, id, label, type, value, error, help, required, autocomplete }
 * and ctx.errors = [{ id, label, message }] for the summary at the top of the form. */
void form_to_tv(const struct form *f, struct tv *ctx);


/* Pushes onto list an <option> of a <select>: { code, name, selected }. Returns it. */
struct tv *form_option_tv(struct tv *list, const char *code, const char *name, bool selected);
/* ctx.countries = [{ code, name, region (its name), selected }]: the options of a country
 * <select> (the countries check_country knows), of one region only (its code), or all of
 * them (region NULL). 0 or -1. */
int form_countries_tv(struct req *r, struct tv *ctx, const char *region, const char *selected);

/* Checks the "password" and "password2" fields of a form that sets a password for the
 * account email: the password rules (password_problem) and that both are the same. */
void form_check_new_password(struct req *r, struct form *f, const char *email);

/* Validators. */
const char *check_email(struct req *r, const char *v);
const char *check_domain(struct req *r, const char *v);
const char *check_country(struct req *r, const char *v);
const char *check_phone(struct req *r, const char *v);
const char *check_https_url(struct req *r, const char *v);
const char *check_password(struct req *r, const char *v);

#endif
