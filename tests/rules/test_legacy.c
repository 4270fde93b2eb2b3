/* test_legacy.c - capacity-based legacy charges (ELC, IMLC, PSLC, GMLC, GOLC, MOSP) and R-W9, priced in-process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/engine.h"
#include "rules/graduated.h"
#include "rules/registry.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "ZVM,z/VM V7,none,yes,7,,,\n"
  "TPF,z/TPF V1,ztpf,yes,1,,,\n"
  "IMS,IMS V15,zos,no,15,3,,\n"
  "CICS,CICS TS,zos,no,6,3,,\n"
  "ALCS,ALCS V2,ztpf,no,2,,,\n"
  "PLI,PL/I for MVS,none,no,5,,,\n"
  "COB,COBOL for MVS,none,no,6,,,\n";

/* IMS ELC: base 8000.00 for 80 MSUs + 25.555 per MSU above.
 * CICS IMLC: 1-100 @ 40, 101+ @ 30.
 * PSLC (IMS, ZOS, ALCS) and AWLC/VWLC (ZOS): 1-3 @ 10, 4-45 @ 5, 46+ @ 1.
 * PLI graduated (GMLC group book): group 30 = 1000, 40 = 1500, 50 = 2200.005, 70 = 3000;
 * PLI MOSP: 700, 1100, 1600, 2300. COB GOLC H50 = 1800, no graduated book. */
static const char *PRICES =
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
  "IMS,ELC,base,,,,8000.00,EUR,2024-01-01\n"
  "IMS,ELC,per_msu,,,25.555,,EUR,2024-01-01\n"
  "CICS,IMLC,monthly,1,100,40,,EUR,2024-01-01\nCICS,IMLC,monthly,101,,30,,EUR,2024-01-01\n"
  "IMS,PSLC,monthly,1,3,10,,EUR,2024-01-01\nIMS,PSLC,monthly,4,45,5,,EUR,2024-01-01\n"
  "IMS,PSLC,monthly,46,,1,,EUR,2024-01-01\n"
  "ZOS,PSLC,monthly,1,3,10,,EUR,2024-01-01\nZOS,PSLC,monthly,4,45,5,,EUR,2024-01-01\n"
  "ZOS,PSLC,monthly,46,,1,,EUR,2024-01-01\n"
  "ALCS,PSLC,monthly,1,3,10,,EUR,2024-01-01\nALCS,PSLC,monthly,4,45,5,,EUR,2024-01-01\n"
  "ALCS,PSLC,monthly,46,,1,,EUR,2024-01-01\n"
  "ZOS,AWLC,monthly,1,3,10,,EUR,2024-01-01\nZOS,AWLC,monthly,4,45,5,,EUR,2024-01-01\n"
  "ZOS,AWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "ZOS,VWLC,monthly,1,3,10,,EUR,2024-01-01\nZOS,VWLC,monthly,4,45,5,,EUR,2024-01-01\n"
  "ZOS,VWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "PLI,GMLC,group,1,30,,1000,EUR,2024-01-01\nPLI,GMLC,group,31,40,,1500,EUR,2024-01-01\n"
  "PLI,GMLC,group,41,50,,2200.005,EUR,2024-01-01\nPLI,GMLC,group,51,70,,3000,EUR,2024-01-01\n"
  "PLI,MOSP,group,1,30,,700,EUR,2024-01-01\nPLI,MOSP,group,31,40,,1100,EUR,2024-01-01\n"
  "PLI,MOSP,group,41,50,,1600,EUR,2024-01-01\nPLI,MOSP,group,51,70,,2300,EUR,2024-01-01\n"
  "COB,GOLC,H50,,,,1800,EUR,2024-01-01\n";

/* the price list's machine table: IBM 9672 tops at 150, the whole table at 210 */
static const char *MODELS =
  "type_model,product_group,msu_rating\n"
  "9672-R16,IBM 9672,90\n"
  "9672-RX6,IBM 9672,150\n"
  "9672-XZ7,IBM 9672,\n"
  "2003-1C5,IBM 2003,40\n"
  "AMD-M1,Amdahl Millennium,210\n"
  "HDS-X1,HDS Skyline,\n";

