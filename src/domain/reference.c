#include "domain/reference.h"

#include <stdint.h>
#include <string.h>

#define ALPHABET_SIZE (sizeof(REFERENCE_ALPHABET) - 1)

/* Typed input longer than this is not a reference, however many spaces it holds. */
#define TYPED_MAX 64

static char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int in_alphabet(char c)
{
	return c != '\0' && strchr(REFERENCE_ALPHABET, c) != NULL;
}

/* Writes prefix-XXXX-XXXX from 8 alphabet characters; -1 if it does not fit. */
static int write_reference(const char *prefix, const char chars[REFERENCE_CHARS], char *out,
			   size_t n)
{
	size_t plen = prefix != NULL ? strlen(prefix) : 0;
	size_t need = (plen > 0 ? plen + 1 : 0) + REFERENCE_CHARS + 1 + 1;
	if (plen > REFERENCE_PREFIX_MAX || n < need)
		return -1;
	char *p = out;
	if (plen > 0) {
		memcpy(p, prefix, plen);
		p += plen;
		*p++ = '-';
	}
	memcpy(p, chars, 4);
	p += 4;
	*p++ = '-';
	memcpy(p, chars + 4, 4);
	p += 4;
	*p = '\0';
	return 0;
}

void reference_format(const unsigned char random[8], const char *prefix, char *out, size_t n)
{
	/* 31^8 is about 2^39.6, so reducing a 64-bit value modulo 31 eight times leaves a bias
	 * of under 2^-24 per reference: irrelevant for identifiers that are also checked for
	 * uniqueness when stored. */
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | random[i];
	char chars[REFERENCE_CHARS];
	for (int i = 0; i < REFERENCE_CHARS; i++) {
		chars[i] = REFERENCE_ALPHABET[v % ALPHABET_SIZE];
		v /= ALPHABET_SIZE;
	}
	if (write_reference(prefix, chars, out, n) < 0 && n > 0)
		out[0] = '\0';
}

/* strlen that stops counting past max; strnlen is POSIX, not C17. */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n] != '\0')
		n++;
	return n;
}

/* 1 if typed starts (after spaces) with the prefix followed by a space or dash. */
static int explicit_prefix(const char *typed, const char *prefix, size_t plen)
{
	if (plen == 0)
		return 0;
	while (*typed == ' ' || *typed == '\t')
		typed++;
	for (size_t i = 0; i < plen; i++)
		if (to_upper(typed[i]) != to_upper(prefix[i]))
			return 0;
	return typed[plen] == '-' || typed[plen] == ' ' || typed[plen] == '\t';
}

int reference_normalise(const char *typed, const char *prefix, char *out, size_t n)
{
	if (n > 0)
		out[0] = '\0';
	if (typed == NULL || bounded_len(typed, TYPED_MAX) > TYPED_MAX)
		return -1;
	size_t plen = prefix != NULL ? strlen(prefix) : 0;
	if (plen > REFERENCE_PREFIX_MAX)
		return -1;

	/* Keep only what matters: people add spaces and dashes wherever they like. */
	char compact[TYPED_MAX + 1];
	size_t len = 0;
	for (const char *s = typed; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-' || *s == '\t')
			continue;
		compact[len++] = to_upper(*s);
	}
	compact[len] = '\0';

	/* The prefix may itself use alphabet characters ("R"). Typed with its separator
	 * ("R-", "r ") it is certainly there, so "R-7K3M-9QX" is one character short rather
	 * than the reference R7K3-M9QX; without one, only the length tells. */
	const char *chars = compact;
	if (explicit_prefix(typed, prefix, plen)) {
		if (len != plen + REFERENCE_CHARS)
			return -1;
		chars = compact + plen;
	} else if (len == plen + REFERENCE_CHARS && plen > 0) {
		for (size_t i = 0; i < plen; i++)
			if (compact[i] != to_upper(prefix[i]))
				return -1;
		chars = compact + plen;
	} else if (len != REFERENCE_CHARS) {
		return -1;
	}
	for (int i = 0; i < REFERENCE_CHARS; i++)
		if (!in_alphabet(chars[i]))
			return -1;
	if (write_reference(prefix, chars, out, n) < 0) {
		if (n > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
