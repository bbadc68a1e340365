/* fuzz_token.c — the link token decoder (token_open) with a fixed key (id 7).
 * Input: one byte choosing the expected purpose, then the token text.
 * Invariants: only a token this key minted is accepted, and then it is exactly the text
 * token_make produces for its fields (one spelling per token); every refusal has words. */
#include <string.h>

#include "fuzz.h"
#include "base/keys.h"
#include "base/token.h"

#define NOW 1800000000

static const unsigned char fuzz_key[32] = {
	0x51, 0x0e, 0x3a, 0x77, 0x10, 0x92, 0xc4, 0x2b, 0x8f, 0x60, 0x01, 0xd3, 0x5c, 0xee, 0x19, 0x44,
	0x7a, 0x28, 0xb1, 0x03, 0x6d, 0xf0, 0x95, 0x3e, 0xc7, 0x0b, 0x82, 0x5f, 0x14, 0xa9, 0x66, 0xdd,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 1u << 20);
		keys_set_for_test(7, fuzz_key);
		ready = 1;
	}
	if (size < 1)
		return 0;
	enum token_purpose want = (enum token_purpose)(data[0] % (TP__MAX + 1));
	char *text = arena_alloc(&a, size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	struct token t;
	memset(&t, 0, sizeof(t));
	enum token_error e = token_open(text, want, NOW, &t);
	FUZZ_CHECK(e >= TOKEN_OK && e <= TOKEN_EXPIRED);
	if (e == TOKEN_OK) {
		FUZZ_CHECK(t.purpose == want && t.kid == 7 && t.expires > NOW);
		char *again = token_make(&a, t.purpose, t.row, t.expires);
		FUZZ_CHECK(again != NULL && strcmp(again, text) == 0);
	} else {
		const char *why = token_error_text(e);
		FUZZ_CHECK(why != NULL && why[0] != '\0');
	}
	arena_reset(&a);
	return 0;
}
