/* test_quantity.c - R-0.5: licenses.csv quantity, charged per license or feature where the charge is, an error elsewhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "ZVM,z/VM V7,none,yes,7,,,\n"
  "CONN,z/OS Connect,zos,no,3,,,\n"
  "RDI,Rational Developer,none,no,9,,,\n"
  "FORT,VS FORTRAN,none,no,2,,,\n"
  "PLI,PL/I for MVS,none,no,5,,,\n"
  "COB,COBOL for MVS,none,no,6,,,\n"
  "CICS,CICS TS,zos,no,6,3,,\n";

/* Prices with half cents where they show that a line is rounded once, after multiplying:
 * RDI OTC 500.005; CONN FWLC 400.005 a month and its ILC 1000.005; FORT PLC 8000.005, annual 1000.02;
 * PLI graduated: group 30 = 1000, 40 = 1500.005; PLI MOSP group 40 = 1100; COB GOLC H50 = 1800.005;
 * CICS zELC C2 = 700.005. */
static const char *PRICES =
  RULEFIX_PRICES_HDR
  RULEFIX_TIERED("ZOS", "AWLC")
  "RDI,OTC,one_time,,,,500.005,EUR,2000-01-01\n"
  "CONN,FWLC,monthly,,,,400.005,EUR,2000-01-01\n"
  "CONN,FWLC,ilc,,,,1000.005,EUR,2000-01-01\n"
  "FORT,ALC,plc,,,,8000.005,EUR,2000-01-01\n"
  "FORT,ALC,annual,,,,1000.02,EUR,2000-01-01\n"
  "PLI,GMLC,group,1,30,,1000,EUR,2000-01-01\nPLI,GMLC,group,31,40,,1500.005,EUR,2000-01-01\n"
  "PLI,MOSP,group,1,30,,700,EUR,2000-01-01\nPLI,MOSP,group,31,40,,1100,EUR,2000-01-01\n"
  "COB,GOLC,H50,,,,1800.005,EUR,2000-01-01\n"
  "CICS,ZELC,C2,,,,700.005,EUR,2000-01-01\n";

#define EUR(x) ((money)((x) * 10000 + 0.5))

/* machine M1: 100 MSUs, processor group 32, GOLC H50, zELC C2, PR/SM */
#define M1 "C1,M1,2964-N30,100,4,,yes,32,H50,C2,,,,yes,\n"
#define LIC_HDR RULEFIX_LICENSES_COLS ",quantity,accepted_on\n"

static void set_up(const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "qty",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .machines_hdr = RULEFIX_MACHINES_HDR_DATED,
                       .machines = M1,
                       .licenses_hdr = LIC_HDR,
                       .licenses = licenses,
                     });
}

static int price_month(int y, int m, const rulefix_state *states, invoice *inv, diag_list *d)
{
  rulefix_hist h = rulefix_history(states);
  return rulefix_price(&fx, month_from_ym(y, m), states ? &h : NULL, 0, inv, d);
}

#define nth_line(inv, pid, n) rulefix_line(inv, pid, NULL, NULL, n)
#define line_of(inv, pid) nth_line(inv, pid, 0)

/* the step of line `line`, whose value is the exact charge of the row */
static const char *qty_step(const invoice *inv, int line)
{
  const audit_step *a = rulefix_step(inv, line, "R-0.5", NULL, 0);
  assert_non_null(a);
  assert_int_equal(a->nrefs, 1); /* the license's row */
  return a->detail;
}

/* ---- charged per license or feature ---- */

