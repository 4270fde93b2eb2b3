/* digest.h - SHA-256 (nettle) as lowercase hex. */
#ifndef LB_DIGEST_H
#define LB_DIGEST_H

#include <stddef.h>

/* out gets 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char out[65]);

#endif
