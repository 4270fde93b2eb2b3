/* test_money.c - exact money: checked arithmetic, R-0.1/R-0.2 rounding at the edges, strict parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/money.h"
#include "core/date.h"

static void add_and_mul_detect_overflow_and_leave_the_result_alone(void **state)
{
  (void)state;
  money r = 7;
  assert_int_equal(money_add(&r, INT64_MAX, 1), LB_EOVERFLOW);
  assert_int_equal(r, 7);
  assert_int_equal(money_sub(&r, INT64_MIN, 1), LB_EOVERFLOW);
  assert_int_equal(money_mul_int(&r, INT64_MAX / 2, 3), LB_EOVERFLOW);
  assert_int_equal(r, 7);
  assert_int_equal(money_add(&r, 10000, 2500), 0);
  assert_int_equal(r, 12500);
}

static void round_cent_goes_half_away_from_zero_R_0_1(void **state)
{
  (void)state;
  money r;
  assert_int_equal(money_round_cent(&r, 12345), 0); /* 1.2345 -> 1.23 */
  assert_int_equal(r, 12300);
  assert_int_equal(money_round_cent(&r, 12350), 0); /* 1.2350 -> 1.24 (half up) */
  assert_int_equal(r, 12400);
  assert_int_equal(money_round_cent(&r, 12349), 0);
  assert_int_equal(r, 12300);
  assert_int_equal(money_round_cent(&r, -12350), 0); /* -1.2350 -> -1.24 (away from zero) */
  assert_int_equal(r, -12400);
  assert_int_equal(money_round_cent(&r, -12349), 0);
  assert_int_equal(r, -12300);
  assert_int_equal(money_round_cent(&r, 0), 0);
  assert_int_equal(r, 0);
  /* the extremes round down in magnitude: no overflow is possible */
  assert_int_equal(money_round_cent(&r, INT64_MAX), 0);
  assert_int_equal(r, INT64_MAX - 7);
}

static void percentages_round_to_the_cent_R_0_2_qst_9_975(void **state)
{
  (void)state;
  money r;
  /* QST 9.975 % of 28,852.50 = 2,878.0368... -> 2,878.04 */
  assert_int_equal(money_apply_pct(&r, 288525000, 99750), 0);
  assert_int_equal(r, 28780400);
  /* 4.5 % of 0.10 = 0.0045 -> 0.00; of 0.11 = 0.00495 -> 0.00; of 0.12 = 0.0054 -> 0.01 */
  assert_int_equal(money_apply_pct(&r, 1000, 45000), 0);
  assert_int_equal(r, 0);
  assert_int_equal(money_apply_pct(&r, 1200, 45000), 0);
  assert_int_equal(r, 100);
  /* exactly half a cent: 50 % of 0.01 = 0.005 -> 0.01, and -0.01 -> -0.01 */
  assert_int_equal(money_apply_pct(&r, 100, 500000), 0);
  assert_int_equal(r, 100);
  assert_int_equal(money_apply_pct(&r, -100, 500000), 0);
  assert_int_equal(r, -100);
  assert_int_equal(money_apply_pct(&r, INT64_MAX, 1000000000), LB_EOVERFLOW);
}

static void muldiv_prorates_by_days_R_T6(void **state)
{
  (void)state;
  money r;
  /* 1,000.00 * 17 / 30 = 566.666... -> 566.67 */
  assert_int_equal(money_muldiv_cent(&r, 10000000, 17, 30), 0);
  assert_int_equal(r, 5666700);
  assert_int_equal(money_muldiv_cent(&r, 10000000, 1, 0), LB_EOVERFLOW);
}

/* for shares: each share is the difference of two cumulative amounts, so twelve monthly shares of
 * 10,000.00 add up to 10,000.00 (rounding each month alone gives 12 x 833.33 = 9,999.96) */