/* the PSLC tier book is rulefix_book() */

#define EUR(x) ((money)((x) * 10000))

/* one machines.csv row: msu/plex/pg/golc/eff may be "" */
static char *mach(char *buf, const char *serial, const char *tm, const char *msu, const char *plex, const char *pg,
                  const char *golc, const char *prsm, const char *eff)
{
  sprintf(buf + strlen(buf), "C1,%s,%s,%s,4,%s,no,%s,%s,,,,,%s,%s\n", serial, tm, msu, plex, pg, golc, prsm, eff);
  return buf;
}

/* one machines.csv row of an AWLC-eligible machine (R-W20) */
static char *mach_awlc(char *buf, const char *serial, const char *tm, const char *msu)
{
  sprintf(buf + strlen(buf), "C1,%s,%s,%s,4,,yes,,,,,,,no,\n", serial, tm, msu);
  return buf;
}

/* one licenses.csv row */
static char *lic(char *buf, const char *id, const char *serial, const char *prod, const char *ct,
                 const char *installed, const char *discontinued, const char *accepted)
{
  sprintf(buf + strlen(buf), "C1,%s,%s,%s,%s,,%s,%s,,ORD-%s,,,,no,full,,%s\n", id, serial, prod, ct, installed,
          discontinued, id, accepted);
  return buf;
}

static void base_set(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "legacy",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .models = MODELS,
                       .machines_hdr = RULEFIX_MACHINES_HDR_DATED,
                       .machines = machines,
                       .licenses_hdr = RULEFIX_LICENSES_COLS ",quantity,accepted_on\n",
                       .licenses = licenses,
                     });
}

/* Price customer C1 for month (y, mo) in-process, with an optional history. */
static int price_month(int y, int mo, const rulefix_state *states, invoice *inv, diag_list *d)
{
  rulefix_hist hist = rulefix_history(states);
  return rulefix_price(&fx, month_from_ym(y, mo), states ? &hist : NULL, 0, inv, d);
}

static int price_nov(invoice *inv, diag_list *d) { return price_month(2026, 11, NULL, inv, d); }

/* the n-th line (0-based) of product pid */
#define nth_line(inv, pid, n) rulefix_line(inv, pid, NULL, NULL, n)
#define line_of(inv, pid) nth_line(inv, pid, 0)

/* ---- R-L1 ELC ---- */

