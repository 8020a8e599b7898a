/* Unit tests for src/crypto: password hashing, tokens, digests, MACs (the CSRF tokens are
 * MACs of the session) and constant-time comparison. Argon2id is slow on purpose, so
 * passwords are hashed only a few times. */
#include <string.h>

#include "core/err.h"
#include "crypto/crypto.h"
#include "unit.h"

static int is_base64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int is_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void test_passwords(void)
{
	char hash[CRYPTO_PASSWORD_HASH_MAX], again[CRYPTO_PASSWORD_HASH_MAX];
	CHECK_INT(crypto_password_hash("correct horse battery staple", hash), 0);
	CHECK(strncmp(hash, "$argon2id$", 10) == 0);
	CHECK(strlen(hash) < CRYPTO_PASSWORD_HASH_MAX);
	CHECK(strstr(hash, "correct") == NULL);

	CHECK_INT(crypto_password_verify(hash, "correct horse battery staple"), 0);
	CHECK_INT(crypto_password_verify(hash, "correct horse battery stapl"), -1);
	CHECK_INT(crypto_password_verify(hash, "Correct horse battery staple"), -1);
	CHECK_INT(crypto_password_verify(hash, ""), -1);

	/* Salted: the same password hashes differently each time. */
	CHECK_INT(crypto_password_hash("correct horse battery staple", again), 0);
	CHECK(strcmp(hash, again) != 0);

	/* No stored hash never verifies, whatever is typed, and a hash that is not one fails. */
	CHECK_INT(crypto_password_verify("", ""), -1);
	CHECK_INT(crypto_password_verify(NULL, ""), -1);
	CHECK_INT(crypto_password_verify(NULL, "anything"), -1);
	CHECK_INT(crypto_password_verify("not a hash", "not a hash"), -1);

	/* The dummy hash is a real Argon2id hash that nothing typed verifies against. */
	const char *dummy = crypto_password_dummy_hash();
	CHECK(strncmp(dummy, "$argon2id$", 10) == 0);
	CHECK_INT(crypto_password_verify(dummy, ""), -1);
}

static void test_tokens(void)
{
	char a[CRYPTO_TOKEN_LEN + 1], b[CRYPTO_TOKEN_LEN + 1];
	crypto_token(a);
	crypto_token(b);
	CHECK_INT(strlen(a), 43);
	CHECK_INT(strlen(b), 43);
	CHECK(is_base64url(a));
	CHECK(is_base64url(b));
	CHECK(strcmp(a, b) != 0);

	/* Many tokens: never a repeat among them, all well formed. */
	enum { N = 200 };
	static char many[N][CRYPTO_TOKEN_LEN + 1];
	int ok = 1;
	for (int i = 0; i < N; i++) {
		crypto_token(many[i]);
		if (strlen(many[i]) != CRYPTO_TOKEN_LEN || !is_base64url(many[i]))
			ok = 0;
		for (int j = 0; j < i; j++)
			if (strcmp(many[i], many[j]) == 0)
				ok = 0;
	}
	CHECK(ok);

	unsigned char r1[32] = {0}, r2[32] = {0}, zero[32] = {0};
	crypto_random(r1, sizeof(r1));
	crypto_random(r2, sizeof(r2));
	CHECK(memcmp(r1, r2, sizeof(r1)) != 0);
	CHECK(memcmp(r1, zero, sizeof(r1)) != 0);
	crypto_random(r1, 0); /* nothing to fill is fine */
}

static void test_digest(void)
{
	char d[CRYPTO_DIGEST_HEX], e[CRYPTO_DIGEST_HEX];
	crypto_token_digest("", d);
	/* SHA-256 of the empty string. */
	CHECK_STR(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_token_digest("abc", d);
	CHECK_STR(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(strlen(d), 64);
	CHECK(is_lower_hex(d));

	char t[CRYPTO_TOKEN_LEN + 1];
	crypto_token(t);
	crypto_token_digest(t, d);
	crypto_token_digest(t, e);
	CHECK_INT(strlen(d), 64);
	CHECK_STR(d, e);
	CHECK(strcmp(d, t) != 0);
}

static void test_mac(void)
{
	unsigned char k1[32], k2[32];
	memset(k1, 1, sizeof(k1));
	memset(k2, 1, sizeof(k2));
	k2[31] = 2;
	char m1[44], m2[44], m3[44];

	crypto_mac(k1, "csrf:session-a", m1);
	crypto_mac(k1, "csrf:session-a", m2);
	CHECK_INT(strlen(m1), 43);
	CHECK(is_base64url(m1));
	CHECK_STR(m1, m2); /* deterministic per key and message */

	crypto_mac(k1, "csrf:session-b", m3);
	CHECK(strcmp(m1, m3) != 0); /* another session, another token */
	crypto_mac(k2, "csrf:session-a", m3);
	CHECK(strcmp(m1, m3) != 0); /* another key, another token */
	crypto_mac(k1, "", m3);
	CHECK_INT(strlen(m3), 43);
	CHECK(strcmp(m1, m3) != 0);

	/* RFC 4231 test case 2 (HMAC-SHA-256, key "Jefe" zero-padded to 32 bytes: HMAC pads
	 * short keys with zeros, so the MAC is the RFC's), in unpadded base64url. */
	unsigned char jefe[32] = {'J', 'e', 'f', 'e'};
	crypto_mac(jefe, "what do ya want for nothing?", m3);
	/* 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 */
	CHECK_STR(m3, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
}

static void test_equal(void)
{
	CHECK_INT(crypto_equal("", ""), 0);
	CHECK_INT(crypto_equal("abc", "abc"), 0);
	CHECK_INT(crypto_equal("abc", "abd"), -1);
	CHECK_INT(crypto_equal("abc", "ab"), -1);
	CHECK_INT(crypto_equal("ab", "abc"), -1);
	CHECK_INT(crypto_equal("", "a"), -1);
	CHECK_INT(crypto_equal("Abc", "abc"), -1);

	/* What the CSRF check does: the token sent against the token expected. */
	unsigned char key[32] = {7};
	char expected[44], sent[44];
	crypto_mac(key, "csrf:tok", expected);
	memcpy(sent, expected, sizeof(sent));
	CHECK_INT(crypto_equal(sent, expected), 0);
	sent[0] = sent[0] == 'A' ? 'B' : 'A';
	CHECK_INT(crypto_equal(sent, expected), -1);
	CHECK_INT(crypto_equal("", expected), -1);
}

int main(void)
{
	struct err e;
	if (crypto_init(&e) != 0) {
		fprintf(stderr, "crypto_init: %s\n", e.msg);
		return 1;
	}
	test_passwords();
	test_tokens();
	test_digest();
	test_mac();
	test_equal();
	return unit_finish("test_crypto");
}
