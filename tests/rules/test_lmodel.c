/* test_lmodel.c - EWLC, TWLC, zELC and MWLC with z/OS.e logical models, priced in-process on small input sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/lmodel.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V1.9,zos,yes,1.9,3,,\n"
  "ZOSE,z/OS.e V1.8,zos,yes,1.8,3,,\n"
  "DB2,DB2 UDB for z/OS,zos,no,8,5,,\n"
  "DSS,DFSMSdss,zos,no,1.8,3,,\n"
  "IMS,IMS V10,zos,no,10,3,,\n"
  "MQ,WebSphere MQ,zos,no,6,3,,\n"
  "CICS,CICS TS,zos,no,3,3,,\n"
  "TPF,z/TPF V1,ztpf,yes,1.1,3,,\n"
  "VSE4,z/VSE V4,zvse,yes,4.3,3,,\n"
  "VSE3,z/VSE V3,zvse,yes,3.1,3,,\n"
  "VSEX,z/VSE,zvse,yes,,3,,\n"
  "CICSV,CICS TS for VSE/ESA,zvse,no,1.1,2,,\n"
  "VTAMF,ACF/VTAM feature,zvse,no,4.3,2,,\n";
/* EWLC and MWLC books: 1-3 @ 10, 4-45 @ 5, 46+ @ 1 (rulefix_book). TWLC: IMS flat per tier (base 1000, +500
 * from 51, +800 from 201), OTHER 2 per MSU. zELC: CICS 700 (C2) / 900 (C3), OTHER 250 / 300, DB2 only in C9. */
#define TIERED RULEFIX_TIERED
static const char *PRICES =
  RULEFIX_PRICES_HDR
  TIERED("ZOS", "EWLC") TIERED("ZOSE", "EWLC") TIERED("DB2", "EWLC") TIERED("DSS", "EWLC") TIERED("TPF", "EWLC")
  TIERED("ZOS", "VWLC") TIERED("DB2", "VWLC") TIERED("CICS", "VWLC")
  TIERED("VSE4", "MWLC") TIERED("VSE3", "MWLC") TIERED("CICSV", "MWLC") TIERED("VTAMF", "MWLC")
  TIERED("CICSV", "VWLC")
  "IMS,TWLC,monthly,1,50,,1000,EUR,2024-01-01\nIMS,TWLC,monthly,51,200,,500,EUR,2024-01-01\n"
  "IMS,TWLC,monthly,201,,,800,EUR,2024-01-01\n"
  "OTHER,TWLC,monthly,1,,2,,EUR,2024-01-01\n"
  "CICS,ZELC,C2,,,,700,EUR,2024-01-01\nCICS,ZELC,C3,,,,900.005,EUR,2024-01-01\n"
  "OTHER,ZELC,C2,,,,250,EUR,2024-01-01\nOTHER,ZELC,C3,,,,300,EUR,2024-01-01\n"
  "DB2,ZELC,C9,,,,999,EUR,2024-01-01\n";

/* a machine row: serial, MSUs, engines, zELC category, TWLC tier, subcap start, z/OS.e engines, effective */
#define MACH(s, msu, eng, zelc, twlc, start, zose, eff) \
  "C1," s ",2086-A04," msu "," eng ",,no,,," zelc "," twlc "," start "," zose ",," eff "\n"
/* a license row installed long ago */
#define LIC(id, s, p, ct, feat, pricing, lm) \
  "C1," id "," s "," p "," ct "," feat ",2019-04-01,,,ORD-1,,,,no," pricing "," lm "\n"

static void base_set(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "lmodel",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .machines_hdr = RULEFIX_MACHINES_HDR_DATED,
                       .machines = machines,
                       .licenses_hdr = RULEFIX_LICENSES_COLS ",logical_model\n",
                       .licenses = licenses,
                     });
}

/* an SCRT report for the period that drives November, received on time */
static void add_report(const char *serial, long rated, const char *rows)
{
  rulefix_add_report(&fx, &(rulefix_report){.serial = serial, .type_model = "2086-A04", .rated = rated,
                                            .e5 = rows, .cpc = rated});
}

/* Price customer C1 for November 2026 in-process. Returns the engine's code. */
static int price_c1(invoice *inv, diag_list *d)
{
  return rulefix_price_nov(&fx, inv, d);
}

