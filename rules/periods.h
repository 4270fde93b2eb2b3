/* periods.h - support rows of a license (support.csv): offering, role, the period before or around a row. */
#ifndef LB_PERIODS_H
#define LB_PERIODS_H

#include "rules/rule.h"

/* The charge type that prices a support row: CT_SS for offering "SS" or
 * "S&S" (System z Subscription and Support, 002 §5.15.12), CT_SWMA for
 * "SWMA", "6942-73G" or "6942-12F" (IBM i Software Maintenance and its After
 * License Fee offerings, seed 003); CT__COUNT when the offering is unknown. */
charge_type periods_offering_ct(const char *offering);

/* 1 for the After License Fee discount offerings 6942-73G and 6942-12F (R-M2). */
int periods_alf_offering(const char *offering);

/* 1 when the row is a support period (kind period, renewal, reinstatement
 * or anniversary); upgrade and excess rows are charges inside or beside
 * the periods. */
int periods_is_period(const support_row *s);

/* R-M1: the period of the same license that ends the day before s starts;
 * NULL when none. Pointers are into cd->support. */
const support_row *periods_prior(const cust_data *cd, const support_row *s);

/* The latest period of the same license that ends before s starts (the
 * coverage that lapsed before a reinstatement); NULL when none. */
const support_row *periods_before(const cust_data *cd, const support_row *s);

/* R-M6: the period of the same license, other than s, that contains the day
 * s starts; NULL when none. */
const support_row *periods_around(const cust_data *cd, const support_row *s);

/* R-M1: 1 when a renewal (kind renewal or anniversary) s following `prior`
 * has a funded order dated no later than the end of `prior`. */
int periods_funded(const support_row *s, const support_row *prior);

/* 1 when s..e is exactly one support year (R-M1): e is the day before the
 * same date a year after s. */
int periods_one_year(lb_date s, lb_date e);

/* Check the customer's support rows before anything is priced: a known
 * offering that agrees with the license (R-M4: Secure Support only on S&S),
 * a first period first, renewals one year after a prior period (R-M1),
 * reinstatements with expiration and order dates (R-M2, R-M3), upgrades
 * inside a period up to its end (R-M6), excess use with an order date
 * (R-M7), no overlapping periods. Every problem is reported in d with its
 * support.csv line and column; returns LB_EINPUT then, else LB_OK. */
int periods_check(const rule_ctx *ctx, diag_list *d);

#endif
