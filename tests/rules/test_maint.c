/* test_maint.c - SWMA and S&S (R-T9, R-M1..R-M7), ILC (R-T7), ALC and PLC (R-T8) priced on small input sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/lapse.h"
#include "tests/support/rulefix.h"

#define EUR(units, cents) ((money)(units) * 10000 + (money)(cents) * 100)

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "TOOL,z/OS Tool,zos,no,1,3,,\n"
  "FA,Fault Analyzer,zos,no,17,,,\n"
  "IBMI,IBM i,none,no,7.5,,,\n"
  "RDI,Rational Developer for i,none,no,9.8,,,\n"
  "FORT,VS FORTRAN,none,no,2,,,\n";
static const char *PRICES =
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
  "ZOS,VWLC,monthly,1,,1,,EUR,2000-01-01\n"
  "TOOL,VWLC,monthly,1,,1,,EUR,2000-01-01\n"
  "TOOL,VWLC,ilc,,,,5000.00,EUR,2000-01-01\n"
  "IBMI,SWMA,after_license,,,,1000.00,EUR,2000-01-01\n"
  "FA,SS,license,,,,2500.00,EUR,2000-01-01\n"
  "RDI,OTC,one_time,,,,12400.00,EUR,2000-01-01\n"
  "FORT,ALC,plc,,,,8000.00,EUR,2000-01-01\n"
  "FORT,ALC,annual,,,,2400.00,EUR,2000-01-01\n";
static const char *MACHINES = "C1,Z1,3931-609,100,4,,no,,,,,\n"
                              "C1,P1,9009-42A,,8,,no,,,,,\n";

/* Write an input set for customer C1 with billing cycle `cycle`, licenses.csv with header licenses_hdr
 * (NULL: RULEFIX_LICENSES_HDR). */
static void set_up_hdr(const char *cycle, const char *licenses_hdr, const char *licenses, const char *support,
                       const char *prices)
{
  char customers[512];
  snprintf(customers, sizeof(customers),
           RULEFIX_CUSTOMERS_HDR "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,%s,30,,,yes\n", cycle);
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "maint",
                       .products = PRODUCTS,
                       .prices = prices ? prices : PRICES,
                       .customers = customers,
                       .machines = MACHINES,
                       .licenses_hdr = licenses_hdr,
                       .licenses = licenses,
                       .support_hdr = RULEFIX_SUPPORT_COLS ",kind,order_number,expired_on,funded_on,quantity\n",
                       .support = support,
                     });
}

static void set_up(const char *cycle, const char *licenses, const char *support, const char *prices)
{
  set_up_hdr(cycle, NULL, licenses, support, prices);
}

/* licenses.csv with the optional sales_channel column, for licenses sold via Passport Advantage (R-M4) */
#define LIC_HDR_CHANNEL RULEFIX_LICENSES_COLS ",sales_channel\n"

/* The same, the licenses with sales_channel. */
static void set_up_pa(const char *cycle, const char *licenses, const char *support, const char *prices)
{
  set_up_hdr(cycle, LIC_HDR_CHANNEL, licenses, support, prices);
}

/* Price C1 for month y-m with history h (may be NULL); the set is removed
 * unless keep. Returns the engine's code. */
static int price_month_keep(int y, int m, const rulefix_hist *h, int keep, invoice *inv, diag_list *d)
{
  return rulefix_price(&fx, month_from_ym(y, m), h, keep, inv, d);
}

/* Price month y-m keeping the set for further months. */
static int price_at(int y, int m, invoice *inv, diag_list *d)
{
  return price_month_keep(y, m, NULL, 1, inv, d);
}

/* The n-th (0-based) line of charge type ct and unit (NULL: any unit), or NULL. */
#define nth_line(inv, ct, unit, n) rulefix_find_line(inv, NULL, ct, unit, n)
#define line_of(inv, ct, unit) rulefix_line(inv, NULL, ct, unit, 0)

static int count_lines(const invoice *inv, const char *ct)
{
  int n = 0;
  for(size_t i = 0; i < inv->nlines; i++)
    n += !strcmp(line_charge_type(&inv->lines[i]), ct);
  return n;
}

#define L_IBMI "C1,L1,P1,IBMI,SWMA,,2019-06-14,,,ORD-1,,,,no,\n"
#define L_FA "C1,L1,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,no,\n"
/* with Secure Support, bought via Passport Advantage: for set_up_pa */
#define L_FA_SECURE "C1,L1,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,passport_advantage\n"

/* ---- R-M2: the lapse-discount table ---- */

static void lapse_discount_follows_the_seed_table_and_month_ends_R_M2(void **state)
{
  (void)state;
  static const int band[13] = {0, 100, 86, 74, 65, 56, 48, 39, 30, 22, 14, 8, 8};
  lb_date exp = date_from_ymd(2011, 9, 30);
  int months = 0;
  /* the seed's examples (003) */
  assert_int_equal(lapse_discount_pct(exp, date_from_ymd(2011, 10, 30), &months), 100);
  assert_int_equal(months, 1);
  assert_int_equal(lapse_discount_pct(exp, date_from_ymd(2011, 10, 31), &months), 86);
  assert_int_equal(months, 2);
  assert_int_equal(lapse_discount_pct(exp, date_from_ymd(2012, 9, 30), &months), 8);
  assert_int_equal(lapse_discount_pct(exp, date_from_ymd(2012, 10, 1), &months), 0);
  assert_int_equal(months, 13);
  /* every band edge: the last day of band k, then one day past it */
  for(int k = 1; k <= 12; k++) {
    lb_date edge = date_add_months(exp, k);
    assert_int_equal(lapse_discount_pct(exp, edge, NULL), band[k]);
    assert_int_equal(lapse_discount_pct(exp, edge + 1, NULL), k < 12 ? band[k + 1] : 0);
  }
  /* 31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year */
  assert_int_equal(lapse_discount_pct(date_from_ymd(2027, 1, 31), date_from_ymd(2027, 2, 28), NULL), 100);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2027, 1, 31), date_from_ymd(2027, 3, 1), NULL), 86);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2028, 1, 31), date_from_ymd(2028, 2, 29), NULL), 100);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2028, 1, 31), date_from_ymd(2028, 3, 1), NULL), 86);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2028, 2, 29), date_from_ymd(2029, 2, 28), NULL), 8);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2028, 2, 29), date_from_ymd(2029, 3, 1), NULL), 0);
  /* expired 28 Feb: 28 Mar is the last day of the first band */
  assert_int_equal(lapse_discount_pct(date_from_ymd(2026, 2, 28), date_from_ymd(2026, 3, 28), NULL), 100);
  assert_int_equal(lapse_discount_pct(date_from_ymd(2026, 2, 28), date_from_ymd(2026, 3, 29), NULL), 86);
  /* an order on or before the expiration is no lapse */
  assert_int_equal(lapse_discount_pct(exp, exp, NULL), -1);
  assert_int_equal(lapse_discount_pct(DATE_NONE, exp, NULL), -1);
}

/* The ALF line of a reinstatement ordered on y-m-d after SWMA expired on ey-em-ed. */
static money alf_amount(const char *offering, int ey, int em, int ed, int y, int m, int dd, invoice *inv, diag_list *d)
{
  char sup[512];
  snprintf(sup, sizeof(sup),
           "C1,L1,2010-01-01,%04d-%02d-%02d,1200.00,,SWMA,period,ORD-1,,,1\n"
           "C1,L1,%04d-%02d-%02d,%04d-12-31,1200.00,%04d-%02d-%02d,%s,reinstatement,ORD-2,%04d-%02d-%02d,,1\n",
           ey, em, ed, y, m, dd, y + 1, y, m, dd, offering, ey, em, ed);
  set_up("monthly", L_IBMI, sup, NULL);
  assert_int_equal(price_month_keep(y, m, NULL, 0, inv, d), 0);
  const charge_line *l = line_of(inv, "SWMA", "license");
  assert_int_equal(l->unit_price, EUR(1000, 0));
  assert_string_equal(rulefix_rules(l), "R-T9;R-M2;R-0.2");
  return l->amount;
}

