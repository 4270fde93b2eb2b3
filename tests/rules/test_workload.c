/* test_workload.c - zNALC, NALC, AWLC transition charges and Single Version Charging priced in-process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/subcap.h"
#include "rules/transition.h"
#include "rules/znalc.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "ZOS2,z/OS V2,zos,yes,2,3,,\n"
  "CICS,CICS TS V6,zos,no,6,3,,\n"
  "CICS5,CICS TS V5,zos,no,5,3,,\n"
  "DSS,DFSMSdss,zos,no,3,3,,\n"
  "MVS,MVS/ESA,zos,yes,5,3,,\n"
  "ZOSE,z/OS.e V1,zos,yes,1,3,,\n"
  "NOMIN,z/OS V3 (no minimum),zos,yes,3,,,\n"
  "NAPP,New Application Server,none,no,1,,,\n"
  "VSE,z/VSE V6,zvse,yes,6,3,,\n";
static const char *PRICED[] = {"ZOS", "ZOS2", "CICS", "CICS5", "DSS", "MVS", "NOMIN", "NAPP"};
static const char *PRICED_CT[] = {"AWLC", "VWLC", "ZNALC", "NALC"};

/* every product and charge type: 1-3 @ 10, 4-45 @ 5, 46+ @ 1 (rulefix_book) */
static const char *prices_text(char *buf, size_t n)
{
  size_t k = (size_t)snprintf(buf, n, RULEFIX_PRICES_HDR);
  for(size_t p = 0; p < sizeof(PRICED) / sizeof(*PRICED); p++)
    for(size_t c = 0; c < sizeof(PRICED_CT) / sizeof(*PRICED_CT); c++)
      k += (size_t)snprintf(buf + k, n - k,
                            "%s,%s,monthly,1,3,10,,EUR,2024-01-01\n%s,%s,monthly,4,45,5,,EUR,2024-01-01\n"
                            "%s,%s,monthly,46,,1,,EUR,2024-01-01\n",
                            PRICED[p], PRICED_CT[c], PRICED[p], PRICED_CT[c], PRICED[p], PRICED_CT[c]);
  assert_true(k < n);
  return buf;
}

#define M1 "C1,M1,3931-609,1200,9,,yes,,,,,2024-01,,,\n"
/* the standard N5 table header, the CPC row first */
#define N5(cpc, rows)                                                                                         \
  "\"LPAR Name\",\"Highest 4HRA MSUs\",\"Date/Time of Highest\"\n\"CPC\",\"" cpc "\",\"14 Sep, 2026 10:00\"\n" rows

static void base_set(const char *machines, const char *licenses)
{
  char prices[16384];
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "wl",
                       .products = PRODUCTS,
                       .prices = prices_text(prices, sizeof(prices)),
                       .machines_hdr = RULEFIX_MACHINES_HDR_DATED,
                       .machines = machines,
                       .licenses = licenses,
                     });
}

/* An SCRT report for the period driving November 2026, received on time.
 * e5: product rows; n5: the N5 table (header included), NULL for no N5 section. */
static void add_report(const char *serial, long rated, const char *e5, const char *n5)
{
  char *section = NULL;
  if(n5)
    assert_true(asprintf(&section, "\"DETAIL LPAR DATA\"\n%s", n5) > 0);
  rulefix_add_report(&fx, &(rulefix_report){.serial = serial, .rated = rated, .e5 = e5, .n5 = n5 ? section : ""});
  free(section);
}

/* Price customer C1 for November 2026 in-process, with history h (NULL: none). */
static int price_c1_hist(invoice *inv, diag_list *d, const rulefix_hist *h)
{
  return rulefix_price(&fx, month_from_ym(2026, 11), h, 0, inv, d);
}

static int price_c1(invoice *inv, diag_list *d) { return price_c1_hist(inv, d, NULL); }

#define line_of(inv, pid, ct) rulefix_line(inv, pid, ct, NULL, 0)
/* the R-W11 transition line: the one in percent */
#define transition_line(inv) rulefix_find_line(inv, NULL, NULL, "%", 0)

#define ZOS_AWLC "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
#define ZOS_ZNALC "C1,L2,M1,ZOS,ZNALC,,2024-01-01,,,,,,,no,subcap\n"
#define E5_ZOS(n) "\"z/OS\",\"ZOS\",\"" n "\",\"\",\"\",\"\"\n"

/* ---- R-W12 zNALC ---------------------------------------------------------------------------------- */