static void shares_round_cumulatively_and_add_up_to_the_whole_R_0_1(void **state)
{
  (void)state;
  money_share r;
  money sum = 0;
  /* share 3 of 12: round(10,000.00 x 3/12) - round(10,000.00 x 2/12) = 2,500.00 - 1,666.67 = 833.33 */
  assert_int_equal(money_share_of(&r, 100000000, 2, 3, 12), 0);
  assert_int_equal(r.before, 16666700);
  assert_int_equal(r.upto, 25000000);
  assert_int_equal(r.amount, 8333300);
  /* share 2 of 12: 1,666.67 - 833.33 = 833.34 */
  assert_int_equal(money_share_of(&r, 100000000, 1, 2, 12), 0);
  assert_int_equal(r.amount, 8333400);
  for(int k = 1; k <= 12; k++) {
    assert_int_equal(money_share_of(&r, 100000000, k - 1, k, 12), 0);
    sum += r.amount;
  }
  assert_int_equal(sum, 100000000);
  /* 11.0 % of it, 1,100.00, in twelve shares: 91.67, 91.66, 91.67, ... add up to 1,100.00, not 1,100.04 */
  sum = 0;
  for(int k = 1; k <= 12; k++) {
    assert_int_equal(money_share_of(&r, 11000000, k - 1, k, 12), 0);
    assert_true(r.amount == 916700 || r.amount == 916600);
    sum += r.amount;
  }
  assert_int_equal(sum, 11000000);
  /* a quarter at once is the sum of its three months; days on thirty-day months likewise */
  assert_int_equal(money_share_of(&r, 100000000, 3, 6, 12), 0);
  assert_int_equal(r.amount, 25000000);
  assert_int_equal(money_share_of(&r, 12000000, 0, 3, 360), 0);
  assert_int_equal(r.amount, 100000); /* 1,200.00 x 3/360 = 10.00 */
  /* a total with a fraction of a cent: the shares add up to it rounded to the cent */
  sum = 0;
  for(int k = 1; k <= 3; k++) {
    assert_int_equal(money_share_of(&r, 1000050, k - 1, k, 3), 0);
    sum += r.amount;
  }
  assert_int_equal(sum, 1000100); /* 100.005 -> 100.01 */
  /* negative amounts round half away from zero too; an empty share is 0 */
  assert_int_equal(money_share_of(&r, -100000000, 1, 2, 12), 0);
  assert_int_equal(r.amount, -8333400);
  assert_int_equal(money_share_of(&r, 100000000, 5, 5, 12), 0);
  assert_int_equal(r.amount, 0);
  /* positions outside 0..n, or no length: an error, *r untouched */
  r.amount = 7;
  assert_int_equal(money_share_of(&r, 100000000, 0, 13, 12), LB_EOVERFLOW);
  assert_int_equal(money_share_of(&r, 100000000, 3, 2, 12), LB_EOVERFLOW);
  assert_int_equal(money_share_of(&r, 100000000, -1, 2, 12), LB_EOVERFLOW);
  assert_int_equal(money_share_of(&r, 100000000, 0, 0, 0), LB_EOVERFLOW);
  assert_int_equal(r.amount, 7);
  /* the largest amount in shares: each end stays within range */
  assert_int_equal(money_share_of(&r, INT64_MAX, 1, 2, 2), 0);
}

static void parse_is_strict_and_points_at_the_bad_character(void **state)
{
  (void)state;
  money r = 1;
  size_t ep = 99;
  assert_int_equal(money_parse(&r, "1234.5", 6, 4, &ep), 0);
  assert_int_equal(r, 12345000);
  assert_int_equal(money_parse(&r, "-0.0001", 7, 4, &ep), 0);
  assert_int_equal(r, -1);
  assert_int_equal(money_parse(&r, "12", 2, 4, &ep), 0);
  assert_int_equal(r, 120000);
  r = 5;
  assert_int_equal(money_parse(&r, "1,234.00", 8, 4, &ep), LB_ESYNTAX);
  assert_int_equal(ep, 1);
  assert_int_equal(r, 5);
  assert_int_equal(money_parse(&r, "1.23456", 7, 4, &ep), LB_EPLACES);
  assert_int_equal(ep, 6);
  assert_int_equal(money_parse(&r, ".", 1, 4, &ep), LB_ESYNTAX);
  assert_int_equal(money_parse(&r, "1e5", 3, 4, &ep), LB_ESYNTAX);
  assert_int_equal(money_parse(&r, "99999999999999999999", 20, 4, &ep), LB_EOVERFLOW);
  assert_int_equal(money_parse(&r, "1.5", 3, 0, &ep), LB_EPLACES);
}

