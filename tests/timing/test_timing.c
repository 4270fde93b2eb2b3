/* test_timing.c - R-T1, R-T2, R-T3, R-T4, R-T5, R-T6: reporting periods, due dates, whole months, 30-day months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules/timing.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static void november_is_billed_from_the_period_2_sep_to_1_oct_R_T1_R_T3(void **state)
{
  (void)state;
  lb_date s, e;
  timing_report_period(month_from_ym(2026, 11), &s, &e);
  assert_int_equal(s, D(2026, 9, 2));
  assert_int_equal(e, D(2026, 10, 1));
  /* across a year end: January 2027 <- 2 Nov .. 1 Dec 2026 */
  timing_report_period(month_from_ym(2027, 1), &s, &e);
  assert_int_equal(s, D(2026, 11, 2));
  assert_int_equal(e, D(2026, 12, 1));
}

static void a_report_is_on_time_until_the_9th_R_T2(void **state)
{
  (void)state;
  lb_date end = D(2026, 10, 1);
  assert_int_equal(timing_report_due(end), D(2026, 10, 9));
  assert_true(timing_report_on_time(end, D(2026, 10, 9), 0));
  assert_false(timing_report_on_time(end, D(2026, 10, 10), 0));
  /* an extension recorded for the machine keeps a late report valid */
  assert_true(timing_report_on_time(end, D(2026, 10, 14), 1));
}

static void installed_on_the_first_charges_that_month_else_the_next_R_T4(void **state)
{
  (void)state;
  assert_int_equal(timing_first_month(D(2026, 11, 1)), month_from_ym(2026, 11));
  assert_int_equal(timing_first_month(D(2026, 11, 2)), month_from_ym(2026, 12));
  assert_int_equal(timing_first_month(D(2026, 12, 31)), month_from_ym(2027, 1));
}

static void discontinued_programs_run_to_the_month_end_and_notices_take_effect_next_month_R_T5(void **state)
{
  (void)state;
  lb_month nov = month_from_ym(2026, 11);
  /* discontinued on the 1st or during November: November is charged, December not */
  assert_int_equal(timing_last_month(D(2026, 11, 1), DATE_NONE), nov);
  assert_int_equal(timing_last_month(D(2026, 11, 17), DATE_NONE), nov);
  assert_true(timing_month_charged(nov, D(2020, 1, 1), D(2026, 11, 1), DATE_NONE));
  assert_false(timing_month_charged(nov + 1, D(2020, 1, 1), D(2026, 11, 1), DATE_NONE));
  /* notice received 20 Oct takes effect 1 Nov: charged through November */
  assert_int_equal(timing_last_month(DATE_NONE, D(2026, 10, 20)), nov);
  assert_true(timing_month_charged(nov, D(2020, 1, 1), DATE_NONE, D(2026, 10, 20)));
  assert_false(timing_month_charged(nov + 1, D(2020, 1, 1), DATE_NONE, D(2026, 10, 20)));
  /* both: the later of the two. A discontinuance back-dated to 15 September with the notice received 20
   * October takes effect on 1 November (002 §5.14.12): October and November are still owed */
  assert_int_equal(timing_last_month(D(2026, 9, 15), D(2026, 10, 20)), nov);
  assert_true(timing_month_charged(nov, D(2020, 1, 1), D(2026, 9, 15), D(2026, 10, 20)));
  assert_false(timing_month_charged(nov + 1, D(2020, 1, 1), D(2026, 9, 15), D(2026, 10, 20)));
  /* a discontinuance the notice dates later (1 March 2027) runs to it */
  assert_int_equal(timing_last_month(D(2027, 3, 1), D(2026, 10, 20)), month_from_ym(2027, 3));
  assert_int_equal(timing_last_month(DATE_NONE, DATE_NONE), MONTH_NONE);
}

