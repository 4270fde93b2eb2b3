/* test_usage.c - usage-based charges (MULC, Usage Pricing, SALC; R-U1..R-U5) priced in-process on small input sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/salc.h"
#include "rules/usage.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "DB2,Db2 13,zos,no,13,5,,\n"
  "SAL,Select App,zos,no,2.1,,,\n";
/* usage bands: MULC 0-1000 100, 1001-5000 400, 5001+ 900; UPC 0-1000 150, 1001-5000 600, 5001+ 1200.005;
 * SALC features: Base 1 1000, A 300, B 200, C 100, D 50 */
static const char *PRICES =
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
  "ZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "DB2,MULC,band,0,1000,,100,EUR,2024-01-01\nDB2,MULC,band,1001,5000,,400,EUR,2024-01-01\n"
  "DB2,MULC,band,5001,,,900,EUR,2024-01-01\n"
  "DB2,UPC,band,0,1000,,150,EUR,2024-01-01\nDB2,UPC,band,1001,5000,,600,EUR,2024-01-01\n"
  "DB2,UPC,band,5001,,,1200.005,EUR,2024-01-01\n"
  "SAL,SALC,base1,,,1000,,EUR,2024-01-01\nSAL,SALC,level_a,,,300,,EUR,2024-01-01\n"
  "SAL,SALC,level_b,,,200,,EUR,2024-01-01\nSAL,SALC,level_c,,,100,,EUR,2024-01-01\n"
  "SAL,SALC,level_d,,,50,,EUR,2024-01-01\n";
#define EUR(x) ((money)(x) * 10000)

#define M1 "C1,M1,3931-609,100,9,,yes,,,,,\n"
#define ZOS_M1 "C1,L0,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,full\n"

/* usage.csv rows, grown by the tests */
static char *usage;
static size_t usage_len;

static void base_set(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "usage",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .machines = machines,
                       .licenses = licenses,
                     });
  free(usage);
  usage = strdup("customer_id,serial,product_id,version,hour,value,test_period\n");
  usage_len = strlen(usage);
}

static void add_row(const char *row)
{
  size_t n = strlen(row);
  usage = realloc(usage, usage_len + n + 1);
  assert_non_null(usage);
  memcpy(usage + usage_len, row, n + 1);
  usage_len += n;
}

/* 24 hourly rows of one day: `base` every hour, `peak` at `peak_hour`. */
static void add_day(const char *serial, const char *prod, const char *ver, const char *day, const char *base,
                    const char *peak, int peak_hour, int test)
{
  char row[160];
  for(int h = 0; h < 24; h++) {
    snprintf(row, sizeof(row), "C1,%s,%s,%s,%sT%02d,%s,%s\n", serial, prod, ver, day, h, h == peak_hour ? peak : base,
             test ? "yes" : "no");
    add_row(row);
  }
}

/* Six days with daily peaks 900, 2500, 1200.5, 3000, 1800, 700 at hour 10
 * (other hours 100): the fourth highest is 1200.5. */
static void six_days(const char *serial, const char *prod, const char *ver)
{
  static const char *peaks[6] = {"900", "2500", "1200.5", "3000", "1800", "700"};
  char day[32];
  for(int i = 0; i < 6; i++) {
    snprintf(day, sizeof(day), "2026-09-%02d", 10 + i);
    add_day(serial, prod, ver, day, "100", peaks[i], 10, 0);
  }
}

/* Four days, every hour at `v` except hour 9 at `peak`. */
static void four_days(const char *serial, const char *prod, const char *ver, const char *peak)
{
  char day[32];
  for(int i = 0; i < 4; i++) {
    snprintf(day, sizeof(day), "2026-09-%02d", 20 + i);
    add_day(serial, prod, ver, day, "0.5", peak, 9, 0);
  }
}

/* Price customer C1 for November 2026 in-process, with history `hist`
 * (NULL: none), on the usage rows grown so far. Returns the engine's code. */
static int price_c1(invoice *inv, diag_list *d, const rulefix_state *hist)
{
  rulefix_hist h = rulefix_history(hist);
  int rc;
  rulefix_put(&fx, "usage.csv", usage);
  rc = rulefix_price(&fx, month_from_ym(2026, 11), hist ? &h : NULL, 0, inv, d);
  free(usage);
  usage = NULL;
  return rc;
}

