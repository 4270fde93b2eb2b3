/* digest.h - SHA-256 (nettle) as lowercase hex. */
#ifndef LB_DIGEST_H
#define LB_DIGEST_H

#include <stddef.h>

/* out gets 64 hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char out[65]);

/* SHA-256 over every regular file below dir (names relative to dir, in
 * byte order, each as "name\0size\0content"): the inputs' fingerprint of a
 * run. 0 or LB_EIO/LB_ENOMEM. */
int digest_sha256_tree(const char *dir, char out[65]);

#endif
