/* throttle.c — see throttle.h. */
#include "base/i18n.h"
#include "domain/throttle.h"

int64_t
signin_delay(int64_t guesses)
{
	if (guesses < SIGNIN_FAILS_PER_ACCOUNT)
		return 0;
	int64_t delay = SIGNIN_DELAY_BASE;
	for (int64_t i = SIGNIN_FAILS_PER_ACCOUNT; i < guesses && delay < SIGNIN_DELAY_MAX; i++)
		delay *= 2;
	return delay < SIGNIN_DELAY_MAX ? delay : SIGNIN_DELAY_MAX;
}

bool
signin_refused(const struct signin_facts *f, int64_t now)
{
	if (f->from_address >= SIGNIN_FAILS_PER_ADDRESS)
		return true;
	if (f->usual_place)
		return f->here >= SIGNIN_FAILS_PER_ACCOUNT;
	return now < f->last_guess + signin_delay(f->guesses);
}

int
signin_facts_read(struct store *s, const char *email, const char *ip, int64_t now, struct signin_facts *out)
{
	*out = (struct signin_facts){ 0 };
	const char *from = ip != NULL ? ip : "";
	out->from_address = st_credential_failures_from(s, from, now - SIGNIN_WINDOW);
	if (out->from_address < 0)
		return -1;
	int usual = *from ? st_signin_ok_from(s, email, from, now - SIGNIN_USUAL_PLACE) : 0;
	if (usual < 0)
		return -1;
	out->usual_place = usual == 1;
	if (out->usual_place) {
		out->here = st_credential_failures_of_at(s, email, from, now - SIGNIN_WINDOW);
		return out->here < 0 ? -1 : 0;
	}
	return st_credential_guesses_of(s, email, now - SIGNIN_DELAY_WINDOW, &out->guesses, &out->last_guess);
}

int
signin_throttled(struct store *s, const char *email, const char *ip, int64_t now)
{
	struct signin_facts f;
	if (signin_facts_read(s, email, ip, now, &f) < 0)
		return -1;
	return signin_refused(&f, now) ? 1 : 0;
}

int
reset_mail_throttled(struct store *s, const char *email, const char *ip, int64_t now)
{
	int64_t since = now - RESET_MAIL_WINDOW;
	int64_t of = st_reset_requests_of(s, email, since);
	int64_t from = of >= 0 ? st_reset_requests_from(s, ip, since) : -1;
	if (from < 0)
		return -1;
	return of >= RESET_MAIL_PER_ADDRESS || from >= RESET_MAIL_PER_CLIENT;
}

int
signup_mail_throttled(struct store *s, const char *email, int64_t now)
{
	int64_t of = st_outbox_signup_mails(s, email, now - SIGNUP_MAIL_WINDOW);
	return of < 0 ? -1 : of >= SIGNUP_MAIL_PER_ADDRESS;
}