#define line_of(inv, ct) rulefix_line(inv, NULL, ct, NULL, 0)
#define step_of(inv, line, rule, nth) rulefix_step(inv, line, rule, NULL, nth)

/* ---- R-U1, R-U2, R-U4: MULC --------------------------------------------------- */

static void mulc_fourth_highest_day_picks_one_band_R_U1_R_U2_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,ORD-9,,,,no,\n");
  six_days("M1", "DB2", "13");
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  const charge_line *l = line_of(&inv, "MULC");
  /* R-U2: days 3000, 2500, 1800, 1200.5 -> 1200.5, rounded up 1201: band 1001-5000, 400 whole (R-U4) */
  assert_int_equal(l->amount, EUR(400));
  assert_int_equal(l->quantity, 1);
  assert_string_equal(l->unit, "band");
  assert_int_equal(l->unit_price, EUR(400));
  assert_string_equal(rulefix_rules(l), "R-T4;R-U1;R-U2;R-U4;R-0.1");
  assert_string_equal(l->order_number, "ORD-9");
  /* R-U1: a day's usage is its highest hour, not the sum of its hours */
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U1", 0)), "3000");
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U1", 3)), "1200.5");
  assert_null(step_of(&inv, l->line, "R-U1", 4));
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U2", 0)), "1200.5 SUs");
  /* the 4th day (2026-09-12) peak hour row: header + 2 days * 24 + hour 10 + 1 */
  assert_string_equal(rulefix_inputs(step_of(&inv, l->line, "R-U2", 0)), "usage.csv:60");
  assert_non_null(step_of(&inv, l->line, "R-U4", 1));
  assert_null(step_of(&inv, l->line, "R-U3", 0)); /* one version, one machine, no test period */
  /* R-U4: MULC's first measured month sets the billing period, to September 2027 */
  assert_string_equal(rulefix_state_of(&inv, "usage_basis:MULC:M1:DB2"), "1200.5000;2027-09");
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:MULC:M1:DB2"), "1200.5000;2027-09");
  assert_null(rulefix_state_of(&inv, "usage_first:MULC:M1:DB2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void usage_band_edges_and_rounding_up_R_U4(void **state)
{
  (void)state;
  static const struct {
    const char *peak;
    money amount;
  } cases[] = {
    {"1000", EUR(100)},      /* exactly the band's upper bound */
    {"1000.0001", EUR(400)}, /* a fraction above it is past it */
    {"1001", EUR(400)},
    {"5000", EUR(400)},
    {"5001", EUR(900)},      /* open last band */
    {"900000", EUR(900)},
    {"0", EUR(100)},         /* zero usage: the band from 0 */
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    invoice inv;
    diag_list d;
    diag_init(&d);
    base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
    four_days("M1", "DB2", "13", cases[i].peak);
    assert_int_equal(price_c1(&inv, &d, NULL), 0);
    assert_int_equal(line_of(&inv, "MULC")->amount, cases[i].amount);
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

static void usage_below_the_first_band_is_an_input_error_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  static const char *from1 = "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                             "effective_from\nDB2,MULC,band,1,1000,,100,EUR,2024-01-01\n";
  /* 0.5 rounds up into the band from 1 */
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "0.5");
  rulefix_put(&fx, "prices.csv", from1);
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  assert_int_equal(line_of(&inv, "MULC")->amount, EUR(100));
  invoice_clear(&inv);
  /* zero is below it */
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  for(int i = 0; i < 4; i++) {
    char day[32];
    snprintf(day, sizeof(day), "2026-09-%02d", 20 + i);
    add_day("M1", "DB2", "13", day, "0", "0", 0, 0);
  }
  rulefix_put(&fx, "prices.csv", from1);
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "usage 0 SUs of DB2 MULC is below the first usage band (from 1) in prices.csv "
                            "line 2, expected a band for it (R-U4)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_band_without_its_charge_is_an_input_error_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  rulefix_put(&fx, "prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                    "effective_from\nDB2,MULC,band,0,1000,2,,EUR,2024-01-01\n");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "a band's charge is not graduated (R-U4)");
  assert_int_equal(e->line, 2);
  invoice_clear(&inv);
  /* no band book at all */
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  rulefix_put(&fx, "prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                    "effective_from\nZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\n");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  e = rulefix_error_with(&d, "no usage bands for DB2 MULC in EUR");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 10); /* "C1,L1,M1," 1-9: product_id at 10 */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-U2 edges ------------------------------------------------------------ */

static void fewer_than_four_days_is_an_input_error_R_U2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  add_day("M1", "DB2", "13", "2026-09-10", "1", "2000", 3, 0);
  add_day("M1", "DB2", "13", "2026-09-11", "1", "2000", 3, 0);
  add_day("M1", "DB2", "13", "2026-09-12", "1", "2000", 3, 0);
  add_day("M1", "DB2", "13", "2026-09-13", "1", "2000", 3, 1); /* test period: not a measured day */
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "3 days of usage measured for DB2 MULC on M1 in the reporting period "
                                 "2026-09-02..2026-10-01 (24 test-period measurements ignored), expected at least 4 "
                                 "days in usage.csv: the monthly usage is the fourth highest daily usage (R-U2)");
  assert_string_equal(e->file, "licenses.csv");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 10);
  invoice_clear(&inv);
  /* no usage at all */
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "0 days of usage measured for DB2 MULC on M1"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void exactly_four_days_take_the_lowest_and_only_the_reporting_period_counts_R_U2_R_T3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  /* R-T3: 2 Sep .. 1 Oct drives November; 1 Sep and 2 Oct are outside */
  add_day("M1", "DB2", "13", "2026-09-01", "1", "9000", 0, 0);
  add_day("M1", "DB2", "13", "2026-09-02", "1", "6000", 0, 0);
  add_day("M1", "DB2", "13", "2026-09-17", "1", "6000", 23, 0);
  add_day("M1", "DB2", "13", "2026-09-30", "1", "7000", 12, 0);
  add_day("M1", "DB2", "13", "2026-10-01", "1", "5001", 23, 0);
  add_day("M1", "DB2", "13", "2026-10-02", "1", "9000", 0, 0);
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  const charge_line *l = line_of(&inv, "MULC");
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U2", 0)), "5001 SUs");
  assert_int_equal(l->amount, EUR(900));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* Rows outside the reporting period are checked and let go (issue 15: years of hours cost no memory), but R-U1
 * still sees the first row of each machine and program among them: an unlicensed program measured only before
 * the period is an error at its first row, and DB2's earlier years change nothing. */
