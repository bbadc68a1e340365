/* form.c — see form.h. */
#include "web/form.h"

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

/* Characters (code points) in valid UTF-8 s: what "at most N characters" counts. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
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
			if (fd->flags & FF_REQUIRED)
				form_fail(f, fd->name, strcmp(fd->type, "checkbox") == 0
				    ? arena_printf(r->a, "Tick this box to continue.")
				    : strcmp(fd->type, "select") == 0
				    ? arena_printf(r->a, "Choose %s.", fd->label)
				    : arena_printf(r->a, "Enter %s.", fd->label));
			continue;
		}
		if (fd->max && utf8_chars(v) > fd->max)
			form_fail(f, fd->name, arena_printf(r->a, "Use at most %zu characters.", fd->max));
		else if (text_has_control(v, fd->flags & FF_MULTILINE))
			form_fail(f, fd->name, "Remove the control characters from this field.");
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
		tv_set(o, "label", fd->label);
		tv_set(o, "type", fd->type);
		tv_set(o, "value", (fd->flags & FF_SECRET) ? "" : f->value[i]);
		tv_setb(o, "checked", f->value[i] != NULL && *f->value[i] != '\0');
		tv_set(o, "error", f->error[i]);
		tv_set(o, "help", fd->help);
		tv_setb(o, "required", fd->flags & FF_REQUIRED);
		tv_set(o, "autocomplete", fd->autocomplete);
		if (fd->max)
			tv_seti(o, "max", (long long)fd->max);
		if (f->error[i] != NULL) {
			struct tv *e = tv_push(errs);
			tv_setf(e, "id", "f-%s", fd->name);
			tv_set(e, "label", fd->label);
			tv_set(e, "message", f->error[i]);
		}
	}
}

/* ---- validators ---- */

const char *
check_email(struct req *r, const char *v)
{
	(void)r;
	return email_valid(v) ? NULL : "Enter an email address like name@example.com.";
}

const char *
check_domain(struct req *r, const char *v)
{
	(void)r;
	return domain_valid(v) ? NULL : "Enter a domain name like contoso.com (letters, digits and hyphens, with a dot).";
}

const char *
check_country(struct req *r, const char *v)
{
	struct country c;
	return country_get(r->store, r->a, v, &c) == 1 ? NULL : "Choose a country from the list.";
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
	return phone_valid(v) ? NULL : "Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.";
}

const char *
check_https_url(struct req *r, const char *v)
{
	(void)r;
	return https_url_valid(v) ? NULL : "Enter a web address that starts with https://, like https://contoso.com.";
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
		form_fail(f, "password2", "The two passwords are not the same.");
}
