/* form.c — see form.h. */
#include "web/form.h"

#include "base/i18n.h"

#include <ctype.h>
#include <string.h>

#include "base/password.h"
#include "domain/countries.h"
#include "base/util.h"

void
form_init(struct form *f, const struct field *fields, size_t n)
{
	memset(f, 0, sizeof(*f));
	f->fields = fields;
	f->n = n < FORM_MAX_FIELDS ? n : FORM_MAX_FIELDS;
}

static int
field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
form_get(const struct form *f, const char *name)
{
	int i = field_index(f, name);
	return i < 0 ? NULL : f->value[i];
}

void
form_set(struct form *f, const char *name, const char *value)
{
	int i = field_index(f, name);
	if (i >= 0)
		f->value[i] = value;
}

void
form_fail(struct form *f, const char *name, const char *msg)
{
	int i = field_index(f, name);
	if (i >= 0 && f->error[i] == NULL) {
		f->error[i] = msg;
		f->nerrors++;
	}
}

/* issue 15, item 8: a message that names its field itself ("Enter your email address."): the
 * summary at the top shows it alone, not after the field's label. */
static void
form_fail_named(struct form *f, const char *name, const char *msg)
{
	int i = field_index(f, name);
	if (i >= 0 && f->error[i] == NULL)
		f->named[i] = 1;
	form_fail(f, name, msg);
}

/* The field's label as words inside a sentence: "your email address", "the organization name",
 * "the PMC password" (a label that starts with an abbreviation keeps its capitals). */
static const char *
field_words(struct arena *a, const struct field *fd)
{
	const char *l = fd->label;
	bool abbrev = l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'A' && l[1] <= 'Z';
	char *w = arena_strdup(a, l);
	if (w == NULL)
		return l;
	if (!abbrev && w[0] >= 'A' && w[0] <= 'Z')
		w[0] = (char)(w[0] - 'A' + 'a');
	size_t n = strlen(w);
	bool email = (n >= 5 && strcmp(w + n - 5, "email") == 0);
	return arena_printf(a, "%s%s%s", str_has_prefix(w, "your ") ? "" : "the ", w, email ? " address" : "");
}

/* What an empty required field (not a checkbox) says: "Enter your email address.", "Choose
 * the country or region.", "Enter the new password again." */
static const char *
required_message(struct arena *a, const struct field *fd)
{
	if (strcmp(fd->type, "select") == 0)
		return arena_printf(a, "Choose %s.", field_words(a, fd));
	if (str_has_prefix(fd->label, "Enter "))
		return arena_printf(a, "%s.", fd->label);
	if (str_has_prefix(fd->label, "Confirm ")) {
		struct field rest = *fd;
		rest.label = fd->label + strlen("Confirm ");
		return arena_printf(a, "Enter %s again.", field_words(a, &rest));
	}
	return arena_printf(a, "Enter %s.", field_words(a, fd));
}

int
form_read(struct req *r, struct form *f, const struct field *fields, size_t n)
{
	form_init(f, fields, n);
	for (size_t i = 0; i < f->n; i++) {
		const struct field *fd = &fields[i];
		const char *raw = req_form(r, fd->name);
		const char *v;
		if (fd->flags & FF_NOTRIM)
			v = raw ? raw : "";
		else if (fd->flags & FF_LOWER)
			v = str_lower_trim(r->a, raw ? raw : "");
		else
			v = str_trim(r->a, raw ? raw : "");
		f->value[i] = v;
		if (*v == '\0') {
			if (fd->flags & FF_REQUIRED && strcmp(fd->type, "checkbox") == 0)
				form_fail(f, fd->name, _("Tick this box to continue."));
			else if (fd->flags & FF_REQUIRED && i18n_current() != LANG_EN)
				/* issue 18: the English sentence is built from the label's words; other
				 * languages say it plainly, and the summary puts the label before it */
				form_fail(f, fd->name, strcmp(fd->type, "select") == 0 ? _("Choose one of the options.") : _("Fill in this field."));
			else if (fd->flags & FF_REQUIRED)
				form_fail_named(f, fd->name, required_message(r->a, fd));
			continue;
		}
		if (fd->max && utf8_chars(v) > fd->max)
			form_fail(f, fd->name, arena_printf(r->a, ngettext("Use at most %zu character.", "Use at most %zu characters.",
			    fd->max), fd->max));
		else if (text_has_control(v, fd->flags & FF_MULTILINE))
			form_fail(f, fd->name, _("Remove the control characters from this field."));
		else if (fd->check != NULL) {
			const char *msg = fd->check(r, v);
			if (msg != NULL)
				form_fail(f, fd->name, msg);
		}
	}
	return f->nerrors;
}

