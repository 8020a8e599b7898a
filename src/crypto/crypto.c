#include "crypto/crypto.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

static char dummy_hash[CRYPTO_PASSWORD_HASH_MAX];

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

/* At most one password hash per core at a time: each takes PW_MEMLIMIT of memory, and the
 * writes (sign-in among them) run on many threads (src/http/server.c). */
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_free = PTHREAD_COND_INITIALIZER;
static int hashing;

static void hash_enter(void)
{
	static long most;
	pthread_mutex_lock(&hash_lock);
	if (most == 0) {
		most = sysconf(_SC_NPROCESSORS_ONLN);
		if (most < 1)
			most = 1;
	}
	while (hashing >= most)
		pthread_cond_wait(&hash_free, &hash_lock);
	hashing++;
	pthread_mutex_unlock(&hash_lock);
}

static void hash_leave(void)
{
	pthread_mutex_lock(&hash_lock);
	hashing--;
	pthread_cond_signal(&hash_free);
	pthread_mutex_unlock(&hash_lock);
}

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
	hash_enter();
	int rc = crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
				       crypto_pwhash_ALG_ARGON2ID13);
	hash_leave();
	return rc == 0 ? 0 : -1;
}

int crypto_password_verify(const char *hash, const char *password)
{
	if (hash == NULL || hash[0] == '\0')
		hash = dummy_hash;
	hash_enter();
	int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	hash_leave();
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
