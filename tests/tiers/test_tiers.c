/* test_tiers.c - R-W1 tiered pricing at the tier boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/diag.h"
#include "rules/tiers.h"

#define P(from, to, unit, fixed) {.from_qty = from, .to_qty = to, .unit_price = unit, .fixed_price = fixed}

/* 1-3 @ 100.00, 4-45 @ 60.00, 46-175 @ 40.00, 176+ @ 25.00 */
static const price book[] = {P(1, 3, 1000000, 0), P(4, 45, 600000, 0), P(46, 175, 400000, 0),
                             P(176, -1, 250000, 0)};

static money charge(long qty)
{
  money a = -1;
  assert_int_equal(tiers_price(book, 4, qty, &a, NULL, NULL), 0);
  return a;
}

static void tiers_sum_msus_in_each_tier_R_W1(void **state)
{
  (void)state;
  assert_int_equal(charge(0), 0);
  assert_int_equal(charge(1), 1000000);
  assert_int_equal(charge(3), 3000000);                      /* last MSU of tier 1 */
  assert_int_equal(charge(4), 3000000 + 600000);             /* first MSU of tier 2 */
  assert_int_equal(charge(45), 3000000 + 42 * 600000);       /* exact boundary */
  assert_int_equal(charge(46), 3000000 + 42 * 600000 + 400000);
  assert_int_equal(charge(712), 3000000 + 42 * 600000 + 130 * 400000 + 537L * 250000);
}

static void tier_breakdown_lists_the_msus_of_each_tier_R_W1(void **state)
{
  (void)state;
  tier_part parts[4];
  int n = 0;
  money a;
  assert_int_equal(tiers_price(book, 4, 50, &a, parts, &n), 0);
  assert_int_equal(n, 3);
  assert_int_equal(parts[0].qty, 3);
  assert_int_equal(parts[1].qty, 42);
  assert_int_equal(parts[2].qty, 5);
  assert_int_equal(parts[2].from_qty, 46);
  assert_int_equal(parts[2].to_qty, 175);
}

static void a_tier_base_charge_is_added_once_the_tier_is_reached_R_W1(void **state)
{
  (void)state;
  const price b[] = {P(0, 10, 0, 5000000), P(11, -1, 100000, 2000000)};
  money a;
  assert_int_equal(tiers_price(b, 2, 10, &a, NULL, NULL), 0);
  assert_int_equal(a, 5000000);
  assert_int_equal(tiers_price(b, 2, 12, &a, NULL, NULL), 0);
  assert_int_equal(a, 5000000 + 2000000 + 2 * 100000);
}

static void an_overflowing_charge_is_reported_not_wrapped(void **state)
{
  (void)state;
  const price b[] = {P(1, -1, INT64_MAX / 2, 0)};
  money a = 0;
  assert_int_equal(tiers_price(b, 1, 5, &a, NULL, NULL), LB_EOVERFLOW);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tiers_sum_msus_in_each_tier_R_W1),
    cmocka_unit_test(tier_breakdown_lists_the_msus_of_each_tier_R_W1),
    cmocka_unit_test(a_tier_base_charge_is_added_once_the_tier_is_reached_R_W1),
    cmocka_unit_test(an_overflowing_charge_is_reported_not_wrapped),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