static void non_system_z_charges_prorate_on_a_30_day_month_R_T6(void **state)
{
  (void)state;
  lb_month jan = month_from_ym(2027, 1), feb = month_from_ym(2027, 2), mar = month_from_ym(2027, 3);
  assert_int_equal(timing_days_in_30(jan, D(2026, 12, 1), DATE_NONE), 30);
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 1), DATE_NONE), 30);  /* a whole month is 30 */
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 2), DATE_NONE), 29);  /* days 2..30 */
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 15), DATE_NONE), 16); /* days 15..30: the 31st adds none */
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 30), DATE_NONE), 1);
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 31), DATE_NONE), 0);  /* from the 31st: from the next month */
  assert_int_equal(timing_days_in_30(feb, D(2027, 2, 15), DATE_NONE), 16); /* days 15..30 of a thirty-day February */
  assert_int_equal(timing_days_in_30(feb, D(2027, 2, 28), DATE_NONE), 3);  /* 28 Feb stands for 28, 29 and 30 */
  assert_int_equal(timing_days_in_30(month_from_ym(2028, 2), D(2028, 2, 28), DATE_NONE), 3); /* leap year: 28, 29 */
  assert_int_equal(timing_days_in_30(month_from_ym(2028, 2), D(2028, 2, 29), DATE_NONE), 2);
  assert_int_equal(timing_days_in_30(feb, D(2027, 2, 1), DATE_NONE), 30);  /* a whole February is 30 */
  assert_int_equal(timing_days_in_30(feb, D(2026, 2, 28), D(2027, 2, 27)), 27); /* ends on the 27th */
  assert_int_equal(timing_days_in_30(jan, D(2027, 2, 1), DATE_NONE), 0);
  assert_int_equal(timing_days_in_30(jan, D(2026, 6, 1), D(2027, 1, 10)), 10); /* ends on the 10th */
  assert_int_equal(timing_days_in_30(jan, D(2026, 6, 1), D(2027, 1, 30)), 30); /* through the 30th: the month */
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 5), D(2027, 1, 10)), 6);
  assert_int_equal(timing_days_in_30(jan, D(2025, 1, 1), D(2026, 12, 31)), 0);
  /* a charge of a 31st alone is one day, never none */
  assert_int_equal(timing_days_in_30(jan, D(2027, 1, 31), D(2027, 1, 31)), 1);
  assert_int_equal(timing_days_in_30(mar, D(2027, 3, 31), D(2027, 3, 31)), 1);
}

/* R-T6: on thirty-day months a support year is 360 days whatever day it starts on, so a day is always 1/360 of
 * the annual charge and a whole month 1/12 (the one exception: a year from 29 February, which ends on
 * 27 February, is 359). */
static void a_support_year_is_360_days_on_thirty_day_months_R_T6_R_0_4(void **state)
{
  (void)state;
  static const int starts[][3] = {{2026, 2, 28}, {2027, 2, 28}, {2028, 2, 28}, {2026, 1, 31}, {2026, 3, 31},
                                  {2026, 3, 1},  {2026, 11, 3}, {2026, 8, 30}, {2026, 4, 30}, {2026, 12, 31},
                                  {2026, 1, 1},  {2026, 1, 15}};
  for(size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
    lb_date s = D(starts[i][0], starts[i][1], starts[i][2]), e = date_add_months(s, 12) - 1;
    long days = 0;
    for(lb_month m = month_of(s); m <= month_of(e); m++)
      days += timing_days_in_30(m, s, e);
    if(days != 360)
      fail_msg("the year from %d-%02d-%02d has %ld days on thirty-day months, expected 360", starts[i][0],
               starts[i][1], starts[i][2], days);
  }
  lb_date s = D(2028, 2, 29), e = date_add_months(s, 12) - 1;
  assert_int_equal(e, D(2029, 2, 27));
  long days = 0;
  for(lb_month m = month_of(s); m <= month_of(e); m++)
    days += timing_days_in_30(m, s, e);
  assert_int_equal(days, 359);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(november_is_billed_from_the_period_2_sep_to_1_oct_R_T1_R_T3),
    cmocka_unit_test(a_report_is_on_time_until_the_9th_R_T2),
    cmocka_unit_test(installed_on_the_first_charges_that_month_else_the_next_R_T4),
    cmocka_unit_test(discontinued_programs_run_to_the_month_end_and_notices_take_effect_next_month_R_T5),
    cmocka_unit_test(non_system_z_charges_prorate_on_a_30_day_month_R_T6),
    cmocka_unit_test(a_support_year_is_360_days_on_thirty_day_months_R_T6_R_0_4),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