static void format_gives_plain_and_human_decimals(void **state)
{
  (void)state;
  char buf[40];
  assert_string_equal(money_format(buf, 12345000, 2), "1234.50");
  assert_string_equal(money_format(buf, -1, 4), "-0.0001");
  assert_string_equal(money_format(buf, 0, 2), "0.00");
  assert_string_equal(money_format_human(buf, 123456789000, ',', '.'), "12,345,678.90");
  assert_string_equal(money_format_human(buf, -12345000, '.', ','), "-1.234,50");
  assert_string_equal(money_format_human(buf, 9990000, ',', '.'), "999.00");
}

static void dates_clamp_month_arithmetic_to_the_month_end_R_0_4(void **state)
{
  (void)state;
  char buf[16];
  assert_string_equal(date_format(buf, date_add_months(date_from_ymd(2027, 1, 31), 1)), "2027-02-28");
  assert_string_equal(date_format(buf, date_add_months(date_from_ymd(2028, 1, 31), 1)), "2028-02-29");
  assert_string_equal(date_format(buf, date_add_months(date_from_ymd(2011, 9, 30), 1)), "2011-10-30");
  assert_string_equal(date_format(buf, date_add_months(date_from_ymd(2026, 12, 15), 1)), "2027-01-15");
  assert_string_equal(date_format(buf, date_add_months(date_from_ymd(2026, 3, 31), -1)), "2026-02-28");
}

static void dates_parse_strictly(void **state)
{
  (void)state;
  lb_date d;
  lb_month m;
  size_t ep;
  char buf[16];
  assert_int_equal(date_parse(&d, "2026-11-05", 10, &ep), 0);
  assert_string_equal(date_format(buf, d), "2026-11-05");
  assert_int_equal(date_parse(&d, "2026-02-30", 10, &ep), DATE_ERANGE);
  assert_int_equal(date_parse(&d, "2026/11/01", 10, &ep), DATE_ESYNTAX);
  assert_int_equal(ep, 4);
  assert_int_equal(date_parse(&d, "2026-11-5", 9, &ep), DATE_ESYNTAX);
  assert_int_equal(date_parse(&d, "2026-11-05T", 11, &ep), DATE_ESYNTAX);
  assert_int_equal(month_parse(&m, "2026-11", 7, &ep), 0);
  assert_string_equal(month_format(buf, m), "2026-11");
  assert_int_equal(month_parse(&m, "2026-13", 7, &ep), DATE_ERANGE);
  assert_string_equal(date_format_long(buf, date_from_ymd(2026, 11, 30)), "30 Nov 2026");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(add_and_mul_detect_overflow_and_leave_the_result_alone),
    cmocka_unit_test(round_cent_goes_half_away_from_zero_R_0_1),
    cmocka_unit_test(percentages_round_to_the_cent_R_0_2_qst_9_975),
    cmocka_unit_test(muldiv_prorates_by_days_R_T6),
    cmocka_unit_test(shares_round_cumulatively_and_add_up_to_the_whole_R_0_1),
    cmocka_unit_test(parse_is_strict_and_points_at_the_bad_character),
    cmocka_unit_test(format_gives_plain_and_human_decimals),
    cmocka_unit_test(dates_clamp_month_arithmetic_to_the_month_end_R_0_4),
    cmocka_unit_test(dates_parse_strictly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