static void after_license_fee_is_discounted_by_the_lapse_R_M2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* the seed's day pattern, ordered after the offer started (2012-04-03): fee 1,000.00 */
  assert_int_equal(alf_amount("6942-73G", 2025, 9, 30, 2025, 10, 30, &inv, &d), 0); /* 100 % off: free */
  assert_true(rulefix_has_step(&inv, line_of(&inv, "SWMA", "license")->line, "R-M2"));
  invoice_clear(&inv);
  assert_int_equal(alf_amount("6942-73G", 2025, 9, 30, 2025, 10, 31, &inv, &d), EUR(140, 0)); /* 86 % off */
  invoice_clear(&inv);
  assert_int_equal(alf_amount("6942-12F", 2025, 9, 30, 2026, 9, 30, &inv, &d), EUR(920, 0)); /* 8 % off */
  invoice_clear(&inv);
  assert_int_equal(alf_amount("6942-12F", 2025, 9, 30, 2026, 10, 1, &inv, &d), EUR(1000, 0)); /* none */
  invoice_clear(&inv);
  /* month ends: expired 31 Jan 2027, ordered 28 Feb -> free; 1 Mar -> 86 % off */
  assert_int_equal(alf_amount("6942-73G", 2027, 1, 31, 2027, 2, 28, &inv, &d), 0);
  invoice_clear(&inv);
  assert_int_equal(alf_amount("6942-73G", 2027, 1, 31, 2027, 3, 1, &inv, &d), EUR(140, 0));
  invoice_clear(&inv);
  /* 5 months and a day: 48 % off -> 520.00 */
  assert_int_equal(alf_amount("6942-73G", 2026, 1, 31, 2026, 7, 1, &inv, &d), EUR(520, 0));
  invoice_clear(&inv);
  /* plain SWMA is not the discount offering; an order before 2012-04-03 is before the offer */
  assert_int_equal(alf_amount("SWMA", 2025, 9, 30, 2025, 10, 30, &inv, &d), EUR(1000, 0));
  invoice_clear(&inv);
  assert_int_equal(alf_amount("6942-73G", 2011, 9, 30, 2011, 10, 30, &inv, &d), EUR(1000, 0));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void a_reinstated_swma_period_starts_on_the_order_date_R_M2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* ordered 2026-11-03: the new period 2026-11-03..2027-11-02 is charged from its first day on
   * thirty-day months: November 28 of 360 weights -> 1,200.00 x 28/360 = 93.33 */
  set_up("monthly", L_IBMI,
         "C1,L1,2025-10-01,2026-09-30,1200.00,,SWMA,period,ORD-1,,,1\n"
         "C1,L1,2026-11-03,2027-11-02,1200.00,2026-11-03,6942-73G,reinstatement,ORD-2,2026-09-30,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SWMA", "license")->amount, EUR(140, 0)); /* 1 month and 4 days: 86 % off */
  const charge_line *p = line_of(&inv, "SWMA", "month");
  assert_int_equal(p->amount, EUR(93, 33));
  assert_string_equal(rulefix_rules(p), "R-T9;R-T6;R-M1;R-M2;R-0.1");
  assert_string_equal(p->order_number, "ORD-2");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-M2 with R-X2: the lapse discount is never combined with another discount, so the prompt-payment
 * discount leaves the After License Fee line (and its tax) out of its base. */