static void an_otc_row_of_three_licenses_bills_three_rounded_once_R_0_5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("C1,L1,M1,RDI,OTC,,2026-11-05,,,ORD-1,,,,no,,3,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *c = line_of(&inv, "RDI");
  /* 3 x 500.005 = 1500.015, rounded once: 1500.02 (not 3 x 500.01 = 1500.03) */
  assert_int_equal(c->quantity, 3);
  assert_string_equal(c->unit, "licenses");
  assert_true(c->has_unit_price);
  assert_int_equal(c->unit_price, EUR(500.005));
  assert_int_equal(c->amount, EUR(1500.02));
  assert_string_equal(rulefix_rules(c), "R-0.5;R-0.1");
  assert_string_equal(qty_step(&inv, c->line), "3 licenses on the row of license L1 (licenses.csv quantity), each "
                                               "charged: 3 x 500.0050 = 1500.0150");
  assert_string_equal(rulefix_value(rulefix_step(&inv, c->line, "R-0.5", NULL, 0)), "1500.0150");
  assert_int_equal(inv.subtotal, EUR(1500.02));
  invoice_clear(&inv);
  /* quantity 1, or empty: one license, as before, with no step */
  set_up("C1,L1,M1,RDI,OTC,,2026-11-05,,,ORD-1,,,,no,,1,\nC1,L2,M1,RDI,OTC,,2026-11-05,,,ORD-1,,,,no,,,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  for(int i = 0; i < 2; i++) {
    c = nth_line(&inv, "RDI", i);
    assert_int_equal(c->quantity, 1);
    assert_string_equal(c->unit, "license");
    assert_int_equal(c->amount, EUR(500.01));
    assert_string_equal(rulefix_rules(c), "R-0.1");
    assert_false(rulefix_has_step(&inv, c->line, "R-0.5"));
  }
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void a_feature_row_counts_features_R_0_5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("C1,L1,M1,RDI,OTC,,2026-11-05,,,ORD-1,,,,no,,,\nC1,L2,M1,RDI,OTC,L1,2026-11-05,,,ORD-1,,,,no,,4,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *f = nth_line(&inv, "RDI", 1);
  assert_int_equal(f->quantity, 4);
  assert_string_equal(f->unit, "features");
  assert_int_equal(f->amount, EUR(2000.02)); /* 4 x 500.005 = 2000.02 */
  assert_non_null(strstr(qty_step(&inv, f->line), "4 features on the row of license L2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

#define L_ZOS "C1,L0,M1,ZOS,AWLC,,2019-01-01,,,ORD-0,,,,no,full,,\n"

static void fwlc_and_its_ilc_are_charged_for_each_license_R_0_5_R_W10_R_T7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* installed on 1 November: November is its first MLC month, so the ILC comes with it (R-T7) */
  set_up(L_ZOS "C1,L1,M1,CONN,FWLC,,2026-11-01,,,ORD-1,,,,no,,2,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *f = rulefix_line(&inv, "CONN", "FWLC", NULL, 0), *i = rulefix_line(&inv, "CONN", "ILC", NULL, 0);
  /* 2 x 400.005 = 800.01 a month; 2 x 1000.005 = 2000.01 once */
  assert_int_equal(f->quantity, 2);
  assert_string_equal(f->unit, "licenses");
  assert_int_equal(f->unit_price, EUR(400.005));
  assert_int_equal(f->amount, EUR(800.01));
  assert_string_equal(rulefix_rules(f), "R-T4;R-W10;R-0.5;R-0.1");
  assert_int_equal(i->quantity, 2);
  assert_int_equal(i->amount, EUR(2000.01));
  assert_string_equal(rulefix_rules(i), "R-T7;R-0.5;R-0.1");
  assert_non_null(strstr(qty_step(&inv, i->line), "2 x 1000.0050 = 2000.01"));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void plc_and_annual_alc_are_charged_for_each_license_R_0_5_R_T8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("C1,L1,M1,FORT,ALC,,2026-11-09,,,ORD-1,,,,no,,3,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *p = rulefix_line(&inv, "FORT", "PLC", NULL, 0);
  /* 3 x 8000.005 = 24000.015 -> 24000.02 */
  assert_int_equal(p->quantity, 3);
  assert_int_equal(p->amount, EUR(24000.02));
  assert_string_equal(rulefix_rules(p), "R-T8;R-0.5;R-0.1");
  invoice_clear(&inv);
  /* the year December 2026..November 2027, in arrears: 3 x 1000.02 = 3000.06 */
  set_up("C1,L1,M1,FORT,ALC,,2026-11-09,,,ORD-1,,,,no,,3,\n");
  assert_int_equal(price_month(2027, 11, NULL, &inv, &d), 0);
  const charge_line *a = rulefix_line(&inv, "FORT", "ALC", NULL, 0);
  assert_int_equal(a->quantity, 3);
  assert_string_equal(a->unit, "licenses");
  assert_true(a->has_unit_price);
  assert_int_equal(a->unit_price, EUR(1000.02));
  assert_int_equal(a->amount, EUR(3000.06));
  assert_string_equal(rulefix_rules(a), "R-T4;R-0.5;R-0.1");
  invoice_clear(&inv);
  /* discontinued 15 April 2027: December..April, 5/12 of 3 x 1000.02: 3000.06 x 5/12 = 1250.025, rounded once to
   * 1250.03 (a license's 5/12 rounded first, 416.68, would make 3 x 416.68 = 1250.04); no unit price is printed,
   * since none multiplies to the amount */
  set_up("C1,L1,M1,FORT,ALC,,2026-11-09,2027-04-15,,ORD-1,,,,no,,3,\n");
  assert_int_equal(price_month(2027, 4, NULL, &inv, &d), 0);
  a = rulefix_line(&inv, "FORT", "ALC", NULL, 0);
  assert_int_equal(a->quantity, 3);
  assert_false(a->has_unit_price);
  assert_int_equal(a->amount, EUR(1250.03));
  assert_string_equal(rulefix_rules(a), "R-T4;R-T5;R-0.5;R-0.1");
  assert_non_null(rulefix_step(&inv, a->line, "R-T4", "3000.06 x 5/12 = 1250.03", 0));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void graduated_charge_and_group_upgrade_are_charged_for_each_license_R_0_5_R_L4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* group 30 billed in October; processor group 32 now: group 40 and the upgrade, for each of 2 licenses */
  const rulefix_state h[] = {{"graduated_group:L1", "30", month_from_ym(2026, 10)}, {NULL, NULL, 0}};
  set_up("C1,L1,M1,PLI,GMLC,,2019-04-01,,,ORD-1,,,,no,,2,\n");
  assert_int_equal(price_month(2026, 11, h, &inv, &d), 0);
  const charge_line *c = nth_line(&inv, "PLI", 0), *u = nth_line(&inv, "PLI", 1);
  /* 2 x 1500.005 = 3000.01; upgrade 2 x (1500.005 - 1000) = 1000.01 */
  assert_int_equal(c->quantity, 2);
  assert_int_equal(c->amount, EUR(3000.01));
  assert_string_equal(rulefix_rules(c), "R-T4;R-L4;R-0.5;R-0.1");
  assert_int_equal(u->quantity, 2);
  assert_string_equal(u->note, "Group Upgrade Charge, program group 30 to 40");
  assert_int_equal(u->unit_price, EUR(500.005));
  assert_int_equal(u->amount, EUR(1000.01));
  assert_string_equal(rulefix_rules(u), "R-L4;R-0.5;R-0.1");
  assert_int_equal(inv.subtotal, EUR(4000.02));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void mosp_is_charged_for_each_license_R_0_5_R_L6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* PR/SM, z/OS and z/VM (on one-time charges, so no line of theirs), accepted in October: MOSP group 40 */
  set_up("C1,L1,M1,ZOS,OTC,,2019-04-01,,,ORD-1,,,,no,,,\nC1,L2,M1,ZVM,OTC,,2019-04-01,,,ORD-1,,,,no,,,\n"
         "C1,L3,M1,PLI,MOSP,,2019-04-01,,,ORD-3,,,,no,,3,2026-10-15\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *c = line_of(&inv, "PLI");
  assert_int_equal(c->quantity, 3);
  assert_int_equal(c->amount, EUR(3300)); /* 3 x 1100 */
  assert_string_equal(rulefix_rules(c), "R-T4;R-L6;R-L4;R-0.5;R-0.1");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void golc_is_charged_for_each_license_R_0_5_R_L5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("C1,L1,M1,COB,GOLC,,2019-04-01,,,ORD-1,,,,no,,2,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *c = line_of(&inv, "COB");
  assert_int_equal(c->quantity, 2);
  assert_int_equal(c->amount, EUR(3600.01)); /* 2 x 1800.005 */
  assert_string_equal(rulefix_rules(c), "R-T4;R-L5;R-0.5;R-0.1");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void zelc_is_charged_for_each_license_R_0_5_R_W16(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up("C1,L1,M1,CICS,ZELC,,2019-04-01,,,ORD-1,,,,no,,2,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  const charge_line *c = line_of(&inv, "CICS");
  assert_int_equal(c->quantity, 2);
  assert_string_equal(c->unit, "licenses");
  assert_int_equal(c->unit_price, EUR(700.005));
  assert_int_equal(c->amount, EUR(1400.01)); /* 2 x 700.005 */
  assert_string_equal(rulefix_rules(c), "R-T4;R-W16;R-0.5;R-0.1");
  invoice_clear(&inv);
  /* one license: one month of it, as before */
  set_up("C1,L1,M1,CICS,ZELC,,2019-04-01,,,ORD-1,,,,no,,,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  c = line_of(&inv, "CICS");
  assert_int_equal(c->quantity, 1);
  assert_string_equal(c->unit, "month");
  assert_int_equal(c->amount, EUR(700.01));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void support_licenses_may_hold_several_R_0_5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* SWMA and S&S rows are accepted with a quantity (their support.csv rows carry the charge) */
  set_up("C1,L1,M1,RDI,SWMA,,2019-04-01,,,ORD-1,,,,no,,5,\nC1,L2,M1,COB,SS,,2019-04-01,,,ORD-2,,,,no,,2,\n");
  assert_int_equal(price_month(2026, 11, NULL, &inv, &d), 0);
  assert_int_equal(d.n, 0);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- rejected where the charge is not per license ---- */

static void a_quantity_on_a_charge_measured_on_the_machine_is_an_input_error_R_0_5(void **state)
{
  (void)state;
  static const char *const types[] = {"AWLC", "VWLC", "EWLC", "TWLC", "MWLC", "ZNALC", "NALC", "PSLC",
                                      "ELC",  "IMLC", "MULC", "UPC",  "SALC", "IPLA"};
  for(size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    invoice inv;
    diag_list d;
    char row[256], want[256], file[128];
    diag_init(&d);
    snprintf(row, sizeof(row), "C1,L1,M1,ZOS,%s,,2019-04-01,,,ORD-1,,,,no,,2,", types[i]);
    char rows[300];
    snprintf(rows, sizeof(rows), "%s\n", row);
    set_up(rows);
    assert_int_equal(price_month(2026, 11, NULL, &inv, &d), LB_EINPUT);
    snprintf(want, sizeof(want), "quantity 2 on %s license L1, but ", types[i]);
    snprintf(file, sizeof(file), "%s/licenses.csv", fx.dir);
    rulefix_expect_error(&d, file, 2, rulefix_col_of(row, 15), want);
    assert_true(rulefix_has_error(&d, strcmp(types[i], "IPLA") ? "not counted per license, expected 1 or empty (R-0.5)"
                                                               : "its capacity, given in entitled_msu (R-I6), "
                                                                 "expected 1 or empty (R-0.5)"));
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(an_otc_row_of_three_licenses_bills_three_rounded_once_R_0_5),
    cmocka_unit_test(a_feature_row_counts_features_R_0_5),
    cmocka_unit_test(fwlc_and_its_ilc_are_charged_for_each_license_R_0_5_R_W10_R_T7),
    cmocka_unit_test(plc_and_annual_alc_are_charged_for_each_license_R_0_5_R_T8),
    cmocka_unit_test(graduated_charge_and_group_upgrade_are_charged_for_each_license_R_0_5_R_L4),
    cmocka_unit_test(mosp_is_charged_for_each_license_R_0_5_R_L6),
    cmocka_unit_test(golc_is_charged_for_each_license_R_0_5_R_L5),
    cmocka_unit_test(zelc_is_charged_for_each_license_R_0_5_R_W16),
    cmocka_unit_test(support_licenses_may_hold_several_R_0_5),
    cmocka_unit_test(a_quantity_on_a_charge_measured_on_the_machine_is_an_input_error_R_0_5),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
