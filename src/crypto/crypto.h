/* crypto: libsodium wrappers for passwords, random tokens and CSRF tokens. */
#ifndef CAIRN_CRYPTO_H
#define CAIRN_CRYPTO_H
#include <stddef.h>

#include "core/err.h"

/* An Argon2id hash string is at most this long, with its NUL. */
#define CRYPTO_PASSWORD_HASH_MAX 128
/* A token is 32 random bytes in unpadded base64url: 43 characters. */
#define CRYPTO_TOKEN_LEN 43
/* A token's digest as stored: 64 hex characters. */
#define CRYPTO_DIGEST_HEX 65

int crypto_init(struct err *e);

/* Argon2id (19 MiB, 2 passes: OWASP's recommended minimum; it keeps sign-in from
 * dominating memory under load). out holds CRYPTO_PASSWORD_HASH_MAX bytes. */
int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_MAX]);
/* 0 when password matches the stored hash, -1 otherwise. */
int crypto_password_verify(const char *hash, const char *password);
/* A hash of a random password, for accounts that may not sign in yet: verifying against
 * it costs what a real check costs, so timing does not tell whether an account exists. */
const char *crypto_password_dummy_hash(void);

/* Fills out (CRYPTO_TOKEN_LEN + 1 bytes) with a new random token. */
void crypto_token(char out[CRYPTO_TOKEN_LEN + 1]);
/* Fills buf with n random bytes. */
void crypto_random(void *buf, size_t n);
/* The SHA-256 of a token in hex: tokens are stored only as digests. */
void crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_HEX]);
/* HMAC-SHA-256 of message under key, as unpadded base64url in out (44 bytes). */
void crypto_mac(const unsigned char key[32], const char *message, char out[44]);
/* Constant-time comparison of two NUL-terminated strings; 0 when equal. */
int crypto_equal(const char *a, const char *b);

#endif
