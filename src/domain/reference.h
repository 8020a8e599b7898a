/* reference: short references shown to people and read back over the phone, such as
 * "R-7K3M-9QXT". The alphabet is the 31 characters "23456789ABCDEFGHJKMNPQRSTUVWXYZ":
 * digits and capitals without 0 and O, 1, I and L, which are mistaken for one another.
 * Eight characters give 31^8 (about 2^39.6) references. */
#ifndef CAIRN_REFERENCE_H
#define CAIRN_REFERENCE_H
#include <stddef.h>

#define REFERENCE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
/* Characters of a reference after its prefix, not counting dashes. */
#define REFERENCE_CHARS 8
/* Longest prefix accepted; a prefix is capital letters or digits, such as "R" or "O". */
#define REFERENCE_PREFIX_MAX 8
/* Room for a reference with the longest prefix and its NUL. */
#define REFERENCE_MAX (REFERENCE_PREFIX_MAX + 1 + REFERENCE_CHARS + 1 + 1)

/* Writes prefix, dash, 4 characters, dash, 4 characters into the caller's out, derived from
 * the caller's 8 random bytes; an empty or NULL prefix writes just "7K3M-9QXT". If n is too
 * small or the prefix longer than REFERENCE_PREFIX_MAX, out is set to "" (when n > 0). */
void reference_format(const unsigned char random[8], const char *prefix, char *out, size_t n);

/* Turns what someone typed ("r 7k3m 9qxt", "7K3M9QXT", "R-7K3M-9QXT") into the canonical
 * form in the caller's out: case, spaces and dashes do not matter and the prefix may be left
 * off. Returns -1, leaving out as "" when n > 0, if it cannot be a reference (a character
 * outside the alphabet, wrong length, another prefix) or out is too small. */
int reference_normalise(const char *typed, const char *prefix, char *out, size_t n);

#endif
