#include "crypto/crypto.h"

#include <sodium.h>
#include <string.h>

static char dummy_hash[CRYPTO_PASSWORD_HASH_MAX];

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

int crypto_init(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, "libsodium could not start");
	char pw[CRYPTO_TOKEN_LEN + 1];
	crypto_token(pw);
	if (crypto_password_hash(pw, dummy_hash) != 0)
		return err_set(e, "not enough memory to hash a password");
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_PASSWORD_HASH_MAX, "hash buffer too small");
	return crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
				     crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int crypto_password_verify(const char *hash, const char *password)
{
	if (hash == NULL || hash[0] == '\0')
		hash = dummy_hash;
	int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	return ok && hash != dummy_hash ? 0 : -1;
}

const char *crypto_password_dummy_hash(void)
{
	return dummy_hash;
}

void crypto_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void crypto_token(char out[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CRYPTO_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void crypto_token_digest(const char *token, char out[CRYPTO_DIGEST_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, CRYPTO_DIGEST_HEX, d, sizeof(d));
}

void crypto_mac(const unsigned char key[32], const char *message, char out[44])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)message, strlen(message), key);
	sodium_bin2base64(out, 44, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int crypto_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return -1;
	return sodium_memcmp(a, b, la) == 0 ? 0 : -1;
}