static void elc_charges_the_80_msu_base_plus_each_msu_above_R_L1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* 81 MSUs: 8000.00 + 1 x 25.555 = 8025.555, rounded half away to 8025.56 */
  base_set(mach(m, "M1", "9672-RX6", "81", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 81);
  assert_int_equal(c->amount, EUR(8025.56));
  assert_string_equal(line_charge_type(c), "ELC");
  assert_string_equal(c->unit, "MSUs");
  assert_string_equal(c->order_number, "ORD-L1");
  assert_string_equal(rulefix_rules(c), "R-T4;R-L1;R-0.1");
  assert_true(rulefix_has_step(&inv, c->line, "R-L1"));
  assert_int_equal(c->ntiers, 2);
  assert_int_equal(c->tiers[0].fixed_price, EUR(8000));
  assert_int_equal(c->tiers[1].qty, 1);
  invoice_clear(&inv);
  /* 120 MSUs: 8000 + 40 x 25.555 = 9022.20 */
  m[0] = l[0] = '\0';
  base_set(mach(m, "M1", "9672-RX6", "120", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "IMS")->amount, EUR(9022.20));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void elc_on_a_machine_of_80_msus_is_an_input_error_R_L1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "80", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "expected a machine above 80 MSUs"));
  assert_true(rulefix_has_error(&d, "(R-L1)"));
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, rulefix_col_of(l, 4)); /* the charge_type cell */
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void elc_unrated_machine_is_twice_the_highest_rating_of_its_product_group_R_L1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* 9672-XZ7 has no rating; IBM 9672 tops at 150 (9672-RX6): 300 MSUs = 8000 + 220 x 25.555 = 13622.10 */
  base_set(mach(m, "M1", "9672-XZ7", "", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 300);
  assert_int_equal(c->amount, EUR(13622.10));
  assert_true(rulefix_has_step(&inv, c->line, "R-L1"));
  invoice_clear(&inv);
  /* an unrated model that is not in the machine table: no guess */
  m[0] = '\0';
  base_set(mach(m, "M1", "3931-609", "", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "type_model 3931-609 is not in machine_models.csv"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* a product group without any rated model */
  diag_init(&d);
  m[0] = '\0';
  base_set(mach(m, "M1", "HDS-X1", "", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "no model of its product group 'HDS Skyline' has an msu_rating"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void elc_without_base_and_per_msu_prices_is_an_input_error_R_L1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "120", "", "", "", "no", ""), lic(l, "L1", "M1", "CICS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "no ELC price for CICS"));
  assert_int_equal(d.v[0].col, rulefix_col_of(l, 3)); /* the product_id cell */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-T10: capacity 100, raised to 130 on 10 Nov, back to 100 on 25 Nov. An alteration after the 1st begins on
 * the 1st of the month after (002 §5.12) and an increase holds for at least a month (§5.16.1 item 7):
 * November on its 1 Nov configuration, 100 MSUs = 8000 + 20 x 25.555 = 8,511.10; December at 130 although
 * the machine was back at 100 before it began, 8000 + 50 x 25.555 = 9,277.75; January at 100 again */
static void elc_capacity_raised_after_the_first_is_billed_the_month_after_R_L1_R_T10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  mach(m, "M1", "9672-RX6", "100", "", "", "", "no", "2025-01-01");
  mach(m, "M1", "9672-RX6", "130", "", "", "", "no", "2026-11-10");
  mach(m, "M1", "9672-RX6", "100", "", "", "", "no", "2026-11-25");
  base_set(m, lic(l, "L1", "M1", "IMS", "ELC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 100);
  assert_int_equal(c->amount, EUR(8511.10));
  assert_false(rulefix_has_step(&inv, c->line, "R-T10"));
  invoice_clear(&inv);
  base_set(m, l);
  assert_int_equal(price_month(2026, 12, NULL, &inv, &d), 0);
  c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 130);
  assert_int_equal(c->amount, EUR(9277.75));
  assert_true(rulefix_has_step(&inv, c->line, "R-T10"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-T10;R-L1;R-0.1");
  invoice_clear(&inv);
  base_set(m, l);
  assert_int_equal(price_month(2027, 1, NULL, &inv, &d), 0);
  c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 100);
  assert_int_equal(c->amount, EUR(8511.10));
  assert_false(rulefix_has_step(&inv, c->line, "R-T10"));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void imlc_is_tiered_on_the_machine_msus_and_200_when_unrated_R_L2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* 150 MSUs: 100 x 40 + 50 x 30 = 5500 */
  base_set(mach(m, "M1", "9672-RX6", "150", "", "", "", "no", ""), lic(l, "L1", "M1", "CICS", "IMLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "CICS");
  assert_int_equal(c->quantity, 150);
  assert_int_equal(c->amount, EUR(5500));
  assert_string_equal(rulefix_rules(c), "R-T4;R-L2;R-W1;R-0.1");
  assert_true(rulefix_has_step(&inv, c->line, "R-L2"));
  invoice_clear(&inv);
  /* unrated: 200 MSUs = 100 x 40 + 100 x 30 = 7000 */
  m[0] = '\0';
  base_set(mach(m, "M1", "3931-609", "", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), 0);
  c = line_of(&inv, "CICS");
  assert_int_equal(c->quantity, 200);
  assert_int_equal(c->amount, EUR(7000));
  invoice_clear(&inv);
  /* 81 MSUs: the first MSU above the limit, 81 x 40 = 3240 */
  m[0] = '\0';
  base_set(mach(m, "M1", "9672-RX6", "81", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS")->amount, EUR(3240));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void imlc_on_a_machine_of_80_msus_is_an_input_error_R_L2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "80", "", "", "", "no", ""), lic(l, "L1", "M1", "CICS", "IMLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "IMLC applies only to machines with a capacity greater than 80 MSUs (R-L2)"));
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, rulefix_col_of(l, 4));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-L3 PSLC, R-W9 ---- */

static void pslc_e_is_tiered_on_the_msus_of_a_listed_machine_R_L3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "150", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "PSLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 150);
  assert_int_equal(c->amount, rulefix_book(150)); /* 30 + 210 + 105 = 345 */
  assert_int_equal(c->amount, EUR(345));
  assert_string_equal(rulefix_rules(c), "R-T4;R-L3;R-W1;R-0.1");
  assert_null(c->sysplex);
  invoice_clear(&inv);
  /* listed model, machine without a rating: the table's rating (90) */
  m[0] = '\0';
  base_set(mach(m, "M1", "9672-R16", "", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "IMS")->quantity, 90);
  assert_int_equal(line_of(&inv, "IMS")->amount, rulefix_book(90));
  invoice_clear(&inv);
  /* listed without a rating anywhere: an input error, not a guess */
  m[0] = '\0';
  base_set(mach(m, "M1", "9672-XZ7", "", "", "", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "has no full_capacity_msu and machine_models.csv gives its model no msu_rating"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void pslc_e_machine_not_listed_is_twice_the_highest_rating_listed_R_L3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* 3931-609 is not in the table: 2 x 210 (AMD-M1) = 420 MSUs, whatever its own rating */
  base_set(mach(m, "M1", "3931-609", "1200", "", "", "", "no", ""), lic(l, "L1", "M1", "IMS", "PSLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 420);
  assert_int_equal(c->amount, rulefix_book(420));
  assert_int_equal(c->amount, EUR(615));
  assert_true(rulefix_has_step(&inv, c->line, "R-L3"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void pslc_coupled_sums_the_sysplex_msus_before_tiering_R_L3_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* coupled: each machine on its own MSUs (3931-609 not listed does not double), summed: 150 + 300 */
  mach(m, "M1", "9672-RX6", "150", "PLX", "", "", "no", "");
  mach(m, "M2", "3931-609", "300", "PLX", "", "", "no", "");
  lic(l, "L1", "M1", "IMS", "PSLC", "2019-04-01", "", "");
  lic(l, "L2", "M2", "IMS", "PSLC", "2019-04-01", "", "");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *c = line_of(&inv, "IMS");
  assert_int_equal(c->quantity, 450);
  assert_int_equal(c->amount, rulefix_book(450));
  assert_true(rulefix_book(450) != rulefix_book(150) + rulefix_book(300));
  assert_string_equal(c->serial, "M1+M2");
  assert_string_equal(c->sysplex, "PLX");
  assert_true(rulefix_has_step(&inv, c->line, "R-W8"));
  assert_true(rulefix_has_step(&inv, c->line, "R-L3"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void awlc_or_vwlc_beside_pslc_for_one_family_is_an_input_error_R_W9(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* an AWLC-eligible machine: AWLC on any other is R-W20's error, not this test's */
  mach_awlc(m, "M1", "9672-RX6", "150");
  lic(l, "L1", "M1", "ZOS", "AWLC", "2019-04-01", "", "");
  lic(l, "L2", "M1", "IMS", "PSLC", "2019-04-01", "", "");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "is PSLC but license L1 (ZOS, line 2) of the same zos family on machine M1 is AWLC"));
  assert_true(rulefix_has_error(&d, "(R-W9)"));
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, rulefix_col_of(strchr(l, '\n') + 1, 4));
  invoice_clear(&inv);
  diag_clear(&d);
  /* VWLC or PSLC alike */
  diag_init(&d);
  l[0] = '\0';
  lic(l, "L1", "M1", "ZOS", "VWLC", "2019-04-01", "", "");
  lic(l, "L2", "M1", "ZOS", "PSLC", "2019-04-01", "", "");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "is VWLC, expected one of PSLC or VWLC"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* another family on the same machine, or a VWLC license ended before the month: no mix */
  diag_init(&d);
  l[0] = '\0';
  lic(l, "L1", "M1", "ZOS", "AWLC", "2019-04-01", "", "");
  lic(l, "L2", "M1", "ALCS", "PSLC", "2019-04-01", "", "");
  lic(l, "L3", "M1", "ZOS", "VWLC", "2018-01-01", "2019-03-31", "");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *a = line_of(&inv, "ALCS");
  assert_int_equal(a->amount, rulefix_book(150));
  assert_int_equal(a->amount, EUR(345));
  assert_string_equal(rulefix_rules(a), "R-T4;R-L3;R-W9;R-W1;R-0.1");
  assert_true(rulefix_has_step(&inv, a->line, "R-W9")); /* the per-family choice, said on the PSLC line */
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(150));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-L4 graduated charges ---- */

static money gmlc_for_group(const char *pg)
{
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "150", "", pg, "", "no", ""), lic(l, "L1", "M1", "PLI", "GMLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *c = line_of(&inv, "PLI");
  assert_true(rulefix_has_step(&inv, c->line, "R-L4"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-L4;R-0.1");
  assert_string_equal(c->unit, "month");
  assert_int_equal(c->quantity, 1);
  money a = c->amount;
  invoice_clear(&inv);
  diag_clear(&d);
  return a;
}

static void processor_group_32_is_charged_at_program_group_40_R_L4(void **state)
{
  (void)state;
  /* 002 §5.16.4 A: processor group 32, program groups 30 and 40: group 40 */
  assert_int_equal(gmlc_for_group("32"), EUR(1500));
  assert_int_equal(gmlc_for_group("40"), EUR(1500)); /* equal to a program group */
  assert_int_equal(gmlc_for_group("30"), EUR(1000));
  assert_int_equal(gmlc_for_group("1"), EUR(1000));
  assert_int_equal(gmlc_for_group("41"), EUR(2200.01)); /* 2200.005 rounds half away */
  assert_int_equal(gmlc_for_group("70"), EUR(3000));
  /* B: a machine not listed in a group: the highest group */
  assert_int_equal(gmlc_for_group(""), EUR(3000));
}

static void processor_group_above_every_program_group_or_not_a_number_is_an_input_error_R_L4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "150", "", "71", "", "no", ""), lic(l, "L1", "M1", "PLI", "GMLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "processor group 71 is above every program group of PLI GMLC (the highest is 70"));
  invoice_clear(&inv);
  diag_clear(&d);
  diag_init(&d);
  m[0] = '\0';
  base_set(mach(m, "M1", "9672-RX6", "150", "", "3x", "", "no", ""), l);
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "processor_group '3x' of machine M1 is not a whole number"));
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, rulefix_col_of(m, 7)); /* the processor_group cell */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_group_upgrade_bills_the_difference_of_the_current_prices_once_R_L4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* the ledger says group 30 was billed in October; the machine is now in processor group 32 */
  rulefix_state h[] = {{"graduated_group:L1", "30", month_from_ym(2026, 10)}, {NULL, NULL, 0}};
  mach(m, "M1", "9672-RX6", "150", "", "32", "", "no", "");
  lic(l, "L1", "M1", "PLI", "GMLC", "2019-04-01", "", "");
  base_set(m, l);
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  const charge_line *c = nth_line(&inv, "PLI", 0), *u = nth_line(&inv, "PLI", 1);
  assert_int_equal(c->amount, EUR(1500));
  assert_string_equal(u->unit, "upgrade");
  assert_int_equal(u->amount, EUR(500)); /* 1500 - 1000 */
  assert_string_equal(rulefix_rules(u), "R-L4;R-0.1");
  assert_true(rulefix_has_step(&inv, u->line, "R-L4"));
  assert_string_equal(rulefix_state_of(&inv, "graduated_group:L1"), "40");
  invoice_clear(&inv);
  /* the month after, the ledger says 40: no second upgrade */
  h[0].value = "40";
  base_set(m, l);
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(1500));
  invoice_clear(&inv);
  /* moving down (50 to 40) refunds nothing: group 40's charge, no credit line */
  h[0].value = "50";
  base_set(m, l);
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(1500));
  assert_string_equal(rulefix_state_of(&inv, "graduated_group:L1"), "40");
  invoice_clear(&inv);
  /* the same group (40 with processor group 40): nothing more */
  h[0].value = "40";
  m[0] = '\0';
  base_set(mach(m, "M1", "9672-RX6", "150", "", "40", "", "no", ""), l);
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  invoice_clear(&inv);
  /* a history set in the month being billed is not "before": a re-run gives the same invoice */
  h[0].value = "30";
  h[0].set_in = month_from_ym(2026, 11);
  base_set(m, l);
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_group_raised_by_the_machine_configuration_bills_the_upgrade_R_L4_R_T10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  /* no ledger: the machine moved from processor group 30 to 40 on 16 Oct, which begins on 1 Nov (R-T10) */
  mach(m, "M1", "9672-RX6", "150", "", "30", "", "no", "2025-01-01");
  mach(m, "M1", "9672-RX6", "150", "", "40", "", "no", "2026-10-16");
  lic(l, "L1", "M1", "PLI", "GMLC", "2019-04-01", "", "");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(nth_line(&inv, "PLI", 0)->amount, EUR(1500));
  assert_int_equal(nth_line(&inv, "PLI", 1)->amount, EUR(500));
  invoice_clear(&inv);
  /* raised to 50 on 10 Oct and back to 30 on 20 Oct: the increase begins on 1 Nov and November is at group 50
   * for the whole month (R-T10),
   * upgrade 2200.005 - 1000 = 1200.005 -> 1200.01 */
  m[0] = '\0';
  mach(m, "M1", "9672-RX6", "150", "", "30", "", "no", "2025-01-01");
  mach(m, "M1", "9672-RX6", "150", "", "50", "", "no", "2026-10-10");
  mach(m, "M1", "9672-RX6", "150", "", "30", "", "no", "2026-10-20");
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  const charge_line *c = nth_line(&inv, "PLI", 0);
  assert_int_equal(c->amount, EUR(2200.01));
  assert_true(rulefix_has_step(&inv, c->line, "R-T10"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-T10;R-L4;R-0.1");
  assert_int_equal(nth_line(&inv, "PLI", 1)->amount, EUR(1200.01));
  assert_string_equal(rulefix_state_of(&inv, "graduated_group:L1"), "50");
  invoice_clear(&inv);
  /* December, the ledger says 50, the machine is back in 30: group 30's charge, nothing refunded */
  rulefix_state h[] = {{"graduated_group:L1", "50", month_from_ym(2026, 11)}, {NULL, NULL, 0}};
  base_set(m, l);
  assert_int_equal(price_month(2026, 12, h, &inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(1000));
  invoice_clear(&inv);
  /* a license first charged this month has no group to upgrade from */
  l[0] = '\0';
  m[0] = '\0';
  mach(m, "M1", "9672-RX6", "150", "", "30", "", "no", "2025-01-01");
  mach(m, "M1", "9672-RX6", "150", "", "40", "", "no", "2026-11-16");
  base_set(m, lic(l, "L1", "M1", "PLI", "GMLC", "2026-11-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-L5 GOLC ---- */

static money golc_for(const char *prod, const char *category, int *nsteps_l5)
{
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "2964-N30", "150", "", "", category, "no", ""), lic(l, "L1", "M1", prod, "GOLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), 0);
  const charge_line *c = line_of(&inv, prod);
  assert_string_equal(line_charge_type(c), "GOLC");
  *nsteps_l5 = rulefix_has_step(&inv, c->line, "R-L5");
  money a = c->amount;
  invoice_clear(&inv);
  diag_clear(&d);
  return a;
}

static void golc_uses_the_category_price_else_the_basic_group_charge_R_L5(void **state)
{
  (void)state;
  int l5;
  assert_int_equal(golc_for("COB", "H50", &l5), EUR(1800)); /* its own GOLC price */
  assert_true(l5);
  /* PLI has no GOLC price: H30 -> group 40, H50 -> group 50, H70 -> group 70 of its GMLC book */
  assert_int_equal(golc_for("PLI", "H30", &l5), EUR(1500));
  assert_true(l5);
  assert_int_equal(golc_for("PLI", "H50", &l5), EUR(2200.01));
  assert_int_equal(golc_for("PLI", "H70", &l5), EUR(3000));
}

static void golc_without_category_or_default_is_an_input_error_R_L5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "2964-N30", "150", "", "", "", "no", ""), lic(l, "L1", "M1", "PLI", "GOLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "the machine has no golc_category"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* COB has no GOLC price for H30 and no graduated book for the default */
  diag_init(&d);
  m[0] = l[0] = '\0';
  base_set(mach(m, "M1", "2964-N30", "150", "", "", "H30", "no", ""), lic(l, "L1", "M1", "COB", "GOLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "no GOLC price for COB in category H30 and no default"));
  assert_true(rulefix_has_error(&d, "(R-L5)"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* a category without a default group */
  diag_init(&d);
  m[0] = l[0] = '\0';
  base_set(mach(m, "M1", "2964-N30", "150", "", "", "H40", "no", ""), lic(l, "L1", "M1", "PLI", "GOLC", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "the category has no default group"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-L6 MOSP ---- */

static money mosp_for(const char *prsm, const char *os2, const char *accepted, int *reduced)
{
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  mach(m, "M1", "9672-RX6", "150", "", "32", "", prsm, "");
  /* operating systems on one-time charges: charged (installed, not discontinued) without a line this month */
  lic(l, "L1", "M1", "ZOS", "OTC", "2019-04-01", "", "");
  if(*os2)
    lic(l, "L2", "M1", os2, "OTC", "2019-04-01", "", "");
  lic(l, "L3", "M1", "PLI", "MOSP", "2019-04-01", "", accepted);
  base_set(m, l);
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *c = line_of(&inv, "PLI");
  assert_string_equal(line_charge_type(c), "MOSP");
  assert_true(rulefix_has_step(&inv, c->line, "R-L6"));
  assert_true(rulefix_has_step(&inv, c->line, "R-L4"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-L6;R-L4;R-0.1");
  *reduced = 0;
  for(size_t i = 0; i < inv.naudit; i++)
    if(inv.audit[i].line == c->line && inv.audit[i].rule == R_L6)
      *reduced = !strcmp(rulefix_value(&inv.audit[i]), "MOSP");
  money a = c->amount;
  invoice_clear(&inv);
  diag_clear(&d);
  return a;
}

static void mosp_reduced_charge_needs_prsm_two_os_categories_and_acceptance_R_L6(void **state)
{
  (void)state;
  int reduced;
  /* PR/SM, z/OS and z/VM, accepted in October: MOSP group 40 = 1100 */
  assert_int_equal(mosp_for("yes", "ZVM", "2026-10-15", &reduced), EUR(1100));
  assert_true(reduced);
  assert_int_equal(mosp_for("yes", "TPF", "2026-10-15", &reduced), EUR(1100));
  /* accepted on 1 Nov: effective for November (R-T4) */
  assert_int_equal(mosp_for("yes", "ZVM", "2026-11-01", &reduced), EUR(1100));
  assert_true(reduced);
  /* accepted on 2 Nov: from December; November is the basic charge of group 40 */
  assert_int_equal(mosp_for("yes", "ZVM", "2026-11-02", &reduced), EUR(1500));
  assert_false(reduced);
  /* no PR/SM */
  assert_int_equal(mosp_for("no", "ZVM", "2026-10-15", &reduced), EUR(1500));
  assert_false(reduced);
  /* one operating-system category only */
  assert_int_equal(mosp_for("yes", "", "2026-10-15", &reduced), EUR(1500));
  assert_false(reduced);
}

static void mosp_without_acceptance_date_is_an_input_error_R_L6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  mach(m, "M1", "9672-RX6", "150", "", "32", "", "yes", "");
  base_set(m, lic(l, "L3", "M1", "PLI", "MOSP", "2019-04-01", "", ""));
  assert_int_equal(price_nov(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "MOSP license L3 (PLI) has no accepted_on"));
  assert_true(rulefix_has_error(&d, "(R-L6)"));
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, rulefix_col_of(l, 16)); /* the accepted_on cell */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- machine_models.csv ---- */

static void machine_table_is_optional_and_checked(void **state)
{
  (void)state;
  catalog cat;
  diag_list d;
  char m[512] = "", l[512] = "";
  diag_init(&d);
  base_set(mach(m, "M1", "9672-RX6", "150", "", "", "", "no", ""), lic(l, "L1", "M1", "PLI", "GMLC", "2019-04-01", "", ""));
  assert_int_equal(catalog_load(&cat, fx.dir, &d), 0);
  assert_int_equal(cat.nmodels, 6);
  assert_int_equal(catalog_machine_model(&cat, "9672-XZ7")->msu_rating, MSU_UNRATED);
  assert_null(catalog_machine_model(&cat, "3931-609"));
  assert_string_equal(catalog_model_highest(&cat, "IBM 9672")->type_model, "9672-RX6");
  assert_string_equal(catalog_model_highest(&cat, NULL)->type_model, "AMD-M1");
  assert_null(catalog_model_highest(&cat, "HDS Skyline"));
  catalog_clear(&cat);
  /* no file: an empty table */
  char path[128];
  snprintf(path, sizeof(path), "%s/machine_models.csv", fx.dir);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(catalog_load(&cat, fx.dir, &d), 0);
  assert_int_equal(cat.nmodels, 0);
  assert_null(catalog_model_highest(&cat, NULL));
  catalog_clear(&cat);
  /* a model twice, a negative rating: the run's shared input is unusable */
  rulefix_put(&fx, "machine_models.csv", "type_model,product_group,msu_rating\n9672-RX6,IBM 9672,150\n9672-RX6,IBM 9672,160\n"
                            "9672-R16,IBM 9672,-3\n");
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "type_model '9672-RX6' is listed twice (also on line 2)"));
  assert_int_equal(d.n, 2);
  catalog_clear(&cat);
  rulefix_drop(&fx);
  diag_clear(&d);
  /* the rule table stays valid with the legacy modules */
  char err[128];
  assert_int_equal(registry_check(rule_modules, err, sizeof(err)), 0);
  assert_non_null(registry_find(CT_MOSP));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(elc_charges_the_80_msu_base_plus_each_msu_above_R_L1),
    cmocka_unit_test(elc_on_a_machine_of_80_msus_is_an_input_error_R_L1),
    cmocka_unit_test(elc_unrated_machine_is_twice_the_highest_rating_of_its_product_group_R_L1),
    cmocka_unit_test(elc_without_base_and_per_msu_prices_is_an_input_error_R_L1),
    cmocka_unit_test(elc_capacity_raised_after_the_first_is_billed_the_month_after_R_L1_R_T10),
    cmocka_unit_test(imlc_is_tiered_on_the_machine_msus_and_200_when_unrated_R_L2),
    cmocka_unit_test(imlc_on_a_machine_of_80_msus_is_an_input_error_R_L2),
    cmocka_unit_test(pslc_e_is_tiered_on_the_msus_of_a_listed_machine_R_L3),
    cmocka_unit_test(pslc_e_machine_not_listed_is_twice_the_highest_rating_listed_R_L3),
    cmocka_unit_test(pslc_coupled_sums_the_sysplex_msus_before_tiering_R_L3_R_W8),
    cmocka_unit_test(awlc_or_vwlc_beside_pslc_for_one_family_is_an_input_error_R_W9),
    cmocka_unit_test(processor_group_32_is_charged_at_program_group_40_R_L4),
    cmocka_unit_test(processor_group_above_every_program_group_or_not_a_number_is_an_input_error_R_L4),
    cmocka_unit_test(a_group_upgrade_bills_the_difference_of_the_current_prices_once_R_L4),
    cmocka_unit_test(a_group_raised_by_the_machine_configuration_bills_the_upgrade_R_L4_R_T10),
    cmocka_unit_test(golc_uses_the_category_price_else_the_basic_group_charge_R_L5),
    cmocka_unit_test(golc_without_category_or_default_is_an_input_error_R_L5),
    cmocka_unit_test(mosp_reduced_charge_needs_prsm_two_os_categories_and_acceptance_R_L6),
    cmocka_unit_test(mosp_without_acceptance_date_is_an_input_error_R_L6),
    cmocka_unit_test(machine_table_is_optional_and_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
