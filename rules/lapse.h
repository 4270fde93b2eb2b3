/* lapse.h - R-M2: the After License Fee discount of IBM i SWMA by how long coverage lapsed (seed 003). */
#ifndef LB_LAPSE_H
#define LB_LAPSE_H

#include "core/date.h"

/* First order date that qualifies for the discount offering (seed 003:
 * "Orders must be received by IBM on or after April 3, 2012"). */
#define LAPSE_OFFER_START_Y 2012
#define LAPSE_OFFER_START_M 4
#define LAPSE_OFFER_START_D 3

/* R-M2: the discount in whole percent off the After License Fee for an
 * order on `ordered` after coverage expired on `expired` (the last day
 * covered). The lapse is counted in calendar months from the expiration
 * date, clamped to month ends; one day past a month boundary adds
 * a month: ordered <= expired + 1 month -> 100 (the fee is waived),
 * <= + 2 -> 86, + 3 -> 74, + 4 -> 65, + 5 -> 56, + 6 -> 48, + 7 -> 39,
 * + 8 -> 30, + 9 -> 22, + 10 -> 14, <= + 12 -> 8, later -> 0.
 * *months (may be NULL) gets the lapse in started months (1..12), or 13
 * when longer than 12 months. Requires ordered > expired; returns -1
 * otherwise. Pure. */
int lapse_discount_pct(lb_date expired, lb_date ordered, int *months);

/* R-M2: the band of seed 003's table that `months` (as lapse_discount_pct
 * gives it, 1..12) falls in, in the table's words ("less than 1 month",
 * "at least 1 month, but less than 2 months", ... "at least 10 months, but
 * less than 12 months"; 11 and 12 share the last band, whose end 003's
 * example puts at expiry + 12 months inclusive). NULL outside 1..12. */
const char *lapse_band_text(int months);

#endif