static void rows_outside_the_period_are_let_go_but_checked_R_U1_R_T3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char day[32];
  diag_init(&d);
  base_set(M1, ZOS_M1 "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "6000");
  for(int i = 0; i < 60; i++) { /* two months of earlier hours, the same hour twice too: not the month's business */
    snprintf(day, sizeof(day), "2026-%02d-%02d", 6 + i / 30, 1 + i % 30);
    add_day("M1", "DB2", "13", day, "1", "9999", 3, 0);
  }
  add_day("M1", "DB2", "13", "2026-06-01", "1", "9999", 3, 0);
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  const charge_line *l = line_of(&inv, "MULC");
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U2", 0)), "6000 SUs");
  assert_int_equal(l->amount, EUR(900));
  invoice_clear(&inv);
  diag_clear(&d);
  /* z/OS has no usage-priced license: its rows before the period are an error, once, at the first */
  base_set(M1, ZOS_M1 "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "6000");
  add_day("M1", "ZOS", "3", "2026-08-20", "1", "5", 3, 0); /* lines 98..121 */
  add_day("M1", "ZOS", "3", "2026-08-21", "1", "5", 3, 0);
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "usage of ZOS on machine M1, but the customer has no MULC, UPC or SALC "
                                     "license of it on that machine, expected measurements only for usage-priced "
                                     "licenses (R-U1)");
  assert_int_equal(e->line, 98);
  size_t n = 0;
  for(size_t i = 0; i < d.n; i++)
    n += strstr(d.v[i].message, "usage of ZOS") != NULL;
  assert_int_equal(n, 1);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_repeated_hour_is_an_input_error_R_U1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  add_row("C1,M1,DB2,13,2026-09-21T09,11,no\n"); /* line 98 */
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "second measurement of DB2 version 13 on M1 for hour 2026-09-21 T09 (also line "
                                 "35), expected one value per hour (R-U1)");
  assert_string_equal(e->file, "usage.csv");
  assert_int_equal(e->line, 98);
  assert_int_equal(e->col, 14); /* "C1,M1,DB2,13," is 13 characters: hour at 14 */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-U3 ------------------------------------------------------------------ */

