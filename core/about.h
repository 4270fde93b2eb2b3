/* about.h - what this licbill is: its version and the rule book it computes by (docs/rules.md, embedded at
 * build time by scripts/embed_about.py), recorded by every run and sealed with every month. */
#ifndef LB_ABOUT_H
#define LB_ABOUT_H

#include <stddef.h>

extern const char licbill_version[];       /* VERSION */
extern const char rulebook_sha256[];       /* of docs/rules.md, hex */
extern const unsigned char rulebook[];     /* docs/rules.md, NUL-terminated */
extern const size_t rulebook_len;          /* its bytes, without the NUL */

#endif
