/* prorate.h - charges prorated by days within a support period (R-M5, R-M6, R-I7). */
#ifndef LB_PRORATE_H
#define LB_PRORATE_H

#include "core/date.h"
#include "core/money.h"

/* Calendar days from..to, both included; 0 when to < from. */
long prorate_days_between(lb_date from, lb_date to);

/* annual * days(from..to) / days(period_start..period_end), rounded half
 * away from zero to the cent. For R-M5 (a shortened or lengthened
 * period: from..to is the period, period_start..period_end one year) and
 * R-M6/R-I7 (an upgrade from its date to the next anniversary). LB_OK,
 * LB_EOVERFLOW, LB_EINPUT when the period is empty. */
int prorate_by_days(money *out, money annual, lb_date from, lb_date to, lb_date period_start,
                    lb_date period_end);

/* The year of support starting on `start`: start + 1 year - 1 day (R-M1, R-0.4). */
lb_date prorate_year_end(lb_date start);

#endif