static void versions_are_summed_per_hour_and_test_periods_ignored_R_U3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  /* version 12 peaks at 800 at 02:00 (200 elsewhere is v13's base), version 13 peaks at 700 at 14:00:
   * per hour 800+200 = 1000 at 02:00, 100+700 = 800 at 14:00 -> 1000 a day (not 800 + 700 = 1500) */
  for(int i = 0; i < 4; i++) {
    char day[32];
    snprintf(day, sizeof(day), "2026-09-%02d", 3 + i);
    add_day("M1", "DB2", "12", day, "100", "800", 2, 0);
    add_day("M1", "DB2", "13", day, "200", "700", 14, 0);
    /* a third version in its test period: 90000 an hour, disregarded */
    add_day("M1", "DB2", "13.1", day, "90000", "90000", 0, 1);
  }
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  const charge_line *l = line_of(&inv, "MULC");
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U2", 0)), "1000 SUs");
  assert_int_equal(l->amount, EUR(100)); /* band 0-1000 at the licensed (latest) version's price */
  const audit_step *s = step_of(&inv, l->line, "R-U3", 0);
  assert_non_null(s);
  assert_string_equal(rulefix_value(s), "summed: 192 measurements");
  assert_non_null(strstr(s->detail, "versions 12, 13"));
  assert_non_null(strstr(s->detail, "96 test-period measurements ignored"));
  /* the peak hour of a day names both versions' rows */
  assert_non_null(strchr(rulefix_inputs(step_of(&inv, l->line, "R-U1", 0)), ';'));
  assert_string_equal(rulefix_rules(l), "R-T4;R-U3;R-U1;R-U2;R-U4;R-0.1");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_version_newer_than_the_licensed_product_is_an_input_error_R_U3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  add_row("C1,M1,DB2,14,2026-09-21T09,11,no\n"); /* line 98 */
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "usage of DB2 version 14 on M1, but products.csv gives version 13 for DB2");
  assert_non_null(strstr(e->message, "(R-U3)"));
  assert_int_equal(e->line, 98);
  assert_int_equal(e->col, 11);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void upc_sums_a_sysplex_and_mulc_does_not_R_U3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,100,9,PLX,yes,,,,,\nC1,M2,3931-607,90,7,PLX,yes,,,,,\n",
           "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\nC1,L2,M2,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "600");
  four_days("M2", "DB2", "13", "500.5");
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *l = line_of(&inv, "UPC");
  /* 600 + 500.5 at the same hour: 1100.5 -> band 1001-5000 */
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U2", 0)), "1100.5 SUs");
  assert_int_equal(l->amount, EUR(600));
  assert_string_equal(l->serial, "M1+M2");
  assert_string_equal(l->sysplex, "PLX");
  assert_non_null(strstr(step_of(&inv, l->line, "R-U3", 0)->detail, "machines M1, M2 of sysplex PLX"));
  assert_non_null(rulefix_state_of(&inv, "usage_first:UPC:PLX:DB2"));
  invoice_clear(&inv);
  /* MULC (002 §5.16.6) is per machine: two lines */
  base_set("C1,M1,3931-609,100,9,PLX,yes,,,,,\nC1,M2,3931-607,90,7,PLX,yes,,,,,\n",
           "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\nC1,L2,M2,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "600");
  four_days("M2", "DB2", "13", "500.5");
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(inv.lines[0].amount, EUR(100));
  assert_int_equal(inv.lines[1].amount, EUR(100));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-U4: Usage Pricing initial months and billing periods ----------------- */

static void upc_first_month_is_charged_on_its_usage_and_kept_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "800");
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  const charge_line *l = line_of(&inv, "UPC");
  assert_int_equal(l->amount, EUR(150));
  assert_string_equal(rulefix_state_of(&inv, "usage_first:UPC:M1:DB2"), "800.0000");
  assert_null(rulefix_state_of(&inv, "usage_basis:UPC:M1:DB2")); /* set by the second month */
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:UPC:M1:DB2"), "800.0000;2027-09");
  assert_non_null(strstr(step_of(&inv, l->line, "R-U4", 0)->detail, "first measured month"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void upc_second_month_charges_the_higher_of_the_first_two_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  lb_month oct = month_from_ym(2026, 10);
  /* October measured 1200 (band 1001-5000); November measures 800: the higher, 1200, is charged */
  const rulefix_state higher_first[] = {{"usage_first:UPC:M1:DB2", "1200.0000", oct},
                                     {"usage_peak:UPC:M1:DB2", "1200.0000;2027-09", oct},
                                     {NULL, NULL, 0}};
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "800");
  assert_int_equal(price_c1(&inv, &d, higher_first), 0);
  const charge_line *l = line_of(&inv, "UPC");
  assert_int_equal(l->amount, EUR(600));
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U4", 0)), "1200 SUs");
  assert_string_equal(rulefix_inputs(step_of(&inv, l->line, "R-U4", 0)), "ledger.db");
  assert_string_equal(rulefix_state_of(&inv, "usage_basis:UPC:M1:DB2"), "1200.0000;2027-09");
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:UPC:M1:DB2"), "1200.0000;2027-09");
  invoice_clear(&inv);
  /* October measured 300; November's 5001 is the higher */
  const rulefix_state lower_first[] = {{"usage_first:UPC:M1:DB2", "300.0000", oct}, {NULL, NULL, 0}};
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "5001");
  assert_int_equal(price_c1(&inv, &d, lower_first), 0);
  assert_int_equal(line_of(&inv, "UPC")->amount, 12000100); /* 1200.005 rounded half away from zero */
  assert_string_equal(rulefix_state_of(&inv, "usage_basis:UPC:M1:DB2"), "5001.0000;2027-09");
  invoice_clear(&inv);
  /* a first month long ago is no initial pair: measured again from this month */
  const rulefix_state stale_first[] = {{"usage_first:UPC:M1:DB2", "9000.0000", month_from_ym(2026, 3)},
                                    {NULL, NULL, 0}};
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "800");
  assert_int_equal(price_c1(&inv, &d, stale_first), 0);
  assert_int_equal(line_of(&inv, "UPC")->amount, EUR(150));
  assert_string_equal(rulefix_state_of(&inv, "usage_first:UPC:M1:DB2"), "800.0000");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_usage_set_for_a_billing_period_is_kept_through_september_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  lb_month oct = month_from_ym(2026, 10);
  const rulefix_state kept[] = {{"usage_basis:UPC:M1:DB2", "6000.0000;2027-09", oct},
                             {"usage_peak:UPC:M1:DB2", "6000.0000;2027-09", oct},
                             {NULL, NULL, 0}};
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "7000");
  assert_int_equal(price_c1(&inv, &d, kept), 0);
  const charge_line *l = line_of(&inv, "UPC");
  assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U4", 0)), "6000 SUs");
  assert_string_equal(rulefix_state_of(&inv, "usage_basis:UPC:M1:DB2"), "6000.0000;2027-09");
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:UPC:M1:DB2"), "7000.0000;2027-09"); /* for the next period */
  invoice_clear(&inv);
  /* a lower month does not lower it either */
  base_set(M1, "C1,L1,M1,DB2,UPC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  assert_int_equal(price_c1(&inv, &d, kept), 0);
  assert_int_equal(line_of(&inv, "UPC")->amount, 12000100);
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:UPC:M1:DB2"), "6000.0000;2027-09");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_new_billing_period_is_charged_on_the_previous_periods_highest_month_R_U4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  lb_month sep = month_from_ym(2026, 9);
  /* the period to September 2026 was charged on 200; its highest month was 3000 */
  const rulefix_state prev[] = {{"usage_basis:MULC:M1:DB2", "200.0000;2026-09", sep},
                             {"usage_peak:MULC:M1:DB2", "3000.0000;2026-09", sep},
                             {NULL, NULL, 0}};
  base_set(M1, "C1,L1,M1,DB2,MULC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "DB2", "13", "10");
  assert_int_equal(price_c1(&inv, &d, prev), 0);
  const charge_line *l = line_of(&inv, "MULC");
  assert_int_equal(l->amount, EUR(400));
  assert_non_null(strstr(step_of(&inv, l->line, "R-U4", 0)->detail, "new billing period to 2027-09"));
  assert_string_equal(rulefix_state_of(&inv, "usage_basis:MULC:M1:DB2"), "3000.0000;2027-09");
  assert_string_equal(rulefix_state_of(&inv, "usage_peak:MULC:M1:DB2"), "10.0000;2027-09");
  invoice_clear(&inv);
  diag_clear(&d);
  /* unreadable history is an error, not a guess: the ledger refuses it before pricing
   * (tests/ledger: a_damaged_carried_value_stops_the_run_not_a_guess) */
}

/* ---- R-U5: SALC ------------------------------------------------------------- */

static void salc_features_per_level_at_every_edge_R_U5(void **state)
{
  (void)state;
  static const struct {
    long msus, f[5];
  } cases[] = {
    {0, {1, 0, 0, 0, 0}},   {1, {1, 0, 0, 0, 0}},   {2, {1, 1, 0, 0, 0}},    {11, {1, 10, 0, 0, 0}},
    {12, {1, 10, 1, 0, 0}}, {44, {1, 10, 33, 0, 0}}, {45, {1, 10, 33, 1, 0}}, {50, {1, 10, 33, 6, 0}},
    {78, {1, 10, 33, 34, 0}}, {79, {1, 10, 33, 34, 1}}, {200, {1, 10, 33, 34, 122}},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    long f[5];
    salc_features(cases[i].msus, f);
    for(int k = 0; k < 5; k++)
      if(f[k] != cases[i].f[k])
        fail_msg("%ld MSUs: level %d has %ld features, expected %ld", cases[i].msus, k, f[k], cases[i].f[k]);
  }
  assert_int_equal(usage_ceil(110001), 12); /* 11.0001 -> 12 (R-U5) */
  assert_int_equal(usage_ceil(110000), 11);
  assert_int_equal(usage_ceil(0), 0);
  assert_int_equal(usage_ceil(1), 1);
}

static void salc_prices_rounded_up_msus_as_features_R_U5(void **state)
{
  (void)state;
  static const struct {
    const char *peak;
    long msus;
    money amount;
    int ntiers;
  } cases[] = {
    {"50", 50, EUR(1000 + 10 * 300 + 33 * 200 + 6 * 100), 4}, /* the seed's example: Base 1 + 10 A + 33 B + 6 C */
    {"49.0001", 50, EUR(11200), 4},
    {"11", 11, EUR(1000 + 10 * 300), 2},
    {"11.0001", 12, EUR(1000 + 10 * 300 + 200), 3},
    {"1", 1, EUR(1000), 1},
    {"0.4", 1, EUR(1000), 1},
    {"2", 2, EUR(1300), 2},
    {"44", 44, EUR(1000 + 3000 + 6600), 3},
    {"45", 45, EUR(1000 + 3000 + 6600 + 100), 4},
    {"78", 78, EUR(1000 + 3000 + 6600 + 3400), 4},
    {"79", 79, EUR(1000 + 3000 + 6600 + 3400 + 50), 5},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    invoice inv;
    diag_list d;
    diag_init(&d);
    base_set(M1, ZOS_M1 "C1,L1,M1,SAL,SALC,,2019-04-01,,,,,,,no,\n");
    four_days("M1", "SAL", "2.1", cases[i].peak);
    assert_int_equal(price_c1(&inv, &d, NULL), 0);
    const charge_line *l = line_of(&inv, "SALC");
    assert_int_equal(l->quantity, cases[i].msus);
    assert_string_equal(l->unit, "MSUs");
    assert_int_equal(l->amount, cases[i].amount);
    assert_int_equal(l->ntiers, cases[i].ntiers);
    assert_int_equal(l->has_unit_price, cases[i].ntiers == 1);
    assert_string_equal(rulefix_rules(l), "R-T4;R-U1;R-U2;R-U4;R-U5;R-0.1");
    if(i == 0) {
      assert_int_equal(l->tiers[3].from_qty, 45);
      assert_int_equal(l->tiers[3].to_qty, 78);
      assert_int_equal(l->tiers[3].qty, 6);
      assert_int_equal(l->tiers[3].unit_price, EUR(100));
      assert_string_equal(l->note, "1 Base 1 + 10 Level A + 33 Level B + 6 Level C features; usage of the billing "
                                   "period 50 MSUs");
      assert_string_equal(rulefix_value(step_of(&inv, l->line, "R-U5", 0)), "50 MSUs");
      /* SALC follows the Usage Pricing terms: first of two initial months */
      assert_string_equal(rulefix_state_of(&inv, "usage_first:SALC:M1:SAL"), "50.0000");
    }
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

static void salc_needs_zos_with_wlc_or_ewlc_on_the_machine_R_U5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* no z/OS at all */
  base_set(M1, "C1,L1,M1,SAL,SALC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "SAL", "2.1", "5");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "SALC license L1 (SAL) on machine M1, but z/OS there has neither WLC (AWLC, VWLC) "
                                 "nor EWLC this month, expected z/OS with WLC or EWLC on the same machine (R-U5)");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 14);
  invoice_clear(&inv);
  /* z/OS discontinued before the month */
  base_set(M1, "C1,L0,M1,ZOS,AWLC,,2019-04-01,2026-10-15,,,,,,no,full\nC1,L1,M1,SAL,SALC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "SAL", "2.1", "5");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "SALC license L1 (SAL) on machine M1"));
  invoice_clear(&inv);
  /* z/OS on another machine does not count */
  base_set(M1 "C1,M2,3931-609,100,9,,yes,,,,,\n",
           "C1,L0,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,full\nC1,L1,M1,SAL,SALC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "SAL", "2.1", "5");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void salc_feature_without_a_price_is_an_input_error_R_U5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_M1 "C1,L1,M1,SAL,SALC,,2019-04-01,,,,,,,no,\n");
  four_days("M1", "SAL", "2.1", "80");
  rulefix_put(&fx, "prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                    "effective_from\nZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
                    "SAL,SALC,base1,,,1000,,EUR,2024-01-01\nSAL,SALC,level_a,,,300,,EUR,2024-01-01\n"
                    "SAL,SALC,level_b,,,200,,EUR,2024-01-01\nSAL,SALC,level_c,,,100,,EUR,2024-01-01\n");
  assert_int_equal(price_c1(&inv, &d, NULL), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "no Level D feature price for SAL SALC in EUR effective on 2026-11-01");
  assert_non_null(strstr(e->message, "component 'level_d'"));
  assert_non_null(strstr(e->message, "(R-U5)"));
  assert_int_equal(e->line, 3);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_license_installed_after_the_first_is_charged_from_the_next_month_R_T4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,DB2,MULC,,2026-11-02,,,,,,,no,\n");
  assert_int_equal(price_c1(&inv, &d, NULL), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mulc_fourth_highest_day_picks_one_band_R_U1_R_U2_R_U4),
    cmocka_unit_test(usage_band_edges_and_rounding_up_R_U4),
    cmocka_unit_test(usage_below_the_first_band_is_an_input_error_R_U4),
    cmocka_unit_test(a_band_without_its_charge_is_an_input_error_R_U4),
    cmocka_unit_test(fewer_than_four_days_is_an_input_error_R_U2),
    cmocka_unit_test(exactly_four_days_take_the_lowest_and_only_the_reporting_period_counts_R_U2_R_T3),
    cmocka_unit_test(a_repeated_hour_is_an_input_error_R_U1),
    cmocka_unit_test(rows_outside_the_period_are_let_go_but_checked_R_U1_R_T3),
    cmocka_unit_test(versions_are_summed_per_hour_and_test_periods_ignored_R_U3),
    cmocka_unit_test(a_version_newer_than_the_licensed_product_is_an_input_error_R_U3),
    cmocka_unit_test(upc_sums_a_sysplex_and_mulc_does_not_R_U3),
    cmocka_unit_test(upc_first_month_is_charged_on_its_usage_and_kept_R_U4),
    cmocka_unit_test(upc_second_month_charges_the_higher_of_the_first_two_R_U4),
    cmocka_unit_test(the_usage_set_for_a_billing_period_is_kept_through_september_R_U4),
    cmocka_unit_test(a_new_billing_period_is_charged_on_the_previous_periods_highest_month_R_U4),
    cmocka_unit_test(salc_features_per_level_at_every_edge_R_U5),
    cmocka_unit_test(salc_prices_rounded_up_msus_as_features_R_U5),
    cmocka_unit_test(salc_needs_zos_with_wlc_or_ewlc_on_the_machine_R_U5),
    cmocka_unit_test(salc_feature_without_a_price_is_an_input_error_R_U5),
    cmocka_unit_test(a_license_installed_after_the_first_is_charged_from_the_next_month_R_T4),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