#define line_of(inv, pid) rulefix_line(inv, pid, NULL, NULL, 0)

/* ---- R-W14: Full Logical Model Capacity ---- */

static long zose_cap(long msu, long engines, long zose)
{
  machine m;
  memset(&m, 0, sizeof(m));
  m.full_capacity_msu = msu;
  m.engines = engines;
  m.zose_engines = zose;
  return lmodel_zose_capacity(&m);
}

static void zose_model_capacity_rounds_half_up_R_W14(void **state)
{
  (void)state;
  assert_int_equal(zose_cap(372, 12, 4), 124); /* exact: 31 x 4 */
  assert_int_equal(zose_cap(30, 4, 1), 8);     /* 7.5 rounds up */
  assert_int_equal(zose_cap(5, 2, 1), 3);      /* 2.5 rounds up */
  assert_int_equal(zose_cap(10, 3, 1), 3);     /* 3.33 drops the fraction */
  assert_int_equal(zose_cap(11, 3, 2), 7);     /* 7.33 */
  assert_int_equal(zose_cap(13, 3, 2), 9);     /* 8.67 rounds up */
  assert_int_equal(zose_cap(1, 3, 1), 0);      /* 0.33: a whole-MSU model of 0 */
  assert_int_equal(zose_cap(100000, 1000, 999), 99900);
  machine m;
  memset(&m, 0, sizeof(m));
  m.engines = 4;
  assert_false(lmodel_split(&m)); /* no z/OS.e: one model */
  m.zose_engines = 4;
  assert_false(lmodel_split(&m)); /* only z/OS.e: one model */
  m.zose_engines = 3;
  assert_true(lmodel_split(&m));
}

/* 372 MSUs on 12 engines, z/OS.e on 4: at full capacity z/OS.e is charged on its 124 MSUs and z/OS on the
 * other 248, not both on 372. */
