/* timing.h - periods and timing rules R-T1..R-T6 and R-T2a's neighbours: which report drives which month, when charges run. */
#ifndef LB_TIMING_H
#define LB_TIMING_H

#include "core/date.h"
#include "core/money.h"

/* R-T1 + R-T3: billing month M is charged from the reporting period
 * 2nd of M-2 .. 1st of M-1. The one place that mapping lives. */
void timing_report_period(lb_month m, lb_date *start, lb_date *end);

/* R-T2: the last day a report for the period ending on period_end is on
 * time: the 9th of the month in which the period ends. */
lb_date timing_report_due(lb_date period_end);

/* R-T2: 1 if a report received on `received` is on time (2nd..9th of the
 * month the period ends in, or an extension was recorded). */
int timing_report_on_time(lb_date period_end, lb_date received, int extension);

/* R-T4: first month a System z MLC/ALC charge runs for a program
 * installed on `installed`: that month if installed on the 1st, else the next. */
lb_month timing_first_month(lb_date installed);

/* R-T5: last month charged for a System z program discontinued on
 * `discontinued` and/or whose written notice was received on `notice`
 * (either may be DATE_NONE): the notice takes effect on the 1st of the
 * following month, and a program discontinued on the 1st or during a month
 * is charged through that month's end; with both, the later of the two
 * (a discontinuance dated before the notice takes effect when the notice
 * does). MONTH_NONE when neither is given. */
lb_month timing_last_month(lb_date discontinued, lb_date notice);

/* R-T4/R-T5: 1 when month m is charged. */
int timing_month_charged(lb_month m, lb_date installed, lb_date discontinued, lb_date notice);

/* R-T6: the days of month m a non-System-z charge running from `from` to
 * `to` (inclusive; DATE_NONE: no end) is charged for, on a thirty-day
 * month (002 §5.12): every month has days 1..30, so the whole month is 30;
 * a charge from day d to the month's end is 31 - d days (the 31st adds no
 * day, the last day of February the days up to the 30th: from 28 February
 * 3); one ending on day e before the month's last day is e days (at most
 * 30). 0 when it does not touch the month; a charge of a 31st alone is
 * one day, so that it is never lost. A year from any day but 29 February
 * is 360 days (from 29 February, ending 27 February under, 359). */
int timing_days_in_30(lb_month m, lb_date from, lb_date to);

#endif
