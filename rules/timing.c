/* timing.c - R-T1..R-T6: reporting periods, report deadlines, whole-month and 30-day-month charging. */
#include "rules/timing.h"

/* R-T1, R-T3 */
void timing_report_period(lb_month m, lb_date *start, lb_date *end)
{
  *start = month_first_day(m - 2) + 1; /* the 2nd of M-2 */
  *end = month_first_day(m - 1);       /* the 1st of M-1 */
}

/* R-T2: due between the 2nd and the 9th of the month the period ends in */
lb_date timing_report_due(lb_date period_end) { return month_first_day(month_of(period_end)) + 8; }

int timing_report_on_time(lb_date period_end, lb_date received, int extension)
{
  if(extension)
    return 1;
  return received <= timing_report_due(period_end);
}

/* R-T4 */
lb_month timing_first_month(lb_date installed)
{
  lb_month m = month_of(installed);
  return installed == month_first_day(m) ? m : m + 1;
}

/* R-T5 */
lb_month timing_last_month(lb_date discontinued, lb_date notice)
{
  lb_month last = MONTH_NONE;
  if(discontinued != DATE_NONE)
    last = month_of(discontinued);
  if(notice != DATE_NONE) {
    /* "the effective date of discontinuance will be the first of the month following IBM's receipt of the
     * Government's written notice" (002 §5.14.12), charged through that month (§5.12): a discontinuance dated
     * before it takes effect no earlier, one dated after it when it says */
    lb_month eff = month_of(notice) + 1;
    if(last == MONTH_NONE || eff > last)
      last = eff;
  }
  return last;
}

int timing_month_charged(lb_month m, lb_date installed, lb_date discontinued, lb_date notice)
{
  lb_month last = timing_last_month(discontinued, notice);
  return m >= timing_first_month(installed) && (last == MONTH_NONE || m <= last);
}

/* R-T6: where day d begins on its thirty-day month, 0..30: the 31st begins (and ends) at 30 */
static int day30_begin(lb_date d)
{
  int day = (int)(d - month_first_day(month_of(d)));
  return day > 30 ? 30 : day;
}

/* R-T6: where day d ends: the month's last day at 30 (February's stands for the days up to the 30th) */
static int day30_end(lb_date d)
{
  int day = (int)(d - month_first_day(month_of(d))) + 1;
  if(d == month_last_day(month_of(d)) || day > 30)
    return 30;
  return day;
}

/* R-T6 */
int timing_days_in_30(lb_month m, lb_date from, lb_date to)
{
  lb_date first = month_first_day(m), last = month_last_day(m);
  lb_date a = from > first ? from : first, b = (to != DATE_NONE && to < last) ? to : last;
  if(b < a)
    return 0;
  if(from == to && day30_end(b) == day30_begin(a))
    return 1; /* a charge of a 31st alone: one day, never none */
  return day30_end(b) - day30_begin(a);
}