void
form_to_tv(const struct form *f, struct tv *ctx)
{
	struct tv *fs = tv_obj(ctx, "f");
	struct tv *errs = tv_list(ctx, "errors");
	for (size_t i = 0; i < f->n; i++) {
		const struct field *fd = &f->fields[i];
		struct tv *o = tv_obj(fs, fd->name);
		tv_set(o, "name", fd->name);
		tv_setf(o, "id", "f-%s", fd->name);
		/* issue 18: labels, help and messages are marked N_() in the tables and the
		 * handlers and translated here, for the request's language */
		tv_set(o, "label", _(fd->label));
		tv_set(o, "type", fd->type);
		tv_set(o, "value", (fd->flags & FF_SECRET) ? "" : f->value[i]);
		tv_setb(o, "checked", f->value[i] != NULL && *f->value[i] != '\0');
		tv_set(o, "error", f->error[i] ? _(f->error[i]) : NULL);
		tv_set(o, "help", fd->help ? _(fd->help) : NULL);
		tv_setb(o, "required", fd->flags & FF_REQUIRED);
		tv_set(o, "autocomplete", fd->autocomplete);
		if (fd->max)
			tv_seti(o, "max", (long long)fd->max);
		if (f->error[i] != NULL) {
			struct tv *e = tv_push(errs);
			tv_setf(e, "id", "f-%s", fd->name);
			/* the summary's line: the message alone when it names the field */
			tv_set(e, "label", f->named[i] ? NULL : _(fd->label));
			tv_set(e, "message", _(f->error[i]));
		}
	}
}

/* ---- validators ---- */

const char *
check_email(struct req *r, const char *v)
{
	(void)r;
	return email_valid(v) ? NULL : N_("Enter an email address like name@example.com.");
}

const char *
check_domain(struct req *r, const char *v)
{
	(void)r;
	return domain_valid(v) ? NULL : N_("Enter a domain name like contoso.com (letters, digits and hyphens, with a dot).");
}

const char *
check_country(struct req *r, const char *v)
{
	struct country c;
	return country_get(r->store, r->a, v, &c) == 1 ? NULL : N_("Choose a country from the list.");
}

struct tv *
form_option_tv(struct tv *list, const char *code, const char *name, bool selected)
{
	struct tv *o = tv_push(list);
	tv_set(o, "code", code);
	tv_set(o, "name", name);
	tv_setb(o, "selected", selected);
	return o;
}

int
form_countries_tv(struct req *r, struct tv *ctx, const char *region, const char *selected)
{
	struct country_list all;
	if (countries_all(r->store, r->a, &all) < 0)
		return -1;
	struct tv *list = tv_list(ctx, "countries");
	for (size_t i = 0; i < all.n; i++)
		if (region == NULL || str_eq(all.v[i].region, region))
			tv_set(form_option_tv(list, all.v[i].code, all.v[i].name, str_eq(selected, all.v[i].code)), "region",
			    all.v[i].region_name);
	return 0;
}

const char *
check_phone(struct req *r, const char *v)
{
	(void)r;
	return phone_valid(v) ? NULL : N_("Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.");
}

const char *
check_https_url(struct req *r, const char *v)
{
	(void)r;
	return https_url_valid(v) ? NULL : N_("Enter a web address that starts with https://, like https://contoso.com.");
}

const char *
check_password(struct req *r, const char *v)
{
	(void)r;
	return password_problem(v, NULL);
}

void
form_check_new_password(struct req *r, struct form *f, const char *email)
{
	const char *pw = req_form(r, "password");
	const char *why = pw != NULL ? password_problem(pw, email) : NULL;
	if (why != NULL)
		form_fail(f, "password", why);
	if (!str_eq(pw, req_form(r, "password2")))
		form_fail(f, "password2", N_("The two passwords are not the same."));
}
