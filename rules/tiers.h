/* tiers.h - R-W1 tiered pricing: MSUs spread over a price book's tiers. */
#ifndef LB_TIERS_H
#define LB_TIERS_H

#include <stddef.h>

#include "input/model.h"
#include "core/invoice.h"

/* R-W1: the charge for `qty` over the tiers book[0..n) (sorted, checked
 * contiguous at load): sum of qty-in-tier * unit_price plus the fixed
 * base charge of every tier reached. *amount is exact (1/10000, not yet
 * rounded). parts (may be NULL) has room for n parts and receives the
 * tiers reached, *nparts their count. Returns 0 or LB_EOVERFLOW. */
int tiers_price(const price *book, size_t n, long qty, money *amount, tier_part *parts, int *nparts);

#endif