static void the_lapse_discount_is_never_combined_with_prompt_payment_R_M2_R_X2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("monthly", L_IBMI,
         "C1,L1,2025-10-01,2026-09-30,1200.00,,SWMA,period,ORD-1,,,1\n"
         "C1,L1,2026-11-03,2027-11-02,1200.00,2026-11-03,6942-73G,reinstatement,ORD-2,2026-09-30,,1\n", NULL);
  rulefix_put(&fx, "customers.csv", "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"
                       "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad\n"
                       "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,monthly,30,2,10,yes\n");
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  const charge_line *alf = line_of(&inv, "SWMA", "license");
  assert_int_equal(alf->amount, EUR(140, 0));
  assert_true(alf->sole_discount);
  /* 140.00 + 93.33 = 233.33; USt 19 % = 44.33; total 277.66 */
  assert_int_equal(inv.subtotal, EUR(233, 33));
  assert_int_equal(inv.total, EUR(277, 66));
  /* base = 277.66 - 140.00 - 26.60 (its tax) = 111.06; 2 % = 2.2212 -> 2.22 */
  assert_int_equal(inv.prompt_pay_discount, EUR(2, 22));
  assert_int_equal(inv.prompt_pay_total, EUR(275, 44));
  assert_true(rulefix_has_step(&inv, 0, "R-M2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-T9: monthly or quarterly in arrears ---- */

static void quarterly_customers_get_maintenance_in_march_june_september_december_R_T9(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* SWMA 1,200.00 a year from 1 Jan: 90 of 360 weights a quarter = 300.00 */
  set_up("quarterly", L_IBMI, "C1,L1,2026-01-01,2026-12-31,1200.00,,SWMA,period,ORD-1,,,1\n", NULL);
  for(int m = 1; m <= 12; m++) {
    assert_int_equal(price_at(2026, m, &inv, &d), 0);
    if(m == 3 || m == 6 || m == 9 || m == 12) {
      assert_int_equal(inv.nlines, 1);
      const charge_line *l = line_of(&inv, "SWMA", "quarter");
      assert_int_equal(l->amount, EUR(300, 0));
      assert_int_equal(l->quantity, 1);
      assert_true(rulefix_has_step(&inv, l->line, "R-T9"));
    } else {
      /* no line; the trail says the month waits for the quarter */
      assert_int_equal(inv.nlines, 0);
      assert_true(rulefix_has_step(&inv, 0, "R-T9"));
    }
    invoice_clear(&inv);
  }
  rulefix_drop(&fx);
  /* the same period for a monthly customer: 100.00 every month */
  set_up("monthly", L_IBMI, "C1,L1,2026-01-01,2026-12-31,1200.00,,SWMA,period,ORD-1,,,1\n", NULL);
  for(int m = 1; m <= 12; m++) {
    assert_int_equal(price_at(2026, m, &inv, &d), 0);
    assert_int_equal(line_of(&inv, "SWMA", "month")->amount, EUR(100, 0));
    assert_false(rulefix_has_step(&inv, 0, "R-T9"));
    invoice_clear(&inv);
  }
  rulefix_drop(&fx);
  /* S&S from 15 Feb is charged in whole months from March: March 1/12, June a whole quarter, and
   * the March 2027 invoice carries January and February 2027 */
  set_up("quarterly", L_FA, "C1,L1,2026-02-15,2027-02-14,1200.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_at(2026, 3, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "quarter")->amount, EUR(100, 0));
  invoice_clear(&inv);
  assert_int_equal(price_at(2026, 6, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "quarter")->amount, EUR(300, 0));
  invoice_clear(&inv);
  assert_int_equal(price_at(2026, 12, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "quarter")->amount, EUR(300, 0));
  invoice_clear(&inv);
  assert_int_equal(price_at(2027, 3, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "quarter")->amount, EUR(200, 0));
  invoice_clear(&inv);
  assert_int_equal(price_at(2027, 6, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  rulefix_drop(&fx);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void a_quarterly_after_license_fee_waits_for_the_quarter_R_T9_R_M2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("quarterly", L_IBMI,
         "C1,L1,2025-10-01,2026-09-30,1200.00,,SWMA,period,ORD-1,,,1\n"
         "C1,L1,2026-11-03,2027-11-02,1200.00,2026-11-03,6942-73G,reinstatement,ORD-2,2026-09-30,,1\n", NULL);
  /* November: nothing invoiced; the trail shows the fee and its discount for December */
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  assert_true(rulefix_has_step(&inv, 0, "R-T9"));
  assert_true(rulefix_has_step(&inv, 0, "R-M2"));
  invoice_clear(&inv);
  /* December: the fee (86 % off) and November + December: 58 of 360 weights -> 193.33 */
  assert_int_equal(price_at(2026, 12, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SWMA", "license")->amount, EUR(140, 0));
  assert_int_equal(line_of(&inv, "SWMA", "quarter")->amount, EUR(193, 33));
  invoice_clear(&inv);
  /* September: the old period's quarter July-September, 300.00, and no fee */
  assert_int_equal(price_at(2026, 9, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(line_of(&inv, "SWMA", "quarter")->amount, EUR(300, 0));
  invoice_clear(&inv);
  rulefix_drop(&fx);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void ss_runs_in_whole_calendar_months_from_the_month_after_R_T9_R_T4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 2,480.00 from 5 Nov 2026: December 2026 .. November 2027, each month the difference of the cumulative
   * amounts: December round(2480 x 1/12) = 206.67; January round(2480 x 2/12) - 206.67 = 413.33 -
   * 206.67 = 206.66; October (month 11) 2273.33 - 2066.67 = 206.66; November 2480.00 - 2273.33 = 206.67 */
  set_up("monthly", L_FA, "C1,L1,2026-11-05,2027-11-04,2480.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  assert_false(rulefix_has_step(&inv, 0, "R-T9"));
  invoice_clear(&inv);
  int months[] = {2026 * 12 + 11, 2027 * 12 + 0, 2027 * 12 + 9, 2027 * 12 + 10};
  money want[] = {EUR(206, 67), EUR(206, 66), EUR(206, 66), EUR(206, 67)};
  for(size_t i = 0; i < 4; i++) {
    assert_int_equal(price_at(months[i] / 12, months[i] % 12 + 1, &inv, &d), 0);
    const charge_line *l = line_of(&inv, "SS", "month");
    assert_int_equal(l->amount, want[i]);
    assert_string_equal(rulefix_rules(l), "R-T9;R-M1;R-0.1");
    invoice_clear(&inv);
  }
  assert_int_equal(price_at(2027, 12, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* a period from the 1st is charged from its own month */
  set_up("monthly", L_FA, "C1,L1,2026-11-01,2027-10-31,2480.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(206, 67));
  invoice_clear(&inv);
  assert_int_equal(price_at(2027, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  rulefix_drop(&fx);
  diag_clear(&d);
}

static void swma_runs_from_the_first_day_on_thirty_day_months_R_T9_R_T6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 1,080.00 from 10 Nov 2026: November 21 days, whole months 30, November 2027 9 days: 360 */
  set_up("monthly", L_IBMI, "C1,L1,2026-11-10,2027-11-09,1080.00,,SWMA,period,ORD-1,,,1\n", NULL);
  int y[] = {2026, 2026, 2027, 2027, 2027}, m[] = {11, 12, 2, 11, 12};
  money want[] = {EUR(63, 0), EUR(90, 0), EUR(90, 0), EUR(27, 0), 0};
  for(int i = 0; i < 5; i++) {
    assert_int_equal(price_at(y[i], m[i], &inv, &d), 0);
    if(want[i])
      assert_int_equal(line_of(&inv, "SWMA", "month")->amount, want[i]);
    else
      assert_int_equal(inv.nlines, 0);
    invoice_clear(&inv);
  }
  rulefix_drop(&fx);
  diag_clear(&d);
}

/* ---- R-T9, R-T6, R-M4: a year billed in shares adds up to the annual charge ---- */

/* Bill n months from y-m on the set written by set_up (kept) and put each month's amount of the line of
 * charge type ct and unit `unit` (a share) in base[i], of its Secure Support uplift in up[i]; 0 where the
 * month has none. */
static void bill_months(int y, int m, int n, const char *ct, const char *unit, money *base, money *up)
{
  invoice inv;
  diag_list d;
  diag_init(&d);
  for(int i = 0; i < n; i++) {
    assert_int_equal(rulefix_price(&fx, month_from_ym(y, m) + i, NULL, 1, &inv, &d), 0);
    const charge_line *b = nth_line(&inv, ct, unit, 0), *u = nth_line(&inv, "SS", "uplift", 0);
    base[i] = b ? b->amount : 0;
    up[i] = u ? u->amount : 0;
    invoice_clear(&inv);
  }
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static money sum_of(const money *v, int n)
{
  money s = 0;
  for(int i = 0; i < n; i++)
    s += v[i];
  return s;
}

/* Each share is the difference of the cumulative amounts of the year, each rounded to the cent: month k
 * of 10,000.00 is round(10,000.00 x k/12) - round(10,000.00 x (k-1)/12). Cumulative: 833.33, 1,666.67,
 * 2,500.00, 3,333.33, ... so the months are 833.33, 833.34, 833.33, repeating, and add up to 10,000.00 (each
 * month rounded alone, 12 x 833.33 = 9,999.96). */
static const money SS_10000[12] = {EUR(833, 33), EUR(833, 34), EUR(833, 33), EUR(833, 33), EUR(833, 34), EUR(833, 33),
                                   EUR(833, 33), EUR(833, 34), EUR(833, 33), EUR(833, 33), EUR(833, 34), EUR(833, 33)};

static void a_year_of_ss_in_shares_adds_up_to_the_annual_charge_and_its_uplift_R_T9_R_M4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  money base[12], up[12];
  /* a renewal with Secure Support: 11.0 % of 10,000.00 = 1,100.00, shared the same way: cumulative 91.67,
   * 183.33, 275.00, 366.67, ...: 91.67, 91.66, 91.67, repeating; rounding each month's uplift alone,
   * 11.0 % of 833.33 = 91.67 (and of 833.34 = 91.67), gave 12 x 91.67 = 1,100.04 */
  static const money up_11[12] = {EUR(91, 67), EUR(91, 66), EUR(91, 67), EUR(91, 67), EUR(91, 66), EUR(91, 67),
                                  EUR(91, 67), EUR(91, 66), EUR(91, 67), EUR(91, 67), EUR(91, 66), EUR(91, 67)};
  const char *renewal = "C1,L1,2025-01-01,2025-12-31,10000.00,,SS,period,ORD-1,,,1\n"
                        "C1,L1,2026-01-01,2026-12-31,10000.00,,SS,renewal,ORD-2,,2025-12-15,1\n";
  set_up_pa("monthly", L_FA_SECURE, renewal, NULL);
  bill_months(2026, 1, 12, "SS", "month", base, up);
  for(int i = 0; i < 12; i++) {
    assert_int_equal(base[i], SS_10000[i]);
    assert_int_equal(up[i], up_11[i]);
  }
  assert_int_equal(sum_of(base, 12), EUR(10000, 0));
  assert_int_equal(sum_of(up, 12), EUR(1100, 0));
  /* the audit trail shows the computation, checkable with a calculator */
  assert_int_equal(price_at(2026, 3, &inv, &d), 0);
  const charge_line *b = line_of(&inv, "SS", "month"), *u = line_of(&inv, "SS", "uplift");
  assert_string_equal(b->note, "SS period 2026-01-01..2026-12-31, month 3 of 12");
  assert_non_null(rulefix_step(&inv, b->line, "R-T9", "month 3 of 12: round(10000.00 x 3/12) - round(10000.00 x "
                                                        "2/12) = 2500.00 - 1666.67 = 833.33", 0));
  assert_non_null(rulefix_step(&inv, b->line, "R-0.1", "add up to 10000.00 to the cent", 0));
  assert_string_equal(rulefix_value(rulefix_step(&inv, u->line, "R-M4", "11.0 % uplift", 0)), "1100.00");
  assert_non_null(rulefix_step(&inv, u->line, "R-T9", "month 3 of 12: round(1100.00 x 3/12) - round(1100.00 x 2/12) "
                                                        "= 275.00 - 183.33 = 91.67", 0));
  assert_string_equal(rulefix_rules(u), "R-M4;R-0.2;R-T9;R-0.1");
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* quarterly: 2,500.00 and 275.00 a quarter, on the March, June, September and December invoices */
  set_up_pa("quarterly", L_FA_SECURE, renewal, NULL);
  bill_months(2026, 1, 12, "SS", "quarter", base, up);
  for(int i = 0; i < 12; i++) {
    assert_int_equal(base[i], i % 3 == 2 ? EUR(2500, 0) : 0);
    assert_int_equal(up[i], i % 3 == 2 ? EUR(275, 0) : 0);
  }
  assert_int_equal(sum_of(base, 12), EUR(10000, 0));
  assert_int_equal(sum_of(up, 12), EUR(1100, 0));
  rulefix_drop(&fx);
  /* a first period: 2.2 % of 10,000.00 = 220.00: cumulative 18.33, 36.67, 55.00, ...: 18.33, 18.34, 18.33,
   * repeating (2.2 % of each month alone, 18.33 x 12 = 219.96); 55.00 a quarter */
  static const money up_22[12] = {EUR(18, 33), EUR(18, 34), EUR(18, 33), EUR(18, 33), EUR(18, 34), EUR(18, 33),
                                  EUR(18, 33), EUR(18, 34), EUR(18, 33), EUR(18, 33), EUR(18, 34), EUR(18, 33)};
  const char *first = "C1,L1,2026-01-01,2026-12-31,10000.00,,SS,period,ORD-1,,,1\n";
  set_up_pa("monthly", L_FA_SECURE, first, NULL);
  bill_months(2026, 1, 12, "SS", "month", base, up);
  for(int i = 0; i < 12; i++) {
    assert_int_equal(base[i], SS_10000[i]);
    assert_int_equal(up[i], up_22[i]);
  }
  assert_int_equal(sum_of(base, 12), EUR(10000, 0));
  assert_int_equal(sum_of(up, 12), EUR(220, 0));
  rulefix_drop(&fx);
  set_up_pa("quarterly", L_FA_SECURE, first, NULL);
  bill_months(2026, 1, 12, "SS", "quarter", base, up);
  for(int i = 0; i < 12; i++)
    assert_int_equal(up[i], i % 3 == 2 ? EUR(55, 0) : 0);
  assert_int_equal(sum_of(base, 12), EUR(10000, 0));
  assert_int_equal(sum_of(up, 12), EUR(220, 0));
  rulefix_drop(&fx);
  diag_clear(&d);
}

/* 002 §5.12: non-System z charges "prorated based on a thirty (30) day month": every month is 30 days, so a
 * support year is 360 and a whole month a twelfth of it, whatever day the year starts on (R-T6). */
static void a_swma_year_from_28_february_bills_a_whole_month_as_a_twelfth_R_T9_R_T6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  money base[14], up[14];
  /* 1,200.00 from 28 Feb 2026 to 27 Feb 2027: February 2026 is days 28..30 of a thirty-day month, 3 days:
   * round(1200 x 3/360) = 10.00; March to January 100.00 each (cumulative 110.00, 210.00, ... 1,110.00);
   * February 2027 days 1..27: 1,200.00 - 1,110.00 = 90.00. (By calendar days the year had 1 + 330 + 27 = 358
   * days and a whole month was 1,200.00 x 30/358 = 100.56.) */
  const char *year = "C1,L1,2026-02-28,2027-02-27,1200.00,,SWMA,period,ORD-1,,,1\n";
  set_up("monthly", L_IBMI, year, NULL);
  bill_months(2026, 2, 13, "SWMA", "month", base, up);
  assert_int_equal(base[0], EUR(10, 0));
  for(int i = 1; i < 12; i++)
    assert_int_equal(base[i], EUR(100, 0));
  assert_int_equal(base[12], EUR(90, 0));
  assert_int_equal(sum_of(base, 13), EUR(1200, 0));
  assert_int_equal(price_at(2026, 2, &inv, &d), 0);
  const charge_line *l = line_of(&inv, "SWMA", "month");
  assert_string_equal(rulefix_rules(l), "R-T9;R-T6;R-M1;R-0.1");
  assert_string_equal(l->note, "SWMA period 2026-02-28..2027-02-27, days 1-3 of 360");
  assert_non_null(rulefix_step(&inv, l->line, "R-T6", "has 360 such days, and this is days 1-3 of 360: "
                                                        "round(1200.00 x 3/360) - round(1200.00 x 0/360) = 10.00 - "
                                                        "0.00 = 10.00", 0));
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* quarterly: March 2026 carries February and March, days 1-33: 110.00; then 300.00 a quarter; March 2027
   * carries January and February, days 304-360: 1,200.00 - 1,010.00 = 190.00 */
  set_up("quarterly", L_IBMI, year, NULL);
  bill_months(2026, 2, 14, "SWMA", "quarter", base, up);
  money want[14] = {0, EUR(110, 0), 0, 0, EUR(300, 0), 0, 0, EUR(300, 0), 0, 0, EUR(300, 0), 0, 0, EUR(190, 0)};
  for(int i = 0; i < 14; i++)
    assert_int_equal(base[i], want[i]);
  assert_int_equal(sum_of(base, 14), EUR(1200, 0));
  rulefix_drop(&fx);
  /* a day is 1/360 of the year in any year: from 28 Feb 2028 (a leap year: 28 and 29 February stand for days
   * 28..30) February is 10.00 again; from 31 March 2026 March has no day (the 31st is no day of a thirty-day
   * month) and April 2026 .. March 2027 are 100.00 each */
  set_up("monthly", L_IBMI, "C1,L1,2028-02-28,2029-02-27,1200.00,,SWMA,period,ORD-1,,,1\n", NULL);
  bill_months(2028, 2, 13, "SWMA", "month", base, up);
  assert_int_equal(base[0], EUR(10, 0));
  assert_int_equal(base[12], EUR(90, 0));
  assert_int_equal(sum_of(base, 13), EUR(1200, 0));
  rulefix_drop(&fx);
  set_up("monthly", L_IBMI, "C1,L1,2026-03-31,2027-03-30,1200.00,,SWMA,period,ORD-1,,,1\n", NULL);
  bill_months(2026, 3, 13, "SWMA", "month", base, up);
  assert_int_equal(base[0], 0);
  for(int i = 1; i < 13; i++)
    assert_int_equal(base[i], EUR(100, 0));
  rulefix_drop(&fx);
  diag_clear(&d);
}

static void a_swma_year_with_partial_first_and_last_months_adds_up_to_the_cent_R_T9_R_T6(void **state)
{
  (void)state;
  money base[14], up[14];
  /* 1,000.00 from 10 Nov 2026 to 9 Nov 2027: November 2026 days 10..30 = 21, whole months 30, November 2027
   * days 1..9: 21 + 11 x 30 + 9 = 360. Cumulative after each month, round(1000 x days/360): 21 -> 58.33,
   * 51 -> 141.67, 81 -> 225.00, 111 -> 308.33, 141 -> 391.67, 171 -> 475.00, ..., 351 -> 975.00, 360 -> 1000.00;
   * each month the difference (each rounded alone: 58.33 + 11 x 83.33 + 25.00 = 999.96) */
  static const money want[13] = {EUR(58, 33), EUR(83, 34), EUR(83, 33), EUR(83, 33), EUR(83, 34),
                                 EUR(83, 33), EUR(83, 33), EUR(83, 34), EUR(83, 33), EUR(83, 33),
                                 EUR(83, 34), EUR(83, 33), EUR(25, 0)};
  const char *year = "C1,L1,2026-11-10,2027-11-09,1000.00,,SWMA,period,ORD-1,,,1\n";
  set_up("monthly", L_IBMI, year, NULL);
  bill_months(2026, 11, 14, "SWMA", "month", base, up);
  for(int i = 0; i < 13; i++)
    assert_int_equal(base[i], want[i]);
  assert_int_equal(base[13], 0);
  assert_int_equal(sum_of(base, 14), EUR(1000, 0));
  rulefix_drop(&fx);
  /* quarterly: December 2026 days 1-51: 141.67; March, June, September 2027 250.00 each (391.67 - 141.67, ...);
   * December 2027 days 322-360: 1,000.00 - 891.67 = 108.33 */
  set_up("quarterly", L_IBMI, year, NULL);
  bill_months(2026, 11, 14, "SWMA", "quarter", base, up);
  static const money q[14] = {0, EUR(141, 67), 0, 0, EUR(250, 0), 0, 0, EUR(250, 0), 0, 0, EUR(250, 0), 0, 0,
                              EUR(108, 33)};
  for(int i = 0; i < 14; i++)
    assert_int_equal(base[i], q[i]);
  assert_int_equal(sum_of(base, 14), EUR(1000, 0));
  rulefix_drop(&fx);
}

/* ---- R-M1: periods and renewals ---- */

static void a_renewal_is_billed_only_with_a_funded_order_by_the_end_of_the_period_R_M1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  const char *funded[] = {"2026-11-30", "2026-12-01", ""};
  for(int i = 0; i < 3; i++) {
    char sup[512];
    snprintf(sup, sizeof(sup),
             "C1,L1,2025-12-01,2026-11-30,1200.00,,SS,period,ORD-1,,,1\n"
             "C1,L1,2026-12-01,2027-11-30,1200.00,,SS,renewal,ORD-2,,%s,1\n", funded[i]);
    set_up("monthly", L_FA, sup, NULL);
    /* November: the last month of the first period */
    assert_int_equal(price_at(2026, 11, &inv, &d), 0);
    assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(100, 0));
    invoice_clear(&inv);
    assert_int_equal(price_at(2026, 12, &inv, &d), 0);
    if(i == 0) {
      const charge_line *l = line_of(&inv, "SS", "month");
      assert_int_equal(l->amount, EUR(100, 0));
      assert_string_equal(l->order_number, "ORD-2");
      assert_true(rulefix_has_step(&inv, l->line, "R-M1"));
    } else {
      /* funded after the end, or not at all: not billed, and the trail says why */
      assert_int_equal(inv.nlines, 0);
      assert_true(rulefix_has_step(&inv, 0, "R-M1"));
    }
    invoice_clear(&inv);
    rulefix_drop(&fx);
  }
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void contradicting_support_rows_are_errors_with_line_and_column_R_M1_R_M2_R_M6_R_M7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  static const char *rows[] = {
    /* 2 */ "C1,L1,2026-12-01,2027-11-30,1200.00,,SS,renewal,ORD-1,,2026-11-01,1",
    /* 3 */ "C1,L2,2025-01-01,2025-12-31,1200.00,,SS,period,ORD-1,,,1",
    /* 4 */ "C1,L2,2025-06-01,2026-05-31,1200.00,2025-06-01,SS,reinstatement,ORD-1,2025-05-31,,1",
    /* 5 */ "C1,L3,2025-01-01,2025-12-31,1200.00,,SS,period,ORD-1,,,1",
    /* 6 */ "C1,L3,2026-01-01,2026-11-30,1200.00,,SS,renewal,ORD-1,,2025-12-01,1",
    /* 7 */ "C1,L4,2025-01-01,2025-12-31,1200.00,,SS,period,ORD-1,,,1",
    /* 8 */ "C1,L4,2026-03-01,2027-02-28,1200.00,,SS,period,ORD-1,,,1",
    /* 9 */ "C1,L5,2025-01-01,2025-12-31,1200.00,,S/S,period,ORD-1,,,1",
    /* 10 */ "C1,L6,2025-01-01,2025-12-31,1200.00,,SWMA,period,ORD-1,,,1",
    /* 11 */ "C1,L7,2025-01-01,2025-12-31,1200.00,,SWMA,period,ORD-1,,,1",
    /* 12 */ "C1,L7,2026-03-01,2027-02-28,1200.00,,6942-73G,reinstatement,ORD-1,,,1",
    /* 13 */ "C1,L8,2025-01-01,2025-12-31,1200.00,,SWMA,period,ORD-1,,,1",
    /* 14 */ "C1,L8,2026-03-01,2027-02-28,1200.00,2026-03-02,6942-73G,reinstatement,ORD-1,2025-12-31,,1",
    /* 15 */ "C1,L9,2025-01-01,2025-12-31,1200.00,,SS,period,ORD-1,,,1",
    /* 16 */ "C1,L9,2026-01-01,2026-06-30,600.00,,SS,upgrade,ORD-1,,,1",
    /* 17 */ "C1,L9,2025-06-01,2025-11-30,600.00,,SS,upgrade,ORD-1,,,1",
    /* 18 */ "C1,L9,2023-01-01,2025-10-31,1500.00,,SS,excess,AUD-1,,,3",
    /* 19 */ "C1,L10,2026-01-01,2026-12-31,1200.00,,6942-12F,period,ORD-1,,,1",
    /* 20 */ "C1,L11,2025-01-01,2025-12-31,1200.00,,SWMA,period,ORD-1,,,1",
    /* 21 */ "C1,L11,2026-03-01,2027-02-28,1200.00,2026-03-01,SWMA,reinstatement,ORD-1,2025-11-30,,1",
  };
  char sup[4096] = "";
  for(size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    strcat(sup, rows[i]);
    strcat(sup, "\n");
  }
  set_up("monthly",
         "C1,L1,Z1,FA,SS,,2019-01-01,,,,,,,no,\nC1,L2,Z1,FA,SS,,2019-01-01,,,,,,,no,\n"
         "C1,L3,Z1,FA,SS,,2019-01-01,,,,,,,no,\nC1,L4,Z1,FA,SS,,2019-01-01,,,,,,,no,\n"
         "C1,L5,Z1,FA,OTC,,2019-01-01,,,,,,,no,\nC1,L6,P1,IBMI,OTC,,2019-01-01,,,,,,,yes,\n"
         "C1,L7,P1,IBMI,SWMA,,2019-01-01,,,,,,,no,\nC1,L8,P1,IBMI,SWMA,,2019-01-01,,,,,,,no,\n"
         "C1,L9,Z1,FA,SS,,2019-01-01,,,,,,,no,\nC1,L10,P1,IBMI,SWMA,,2019-01-01,,,,,,,no,\n"
         "C1,L11,P1,IBMI,SWMA,,2019-01-01,,,,,,,no,\n",
         sup, NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), LB_EINPUT);
  rulefix_expect_error(&d, "support.csv", 2, rulefix_col_of(rows[0], 2), "renewal without a prior period: no support period of "
               "license L1 ends on 2026-11-30, expected a renewal to start the day after the previous period ends "
               "(R-M1)");
  rulefix_expect_error(&d, "support.csv", 4, rulefix_col_of(rows[2], 2), "support period 2025-06-01..2026-05-31 overlaps the period "
               "2025-01-01..2025-12-31 on line 3 of license L2, expected periods that do not overlap (R-M1)");
  rulefix_expect_error(&d, "support.csv", 6, rulefix_col_of(rows[4], 3), "a renewal is one year: expected period_end 2026-12-31");
  rulefix_expect_error(&d, "support.csv", 8, rulefix_col_of(rows[6], 7), "kind period is the first support period of license L4");
  rulefix_expect_error(&d, "support.csv", 9, rulefix_col_of(rows[7], 6), "offering 'S/S' is not a support offering");
  rulefix_expect_error(&d, "support.csv", 10, rulefix_col_of(rows[8], 6), "Secure Support via U.S. citizens is an uplift on S&S "
               "(002 §5.15.14), not on SWMA, expected offering SS or secure_support=no (R-M4)");
  /* and that license was not bought via Passport Advantage, whose prices the uplift raises (R-M4) */
  rulefix_expect_error(&d, "licenses.csv", 7, 37, "license L6 (IBMI) has secure_support=yes, but it was not sold via "
               "Passport Advantage (sales_channel direct)");
  rulefix_expect_error(&d, "support.csv", 12, rulefix_col_of(rows[10], 9), "After License Fee (SWMA reinstatement) row without an "
               "expiration date, expected expired_on: the last day covered before the lapse (R-M2)");
  rulefix_expect_error(&d, "support.csv", 14, rulefix_col_of(rows[12], 5), "reinstated_on 2026-03-02 differs from period_start "
               "2026-03-01, expected the new support period to start on the order date (R-M2)");
  rulefix_expect_error(&d, "support.csv", 16, rulefix_col_of(rows[14], 2), "support upgrade on 2026-01-01 is not inside a support "
               "period of license L9, expected a date within an existing period (R-M6)");
  rulefix_expect_error(&d, "support.csv", 17, rulefix_col_of(rows[15], 3), "a support upgrade is charged up to the next anniversary, "
               "expected period_end 2025-12-31");
  rulefix_expect_error(&d, "support.csv", 18, rulefix_col_of(rows[16], 5), "excess use row without the order date, expected "
               "reinstated_on: the date of the order that charges the excess use found by the audit (R-M7)");
  rulefix_expect_error(&d, "support.csv", 19, rulefix_col_of(rows[17], 7), "offering 6942-12F is the After License Fee for a lapsed "
               "SWMA, but the row's kind is period, expected kind reinstatement (R-M2)");
  rulefix_expect_error(&d, "support.csv", 21, rulefix_col_of(rows[19], 9), "expired_on 2025-11-30, but the previous support period "
               "of license L11 (line 20) ends on 2025-12-31, expected that date (R-M2)");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-M3: resumption ---- */

static void the_resumption_fee_is_the_support_of_the_lapsed_months_R_M3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* expired 30 Apr 2025, resumed 12 Nov 2026: May 2025 .. November 2026 = 19 months x 150.00 */
  set_up("monthly", L_FA,
         "C1,L1,2024-05-01,2025-04-30,1800.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-11-12,2027-11-11,1800.00,2026-11-12,SS,reinstatement,ORD-2,2025-04-30,,1\n", NULL);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *f = line_of(&inv, "SS", "charge");
  assert_int_equal(f->amount, EUR(2850, 0));
  assert_string_equal(rulefix_rules(f), "R-T9;R-M3;R-0.1");
  assert_true(rulefix_has_step(&inv, f->line, "R-M3"));
  invoice_clear(&inv);
  /* the new period is charged from December, the fee is not billed again */
  assert_int_equal(price_at(2026, 12, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(150, 0));
  assert_string_equal(rulefix_rules(line_of(&inv, "SS", "month")), "R-T9;R-M1;R-M3;R-0.1");
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* expired 31 Oct, resumed 1 Nov: no month lapsed, no fee, November charged */
  set_up("monthly", L_FA,
         "C1,L1,2025-11-01,2026-10-31,1800.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-11-01,2027-10-31,1800.00,2026-11-01,SS,reinstatement,ORD-2,2026-10-31,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(count_lines(&inv, "SS"), 1);
  assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(150, 0));
  assert_true(rulefix_has_step(&inv, 0, "R-M3"));
  invoice_clear(&inv);
  /* resumed 2 Nov: November lapsed (the new period starts in December): one month, 150.00 */
  set_up("monthly", L_FA,
         "C1,L1,2025-11-01,2026-10-31,1800.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-11-02,2027-11-01,1800.00,2026-11-02,SS,reinstatement,ORD-2,2026-10-31,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(line_of(&inv, "SS", "charge")->amount, EUR(150, 0));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

/* ---- R-M4: Secure Support ---- */

static void secure_support_adds_its_uplift_as_a_line_of_its_own_R_M4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* renewal: 11.0 % of the year's 3,600.00 = 396.00, shared like the S&S: November is month 12 of 12,
   * 396.00 - round(396.00 x 11/12) = 396.00 - 363.00 = 33.00 */
  set_up_pa("monthly", L_FA_SECURE,
         "C1,L1,2024-12-01,2025-11-30,3600.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2025-12-01,2026-11-30,3600.00,,SS,renewal,ORD-2,,2025-11-25,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(inv.lines[0].amount, EUR(300, 0));
  assert_string_equal(inv.lines[1].unit, "uplift");
  assert_int_equal(inv.lines[1].amount, EUR(33, 0));
  assert_string_equal(rulefix_rules(&inv.lines[1]), "R-M4;R-0.2;R-T9;R-0.1");
  assert_true(rulefix_has_step(&inv, 2, "R-M4"));
  invoice_clear(&inv);
  /* first-year S&S: November is month 11 of 12, round(1230 x 11/12) - round(1230 x 10/12) = 1127.50 - 1025.00
   * = 102.50; its uplift 2.2 % of 1,230.00 = 27.06, round(27.06 x 11/12) - round(27.06 x 10/12) = round(24.805)
   * - 22.55 = 24.81 - 22.55 = 2.26 (half away from zero, R-0.1) */
  set_up_pa("monthly", L_FA_SECURE, "C1,L1,2026-01-01,2026-12-31,1230.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.lines[0].amount, EUR(102, 50));
  assert_int_equal(inv.lines[1].amount, EUR(2, 26));
  invoice_clear(&inv);
  /* reinstatement fee 2,850.00: 11.0 % = 313.50 */
  set_up_pa("monthly", L_FA_SECURE,
         "C1,L1,2024-05-01,2025-04-30,1800.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-11-12,2027-11-11,1800.00,2026-11-12,SS,reinstatement,ORD-2,2025-04-30,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(inv.lines[1].amount, EUR(313, 50));
  invoice_clear(&inv);
  /* a license bought (OTC) with S&S from its installation: 2.2 % of the license price 12,400.00 */
  set_up_pa("monthly", "C1,L1,P1,RDI,OTC,,2026-11-05,,,ORD-1,,,,yes,,passport_advantage\n",
         "C1,L1,2026-11-05,2027-11-04,2480.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(line_of(&inv, "OTC", NULL)->amount, EUR(12400, 0));
  assert_int_equal(line_of(&inv, "SS", "uplift")->amount, EUR(272, 80));
  invoice_clear(&inv);
  /* S&S no longer active: no uplift at all */
  set_up_pa("monthly", L_FA_SECURE, "C1,L1,2025-01-01,2025-12-31,1200.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

/* R-M4, 002 §5.15.14: Secure Support "covers IPLA software sold via Passport Advantage, and AIX Operating System
 * programs Software Maintenance support", and its uplift is on "the Passport Advantage product price or Passport
 * Advantage software subscription and support price" (2.1). secure_support=yes anywhere else is an error at its
 * cell, never a silent skip; sales_channel says how a license was sold. */
static void secure_support_outside_passport_advantage_is_an_input_error_R_M4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  static const char *const lic[] = {
    /* 2: S&S bought outside Passport Advantage (empty: direct) */
    "C1,L1,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,",
    /* 3: the same, said */
    "C1,L2,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,direct",
    /* 4: IBM i Software Maintenance: the AIX feature is priced from the Software Maintenance price list */
    "C1,L3,P1,IBMI,SWMA,,2019-06-14,,,ORD-1,,,,yes,,",
    /* 5: an MLC program: not IPLA software */
    "C1,L4,Z1,TOOL,VWLC,,2019-06-14,,,ORD-1,,,,yes,subcap,",
    /* 6: Passport Advantage does not sell MLC programs */
    "C1,L5,Z1,ZOS,VWLC,,2019-06-14,,,ORD-1,,,,no,subcap,passport_advantage",
    /* 7: in scope: no error */
    "C1,L6,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,passport_advantage",
  };
  char lics[2048] = "";
  for(size_t i = 0; i < sizeof(lic) / sizeof(lic[0]); i++) {
    strcat(lics, lic[i]);
    strcat(lics, "\n");
  }
  set_up_pa("monthly", lics, "C1,L6,2026-01-01,2026-12-31,1200.00,,SS,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), LB_EINPUT);
  rulefix_expect_error(&d, "licenses.csv", 2, rulefix_col_of(lic[0], 13), "license L1 (FA) has secure_support=yes, but "
               "it was not sold via Passport Advantage (sales_channel direct): the uplift is on \"the Passport Advantage "
               "product price or Passport Advantage software subscription and support price\" (002 §5.15.14 2.1), "
               "expected sales_channel passport_advantage or secure_support=no (R-M4)");
  rulefix_expect_error(&d, "licenses.csv", 3, rulefix_col_of(lic[1], 13), "license L2 (FA) has secure_support=yes, but "
               "it was not sold via Passport Advantage");
  rulefix_expect_error(&d, "licenses.csv", 4, rulefix_col_of(lic[2], 13), "license L3 (IBMI) has secure_support=yes, "
               "but Secure Support via U.S. citizens on Software Maintenance (AIX) is priced under the Software "
               "Maintenance price list (002 §5.15.14 3)");
  rulefix_expect_error(&d, "licenses.csv", 5, rulefix_col_of(lic[3], 13), "license L4 (TOOL) has secure_support=yes, "
               "but Secure Support via U.S. citizens covers IPLA software sold via Passport Advantage (002 §5.15.14 1), "
               "not VWLC licenses");
  rulefix_expect_error(&d, "licenses.csv", 6, rulefix_col_of(lic[4], 15), "license L5 (ZOS) has sales_channel "
               "passport_advantage, but Passport Advantage sells IPLA software, not VWLC licenses");
  assert_false(rulefix_has_error(&d, "license L6"));
  assert_int_equal(d.n, 5);
  invoice_clear(&inv);
  diag_clear(&d);
  /* a value that is not a sales channel is an error at its cell */
  set_up_pa("monthly", "C1,L1,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,shopz\n", NULL, NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "column 'sales_channel': unknown value");
  assert_non_null(strstr(e->file, "licenses.csv"));
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, rulefix_col_of("C1,L1,Z1,FA,SS,,2019-06-14,,,ORD-1,,,,yes,,shopz", 15));
  assert_non_null(strstr(e->message, "expected one of: direct, passport_advantage"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-M5, R-M6, R-M7 ---- */

static void an_anniversary_adjustment_prorates_the_period_by_days_R_M5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* renewal shortened to end in March: 274 of 365 days over 9 months: 2400 x 274 / (365 x 9) = 200.18 */
  set_up("monthly", L_FA,
         "C1,L1,2025-07-01,2026-06-30,2400.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-07-01,2027-03-31,2400.00,,SS,anniversary,ORD-2,,2026-06-20,1\n", NULL);
  int ym[][2] = {{2026, 7}, {2026, 11}, {2027, 3}};
  for(int i = 0; i < 3; i++) {
    assert_int_equal(price_at(ym[i][0], ym[i][1], &inv, &d), 0);
    const charge_line *l = line_of(&inv, "SS", "month");
    assert_int_equal(l->amount, EUR(200, 18));
    assert_string_equal(rulefix_rules(l), "R-T9;R-M1;R-M5;R-0.1");
    assert_true(rulefix_has_step(&inv, l->line, "R-M5"));
    invoice_clear(&inv);
  }
  assert_int_equal(price_at(2027, 4, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* lengthened to end in September 2027: 457 days over 15 months: 2400 x 457 / (365 x 15) = 200.33 */
  set_up("monthly", L_FA,
         "C1,L1,2025-07-01,2026-06-30,2400.00,,SS,period,ORD-1,,,1\n"
         "C1,L1,2026-07-01,2027-09-30,2400.00,,SS,anniversary,ORD-2,,2026-06-20,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(200, 33));
  invoice_clear(&inv);
  /* a short first SWMA period, 181 of 365 days, whole months 30 of 180: 1200 x 181/365 x 30/180 = 99.18 */
  set_up("monthly", L_IBMI, "C1,L1,2026-01-01,2026-06-30,1200.00,,SWMA,period,ORD-1,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 2, NULL, 0, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "SWMA", "month")->amount, EUR(99, 18));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void an_upgrade_is_prorated_by_days_to_the_next_anniversary_R_M6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* +1,200.00 a year from 16 Oct to the anniversary 1 Dec: 46 of 365 days, charged in November: 151.23 */
  set_up("monthly", L_FA,
         "C1,L1,2025-12-01,2026-11-30,3600.00,,SS,period,ORD-1,,,2\n"
         "C1,L1,2026-10-16,2026-11-30,1200.00,,SS,upgrade,ORD-2,,,1\n", NULL);
  assert_int_equal(price_at(2026, 10, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(line_of(&inv, "SS", "month")->amount, EUR(300, 0));
  invoice_clear(&inv);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  const charge_line *u = nth_line(&inv, "SS", "month", 1);
  assert_non_null(u);
  assert_int_equal(u->amount, EUR(151, 23));
  assert_string_equal(rulefix_rules(u), "R-T9;R-M1;R-M6;R-0.1");
  assert_true(rulefix_has_step(&inv, u->line, "R-M6"));
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* from 1 June: 183 days over June..November: 1200 x 183 / (365 x 6) = 100.27 a month */
  set_up("monthly", L_FA,
         "C1,L1,2025-12-01,2026-11-30,3600.00,,SS,period,ORD-1,,,2\n"
         "C1,L1,2026-06-01,2026-11-30,1200.00,,SS,upgrade,ORD-2,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 6, NULL, 0, &inv, &d), 0);
  assert_int_equal(nth_line(&inv, "SS", "month", 1)->amount, EUR(100, 27));
  invoice_clear(&inv);
  /* SWMA from 16 July: 169 of 365 days, 600 x 169/365 = 277.81; on thirty-day months July has days 16..30,
   * 15 of the 165 days to 31 December (R-T6): round(277.81 x 15/165) = round(25.2555) = 25.26 */
  set_up("monthly", L_IBMI,
         "C1,L1,2026-01-01,2026-12-31,1200.00,,SWMA,period,ORD-1,,,1\n"
         "C1,L1,2026-07-16,2026-12-31,600.00,,SWMA,upgrade,ORD-2,,,1\n", NULL);
  assert_int_equal(price_month_keep(2026, 7, NULL, 0, &inv, &d), 0);
  assert_int_equal(nth_line(&inv, "SWMA", "month", 1)->amount, EUR(25, 26));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static money excess_support(const char *from, const char *to, invoice *inv, diag_list *d)
{
  char sup[512];
  snprintf(sup, sizeof(sup),
           "C1,L1,2026-01-01,2026-12-31,1000.00,,SS,period,ORD-1,,,2\n"
           "C1,L1,%s,%s,1500.00,2026-11-20,SS,excess,AUD-1,,,3\n", from, to);
  set_up("monthly", L_FA, sup, NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, inv, d), 0);
  const charge_line *lic = line_of(inv, "SS", "licenses");
  assert_int_equal(lic->quantity, 3);
  assert_int_equal(lic->amount, EUR(7500, 0));
  assert_string_equal(lic->order_number, "AUD-1");
  const charge_line *s = line_of(inv, "SS", "charge");
  assert_string_equal(rulefix_rules(s), "R-T9;R-M7;R-0.1");
  assert_true(rulefix_has_step(inv, s->line, "R-M7"));
  return s->amount;
}

static void excess_use_pays_licenses_and_support_for_at_most_two_years_R_M7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* more than two years: two years of support */
  assert_int_equal(excess_support("2023-09-01", "2026-10-31", &inv, &d), EUR(3000, 0));
  invoice_clear(&inv);
  /* exactly two years */
  assert_int_equal(excess_support("2024-11-01", "2026-10-31", &inv, &d), EUR(3000, 0));
  invoice_clear(&inv);
  /* a year and 184 days of the next year (365 days): 1500 x 549/365 = 2256.16 */
  assert_int_equal(excess_support("2025-03-01", "2026-08-31", &inv, &d), EUR(2256, 16));
  invoice_clear(&inv);
  /* 184 days: 1500 x 184/365 = 756.16 */
  assert_int_equal(excess_support("2026-05-01", "2026-10-31", &inv, &d), EUR(756, 16));
  invoice_clear(&inv);
  /* the order of December does not bill them in November's neighbour months */
  set_up("monthly", L_FA, "C1,L1,2026-01-01,2026-12-31,1000.00,,SS,period,ORD-1,,,2\n"
                          "C1,L1,2026-05-01,2026-10-31,1500.00,2026-12-03,SS,excess,AUD-1,,,3\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  /* no license price: an error naming R-M7, never a zero */
  set_up("monthly", "C1,L1,Z1,TOOL,SS,,2019-06-14,,,ORD-1,,,,no,\n",
         "C1,L1,2026-05-01,2026-10-31,1500.00,2026-11-20,SS,excess,AUD-1,,,3\n", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_non_null(strstr(d.v[0].message, "no license price for TOOL SS in EUR effective on 2026-11-20"));
  assert_non_null(strstr(d.v[0].message, "(R-M7)"));
  assert_int_equal(d.v[0].line, 2);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-T7: ILC ---- */

#define L_ZOS "C1,L0,Z1,ZOS,VWLC,,2019-01-01,,,ORD-0,,,,no,full\n"

static void the_ilc_is_billed_once_on_the_first_mlc_invoice_R_T7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* installed 15 Oct: first MLC month November (R-T4) */
  set_up("monthly", L_ZOS "C1,L2,Z1,TOOL,VWLC,,2026-10-15,,,ORD-2,,,,no,full\n", "", NULL);
  assert_int_equal(price_at(2026, 10, &inv, &d), 0);
  assert_int_equal(count_lines(&inv, "ILC"), 0);
  invoice_clear(&inv);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  const charge_line *l = line_of(&inv, "ILC", NULL);
  assert_int_equal(l->amount, EUR(5000, 0));
  assert_string_equal(l->product_id, "TOOL");
  assert_string_equal(rulefix_rules(l), "R-T7;R-0.1");
  assert_string_equal(l->order_number, "ORD-2");
  assert_true(rulefix_has_step(&inv, l->line, "R-T7"));
  assert_int_equal(inv.ncarry, 1);
  assert_string_equal(rulefix_carry_key(&inv, 0), "ilc:L2");
  assert_string_equal(rulefix_state_of(&inv, rulefix_carry_key(&inv, 0)), "2026-11");
  /* z/OS has no ILC in the price book: no line for it */
  assert_int_equal(count_lines(&inv, "ILC"), 1);
  invoice_clear(&inv);
  assert_int_equal(price_at(2026, 12, &inv, &d), 0);
  assert_int_equal(count_lines(&inv, "ILC"), 0);
  invoice_clear(&inv);
  /* the ledger says it was billed already: not again */
  const rulefix_state fh[] = {{"ilc:L2", "2026-10", month_from_ym(2026, 10)}, {NULL, NULL, 0}};
  rulefix_hist h = rulefix_history(fh);
  assert_int_equal(price_month_keep(2026, 11, &h, 1, &inv, &d), 0);
  assert_int_equal(count_lines(&inv, "ILC"), 0);
  assert_true(rulefix_has_step(&inv, 0, "R-T7"));
  invoice_clear(&inv);
  rulefix_drop(&fx);
  /* installed on the 1st: that month; discontinued before its first month: never */
  set_up("monthly", L_ZOS "C1,L2,Z1,TOOL,VWLC,,2026-11-01,,,ORD-2,,,,no,full\n"
                          "C1,L3,Z1,TOOL,VWLC,,2026-10-15,2026-10-20,,ORD-3,,,,no,full\n", "", NULL);
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), 0);
  assert_int_equal(count_lines(&inv, "ILC"), 1);
  assert_string_equal(line_of(&inv, "ILC", NULL)->order_number, "ORD-2");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

/* ---- R-T8: PLC and the annual charge ---- */

static void the_plc_is_billed_on_installation_and_the_alc_yearly_in_arrears_R_T8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("monthly", "C1,L1,Z1,FORT,ALC,,2026-11-09,,,ORD-1,,,,no,\n", "", NULL);
  assert_int_equal(price_at(2026, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *p = line_of(&inv, "PLC", NULL);
  assert_int_equal(p->amount, EUR(8000, 0));
  assert_string_equal(rulefix_rules(p), "R-T8;R-0.1");
  assert_true(rulefix_has_step(&inv, p->line, "R-T8"));
  assert_string_equal(rulefix_carry_key(&inv, 0), "plc:L1");
  invoice_clear(&inv);
  /* charged from December (R-T4): the year December..November is invoiced in November 2027 */
  assert_int_equal(price_at(2026, 12, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  assert_int_equal(price_at(2027, 10, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  assert_int_equal(price_at(2027, 11, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *a = line_of(&inv, "ALC", "year");
  assert_int_equal(a->amount, EUR(2400, 0));
  assert_string_equal(rulefix_rules(a), "R-T4;R-0.1");
  invoice_clear(&inv);
  /* the ledger says the PLC was billed already (in October, before the installation date was
   * corrected to 9 November): not again */
  const rulefix_state fh[] = {{"plc:L1", "2026-10", month_from_ym(2026, 10)}, {NULL, NULL, 0}};
  rulefix_hist h = rulefix_history(fh);
  assert_int_equal(price_month_keep(2026, 11, &h, 0, &inv, &d), 0);
  assert_int_equal(inv.nlines, 0);
  assert_true(rulefix_has_step(&inv, 0, "R-T8"));
  invoice_clear(&inv);
  /* discontinued 15 March 2027: charged through March, December..March = 4/12 of 2,400.00 */
  set_up("monthly", "C1,L1,Z1,FORT,ALC,,2026-11-09,2027-03-15,,ORD-1,,,,no,\n", "", NULL);
  assert_int_equal(price_month_keep(2027, 3, NULL, 0, &inv, &d), 0);
  a = line_of(&inv, "ALC", "charge");
  assert_int_equal(a->amount, EUR(800, 0));
  assert_string_equal(rulefix_rules(a), "R-T4;R-T5;R-0.1");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  /* no PLC in the price book: an error naming R-T8 */
  set_up("monthly", "C1,L1,Z1,FORT,ALC,,2026-11-09,,,ORD-1,,,,no,\n", "",
         "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
         "FORT,ALC,annual,,,,2400.00,EUR,2000-01-01\n");
  assert_int_equal(price_month_keep(2026, 11, NULL, 0, &inv, &d), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_non_null(strstr(d.v[0].message, "component 'plc'"));
  assert_non_null(strstr(d.v[0].message, "(R-T8)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(lapse_discount_follows_the_seed_table_and_month_ends_R_M2),
    cmocka_unit_test(after_license_fee_is_discounted_by_the_lapse_R_M2),
    cmocka_unit_test(the_lapse_discount_is_never_combined_with_prompt_payment_R_M2_R_X2),
    cmocka_unit_test(a_reinstated_swma_period_starts_on_the_order_date_R_M2),
    cmocka_unit_test(quarterly_customers_get_maintenance_in_march_june_september_december_R_T9),
    cmocka_unit_test(a_quarterly_after_license_fee_waits_for_the_quarter_R_T9_R_M2),
    cmocka_unit_test(ss_runs_in_whole_calendar_months_from_the_month_after_R_T9_R_T4),
    cmocka_unit_test(swma_runs_from_the_first_day_on_thirty_day_months_R_T9_R_T6),
    cmocka_unit_test(a_year_of_ss_in_shares_adds_up_to_the_annual_charge_and_its_uplift_R_T9_R_M4),
    cmocka_unit_test(a_swma_year_from_28_february_bills_a_whole_month_as_a_twelfth_R_T9_R_T6),
    cmocka_unit_test(a_swma_year_with_partial_first_and_last_months_adds_up_to_the_cent_R_T9_R_T6),
    cmocka_unit_test(a_renewal_is_billed_only_with_a_funded_order_by_the_end_of_the_period_R_M1),
    cmocka_unit_test(contradicting_support_rows_are_errors_with_line_and_column_R_M1_R_M2_R_M6_R_M7),
    cmocka_unit_test(the_resumption_fee_is_the_support_of_the_lapsed_months_R_M3),
    cmocka_unit_test(secure_support_adds_its_uplift_as_a_line_of_its_own_R_M4),
    cmocka_unit_test(secure_support_outside_passport_advantage_is_an_input_error_R_M4),
    cmocka_unit_test(an_anniversary_adjustment_prorates_the_period_by_days_R_M5),
    cmocka_unit_test(an_upgrade_is_prorated_by_days_to_the_next_anniversary_R_M6),
    cmocka_unit_test(excess_use_pays_licenses_and_support_for_at_most_two_years_R_M7),
    cmocka_unit_test(the_ilc_is_billed_once_on_the_first_mlc_invoice_R_T7),
    cmocka_unit_test(the_plc_is_billed_on_installation_and_the_alc_yearly_in_arrears_R_T8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