static void ewlc_at_full_capacity_charges_each_logical_model_its_capacity_R_W14(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACH("E1", "372", "12", "", "", "", "4", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "") LIC("L2", "E1", "ZOS", "EWLC", "", "full", "")
               LIC("L3", "E1", "DB2", "EWLC", "", "full", "other") LIC("L4", "E1", "DSS", "EWLC", "L1", "full", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *ze = line_of(&inv, "ZOSE"), *z = line_of(&inv, "ZOS"), *db = line_of(&inv, "DB2"),
                    *f = line_of(&inv, "DSS");
  assert_int_equal(ze->quantity, 124);
  assert_int_equal(ze->amount, rulefix_book(124));
  assert_int_equal(z->quantity, 248);
  assert_int_equal(z->amount, rulefix_book(248));
  assert_int_equal(db->quantity, 248);
  assert_int_equal(f->quantity, 124); /* the feature runs where z/OS.e runs (R-W6) */
  assert_int_equal(f->amount, rulefix_book(124));
  assert_true(rulefix_has_step(&inv, ze->line, "R-W14"));
  assert_true(rulefix_has_step(&inv, f->line, "R-W6"));
  assert_string_equal(rulefix_rules(ze), "R-T4;R-W2;R-W14;R-W1;R-0.1");
  assert_int_equal(inv.subtotal, rulefix_book(124) + 2 * rulefix_book(248) + rulefix_book(124));
  invoice_clear(&inv);

  /* the half case: 30 MSUs, 4 engines, z/OS.e on 1: 7.5 -> 8, the other model 22 */
  base_set(MACH("E1", "30", "4", "", "", "", "1", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "") LIC("L2", "E1", "ZOS", "EWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOSE")->quantity, 8);
  assert_int_equal(line_of(&inv, "ZOSE")->amount, rulefix_book(8));
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 22);
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(22));
  invoice_clear(&inv);

  /* one logical model (no z/OS.e): EWLC at full capacity is the machine's */
  base_set(MACH("E1", "372", "12", "", "", "", "", ""), LIC("L2", "E1", "ZOS", "EWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 372);
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(372));
  assert_false(rulefix_has_step(&inv, 1, "R-W14"));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void logical_model_inputs_are_checked_R_W14(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* z/OS.e and z/OS on one machine without zose_engines */
  base_set(MACH("E1", "372", "12", "", "", "", "", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "") LIC("L2", "E1", "ZOS", "EWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "so it has two logical models, but zose_engines is 0, expected the engines of "
                                 "the z/OS.e logical model, 1 to 11 (R-W14)");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 32); /* the empty zose_engines cell */
  invoice_clear(&inv);
  diag_clear(&d);

  /* zose_engines without z/OS.e */
  diag_init(&d);
  base_set(MACH("E1", "372", "12", "", "", "", "4", ""), LIC("L2", "E1", "ZOS", "EWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "zose_engines is 4 but no z/OS.e is licensed to machine E1 this month");
  assert_int_equal(e->col, 32);
  invoice_clear(&inv);
  diag_clear(&d);

  /* an operating system placed in the wrong model */
  diag_init(&d);
  base_set(MACH("E1", "372", "12", "", "", "", "4", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "other") LIC("L2", "E1", "ZOS", "EWLC", "", "full", "zose"));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "ZOSE is z/OS.e, which runs in the z/OS.e logical model, but logical_model is 'other'");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 51); /* the logical_model cell */
  e = rulefix_error_with(&d, "ZOS is an operating system that may not run in the z/OS.e logical model");
  assert_int_equal(e->line, 3);
  invoice_clear(&inv);
  diag_clear(&d);

  /* a program at full capacity on a split machine must say where it runs */
  diag_init(&d);
  base_set(MACH("E1", "372", "12", "", "", "", "4", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "") LIC("L3", "E1", "DB2", "EWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "expected logical_model zose, other or both (R-W14)");
  assert_int_equal(e->line, 3);
  assert_int_equal(e->col, 50); /* the empty logical_model cell */
  invoice_clear(&inv);
  diag_clear(&d);

  /* unrated: no Full Logical Model Capacity */
  diag_init(&d);
  base_set(MACH("E1", "", "12", "", "T1", "", "", ""), LIC("L5", "E1", "IMS", "TWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  rulefix_error_with(&d, "machine E1 has no full_capacity_msu but IMS L5 is charged on its Full Logical Model Capacity");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-W13: z/OS.e reduced first ---- */

#define SPLIT_SUBCAP MACH("E1", "100", "10", "C2", "", "2024-01", "2", "")
#define SUBCAP_LICS                                                                                               \
  LIC("L1", "E1", "ZOSE", "EWLC", "", "subcap", "") LIC("L2", "E1", "ZOS", "EWLC", "", "subcap", "")            \
      LIC("L3", "E1", "DB2", "EWLC", "", "subcap", "") LIC("L4", "E1", "DSS", "EWLC", "L1", "subcap", "")       \
          LIC("L5", "E1", "CICS", "ZELC", "", "", "")
#define ROW(p, n) "\"" p "\",\"" p "\",\"" #n "\",\"\",\"\",\"\"\n"

static void ewlc_reduces_zose_msus_first_when_over_capacity_R_W13(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 30 + 90 = 120 > 100: z/OS.e gives up all 20 (30 -> 10), z/OS keeps 90 */
  base_set(SPLIT_SUBCAP, SUBCAP_LICS);
  add_report("E1", 100, ROW("ZOSE", 30) ROW("ZOS", 90) ROW("DB2", 50));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *ze = line_of(&inv, "ZOSE"), *z = line_of(&inv, "ZOS");
  assert_int_equal(ze->quantity, 10);
  assert_int_equal(ze->amount, rulefix_book(10));
  assert_int_equal(z->quantity, 90);
  assert_int_equal(z->amount, rulefix_book(90));
  assert_true(rulefix_has_step(&inv, ze->line, "R-W13"));
  assert_true(rulefix_has_step(&inv, z->line, "R-W13")); /* checked, but z/OS keeps its 90 */
  assert_int_equal(line_of(&inv, "DB2")->quantity, 50); /* programs keep their own MSUs */
  assert_int_equal(line_of(&inv, "DSS")->quantity, 10); /* the feature follows z/OS.e (R-W6) */
  assert_int_equal(line_of(&inv, "DSS")->amount, rulefix_book(10));
  assert_int_equal(line_of(&inv, "CICS")->amount, 7000000); /* zELC is not affected */
  assert_string_equal(rulefix_rules(ze), "R-T4;R-W2;R-W13;R-W1;R-0.1");
  invoice_clear(&inv);

  /* 5 + 99 = 104: z/OS.e only down to 3 (-2), the rest from z/OS (99 -> 97) */
  base_set(SPLIT_SUBCAP, SUBCAP_LICS);
  add_report("E1", 100, ROW("ZOSE", 5) ROW("ZOS", 99) ROW("DB2", 50));
  assert_int_equal(price_c1(&inv, &d), 0);
  ze = line_of(&inv, "ZOSE");
  z = line_of(&inv, "ZOS");
  assert_int_equal(ze->quantity, 3);
  assert_int_equal(ze->amount, rulefix_book(3));
  assert_int_equal(z->quantity, 97);
  assert_int_equal(z->amount, rulefix_book(97));
  assert_true(rulefix_has_step(&inv, z->line, "R-W13"));
  invoice_clear(&inv);

  /* z/OS.e already below 3: not reduced, z/OS takes it all (2 + 100 -> 2 + 98) */
  base_set(SPLIT_SUBCAP, SUBCAP_LICS);
  add_report("E1", 100, ROW("ZOSE", 2) ROW("ZOS", 100) ROW("DB2", 50));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOSE")->quantity, 2);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 98);
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(98));
  invoice_clear(&inv);

  /* z/TPF at full capacity (its own family, not elected) counts with its Full Logical Model Capacity, 80:
   * 30 + 80 = 110, z/OS.e 30 -> 20 */
  base_set(SPLIT_SUBCAP, LIC("L1", "E1", "ZOSE", "EWLC", "", "subcap", "") LIC("L7", "E1", "TPF", "EWLC", "", "full", ""));
  add_report("E1", 100, ROW("ZOSE", 30));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOSE")->quantity, 20);
  assert_int_equal(line_of(&inv, "ZOSE")->amount, rulefix_book(20));
  assert_int_equal(line_of(&inv, "TPF")->quantity, 80);
  assert_true(rulefix_has_step(&inv, line_of(&inv, "TPF")->line, "R-W14"));
  invoice_clear(&inv);

  /* exactly the capacity: no reduction, no R-W13 step */
  base_set(SPLIT_SUBCAP, SUBCAP_LICS);
  add_report("E1", 100, ROW("ZOSE", 10) ROW("ZOS", 90) ROW("DB2", 50));
  assert_int_equal(price_c1(&inv, &d), 0);
  ze = line_of(&inv, "ZOSE");
  assert_int_equal(ze->quantity, 10);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 90);
  assert_false(rulefix_has_step(&inv, ze->line, "R-W13"));
  assert_string_equal(rulefix_rules(ze), "R-T4;R-W2;R-W1;R-0.1");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void ewlc_excludes_other_charges_for_programs_with_an_ewlc_price_R_W13(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* DB2 has an EWLC price: next to EWLC z/OS it may not be VWLC (002 §5.16.13 3.F.c) */
  base_set(MACH("E1", "372", "12", "", "", "", "", ""),
           LIC("L2", "E1", "ZOS", "EWLC", "", "full", "") LIC("L3", "E1", "DB2", "VWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "license L3 (DB2) on machine E1 has VWLC, but EWLC charges are available for DB2");
  assert_non_null(strstr(e->message, "(002 §5.16.13 3.F.c)"));
  assert_int_equal(e->line, 3);
  assert_int_equal(e->col, 14); /* the charge_type cell */
  invoice_clear(&inv);
  diag_clear(&d);
  /* CICS has no EWLC price: VWLC next to EWLC is not this rule's business */
  diag_init(&d);
  base_set(MACH("E1", "372", "12", "", "", "", "", ""),
           LIC("L2", "E1", "ZOS", "EWLC", "", "full", "") LIC("L3", "E1", "CICS", "VWLC", "", "full", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(372));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-W15: TWLC ---- */

static void twlc_is_priced_on_full_logical_model_capacity_by_tier_R_W15(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 372 MSUs / 12 engines, z/OS.e on 4: IMS, a feature of z/OS, in the other model (248 MSUs, tier 201+:
   * 1000 + 500 + 800); MQ in the z/OS.e model (124 MSUs) has no TWLC price: the "Other" charge, 124 x 2;
   * CICS runs in both models: the machine's 372 MSUs, "Other" charge 372 x 2 */
  base_set(MACH("E1", "372", "12", "", "T3", "", "4", ""),
           LIC("L1", "E1", "ZOSE", "EWLC", "", "full", "") LIC("L2", "E1", "ZOS", "EWLC", "", "full", "")
               LIC("L5", "E1", "IMS", "TWLC", "L2", "", "") LIC("L6", "E1", "MQ", "TWLC", "", "full", "zose")
                   LIC("L7", "E1", "CICS", "TWLC", "", "", "both"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *ims = line_of(&inv, "IMS"), *mq = line_of(&inv, "MQ"), *cics = line_of(&inv, "CICS");
  assert_int_equal(ims->quantity, 248);
  assert_int_equal(ims->amount, 23000000);
  assert_int_equal(mq->quantity, 124);
  assert_int_equal(mq->amount, 2480000);
  assert_int_equal(cics->quantity, 372);
  assert_int_equal(cics->amount, 7440000);
  assert_int_equal(inv.nlines, 5);
  assert_true(rulefix_has_step(&inv, ims->line, "R-W15"));
  assert_true(rulefix_has_step(&inv, ims->line, "R-W14"));
  assert_string_equal(rulefix_rules(ims), "R-T4;R-W14;R-W15;R-W1;R-0.1");
  assert_string_equal(line_charge_type(mq), "TWLC");
  invoice_clear(&inv);

  /* one logical model: the machine's capacity; the tier edges 50 / 51 */
  base_set(MACH("E1", "50", "2", "", "T1", "", "", ""), LIC("L5", "E1", "IMS", "TWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "IMS")->quantity, 50);
  assert_int_equal(line_of(&inv, "IMS")->amount, 10000000);
  invoice_clear(&inv);
  base_set(MACH("E1", "51", "2", "", "T1", "", "", ""), LIC("L5", "E1", "IMS", "TWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "IMS")->amount, 15000000);
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void twlc_has_no_sub_capacity_and_needs_a_tier_R_W15(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACH("E1", "50", "2", "", "", "2024-01", "", ""), LIC("L5", "E1", "IMS", "TWLC", "", "subcap", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "TWLC has no sub-capacity pricing, expected 'full' or empty (R-W15)");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 45); /* the pricing cell */
  e = rulefix_error_with(&d, "machine E1 has TWLC license L5 but no twlc_tier");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 28); /* the empty twlc_tier cell */
  invoice_clear(&inv);
  diag_clear(&d);
  /* no TWLC price for CICS: the machine's default ("Other") charge */
  diag_init(&d);
  base_set(MACH("E1", "50", "2", "", "T1", "", "", ""), LIC("L5", "E1", "CICS", "TWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0); /* OTHER: 50 x 2 */
  assert_int_equal(line_of(&inv, "CICS")->amount, 1000000);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* a tier raised on 10 Oct and lowered on 25 Oct, with the capacity: the increase begins on 1 Nov (002 §5.12)
 * and November is billed at the higher (R-T10) */
static void a_twlc_tier_and_capacity_increase_stays_for_the_month_R_T10_R_W15(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACH("E1", "50", "2", "", "T1", "", "", "2025-01-01") MACH("E1", "60", "2", "", "T2", "", "", "2026-10-10")
               MACH("E1", "50", "2", "", "T1", "", "", "2026-10-25"),
           LIC("L5", "E1", "IMS", "TWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "IMS");
  assert_int_equal(l->quantity, 60);
  assert_int_equal(l->amount, 15000000);
  assert_true(rulefix_has_step(&inv, l->line, "R-T10"));
  assert_string_equal(rulefix_rules(l), "R-T4;R-T10;R-W14;R-W15;R-W1;R-0.1");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-W16: zELC ---- */

static void zelc_is_priced_by_category_else_the_other_charge_R_W16(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACH("E1", "100", "4", "C2", "", "", "", ""),
           LIC("L5", "E1", "CICS", "ZELC", "", "", "") LIC("L6", "E1", "MQ", "ZELC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "CICS"), *mq = line_of(&inv, "MQ");
  assert_int_equal(c->amount, 7000000);
  assert_int_equal(c->quantity, 1);
  assert_int_equal(c->unit_price, 7000000);
  assert_int_equal(mq->amount, 2500000); /* MQ has no zELC price: the "Other" charge of C2 */
  assert_true(rulefix_has_step(&inv, mq->line, "R-W16"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-W16;R-0.1");
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

/* C2 -> C3 on 10 Oct, back on 25 Oct: the increase begins on 1 Nov, all of November at C3; 900.005 rounds half away to 900.01 */
static void a_zelc_category_increase_stays_for_the_month_R_T10_R_W16(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACH("E1", "100", "4", "C2", "", "", "", "2025-01-01") MACH("E1", "100", "4", "C3", "", "", "", "2026-10-10")
               MACH("E1", "100", "4", "C2", "", "", "", "2026-10-25"),
           LIC("L5", "E1", "CICS", "ZELC", "", "", "") LIC("L6", "E1", "MQ", "ZELC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *c = line_of(&inv, "CICS"), *mq = line_of(&inv, "MQ");
  assert_int_equal(c->amount, 9000100);
  assert_int_equal(mq->amount, 3000000);
  assert_true(rulefix_has_step(&inv, c->line, "R-T10"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-T10;R-W16;R-0.1");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void zelc_input_errors_name_the_rule_R_W16(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* no category */
  base_set(MACH("E1", "100", "4", "", "", "", "", ""), LIC("L5", "E1", "CICS", "ZELC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "machine E1 has zELC license L5 but no zelc_category");
  assert_int_equal(e->col, 28); /* the empty zelc_category cell */
  invoice_clear(&inv);
  diag_clear(&d);
  /* DB2 has zELC prices, but not for C2: a gap in the price book, not a default */
  diag_init(&d);
  base_set(MACH("E1", "100", "4", "C2", "", "", "", ""), LIC("L5", "E1", "DB2", "ZELC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "DB2 has zELC prices but none for category C2");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 10); /* the product cell */
  invoice_clear(&inv);
  diag_clear(&d);
  /* no default for the category either */
  diag_init(&d);
  base_set(MACH("E1", "100", "4", "C7", "", "", "", ""), LIC("L5", "E1", "MQ", "ZELC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  rulefix_error_with(&d, "no zELC price for MQ in category C7");
  invoice_clear(&inv);
  diag_clear(&d);
  /* CICS has a zELC price for C2: next to zELC it may not be VWLC (002 §5.16.13 3.D.d) */
  diag_init(&d);
  base_set(MACH("E1", "100", "4", "C2", "", "", "", ""),
           LIC("L5", "E1", "MQ", "ZELC", "", "", "") LIC("L6", "E1", "CICS", "VWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "license L6 (CICS) on machine E1 has VWLC, but ZELC charges are available for CICS");
  assert_non_null(strstr(e->message, "(R-W16, 002 §5.16.13 3.D.d)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-W17: MWLC ---- */

#define VSE_MACHINE MACH("V1", "50", "2", "", "", "2024-01", "", "")

static void mwlc_is_sub_capacity_like_wlc_R_W17(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "subcap", "") LIC("L2", "V1", "CICSV", "MWLC", "", "subcap", "")
                            LIC("L3", "V1", "VTAMF", "MWLC", "L1", "subcap", ""));
  add_report("V1", 50, ROW("VSE4", 20) ROW("CICSV", 8) ROW("VTAMF", 5));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *os = line_of(&inv, "VSE4"), *c = line_of(&inv, "CICSV"), *f = line_of(&inv, "VTAMF");
  assert_int_equal(os->quantity, 20);
  assert_int_equal(os->amount, rulefix_book(20));
  assert_int_equal(c->quantity, 8);
  assert_int_equal(c->amount, rulefix_book(8));
  assert_int_equal(f->quantity, 20); /* a feature has its program's MSUs (R-W6) */
  assert_int_equal(f->amount, rulefix_book(20));
  assert_string_equal(rulefix_rules(os), "R-T4;R-W2;R-W1;R-0.1");
  invoice_clear(&inv);

  /* missing from the report once sub-capacity started: the minimum (R-W5) */
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "subcap", "") LIC("L2", "V1", "CICSV", "MWLC", "", "subcap", ""));
  add_report("V1", 50, ROW("VSE4", 20));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICSV")->quantity, 2);
  assert_int_equal(line_of(&inv, "CICSV")->amount, rulefix_book(2));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void mwlc_is_full_capacity_where_zvse_v3_is_licensed_R_W17(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "subcap", "") LIC("L2", "V1", "CICSV", "MWLC", "", "subcap", "")
                            LIC("L4", "V1", "VSE3", "MWLC", "", "subcap", ""));
  add_report("V1", 50, ROW("VSE4", 20) ROW("CICSV", 8) ROW("VSE3", 4));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *os = line_of(&inv, "VSE4"), *c = line_of(&inv, "CICSV");
  assert_int_equal(os->quantity, 50);
  assert_int_equal(os->amount, rulefix_book(50));
  assert_int_equal(c->quantity, 50);
  assert_int_equal(c->amount, rulefix_book(50));
  assert_int_equal(line_of(&inv, "VSE3")->quantity, 50);
  assert_true(rulefix_has_step(&inv, c->line, "R-W17"));
  assert_string_equal(rulefix_rules(c), "R-T4;R-W17;R-W1;R-0.1");
  invoice_clear(&inv);
  /* V3 discontinued before November: sub-capacity again */
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "subcap", "") LIC("L2", "V1", "CICSV", "MWLC", "", "subcap", "")
                            "C1,L4,V1,VSE3,MWLC,,2019-04-01,2026-10-31,,ORD-1,,,,no,subcap,\n");
  add_report("V1", 50, ROW("VSE4", 20) ROW("CICSV", 8));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICSV")->quantity, 8);
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void mwlc_input_errors_name_the_rule_R_W17(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* a z/OS program on MWLC, and no z/VSE V4 on the machine */
  base_set(VSE_MACHINE, LIC("L2", "V1", "CICS", "MWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "license L2 has MWLC but CICS is of the zos family");
  assert_int_equal(e->col, 10); /* the product cell */
  e = rulefix_error_with(&d, "no eligible operating system is licensed to machine V1 this month, expected z/VSE V4 or later");
  assert_int_equal(e->col, 15); /* the charge_type cell */
  invoice_clear(&inv);
  diag_clear(&d);
  /* a z/VSE without a version */
  diag_init(&d);
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "", "") LIC("L4", "V1", "VSEX", "MWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "z/VSE VSEX (license L4) has version '' in products.csv line 12");
  assert_int_equal(e->line, 3);
  invoice_clear(&inv);
  diag_clear(&d);
  /* CICSV has an MWLC price: next to MWLC it may not be VWLC (MWLC terms, Charges 2) */
  diag_init(&d);
  base_set(VSE_MACHINE, LIC("L1", "V1", "VSE4", "MWLC", "", "", "") LIC("L2", "V1", "CICSV", "VWLC", "", "", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  e = rulefix_error_with(&d, "license L2 (CICSV) on machine V1 has VWLC, but MWLC charges are available for CICSV");
  assert_non_null(strstr(e->message, "(R-W17, 002 MWLC terms, Charges 2)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(zose_model_capacity_rounds_half_up_R_W14),
    cmocka_unit_test(ewlc_at_full_capacity_charges_each_logical_model_its_capacity_R_W14),
    cmocka_unit_test(logical_model_inputs_are_checked_R_W14),
    cmocka_unit_test(ewlc_reduces_zose_msus_first_when_over_capacity_R_W13),
    cmocka_unit_test(ewlc_excludes_other_charges_for_programs_with_an_ewlc_price_R_W13),
    cmocka_unit_test(twlc_is_priced_on_full_logical_model_capacity_by_tier_R_W15),
    cmocka_unit_test(twlc_has_no_sub_capacity_and_needs_a_tier_R_W15),
    cmocka_unit_test(a_twlc_tier_and_capacity_increase_stays_for_the_month_R_T10_R_W15),
    cmocka_unit_test(zelc_is_priced_by_category_else_the_other_charge_R_W16),
    cmocka_unit_test(a_zelc_category_increase_stays_for_the_month_R_T10_R_W16),
    cmocka_unit_test(zelc_input_errors_name_the_rule_R_W16),
    cmocka_unit_test(mwlc_is_sub_capacity_like_wlc_R_W17),
    cmocka_unit_test(mwlc_is_full_capacity_where_zvse_v3_is_licensed_R_W17),
    cmocka_unit_test(mwlc_input_errors_name_the_rule_R_W17),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
