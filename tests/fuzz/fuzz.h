/* fuzz: what every harness shares. A harness defines LLVMFuzzerTestOneInput; it is linked
 * with libFuzzer to fuzz, or with replay.c to replay a corpus under `make fuzz-replay`. */
#ifndef CAIRN_FUZZ_H
#define CAIRN_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the code under test is a crash, so the fuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