static void znalc_is_charged_on_its_znal_lpars_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"),
             N5("500", "\"PROD1\",\"400\",\"9 Sep, 2026 13:00\"\n\"ZNAL1\",\"60\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC"), *a = line_of(&inv, "ZOS", "AWLC");
  assert_int_equal(z->quantity, 60); /* 400 + 60 <= 500: no reduction */
  assert_int_equal(z->amount, rulefix_book(60));
  assert_int_equal(a->quantity, 400);
  assert_true(rulefix_has_step(&inv, z->line, "R-W12"));
  assert_non_null(strstr(rulefix_rules(z), "R-W12"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void an_lpar_flagged_license_znalc_counts_as_a_znalc_lpar_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_ZNALC);
  /* a License column saying ZNALC, and a cell LICENSE=ZNALC elsewhere in a row */
  add_report("M1", 1200, E5_ZOS("50"),
             "\"LPAR Name\",\"Highest 4HRA MSUs\",\"Date/Time of Highest\",\"License\",\"IPL Parameters\"\n"
             "\"CPC\",\"500\",\"14 Sep, 2026 10:00\",\"\",\"\"\n"
             "\"APP1\",\"25\",\"9 Sep, 2026 13:00\",\"ZNALC\",\"\"\n"
             "\"APP2\",\"17\",\"9 Sep, 2026 14:00\",\"\",\"LICENSE=ZNALC\"\n"
             "\"ZNALX\",\"8\",\"9 Sep, 2026 15:00\",\"\",\"\"\n"
             "\"PROD\",\"300\",\"9 Sep, 2026 15:00\",\"WLC\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 25 + 17 + 8);
  assert_int_equal(z->amount, rulefix_book(50));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-W12: the quantity is the peak of the zNALC LPARs running concurrently; N5 gives each LPAR's own peak and the
 * CPC total only. Two zNALC LPARs peaking at different times: billed on the sum, 40 + 30 = 70 MSUs =
 * 3 x 10 + 42 x 5 + 25 x 1 = 265.00, with a notice naming both LPARs and their N5 rows (the sum may over-state
 * the concurrent peak). The same peaks in one interval are the concurrent peak: no notice. A sum above the
 * CPC peak is bounded by it: 70 + 60 = 130 > 100, billed on 100 MSUs = 30 + 210 + 55 x 1 = 295.00. */
static void znalc_lpars_peaking_apart_are_summed_with_a_notice_and_bounded_by_the_cpc_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("70"),
             N5("500", "\"ZNAL1\",\"40\",\"9 Sep, 2026 13:00\"\n\"ZNAL2\",\"30\",\"12 Sep, 2026 02:00\"\n"
                       "\"PROD1\",\"300\",\"9 Sep, 2026 13:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 70);
  assert_int_equal(z->amount, 2650000);
  assert_int_equal(z->amount, rulefix_book(70));
  assert_int_equal(inv.nnotices, 1);
  assert_int_equal(inv.notices[0].rule, R_W12);
  assert_string_equal(inv.notices[0].serial, "M1");
  assert_non_null(strstr(inv.notices[0].reason, "is charged on the sum of 2 zNALC LPAR peaks (ZNAL1 40 + ZNAL2 30; "
                                                "N5 rows "));
  assert_non_null(strstr(inv.notices[0].reason, "did not peak at the same time: the sum may over-state their "
                                                "concurrent peak"));
  invoice_clear(&inv);

  /* both at their highest in the same interval: the sum is their concurrent peak, no notice */
  base_set(M1, ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("70"),
             N5("500", "\"ZNAL1\",\"40\",\"9 Sep, 2026 13:00\"\n\"ZNAL2\",\"30\",\"9 Sep, 2026 13:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 70);
  assert_int_equal(z->amount, 2650000);
  assert_int_equal(inv.nnotices, 0);
  invoice_clear(&inv);

  /* above the machine's peak: bounded by the CPC row, said in the audit step, and the notice stays */
  base_set(M1, ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("100"),
             N5("100", "\"ZNAL1\",\"70\",\"9 Sep, 2026 13:00\"\n\"ZNAL2\",\"60\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 100);
  assert_int_equal(z->amount, 2950000);
  assert_int_equal(z->amount, rulefix_book(100));
  assert_int_equal(inv.nnotices, 1);
  assert_true(rulefix_has_step(&inv, z->line, "R-W12"));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

static void znalc_plus_wlc_zos_above_the_peak_is_reduced_to_the_peak_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 80); /* 400 + 150 = 550 > 480: 480 - 400 */
  assert_int_equal(z->amount, rulefix_book(80));
  assert_int_equal(line_of(&inv, "ZOS", "AWLC")->quantity, 400);
  invoice_clear(&inv);

  /* exactly the peak: no reduction */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"), N5("480", "\"ZNAL1\",\"80\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 80);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->amount, rulefix_book(80));
  invoice_clear(&inv);

  /* one over the peak: reduced by one */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"), N5("480", "\"ZNAL1\",\"81\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 80);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_peak_cap_never_goes_below_the_znalc_minimum_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 478 + 150 > 480: 480 - 478 = 2 is below the minimum of 3 */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("478"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 3);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->amount, rulefix_book(3));
  invoice_clear(&inv);
  /* 477: 480 - 477 = 3, the minimum itself */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("477"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 3);
  invoice_clear(&inv);
  /* WLC z/OS alone at the peak: the minimum */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("480"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 3);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_cap_needs_a_cpc_row_and_a_minimum_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"),
             "\"LPAR Name\",\"Highest 4HRA MSUs\",\"Date/Time of Highest\"\n\"ZNAL1\",\"150\",\"12 Sep, 2026\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "has no CPC row"));
  assert_true(rulefix_has_error(&d, "(R-W12)"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* a product without min_msu cannot be reduced safely */
  diag_init(&d);
  base_set(M1, ZOS_AWLC "C1,L2,M1,NOMIN,ZNALC,,2024-01-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, E5_ZOS("400"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "gives no min_msu for NOMIN, expected the zNALC minimum MSUs (R-W12)"));
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, 10); /* product_id of line 3 */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void no_znalc_lpar_charges_the_minimum_or_full_capacity_in_the_first_month_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* after its first month: the zNALC minimum (§5.16.9 b.4.1.c) */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"), N5("500", "\"PROD1\",\"400\",\"9 Sep, 2026 13:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 3);
  assert_int_equal(z->amount, rulefix_book(3));
  assert_true(rulefix_has_step(&inv, z->line, "R-W12"));
  invoice_clear(&inv);
  /* its first month (installed 1 Nov): Full Capacity MSUs (§5.16.9 b.4.1.b) */
  base_set(M1, ZOS_AWLC "C1,L2,M1,ZOS,ZNALC,,2026-11-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, E5_ZOS("400"), N5("500", "\"PROD1\",\"400\",\"9 Sep, 2026 13:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 1200);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->amount, rulefix_book(1200));
  invoice_clear(&inv);
  /* a report without an N5 section cannot show zNALC LPARs: an error, not a guess */
  base_set(M1, ZOS_AWLC ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("400"), NULL);
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "has no N5 DETAIL LPAR DATA section"));
  assert_true(rulefix_has_error(&d, "(R-W12)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void znalc_without_subcap_is_charged_full_capacity_R_W12_R_W2_R_W3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* the license elects full capacity */
  base_set(M1, ZOS_AWLC "C1,L2,M1,ZOS,ZNALC,,2024-01-01,,,,,,,no,full\n");
  add_report("M1", 1200, E5_ZOS("400"), N5("500", "\"ZNAL1\",\"60\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 1200);
  assert_int_equal(z->amount, rulefix_book(1200));
  assert_true(rulefix_has_step(&inv, z->line, "R-W2"));
  invoice_clear(&inv);
  /* sub-capacity not started on the machine; zNALC alone elects it. Its first report came on time, so the month
   * it drives is billed on it (R-W3, "initially charged at Full Capacity MSUs until IBM has processed the
   * initial Sub-Capacity Report", §5.16.9 b.4.1.b): the 60 zNALC MSUs, not the machine's 1,000 */
  base_set("C1,M1,3931-609,1000,9,,yes,,,,,,,,\n", "C1,L2,M1,ZOS,ZNALC,,2024-01-01,,,,,,,no,subcap\n");
  add_report("M1", 1000, E5_ZOS("60"), N5("500", "\"ZNAL1\",\"60\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 60);
  assert_int_equal(z->amount, rulefix_book(60));
  assert_non_null(rulefix_step(&inv, z->line, "R-W3", "first SCRT report", 0));
  invoice_clear(&inv);
  /* zNALC alone on a started machine is sub-capacity */
  base_set(M1, ZOS_ZNALC);
  add_report("M1", 1200, E5_ZOS("60"), N5("500", "\"ZNAL1\",\"60\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS", "ZNALC")->quantity, 60);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void znalc_sums_over_a_sysplex_after_the_per_machine_cap_R_W12_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3931-607,900,7,PLX,yes,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,ZOS,ZNALC,,2024-01-01,,,,,,,no,subcap\n"
           "C1,L3,M2,ZOS,ZNALC,,2024-01-01,,,,,,,no,subcap\n");
  /* M1: 400 + 150 > 480: 80; M2: no WLC z/OS, 30 */
  add_report("M1", 1200, E5_ZOS("400"), N5("480", "\"ZNAL1\",\"150\",\"12 Sep, 2026 02:00\"\n"));
  add_report("M2", 900, E5_ZOS("30"), N5("300", "\"ZNAL2\",\"30\",\"12 Sep, 2026 02:00\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS", "ZNALC");
  assert_int_equal(z->quantity, 110);
  assert_int_equal(z->amount, rulefix_book(110));
  assert_string_equal(z->sysplex, "PLX");
  assert_true(rulefix_has_step(&inv, z->line, "R-W8"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_znalc_feature_takes_the_znalc_msus_R_W12_R_W6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, ZOS_ZNALC "C1,L3,M1,DSS,ZNALC,L2,2024-01-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"DSS\",\"DSS\",\"9\",\"\",\"\",\"\"\n", N5("500", "\"ZNAL1\",\"60\",\"1 Sep, 2026\"\n"));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *f = line_of(&inv, "DSS", "ZNALC");
  assert_int_equal(f->quantity, 60);
  assert_int_equal(f->amount, rulefix_book(60));
  assert_true(rulefix_has_step(&inv, f->line, "R-W6"));
  invoice_clear(&inv);
  /* a zNALC feature of an AWLC program */
  base_set(M1, ZOS_AWLC "C1,L3,M1,DSS,ZNALC,L1,2024-01-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, E5_ZOS("400"), N5("500", "\"ZNAL1\",\"60\",\"1 Sep, 2026\"\n"));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "expected a feature of a zNALC z/OS license (R-W12)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void znalc_preconditions_are_input_errors_R_W12(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* not z/OS: line 2, product_id at column 10 */
  base_set(M1, "C1,L2,M1,CICS,ZNALC,,2024-01-01,,,,,,,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "zNALC applies only to z/OS"));
  assert_int_equal(d.v[d.n - 1].line, 2);
  assert_int_equal(d.v[d.n - 1].col, 10);
  invoice_clear(&inv);
  diag_clear(&d);
  /* beside MVS, z/OS with NALC, z/OS.e */
  const char *beside[] = {"C1,L3,M1,MVS,AWLC,,2019-04-01,,,,,,,no,full\n",
                          "C1,L3,M1,ZOS2,NALC,,2019-04-01,,,,,,,no,\n",
                          "C1,L3,M1,ZOSE,AWLC,,2019-04-01,,,,,,,no,full\n"};
  const char *what[] = {"OS/390 or MVS", "z/OS with NALC", "z/OS.e"};
  for(int i = 0; i < 3; i++) {
    char lic[256];
    diag_init(&d);
    snprintf(lic, sizeof(lic), "%s%s", ZOS_ZNALC, beside[i]);
    base_set(M1, lic);
    assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
    assert_true(rulefix_has_error(&d, what[i]));
    assert_true(rulefix_has_error(&d, "(R-W12)"));
    invoice_clear(&inv);
    diag_clear(&d);
  }
  /* z/OS.e engines on the machine */
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,2024-01,2,,\n", ZOS_ZNALC);
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "z/OS.e runs there"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void znal_prefix_and_license_flag_decide_a_znalc_lpar_R_W12(void **state)
{
  (void)state;
  scrt_lpar a = {.name = "ZNALPROD"}, b = {.name = "PRODZNAL"}, c = {.name = "PROD", .license_znalc = 1},
            e = {.name = "znal1"};
  assert_true(znalc_is_lpar(&a));
  assert_false(znalc_is_lpar(&b));
  assert_true(znalc_is_lpar(&c));
  assert_false(znalc_is_lpar(&e)); /* "The first four letters ... must be ZNAL" */
}

/* ---- NALC ----------------------------------------------------------------------------------------- */

static void nalc_is_tiered_on_the_machine_capacity_R_W2_R_W1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,NAPP,NALC,,2024-01-01,,,ORD-9,,,,no,\n");
  add_report("M1", 1200, "\"New App\",\"NAPP\",\"40\",\"\",\"\",\"\"\n", N5("500", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "NAPP", "NALC");
  assert_int_equal(l->quantity, 1200); /* the report's 40 MSUs do not matter */
  assert_int_equal(l->amount, rulefix_book(1200));
  assert_true(rulefix_has_step(&inv, l->line, "R-W2"));
  assert_true(rulefix_has_step(&inv, l->line, "R-W1"));
  assert_string_equal(l->order_number, "ORD-9");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* an upgrade on 10 Oct, undone on 20 Oct, begins on 1 Nov (002 §5.12) and holds for November (R-T10) */
static void nalc_follows_a_capacity_upgrade_for_the_whole_month_R_T10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-610,1300,10,,yes,,,,,2024-01,,,2026-10-10\n"
           "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2026-10-20\n",
           "C1,L1,M1,NAPP,NALC,,2024-01-01,,,,,,,no,full\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "NAPP", "NALC");
  assert_int_equal(l->quantity, 1300);
  assert_int_equal(l->amount, rulefix_book(1300));
  assert_true(rulefix_has_step(&inv, l->line, "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void nalc_on_an_unrated_machine_or_with_subcap_is_an_error_R_W2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,,9,,yes,,,,,2024-01,,,\n", "C1,L1,M1,NAPP,NALC,,2024-01-01,,,,,,,no,\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "has no full_capacity_msu, but NALC license L1"));
  assert_string_equal(d.v[0].file, "machines.csv");
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, 16); /* full_capacity_msu */
  invoice_clear(&inv);
  diag_clear(&d);
  diag_init(&d);
  base_set(M1, "C1,L1,M1,NAPP,NALC,,2024-01-01,,,,,,,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "NALC license L1 asks for sub-capacity pricing"));
  assert_int_equal(d.v[0].col, 41); /* pricing */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-W11 transition charges --------------------------------------------------------------------- */

static void the_share_rounds_half_up_to_a_whole_percent_R_W11(void **state)
{
  (void)state;
  assert_int_equal(transition_share(205, 1000), 21); /* 20.5 % */
  assert_int_equal(transition_share(204, 1000), 20); /* 20.4 % */
  assert_int_equal(transition_share(4, 1000), 0);    /* 0.4 % */
  assert_int_equal(transition_share(5, 1000), 1);    /* 0.5 % */
  assert_int_equal(transition_share(995, 1000), 100); /* 99.5 % */
  assert_int_equal(transition_share(994, 1000), 99);  /* 99.4 % */
  assert_int_equal(transition_share(1, 3), 33);
  assert_int_equal(transition_share(2, 3), 67);
}

static void each_band_edge_picks_its_reduction_R_W11(void **state)
{
  (void)state;
  static const struct {
    long share;
    money pct;
  } cases[] = {{0, 0},      {1, 5000},   {20, 5000},  {21, 15000}, {40, 15000}, {41, 30000},
               {60, 30000}, {61, 40000}, {80, 40000}, {81, 45000}, {99, 45000}, {100, 0}};
  for(size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
    assert_int_equal(transition_reduction_pct(cases[i].share), cases[i].pct);
}

/* sysplex PLX: M1 AWLC-eligible with `eligible` MSUs, M2 not eligible with `other`; VWLC z/OS on both
 * (30 + 370 MSUs, aggregated: 595.00) and VWLC CICS on M2 only (50 MSUs: 245.00). Both are reduced: the
 * "Programs that qualify for aggregated VWLC charges" are those of the qualifying sysplex (§5.16.12 4.a),
 * CICS on one of its machines included: the base is 595.00 + 245.00 = 840.00. */
static void plex_set(long eligible, long other)
{
  char m[512];
  snprintf(m, sizeof(m), "C1,M1,3931-609,%ld,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3906-M04,%ld,7,PLX,no,,,,,2024-01,,,\n",
           eligible, other);
  base_set(m, "C1,L1,M1,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n"
              "C1,L3,M2,CICS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", eligible, E5_ZOS("30"), N5("30", ""));
  add_report("M2", other, E5_ZOS("370") "\"CICS\",\"CICS\",\"50\",\"\",\"\",\"\"\n", N5("420", ""));
}

static void a_partly_eligible_sysplex_gets_a_negative_vwlc_line_R_W11(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  plex_set(2050, 7950); /* 20.5 % rounds to 21 %: 1.5 % */
  assert_int_equal(price_c1(&inv, &d), 0);
  money base = rulefix_book(400) + rulefix_book(50); /* z/OS over the sysplex 595.00 + CICS on M2 245.00 */
  assert_int_equal(base, 8400000);
  const charge_line *t = transition_line(&inv);
  assert_non_null(t);
  assert_int_equal(t->amount, -126000); /* 1.5 % of 840.00 = 12.60 */
  assert_int_equal(t->quantity, 21);
  assert_string_equal(line_charge_type(t), "VWLC");
  assert_string_equal(t->sysplex, "PLX");
  assert_string_equal(t->serial, "M1+M2");
  assert_string_equal(rulefix_rules(t), "R-W11;R-0.2");
  assert_true(rulefix_has_step(&inv, t->line, "R-W11"));
  assert_true(rulefix_has_step(&inv, t->line, "R-0.2"));
  assert_int_equal(inv.subtotal, base - 126000);
  /* the step naming the machines' rows and the share */
  int found = 0;
  for(size_t i = 0; i < inv.naudit; i++)
    if(inv.audit[i].line == t->line && !strcmp(rulefix_inputs(&inv.audit[i]), "machines.csv:2;machines.csv:3") &&
       !strcmp(rulefix_value(&inv.audit[i]), "21 %"))
      found = 1;
  assert_true(found);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_reduction_rounds_half_away_from_zero_to_the_cent_R_W11_R_0_2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* 45 %: 3.0 % of 840.00 = 25.20. Then 85 %: 4.5 % = 37.80 */
  plex_set(4500, 5500);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -252000);
  invoice_clear(&inv);
  plex_set(8500, 1500);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -378000);
  invoice_clear(&inv);
  /* 70 %: 4.0 % = 33.60, and 20.4 %: 0.5 % = 4.20 */
  plex_set(7000, 3000);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -336000);
  invoice_clear(&inv);
  plex_set(2040, 7960);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -42000);
  assert_int_equal(transition_line(&inv)->quantity, 20);
  invoice_clear(&inv);
  diag_clear(&d);

  /* z/OS on M1 (3 MSUs) and M2 (5 MSUs): 8 MSUs = 3 x 10 + 5 x 5 = 55.00; 30 %: 1.5 % = 0.825 -> 0.83 */
  diag_init(&d);
  base_set("C1,M1,3931-609,300,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3906-M04,700,7,PLX,no,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 300, E5_ZOS("3"), N5("100", ""));
  add_report("M2", 700, E5_ZOS("5"), N5("350", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -8300);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_share_rounding_to_0_or_100_percent_reduces_nothing_R_W11(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  plex_set(40, 9960); /* 0.4 % -> 0 % */
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(transition_line(&inv));
  assert_true(rulefix_has_step(&inv, 0, "R-W11"));
  assert_int_equal(inv.subtotal, rulefix_book(400) + rulefix_book(50));
  invoice_clear(&inv);
  plex_set(99500, 500); /* 99.5 % -> 100 %: in no band (81 - < 100 %) */
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(transition_line(&inv));
  assert_true(rulefix_has_step(&inv, 0, "R-W11"));
  invoice_clear(&inv);
  plex_set(50, 9950); /* 0.5 % -> 1 %: 0.5 % of 840.00 = 4.20 */
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(transition_line(&inv)->amount, -42000);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void all_or_no_eligible_machines_mean_no_transition_R_W11(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,300,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3906-M04,700,7,PLX,yes,,,,,2024-01,,,\n",
           "C1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M2", 700, E5_ZOS("8"), N5("350", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(transition_line(&inv));
  assert_int_equal(inv.subtotal, rulefix_book(8));
  invoice_clear(&inv);
  base_set("C1,M1,3931-609,300,9,PLX,no,,,,,2024-01,,,\nC1,M2,3906-M04,700,7,PLX,no,,,,,2024-01,,,\n",
           "C1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M2", 700, E5_ZOS("8"), N5("350", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(transition_line(&inv));
  invoice_clear(&inv);
  /* a standalone eligible machine beside a VWLC machine: no sysplex, no transition */
  base_set("C1,M1,3931-609,300,9,,yes,,,,,2024-01,,,\nC1,M2,3906-M04,700,7,PLX,no,,,,,2024-01,,,\n",
           "C1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M2", 700, E5_ZOS("8"), N5("350", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(transition_line(&inv));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_vwlc_program_on_one_machine_of_the_sysplex_is_reduced_R_W11(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* AWLC z/OS on the eligible machine, VWLC z/OS on the other only: the program qualifies for aggregated VWLC
   * charges in the sysplex (§5.16.1 d.1, §5.16.12 4.a) though it runs on one machine. Share 1200 of 2100 =
   * 57.14 % -> 57 %: 3.0 % of z/OS VWLC 20 MSUs (3 x 10 + 17 x 5 = 115.00) = 3.45 */
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3931-607,900,7,PLX,no,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, E5_ZOS("30"), N5("300", ""));
  add_report("M2", 900, E5_ZOS("20"), N5("300", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *t = transition_line(&inv);
  assert_non_null(t);
  assert_int_equal(t->quantity, 57);
  assert_int_equal(t->amount, -34500);
  assert_non_null(rulefix_step(&inv, t->line, "R-W11", "VWLC charges of sysplex PLX: line 2 ZOS 115.00", 0));
  assert_int_equal(inv.nlines, 3);
  assert_int_equal(inv.subtotal, rulefix_book(30) + rulefix_book(20) - 34500);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void an_unrated_machine_in_a_mixed_sysplex_is_an_error_R_W11(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3906-M04,700,7,PLX,no,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 300, E5_ZOS("3"), N5("100", ""));
  add_report("M2", 700, E5_ZOS("8"), N5("350", ""));
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "machine M1 of sysplex PLX has no full_capacity_msu"));
  assert_true(rulefix_has_error(&d, "(R-W11)"));
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, 16);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-S1..R-S3 Single Version Charging ----------------------------------------------------------- */

/* z/OS 400 MSUs; CICS5 (L2) replaced by CICS (L3) installed on `installed`. */
static void svc_set(const char *installed, const char *disc, const char *pred_msus, const char *repl_msus)
{
  char lic[512], e5[256];
  snprintf(lic, sizeof(lic),
           ZOS_AWLC "C1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                    "C1,L3,M1,CICS,AWLC,,%s,%s,,ORD-3,,,L2,no,subcap\n", installed, disc);
  base_set(M1, lic);
  snprintf(e5, sizeof(e5), E5_ZOS("400") "\"CICS V5\",\"CICS5\",\"%s\",\"\",\"\",\"\"\n"
                                         "\"CICS V6\",\"CICS\",\"%s\",\"\",\"\",\"\"\n", pred_msus, repl_msus);
  add_report("M1", 1200, e5, N5("500", ""));
}

static void the_predecessor_is_waived_and_the_replacement_takes_both_msus_R_S1_R_S2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  svc_set("2026-06-01", "", "150", "100"); /* waiver June 2026 .. May 2027 */
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *p = line_of(&inv, "CICS5", "AWLC"), *r = line_of(&inv, "CICS", "AWLC");
  assert_int_equal(p->quantity, 0);
  assert_int_equal(p->amount, 0);
  assert_true(rulefix_has_step(&inv, p->line, "R-S1"));
  assert_non_null(strstr(rulefix_rules(p), "R-S1"));
  assert_int_equal(r->quantity, 250); /* 100 + 150 < z/OS 400 */
  assert_int_equal(r->amount, rulefix_book(250));
  assert_true(rulefix_has_step(&inv, r->line, "R-S2"));
  assert_non_null(strstr(rulefix_rules(r), "R-S2"));
  assert_string_equal(rulefix_state_of(&inv, "svc_start:L2"), "2026-06");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_replacement_is_capped_at_the_zos_msus_R_S2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  svc_set("2026-06-01", "", "300", "200"); /* 500 > 400 */
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 400);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->amount, rulefix_book(400));
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  invoice_clear(&inv);
  svc_set("2026-06-01", "", "300", "100"); /* exactly 400 */
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 400);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_zos_version_is_capped_at_the_full_machine_R_S2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS2,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,ZOS,AWLC,,2026-09-01,,,,,,L1,no,subcap\n");
  add_report("M1", 1200, "\"z/OS V2\",\"ZOS2\",\"700\",\"\",\"\",\"\"\n" E5_ZOS("600"), N5("900", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS2", "AWLC")->amount, 0);
  assert_int_equal(line_of(&inv, "ZOS", "AWLC")->quantity, 1200); /* 1300 > 1200 */
  assert_int_equal(line_of(&inv, "ZOS", "AWLC")->amount, rulefix_book(1200));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void zos_e_engines_raise_the_cap_R_S2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* z/OS.e on 2 of 9 engines of 1200 MSUs: 266.67 -> 267; cap 400 + 267 = 667 < 300 + 500 */
  char lic[512];
  snprintf(lic, sizeof(lic), ZOS_AWLC "C1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                                      "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n");
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,2024-01,2,,\n", lic);
  add_report("M1", 1200, E5_ZOS("400") "\"CICS V5\",\"CICS5\",\"300\",\"\",\"\",\"\"\n"
                                       "\"CICS V6\",\"CICS\",\"500\",\"\",\"\",\"\"\n", N5("900", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 667);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->amount, rulefix_book(667));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_waiver_ends_after_12_months_R_S1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* installed 1 Dec 2025: December is month 1, November 2026 month 12: still waived */
  svc_set("2025-12-01", "", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 250);
  invoice_clear(&inv);
  /* installed 2 Nov 2025: first charged in December (R-T4): month 12 */
  svc_set("2025-11-02", "", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  invoice_clear(&inv);
  /* installed 1 Nov 2025: November 2026 is month 13: both charged on their own MSUs */
  svc_set("2025-11-01", "", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *p = line_of(&inv, "CICS5", "AWLC"), *r = line_of(&inv, "CICS", "AWLC");
  assert_int_equal(p->quantity, 150);
  assert_int_equal(p->amount, rulefix_book(150));
  assert_true(rulefix_has_step(&inv, p->line, "R-S1"));
  assert_int_equal(r->quantity, 100);
  assert_int_equal(r->amount, rulefix_book(100));
  assert_null(rulefix_state_of(&inv, "svc_start:L2"));
  invoice_clear(&inv);
  /* the replacement not charged yet (installed 2 Nov 2026): the predecessor is charged, no SVC step */
  svc_set("2026-11-02", "", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  p = line_of(&inv, "CICS5", "AWLC");
  assert_int_equal(p->amount, rulefix_book(150));
  assert_false(rulefix_has_step(&inv, p->line, "R-S1"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void the_recorded_start_decides_month_13_R_S1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  /* a ledger that recorded the waiver's start in an earlier month */
  rulefix_state st[] = {{"svc_start:L2", "2025-10", month_from_ym(2025, 10)}, {NULL, NULL, 0}};
  rulefix_hist h = rulefix_history(st);
  diag_init(&d);
  /* the license row now says June 2026, but the waiver started in October 2025: over */
  svc_set("2026-06-01", "", "150", "100");
  assert_int_equal(price_c1_hist(&inv, &d, &h), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, rulefix_book(150));
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 100);
  invoice_clear(&inv);
  /* recorded December 2025: November 2026 is month 12 */
  st[0].value = "2025-12";
  svc_set("2026-06-01", "", "150", "100");
  assert_int_equal(price_c1_hist(&inv, &d, &h), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  assert_string_equal(rulefix_state_of(&inv, "svc_start:L2"), "2025-12");
  invoice_clear(&inv);
  diag_clear(&d);
  /* an unreadable recorded value is an error, not a guess: the ledger refuses it before pricing
   * (tests/ledger: a_damaged_carried_value_stops_the_run_not_a_guess) */
}

static void the_waiver_ends_early_on_another_machine_or_discontinuance_R_S1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* the replacement discontinued in October: November charges the predecessor again */
  svc_set("2026-06-01", "2026-10-15", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *p = line_of(&inv, "CICS5", "AWLC");
  assert_int_equal(p->quantity, 150);
  assert_int_equal(p->amount, rulefix_book(150));
  assert_true(rulefix_has_step(&inv, p->line, "R-S1"));
  invoice_clear(&inv);
  /* discontinued on 15 November: charged through November (R-T5), the waiver holds this month */
  svc_set("2026-06-01", "2026-11-15", "150", "100");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 250);
  invoice_clear(&inv);
  diag_clear(&d);

  /* the replacement on another machine */
  diag_init(&d);
  base_set(M1 "C1,M2,3931-607,900,7,,yes,,,,,2024-01,,,\n",
           ZOS_AWLC "C1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                    "C1,L4,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                    "C1,L3,M2,CICS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n");
  add_report("M1", 1200, E5_ZOS("400") "\"CICS V5\",\"CICS5\",\"150\",\"\",\"\",\"\"\n", N5("500", ""));
  add_report("M2", 900, E5_ZOS("300") "\"CICS V6\",\"CICS\",\"100\",\"\",\"\",\"\"\n", N5("500", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  p = line_of(&inv, "CICS5", "AWLC");
  assert_int_equal(p->amount, rulefix_book(150));
  assert_true(rulefix_has_step(&inv, p->line, "R-S1"));
  assert_int_equal(line_of(&inv, "CICS", "AWLC")->quantity, 100);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void full_capacity_waives_the_predecessor_and_keeps_the_replacement_full_R_S1_R_S2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,full\nC1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,full\n"
               "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L2,no,full\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS5", "AWLC")->amount, 0);
  const charge_line *r = line_of(&inv, "CICS", "AWLC");
  assert_int_equal(r->quantity, 1200);
  assert_int_equal(r->amount, rulefix_book(1200));
  assert_true(rulefix_has_step(&inv, r->line, "R-S2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void svc_is_computed_per_machine_before_the_sysplex_sum_R_S3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01,,,\nC1,M2,3931-607,900,7,PLX,yes,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
           "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n"
           "C1,L4,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L5,M2,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
           "C1,L6,M2,CICS,AWLC,,2026-06-01,,,,,,L5,no,subcap\n");
  /* M1: 300 + 200 capped at 400; M2: 100 + 50 = 150. Summed first it would be min(650, 700) = 650. */
  add_report("M1", 1200, E5_ZOS("400") "\"CICS V5\",\"CICS5\",\"300\",\"\",\"\",\"\"\n"
                                       "\"CICS V6\",\"CICS\",\"200\",\"\",\"\",\"\"\n", N5("900", ""));
  add_report("M2", 900, E5_ZOS("300") "\"CICS V5\",\"CICS5\",\"100\",\"\",\"\",\"\"\n"
                                      "\"CICS V6\",\"CICS\",\"50\",\"\",\"\",\"\"\n", N5("900", ""));
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *p = line_of(&inv, "CICS5", "AWLC"), *r = line_of(&inv, "CICS", "AWLC");
  assert_int_equal(p->quantity, 0);
  assert_int_equal(p->amount, 0);
  assert_int_equal(r->quantity, 550);
  assert_int_equal(r->amount, rulefix_book(550));
  assert_string_equal(r->sysplex, "PLX");
  assert_true(rulefix_has_step(&inv, r->line, "R-S3"));
  assert_true(rulefix_has_step(&inv, p->line, "R-S3"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void replaces_must_name_another_license_of_the_same_family_R_S1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* line 3: "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,," is 36 characters: replaces at 37 */
  base_set(M1, ZOS_AWLC "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,NOPE,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "replaces 'NOPE' is not another license of this customer"));
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, 37);
  invoice_clear(&inv);
  diag_clear(&d);
  diag_init(&d);
  base_set(M1, ZOS_AWLC "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L3,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "replaces 'L3' is not another license"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* a z/VSE predecessor for a z/OS program */
  diag_init(&d);
  base_set(M1, ZOS_AWLC "C1,L2,M1,VSE,MWLC,,2019-04-01,,,,,,,no,\n"
                        "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "expected a predecessor of the same product family (R-S1)"));
  assert_int_equal(d.v[0].line, 4);
  assert_int_equal(d.v[0].col, 37);
  invoice_clear(&inv);
  diag_clear(&d);
  /* two replacements of one predecessor */
  diag_init(&d);
  base_set(M1, ZOS_AWLC "C1,L2,M1,CICS5,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                        "C1,L3,M1,CICS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n"
                        "C1,L4,M1,DSS,AWLC,,2026-06-01,,,,,,L2,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "expected one replacement per predecessor license (R-S1)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(znalc_is_charged_on_its_znal_lpars_R_W12),
    cmocka_unit_test(znalc_lpars_peaking_apart_are_summed_with_a_notice_and_bounded_by_the_cpc_R_W12),
    cmocka_unit_test(an_lpar_flagged_license_znalc_counts_as_a_znalc_lpar_R_W12),
    cmocka_unit_test(znalc_plus_wlc_zos_above_the_peak_is_reduced_to_the_peak_R_W12),
    cmocka_unit_test(the_peak_cap_never_goes_below_the_znalc_minimum_R_W12),
    cmocka_unit_test(the_cap_needs_a_cpc_row_and_a_minimum_R_W12),
    cmocka_unit_test(no_znalc_lpar_charges_the_minimum_or_full_capacity_in_the_first_month_R_W12),
    cmocka_unit_test(znalc_without_subcap_is_charged_full_capacity_R_W12_R_W2_R_W3),
    cmocka_unit_test(znalc_sums_over_a_sysplex_after_the_per_machine_cap_R_W12_R_W8),
    cmocka_unit_test(a_znalc_feature_takes_the_znalc_msus_R_W12_R_W6),
    cmocka_unit_test(znalc_preconditions_are_input_errors_R_W12),
    cmocka_unit_test(znal_prefix_and_license_flag_decide_a_znalc_lpar_R_W12),
    cmocka_unit_test(nalc_is_tiered_on_the_machine_capacity_R_W2_R_W1),
    cmocka_unit_test(nalc_follows_a_capacity_upgrade_for_the_whole_month_R_T10),
    cmocka_unit_test(nalc_on_an_unrated_machine_or_with_subcap_is_an_error_R_W2),
    cmocka_unit_test(the_share_rounds_half_up_to_a_whole_percent_R_W11),
    cmocka_unit_test(each_band_edge_picks_its_reduction_R_W11),
    cmocka_unit_test(a_partly_eligible_sysplex_gets_a_negative_vwlc_line_R_W11),
    cmocka_unit_test(a_reduction_rounds_half_away_from_zero_to_the_cent_R_W11_R_0_2),
    cmocka_unit_test(a_share_rounding_to_0_or_100_percent_reduces_nothing_R_W11),
    cmocka_unit_test(all_or_no_eligible_machines_mean_no_transition_R_W11),
    cmocka_unit_test(a_vwlc_program_on_one_machine_of_the_sysplex_is_reduced_R_W11),
    cmocka_unit_test(an_unrated_machine_in_a_mixed_sysplex_is_an_error_R_W11),
    cmocka_unit_test(the_predecessor_is_waived_and_the_replacement_takes_both_msus_R_S1_R_S2),
    cmocka_unit_test(the_replacement_is_capped_at_the_zos_msus_R_S2),
    cmocka_unit_test(a_zos_version_is_capped_at_the_full_machine_R_S2),
    cmocka_unit_test(zos_e_engines_raise_the_cap_R_S2),
    cmocka_unit_test(the_waiver_ends_after_12_months_R_S1),
    cmocka_unit_test(the_recorded_start_decides_month_13_R_S1),
    cmocka_unit_test(the_waiver_ends_early_on_another_machine_or_discontinuance_R_S1),
    cmocka_unit_test(full_capacity_waives_the_predecessor_and_keeps_the_replacement_full_R_S1_R_S2),
    cmocka_unit_test(svc_is_computed_per_machine_before_the_sysplex_sum_R_S3),
    cmocka_unit_test(replaces_must_name_another_license_of_the_same_family_R_S1),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
