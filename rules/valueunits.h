/* valueunits.h - MSUs to Value Units through a product's Value Unit Exhibit (R-I5). */
#ifndef LB_VALUEUNITS_H
#define LB_VALUEUNITS_H

#include <stddef.h>

#include "input/model.h"

/* R-I5: the Value Units of `msus` (>= 0) on the exhibit tiers t[0..n)
 * (sorted by from_msu, checked contiguous at load): the sum over the tiers
 * of (MSUs inside the tier) x (the tier's VUs per MSU), graduated like
 * R-W1, then rounded UP to a whole Value Unit. All in integers: *exact
 * (may be NULL) gets the sum in 1/10000 VU before rounding. `detail` (may
 * be NULL, dsize bytes) gets the computation in words, e.g.
 * "3 x 1.0000 + 42 x 0.4500 = 21.9000". *vus is written only on success.
 * Returns LB_OK; LB_EINPUT when msus is negative or lies above the last
 * tier of a closed exhibit (nothing to convert it with); LB_EOVERFLOW. */
int vu_convert(const vu_tier *t, size_t n, long msus, long *vus, money *exact, char *detail, size_t dsize);

#endif
