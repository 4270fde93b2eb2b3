/* test_ipla.c - IPLA sub-capacity in-process: Value Units, required vs entitled, IBM-initiated orders (R-I1..R-I8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/ipla.h"
#include "rules/valueunits.h"
#include "tests/support/rulefix.h"

static rulefix fx;

/* MLC parents at 1.00 per MSU so that their lines stay out of the way; the
 * IPLA programs at 250.00 per VU, S&S 50.00 per VU a year. */
static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "DB2,Db2 13,zos,no,13,5,,\n"
  "DB2V12,Db2 12,zos,no,12,5,,\n"
  "FA3,Fault Analyzer V3,zos,no,3,,VUE007,\n"
  "FA4,Fault Analyzer V4,zos,no,4,,VUE007,\n"
  "ADM,DB2 Administration Tool V4,zos,no,4,,VUE007,DB2;DB2V12\n"
  "SM,Session Manager V1,zos,no,1,,VUE007,\n"
  "NOVUE,Tool without exhibit,zos,no,1,,,\n"
  "ORPHAN,Tool without parent,zos,no,1,,VUE007,\n"
  "SMALL,Tool on a closed exhibit,zos,no,1,,VUE099,\n"
  "ZOSE,z/OS.e V1.8,zos,yes,1.8,3,,\n";
static const char *PRICES =
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
  "ZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "ZOS,EWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "ZOSE,EWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "DB2,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "DB2V12,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "FA3,IPLA,license,,,250,,EUR,2024-01-01\n"
  "FA4,IPLA,license,,,250,,EUR,2024-01-01\n"
  "ADM,IPLA,license,,,250,,EUR,2024-01-01\n"
  "SM,IPLA,license,,,250,,EUR,2024-01-01\n"
  "SM,IPLA,ss,,,50,,EUR,2024-01-01\n"
  "FA4,IPLA,ss,,,50,,EUR,2024-01-01\n"
  "NOVUE,IPLA,license,,,250,,EUR,2024-01-01\n"
  "ORPHAN,IPLA,license,,,250,,EUR,2024-01-01\n"
  "SMALL,IPLA,license,,,250,,EUR,2024-01-01\n";
/* the exhibit of the sample, graduated: 1-3 @ 1.0, 4-45 @ 0.45, 46-175 @ 0.36, 176-315 @ 0.27, 316+ @ 0.2 */
static const char *VUS =
  "vue,from_msu,to_msu,vu_per_msu\n"
  "VUE007,1,3,1.0\nVUE007,4,45,0.45\nVUE007,46,175,0.36\nVUE007,176,315,0.27\nVUE007,316,,0.2\n"
  "VUE099,1,50,1.0\n";

/* The input set with licenses.csv's header `licenses_hdr` (NULL: RULEFIX_LICENSES_HDR). */
static void base_set_hdr(const char *machines, const char *licenses_hdr, const char *licenses, const char *support)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "ipla",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .value_units = VUS,
                       .machines = machines,
                       .licenses_hdr = licenses_hdr,
                       .licenses = licenses,
                       .support = support,
                     });
}

static void base_set(const char *machines, const char *licenses, const char *support)
{
  base_set_hdr(machines, NULL, licenses, support);
}

/* licenses.csv with the optional sales_channel column (R-M4) */
#define LIC_HDR_CHANNEL RULEFIX_LICENSES_COLS ",sales_channel\n"

/* An SCRT report of the period 2 Sep .. 1 Oct 2026 (drives November), received on `received`. */
static void add_report(const char *serial, long rated, const char *rows, const char *received)
{
  rulefix_add_report(&fx, &(rulefix_report){.serial = serial, .rated = rated, .e5 = rows, .cpc = rated,
                                            .received = received});
}

/* Price customer C1 for November 2026 in-process, with an optional history
 * (its states set in the month before). */
static int price_c1_hist(invoice *inv, diag_list *d, const rulefix_state *hist)
{
  rulefix_hist h = rulefix_history(hist);
  return rulefix_price(&fx, month_from_ym(2026, 11), hist ? &h : NULL, 0, inv, d);
}

static int price_c1(invoice *inv, diag_list *d)
{
  return price_c1_hist(inv, d, NULL);
}

#define find_line(inv, pid, ct) rulefix_find_line(inv, pid, ct, NULL, 0)
#define line_of(inv, pid, ct) rulefix_line(inv, pid, ct, NULL, 0)

/* The value of the first step of `rule` on `line` whose detail contains `needle` (NULL: any). */
static const char *step_value(const invoice *inv, int line, const char *rule, const char *needle)
{
  const audit_step *s = rulefix_step(inv, line, rule, needle, 0);
  return s ? rulefix_value(s) : NULL;
}

#define EUR(x) ((money)(x) * MONEY_SCALE)

/* ---- R-I5: the Value Unit conversion itself ---- */

static void value_units_are_graduated_and_rounded_up_R_I5(void **state)
{
  (void)state;
  const vu_tier t[] = {
    {.vue = "VUE007", .from_msu = 1, .to_msu = 3, .vu_per_msu = 10000, .line = 2},
    {.vue = "VUE007", .from_msu = 4, .to_msu = 45, .vu_per_msu = 4500, .line = 3},
    {.vue = "VUE007", .from_msu = 46, .to_msu = 175, .vu_per_msu = 3600, .line = 4},
    {.vue = "VUE007", .from_msu = 176, .to_msu = 315, .vu_per_msu = 2700, .line = 5},
    {.vue = "VUE007", .from_msu = 316, .to_msu = -1, .vu_per_msu = 2000, .line = 6}};
  long vus = -1;
  money exact = -1;
  char detail[256];
  /* zero MSUs: zero VUs */
  assert_int_equal(vu_convert(t, 5, 0, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(vus, 0);
  assert_int_equal(exact, 0);
  /* inside and at the end of the first tier: whole VUs, nothing to round */
  assert_int_equal(vu_convert(t, 5, 1, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(vus, 1);
  assert_int_equal(vu_convert(t, 5, 3, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(vus, 3);
  /* the first MSU of the second tier: 3.45 rounds UP to 4 */
  assert_int_equal(vu_convert(t, 5, 4, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 34500);
  assert_int_equal(vus, 4);
  /* 23 MSUs = 3 + 20 x 0.45 = 12.0000 exactly: stays 12, not 13 */
  assert_int_equal(vu_convert(t, 5, 23, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 120000);
  assert_int_equal(vus, 12);
  /* end of the second tier and the start of the third */
  assert_int_equal(vu_convert(t, 5, 45, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 219000);
  assert_int_equal(vus, 22);
  assert_int_equal(vu_convert(t, 5, 46, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 222600);
  assert_int_equal(vus, 23);
  /* the seed's 100 MSUs (SYSA last month) and 124 MSUs (4 of 12 engines of 372) */
  assert_int_equal(vu_convert(t, 5, 100, &vus, &exact, detail, sizeof(detail)), LB_OK);
  assert_int_equal(exact, 417000);
  assert_int_equal(vus, 42);
  assert_string_equal(detail, "3 x 1.0000 + 42 x 0.4500 + 55 x 0.3600 = 41.7000 VUs");
  assert_int_equal(vu_convert(t, 5, 124, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 503400);
  assert_int_equal(vus, 51);
  /* into the open last tier: 600 MSUs = 3 + 18.9 + 46.8 + 37.8 + 285 x 0.2 = 163.5 -> 164 */
  assert_int_equal(vu_convert(t, 5, 600, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 1635000);
  assert_int_equal(vus, 164);
  /* a closed exhibit cannot convert what lies above it; a negative quantity is refused */
  vus = 7;
  assert_int_equal(vu_convert(t, 4, 316, &vus, &exact, NULL, 0), LB_EINPUT);
  assert_int_equal(vus, 7);
  assert_int_equal(vu_convert(t, 5, -1, &vus, &exact, NULL, 0), LB_EINPUT);
  /* a first tier from 0 counts the same MSUs */
  const vu_tier z[] = {{.vue = "Z", .from_msu = 0, .to_msu = 10, .vu_per_msu = 5000, .line = 2},
                       {.vue = "Z", .from_msu = 11, .to_msu = -1, .vu_per_msu = 2500, .line = 3}};
  assert_int_equal(vu_convert(z, 2, 12, &vus, &exact, NULL, 0), LB_OK);
  assert_int_equal(exact, 55000); /* 10 x 0.5 + 2 x 0.25 */
  assert_int_equal(vus, 6);
}

static void an_exhibit_with_a_gap_or_an_overlap_is_an_input_error_R_I5(void **state)
{
  (void)state;
  catalog cat;
  diag_list d;
  diag_init(&d);
  base_set("", "", NULL);
  /* a defective exhibit does not reject the run: it is marked, and the customers that use it are rejected */
  const vu_tier *t;
  size_t n;
  rulefix_put(&fx, "value_units.csv", "vue,from_msu,to_msu,vu_per_msu\nVUE007,1,3,1.0\nVUE007,5,45,0.45\nVUE007,46,,0.36\n");
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_OK);
  assert_int_equal(catalog_vu_exhibit(&cat, "VUE007", &t, &n), -2);
  assert_string_equal(t->defect, "gap between tiers: previous tier (line 2) ends at 3 MSUs, this one starts at 5 in "
                                 "Value Unit Exhibit VUE007, expected it to start at 4 (R-I5)");
  assert_int_equal(t->defect_line, 3);
  assert_int_equal(t->defect_col, 8); /* from_msu */
  catalog_clear(&cat);
  diag_clear(&d);
  /* an overlap, listed out of order: rows are sorted by from_msu first */
  rulefix_put(&fx, "value_units.csv", "vue,from_msu,to_msu,vu_per_msu\nVUE007,40,,0.45\nVUE007,1,45,1.0\n");
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_OK);
  assert_int_equal(catalog_vu_exhibit(&cat, "VUE007", &t, &n), -2);
  assert_non_null(strstr(t->defect, "overlaps the tier on line 3 of Value Unit Exhibit VUE007"));
  assert_int_equal(t->defect_line, 2);
  catalog_clear(&cat);
  diag_clear(&d);
  /* rows that cannot be read still make the shared file unusable: a tier that ends before it starts, a
   * negative rate */
  rulefix_put(&fx, "value_units.csv", "vue,from_msu,to_msu,vu_per_msu\nA,2,,1.0\nB,5,4,1.0\nC,1,,-0.5\n");
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "to_msu 4 is below from_msu 5"));
  assert_true(rulefix_has_error(&d, "negative vu_per_msu"));
  catalog_clear(&cat);
  diag_clear(&d);
  rulefix_put(&fx, "value_units.csv", "vue,from_msu,to_msu,vu_per_msu\nA,2,,1.0\n");
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_OK);
  assert_int_equal(catalog_vu_exhibit(&cat, "A", &t, &n), -2);
  assert_string_equal(t->defect, "Value Unit Exhibit A starts at 2 MSUs, expected the first tier to start at 0 or 1 "
                                 "(R-I5)");
  catalog_clear(&cat);
  diag_clear(&d);
  /* several exhibits side by side are each contiguous: fine, and found by name */
  rulefix_put(&fx, "value_units.csv", VUS);
  assert_int_equal(catalog_load(&cat, fx.dir, &d), LB_OK);
  assert_int_equal(catalog_vu_exhibit(&cat, "VUE007", &t, &n), 0);
  assert_int_equal(n, 5);
  assert_int_equal(t[4].from_msu, 316);
  assert_int_equal(catalog_vu_exhibit(&cat, "VUE099", &t, &n), 0);
  assert_int_equal(n, 1);
  assert_int_equal(catalog_vu_exhibit(&cat, "VUE000", &t, &n), -1);
  catalog_clear(&cat);
  diag_clear(&d);
  rulefix_drop(&fx);
}

/* ---- R-I1, R-I4, R-I6: execution-based, the seed's Sample Customer One ---- */

/* Machine X: 12 engines rated 372 MSUs; LPAR SYSA has 4 logical engines, so
 * at most (4/12) x 372 = 124 MSUs. Fault Analyzer was acquired for last
 * month's 100 MSUs; this period SYSA (and with it Fault Analyzer) reached 124. */
#define MX "C1,X,2964-712,372,12,,yes,,,,,2024-01\n"
#define ZOS_X "C1,LZ,X,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n"
#define FA_X(entitled, pricing) "C1,LF,X,FA4,IPLA,,2025-01-10,,,ORD-FA,execution," entitled ",,no," pricing "\n"
#define FA_ROW(msus) "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n\"Fault Analyzer\",\"FA4\",\"" msus "\",\"\",\"\",\"\"\n"

/* R-I5: an exhibit with a gap rejects the customer whose IPLA program uses it, at the exhibit's row */
static void a_customer_using_an_exhibit_with_a_gap_is_rejected_R_I5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  rulefix_put(&fx, "value_units.csv", "vue,from_msu,to_msu,vu_per_msu\nVUE007,1,3,1.0\nVUE007,5,45,0.45\nVUE007,46,,0.36\n");
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "gap between tiers: previous tier (line 2) ends at 3 MSUs, this one starts at 5 in "
                                 "Value Unit Exhibit VUE007, expected it to start at 4 (R-I5); IPLA license LF (FA4, "
                                 "licenses.csv line 3) is priced with it");
  assert_int_equal(e->line, 3);
  assert_int_equal(e->col, 8);
  assert_string_equal(e->customer_id, "C1");
  assert_non_null(strstr(e->file, "value_units.csv"));
  invoice_clear(&inv);
  diag_clear(&d);
}


static void execution_based_growth_gives_an_ibm_initiated_order_R_I1_R_I5_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  assert_int_equal(372 * 4 / 12, 124); /* the seed's engine arithmetic */
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  /* required 124 MSUs = 51 VUs, entitled 100 MSUs = 42 VUs: 9 VUs x 250.00 */
  assert_int_equal(l->quantity, 9);
  assert_string_equal(l->unit, "VUs");
  assert_int_equal(l->unit_price, EUR(250));
  assert_int_equal(l->amount, EUR(2250));
  assert_string_equal(l->order_number, "IIO-C1-202611-FA4");
  assert_string_equal(l->serial, "X");
  assert_string_equal(l->type_model, "2964-712");
  assert_string_equal(rulefix_rules(l), "R-W2;R-I1;R-I5;R-I6;R-0.1");
  assert_string_equal(step_value(&inv, l->line, "R-I1", NULL), "124 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I5", NULL), "51 VUs");
  assert_string_equal(step_value(&inv, l->line, "R-I6", "entitled capacity"), "42 VUs");
  assert_string_equal(step_value(&inv, l->line, "R-0.1", NULL), "2250.00");
  /* the ordered VUs are carried into later months */
  assert_int_equal(inv.ncarry, 1);
  assert_string_equal(rulefix_carry_key(&inv, 0), "iio_vu:FA4");
  assert_string_equal(rulefix_state_of(&inv, rulefix_carry_key(&inv, 0)), "9");
  /* R-X1: the order number is on the invoice */
  assert_int_equal(inv.norders, 2);
  assert_string_equal(inv.order_numbers[1], "IIO-C1-202611-FA4");
  /* z/OS AWLC 300 x 1.00 + the order */
  assert_int_equal(inv.subtotal, EUR(300) + EUR(2250));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void no_order_when_entitlement_covers_the_requirement_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* licensed up front for SYSA's maximum potential capacity, 124 MSUs: nothing to order */
  base_set(MX, ZOS_X FA_X("124", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(find_line(&inv, "FA4", "IPLA"));
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(300));
  /* the comparison is in the audit trail at invoice level */
  assert_string_equal(step_value(&inv, 0, "R-I1", NULL), "124 MSUs");
  assert_string_equal(step_value(&inv, 0, "R-I5", NULL), "51 VUs");
  assert_string_equal(step_value(&inv, 0, "R-I6", "entitled capacity"), "51 VUs");
  assert_string_equal(step_value(&inv, 0, "R-I6", "do not exceed"), "no order");
  assert_int_equal(inv.ncarry, 0);
  for(size_t i = 1; i < inv.naudit; i++)
    if(inv.audit[i].line == 0 && inv.audit[i - 1].line == 0)
      assert_int_equal(inv.audit[i].step, inv.audit[i - 1].step + 1);
  invoice_clear(&inv);
  /* a requirement that falls below the entitlement gives no credit either */
  base_set(MX, ZOS_X FA_X("124", "subcap"), NULL);
  add_report("X", 372, FA_ROW("60"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(300));
  assert_string_equal(step_value(&inv, 0, "R-I5", NULL), "28 VUs"); /* 3 + 18.9 + 15 x 0.36 = 27.3 -> 28 */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void earlier_orders_raise_the_entitlement_and_are_not_repeated_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* October's order brought 9 VUs: 42 + 9 = 51 VUs cover 124 MSUs */
  const rulefix_state oct[] = {{"iio_vu:FA4", "9", RULEFIX_MONTH_BEFORE}, {NULL, NULL, 0}};
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1_hist(&inv, &d, oct), 0);
  assert_null(find_line(&inv, "FA4", "IPLA"));
  assert_int_equal(inv.subtotal, EUR(300));
  assert_string_equal(step_value(&inv, 0, "R-I6", "entitled capacity"), "51 VUs");
  invoice_clear(&inv);
  /* only 5 VUs ordered before: 4 more now, and the total carried is 9 */
  const rulefix_state few[] = {{"iio_vu:FA4", "5", RULEFIX_MONTH_BEFORE}, {NULL, NULL, 0}};
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1_hist(&inv, &d, few), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 4);
  assert_int_equal(l->amount, EUR(1000));
  assert_string_equal(rulefix_state_of(&inv, rulefix_carry_key(&inv, 0)), "9");
  invoice_clear(&inv);
  diag_clear(&d);
  /* an unreadable ledger value is an error, not a zero: the ledger refuses it before pricing
   * (tests/ledger: a_damaged_carried_value_stops_the_run_not_a_guess) */
}

/* R-W3 with R-I4: the machine's first SCRT report, on time, is processed before the month it drives is
 * invoiced, so the IBM-initiated order of November comes from the reported MSUs: 124 MSUs = 51 VUs, less the
 * 42 entitled = 9 VUs x 250.00 = 2,250.00, not 76 VUs (19,000.00) from the machine's 372 MSUs. */
static void the_first_report_month_orders_from_the_reported_msus_R_W3_R_I4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,X,2964-712,372,12,,yes,,,,,\n", ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 9);
  assert_int_equal(l->amount, EUR(2250));
  assert_string_equal(step_value(&inv, l->line, "R-I1", NULL), "124 MSUs");
  assert_null(rulefix_step(&inv, l->line, "R-I4", NULL, 0));
  assert_non_null(rulefix_step(&inv, l->line, "R-W3", "first SCRT report", 0));
  assert_int_equal(line_of(&inv, "ZOS", "AWLC")->quantity, 300);
  assert_string_equal(rulefix_state_of(&inv, "subcap_start:X"), "2026-11");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void full_capacity_where_subcap_is_not_in_effect_R_I4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* report received on the 12th without extension (R-T2): the whole machine, 372 MSUs =
   * 3 + 18.9 + 46.8 + 37.8 + 57 x 0.2 = 117.9 -> 118 VUs; 118 - 42 = 76 VUs x 250.00 */
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-12");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 76);
  assert_int_equal(l->amount, EUR(19000));
  assert_string_equal(step_value(&inv, l->line, "R-I4", NULL), "372 MSUs");
  assert_non_null(strstr(rulefix_rules(l), "R-I4"));
  assert_non_null(strstr(rulefix_rules(l), "R-T2"));
  invoice_clear(&inv);
  /* sub-capacity terms not elected on the IPLA license (pricing full): full capacity too */
  base_set(MX, ZOS_X FA_X("100", "full"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 76);
  assert_int_equal(l->amount, EUR(19000));
  assert_non_null(strstr(step_value(&inv, l->line, "R-I4", NULL), "372"));
  invoice_clear(&inv);
  /* an unrated machine has no Full Capacity MSUs to count: an error, not a guess */
  base_set("C1,X,2964-712,,12,,yes,,,,,2024-01\n", ZOS_X FA_X("100", "full"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "has no full_capacity_msu but IPLA license LF (FA4) counts its Full Capacity MSUs, "
                            "expected the machine's rated MSUs (R-I4)"));
  invoice_clear(&inv);
  diag_clear(&d);
  /* ... nor when the machine lost sub-capacity: late report, unrated machine */
  base_set("C1,X,2964-712,,12,,yes,,,,,2024-01\n", ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-12");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "machine X has no full_capacity_msu but license LZ must be charged at Full Capacity"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-I1, 004: the required capacity of an execution-based program is "the capacity of the LPAR(s) where the
 * zSeries IPLA program executes", as the report shows. A program the report does not list did not execute: it
 * requires nothing there. R-W5's minimum MSUs is an MLC rule; FA4 has no min_msu, which used to reject the
 * customer. No order, and the invoice goes out. */
static void an_execution_based_program_not_on_the_report_requires_nothing_R_I1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(d.n, 0);
  assert_null(find_line(&inv, "FA4", "IPLA"));
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(300)); /* z/OS 300 x 1.00, nothing for Fault Analyzer */
  const audit_step *st = rulefix_step(&inv, 0, "R-I1", "did not execute", 0);
  assert_non_null(st);
  assert_string_equal(rulefix_value(st), "0 MSUs");
  assert_non_null(strstr(st->detail, "not on SCRT report scrt/x.csv"));
  assert_non_null(strstr(st->detail, "the invoice goes out"));
  assert_string_equal(step_value(&inv, 0, "R-I5", NULL), "0 VUs");
  assert_string_equal(step_value(&inv, 0, "R-I6", "do not exceed"), "no order");
  assert_null(rulefix_step(&inv, 0, "R-W5", NULL, 0));
  assert_int_equal(inv.nnotices, 0);
  invoice_clear(&inv);
  /* licensed on X and on Y, it ran only on Y (124 MSUs): 124 MSUs = 51 VUs, entitled 100 MSUs = 42 VUs:
   * 9 VUs x 250.00 = 2,250.00, on an order that names Y alone */
  base_set(MX "C1,Y,2964-712,372,12,,yes,,,,,2024-01\n",
           ZOS_X "C1,LZY,Y,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n" FA_X("100", "subcap")
                 "C1,LFY,Y,FA4,IPLA,,2025-01-10,,,ORD-FA,execution,0,,no,subcap\n",
           NULL);
  add_report("X", 372, "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n", "2026-10-05");
  add_report("Y", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 9);
  assert_int_equal(l->amount, EUR(2250));
  assert_string_equal(l->serial, "Y");
  assert_string_equal(step_value(&inv, l->line, "R-I1", "did not execute"), "0 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I1", "LFY"), "124 MSUs");
  invoice_clear(&inv);
  /* without sub-capacity on the machine (report received on the 12th, R-T2) the report does not decide:
   * the whole machine counts (R-I4), 372 MSUs = 118 VUs, 76 VUs ordered */
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  add_report("X", 372, "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n", "2026-10-12");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 76);
  assert_int_equal(l->amount, EUR(19000));
  assert_string_equal(step_value(&inv, l->line, "R-I4", NULL), "372 MSUs");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-I2: reference-based, the seed's Sample Customer Two ---- */

/* New York sysplex NY1+NY2, standalone Dallas DAL, European sysplex EU1+EU2. */
#define M_REF                                                                                                       \
  "C1,NY1,3931-609,900,9,NYPLEX,yes,,,,,2024-01\nC1,NY2,3931-607,700,7,NYPLEX,yes,,,,,2024-01\n"                    \
  "C1,DAL,3931-605,500,5,,yes,,,,,2024-01\nC1,EU1,3931-605,500,5,EUPLEX,yes,,,,,2024-01\n"                          \
  "C1,EU2,3931-605,500,5,EUPLEX,yes,,,,,2024-01\n"
#define L_REF                                                                                                       \
  "C1,Z1,NY1,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D1,NY1,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"                \
  "C1,Z2,NY2,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D2,NY2,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"                \
  "C1,Z3,DAL,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D3,DAL,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"                \
  "C1,Z4,EU1,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D4,EU1,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"                \
  "C1,Z5,EU2,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D5,EU2,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
#define ROWS(zos, db2) "\"z/OS\",\"ZOS\",\"" zos "\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"" db2 "\",\"\",\"\",\"\"\n"

static void ref_reports(const char *dal_received)
{
  add_report("NY1", 900, ROWS("300", "120"), "2026-10-05");
  add_report("NY2", 700, ROWS("200", "80"), "2026-10-05");
  add_report("DAL", 500, ROWS("100", "50"), dal_received);
  add_report("EU1", 500, ROWS("400", "300"), "2026-10-05");
  add_report("EU2", 500, ROWS("400", "300"), "2026-10-05");
}

static void reference_based_follows_the_parent_over_sysplex_and_standalone_R_I2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* the Administration Tool adds value to Db2 in New York (licensed on NY1, the
   * whole sysplex counts) and in Dallas; not in Europe */
  base_set(M_REF, L_REF "C1,A1,NY1,ADM,IPLA,,2025-01-01,,,ORD-A,reference,150,,no,subcap\n"
                        "C1,A2,DAL,ADM,IPLA,,2025-01-01,,,ORD-A,reference,50,,no,subcap\n",
           NULL);
  ref_reports("2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "ADM", "IPLA");
  /* required 120 + 80 + 50 = 250 MSUs = 3 + 18.9 + 46.8 + 75 x 0.27 = 88.95 -> 89 VUs;
   * entitled 200 MSUs = 3 + 18.9 + 46.8 + 25 x 0.27 = 75.45 -> 76 VUs: 13 VUs x 250.00 */
  assert_int_equal(l->quantity, 13);
  assert_int_equal(l->amount, EUR(3250));
  assert_string_equal(l->serial, "NY1+NY2+DAL");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "summed over qualified sysplex NYPLEX"), "200 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "on DAL"), "50 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I5", NULL), "89 VUs");
  assert_string_equal(step_value(&inv, l->line, "R-I6", "entitled"), "76 VUs");
  assert_null(step_value(&inv, l->line, "R-I2", "EU1"));
  invoice_clear(&inv);
  /* a second license in the same sysplex does not count the sysplex twice */
  base_set(M_REF, L_REF "C1,A1,NY1,ADM,IPLA,,2025-01-01,,,ORD-A,reference,150,,no,subcap\n"
                        "C1,A3,NY2,ADM,IPLA,,2025-01-01,,,ORD-A,reference,0,,no,subcap\n"
                        "C1,A2,DAL,ADM,IPLA,,2025-01-01,,,ORD-A,reference,50,,no,subcap\n",
           NULL);
  ref_reports("2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "ADM", "IPLA");
  assert_int_equal(l->quantity, 13);
  assert_int_equal(l->amount, EUR(3250));
  invoice_clear(&inv);
  /* Dallas's report late (R-T2): Db2 there is billed at the machine's 500 MSUs, and so
   * is the tool (R-I4, for the parent): 200 + 500 = 700 MSUs =
   * 3 + 18.9 + 46.8 + 37.8 + 385 x 0.2 = 183.5 -> 184 VUs; 184 - 76 = 108 VUs */
  base_set(M_REF, L_REF "C1,A1,NY1,ADM,IPLA,,2025-01-01,,,ORD-A,reference,150,,no,subcap\n"
                        "C1,A2,DAL,ADM,IPLA,,2025-01-01,,,ORD-A,reference,50,,no,subcap\n",
           NULL);
  ref_reports("2026-10-20");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "ADM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I4", "DAL"), "500 MSUs");
  assert_int_equal(l->quantity, 108);
  assert_int_equal(l->amount, EUR(27000));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void several_parent_versions_are_capped_at_zos_on_each_machine_R_I2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* Dallas (standalone) runs Db2 13 (50) and Db2 12 (40): 90 MSUs together, capped at z/OS's 70 */
  base_set("C1,DAL,3931-605,500,5,,yes,,,,,2024-01\n",
           "C1,Z3,DAL,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D3,DAL,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,D6,DAL,DB2V12,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A2,DAL,ADM,IPLA,,2025-01-01,,,ORD-A,reference,23,,no,subcap\n",
           NULL);
  add_report("DAL", 500, "\"z/OS\",\"ZOS\",\"70\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"50\",\"\",\"\",\"\"\n"
                         "\"Db2 12\",\"DB2V12\",\"40\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "ADM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "capped at the z/OS MSUs"), "70 MSUs");
  /* 70 MSUs = 3 + 18.9 + 25 x 0.36 = 30.9 -> 31 VUs; entitled 23 MSUs = 12 VUs: 19 VUs */
  assert_int_equal(l->quantity, 19);
  assert_int_equal(l->amount, EUR(4750));
  invoice_clear(&inv);
  /* below the cap the versions are simply summed: z/OS 100 */
  base_set("C1,DAL,3931-605,500,5,,yes,,,,,2024-01\n",
           "C1,Z3,DAL,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D3,DAL,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,D6,DAL,DB2V12,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A2,DAL,ADM,IPLA,,2025-01-01,,,ORD-A,reference,23,,no,subcap\n",
           NULL);
  add_report("DAL", 500, "\"z/OS\",\"ZOS\",\"100\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"50\",\"\",\"\",\"\"\n"
                         "\"Db2 12\",\"DB2V12\",\"40\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "ADM", "IPLA");
  /* 90 MSUs = 3 + 18.9 + 45 x 0.36 = 38.1 -> 39 VUs; 39 - 12 = 27 VUs */
  assert_string_equal(step_value(&inv, l->line, "R-I2", "capped"), "90 MSUs");
  assert_int_equal(l->quantity, 27);
  assert_int_equal(l->amount, EUR(6750));
  invoice_clear(&inv);
  /* in a sysplex the cap applies because the environment has several versions (002 §5.16.15 2.(d)),
   * and it is "performed separately on each mainframe" (004): A runs Db2 12 (60) and 13 (50), 110 MSUs
   * capped at A's z/OS 80; B runs Db2 13 (30) under its z/OS 100: 80 + 30 = 110 MSUs
   * = 3 + 18.9 + 65 x 0.36 = 45.3 -> 46 VUs; 46 - 12 = 34 VUs x 250.00 = 8,500.00.
   * (Capped over the environment, as licbill did before, it was 140 MSUs, under the sysplex's z/OS 180:
   * 57 VUs, 45 ordered, 11,250.00.) */
  base_set("C1,A,3931-605,500,5,PLX,yes,,,,,2024-01\nC1,B,3931-605,500,5,PLX,yes,,,,,2024-01\n",
           "C1,ZA,A,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,DA,A,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,DA12,A,DB2V12,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,ZB,B,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,DB,B,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A2,A,ADM,IPLA,,2025-01-01,,,ORD-A,reference,23,,no,subcap\n",
           NULL);
  add_report("A", 500, "\"z/OS\",\"ZOS\",\"80\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"50\",\"\",\"\",\"\"\n"
                       "\"Db2 12\",\"DB2V12\",\"60\",\"\",\"\",\"\"\n", "2026-10-05");
  add_report("B", 500, "\"z/OS\",\"ZOS\",\"100\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"30\",\"\",\"\",\"\"\n",
             "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "ADM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "on machine A the parent's 110 MSUs are capped"), "80 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "on machine B the parent's 30 MSUs are capped"), "30 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "summed over qualified sysplex PLX"), "110 MSUs");
  assert_string_equal(l->serial, "A+B");
  assert_int_equal(l->quantity, 34);
  assert_int_equal(l->amount, EUR(8500));
  invoice_clear(&inv);
  /* when both machines run more than their z/OS, each is capped: A 60 + 50 at 80, B 40 + 30 at 50:
   * 130 MSUs = 3 + 18.9 + 85 x 0.36 = 52.5 -> 53 VUs; 53 - 12 = 41 VUs */
  base_set("C1,A,3931-605,500,5,PLX,yes,,,,,2024-01\nC1,B,3931-605,500,5,PLX,yes,,,,,2024-01\n",
           "C1,ZA,A,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,DA,A,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,DA12,A,DB2V12,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,ZB,B,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,DB,B,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,DB12,B,DB2V12,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A2,A,ADM,IPLA,,2025-01-01,,,ORD-A,reference,23,,no,subcap\n",
           NULL);
  add_report("A", 500, "\"z/OS\",\"ZOS\",\"80\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"50\",\"\",\"\",\"\"\n"
                       "\"Db2 12\",\"DB2V12\",\"60\",\"\",\"\",\"\"\n", "2026-10-05");
  add_report("B", 500, "\"z/OS\",\"ZOS\",\"50\",\"\",\"\",\"\"\n\"Db2\",\"DB2\",\"30\",\"\",\"\",\"\"\n"
                       "\"Db2 12\",\"DB2V12\",\"40\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "ADM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "on machine A"), "80 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "on machine B"), "50 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I2", "summed over qualified sysplex PLX"), "130 MSUs");
  assert_int_equal(l->quantity, 41);
  assert_int_equal(l->amount, EUR(10250));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_reference_based_program_without_its_parent_is_an_error_R_I2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* the tool is licensed in Europe, but Db2 runs only in New York */
  base_set("C1,NY1,3931-609,900,9,,yes,,,,,2024-01\nC1,EU1,3931-605,500,5,,yes,,,,,2024-01\n",
           "C1,Z1,NY1,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,D1,NY1,DB2,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,Z4,EU1,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A1,EU1,ADM,IPLA,,2025-01-01,,,ORD-A,reference,150,,no,subcap\n",
           NULL);
  add_report("NY1", 900, ROWS("300", "120"), "2026-10-05");
  add_report("EU1", 500, "\"z/OS\",\"ZOS\",\"400\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "reference-based ADM (A1) adds value to its parent DB2;DB2V12, but the parent is "
                                 "not licensed and billable this month in its environment EU1, expected a license "
                                 "of the parent there (R-I2)");
  assert_int_equal(e->line, 5);
  assert_int_equal(e->col, 11); /* the product_id cell of licenses.csv line 5 */
  assert_string_equal(e->customer_id, "C1");
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  diag_clear(&d);
  /* a reference-based product that names no parent at all */
  base_set("C1,NY1,3931-609,900,9,,yes,,,,,2024-01\n",
           "C1,Z1,NY1,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,A1,NY1,ORPHAN,IPLA,,2025-01-01,,,ORD-A,reference,150,,no,subcap\n",
           NULL);
  add_report("NY1", 900, ROWS("300", "120"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "reference-based ORPHAN has no parent_product in products.csv (line 10), expected the "
                            "MLC program it adds value to (R-I2)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-I3 and R-I7: z/OS-based, the seed's Sample Customer Three, with S&S ---- */

#define M_XYZ                                                                                                        \
  "C1,X,3931-609,900,9,,yes,,,,,2024-01\nC1,Y,3931-607,700,7,,yes,,,,,2024-01\nC1,Z,3931-605,500,5,,yes,,,,,2024-01\n"
#define L_XYZ                                                                                                        \
  "C1,ZX,X,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,ZY,Y,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"                     \
  "C1,ZZ,Z,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"                                                                 \
  "C1,S1,X,SM,IPLA,,2025-03-01,,,ORD-S,zos,500,,no,subcap\nC1,S2,Y,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n" \
  "C1,S3,Z,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n"
#define Z_ROW(msus) "\"z/OS\",\"ZOS\",\"" msus "\",\"\",\"\",\"\"\n"

/* R-M4 with R-I6/R-I7: Secure Support raises the IBM-initiated order and its first-year S&S by 2.2 %, each as a
 * line of its own after the line it raises, only while S&S is active, and only on a license sold via Passport
 * Advantage (002 §5.15.14 2.1: an uplift "to the Passport Advantage product price or Passport Advantage software
 * subscription and support price") */
static void secure_support_raises_the_order_and_its_ss_by_2_2_percent_R_M4_R_I6_R_I7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  static const char *const L_XYZ_SECURE =
    "C1,ZX,X,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap,\nC1,ZY,Y,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap,\n"
    "C1,ZZ,Z,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap,\n"
    "C1,S1,X,SM,IPLA,,2025-03-01,,,ORD-S,zos,500,,yes,subcap,passport_advantage\n"
    "C1,S2,Y,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap,\n"
    "C1,S3,Z,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap,\n";
  base_set_hdr(M_XYZ, LIC_HDR_CHANNEL, L_XYZ_SECURE, "C1,S1,2026-03-01,2027-02-28,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *o = line_of(&inv, "SM", "IPLA");
  assert_int_equal(o->amount, EUR(5000));
  /* 2.2 % of 5,000.00 = 110.00, on the line after the order */
  const charge_line *u1 = &inv.lines[o->line];
  assert_string_equal(u1->unit, "uplift");
  assert_string_equal(line_charge_type(u1), "IPLA");
  assert_int_equal(u1->amount, EUR(110));
  assert_string_equal(rulefix_rules(u1), "R-M4;R-0.2");
  assert_string_equal(u1->order_number, "IIO-C1-202611-SM");
  /* then the S&S of 328.77 and its 2.2 %: 7.23294 -> 7.23 */
  const charge_line *s = &inv.lines[o->line + 1];
  assert_string_equal(line_charge_type(s), "SS");
  assert_int_equal(s->amount, 3287700);
  const charge_line *u2 = &inv.lines[o->line + 2];
  assert_string_equal(u2->unit, "uplift");
  assert_string_equal(line_charge_type(u2), "SS");
  assert_int_equal(u2->amount, 72300);
  assert_true(rulefix_has_step(&inv, u2->line, "R-M4"));
  invoice_clear(&inv);
  /* no S&S in effect: no R-I7 line and no uplift, though secure_support is yes */
  base_set_hdr(M_XYZ, LIC_HDR_CHANNEL, L_XYZ_SECURE, "C1,S1,2025-03-01,2026-02-28,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 4); /* three z/OS lines and the order */
  assert_null(rulefix_find_line(&inv, "SM", "IPLA", "uplift", 0));
  invoice_clear(&inv);
  /* the same license bought outside Passport Advantage (no sales_channel): an error at its secure_support
   * cell, not a silent skip nor an uplift on a price the seed does not name */
  base_set(M_XYZ,
           "C1,ZX,X,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,ZY,Y,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,ZZ,Z,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,S1,X,SM,IPLA,,2025-03-01,,,ORD-S,zos,500,,yes,subcap\n"
           "C1,S2,Y,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\nC1,S3,Z,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n",
           "C1,S1,2026-03-01,2027-02-28,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  rulefix_expect_error(&d, "licenses.csv", 5, 46, "license S1 (SM) has secure_support=yes, but it was not sold via "
                       "Passport Advantage (sales_channel direct)");
  assert_int_equal(inv.nlines, 0);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* The input set of a machine with its own machines.csv (header included). */
static void zose_set(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){.tag = "ipla", .products = PRODUCTS, .prices = PRICES, .value_units = VUS,
                                    .machines_hdr = "", .machines = machines, .licenses = licenses});
}

/* R-I3, 004: "the required license capacity of a zSeries IPLA program must equal the license capacity of z/OS
 * (and z/OS.e) on the machine(s) where the zSeries IPLA program executes": both operating systems of a machine
 * split into a z/OS.e and another logical model count, never more than the machine's full capacity. */
static void zos_based_counts_zos_and_zose_of_the_machine_R_I3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* a 58-MSU machine runs z/OS (30 MSUs) and z/OS.e (20): 50 MSUs = 3 + 18.9 + 5 x 0.36 = 23.7 -> 24 VUs;
   * entitled 40 MSUs = 3 + 37 x 0.45 = 19.65 -> 20 VUs: 4 VUs x 250.00 = 1,000.00. (Counting only the
   * first z/OS license, as licbill did, 30 MSUs = 15.15 -> 16 VUs: no order.) */
  /* one of its 4 engines runs the z/OS.e logical model (R-W14) */
  static const char *const M_E = RULEFIX_MACHINES_HDR_DATED "C1,E,2086-A04,58,4,,no,,,,,2024-01,1,,\n";
  static const char *const L_E = "C1,ZE,E,ZOS,EWLC,,2019-01-01,,,,,,,no,subcap\n"
                                 "C1,ZEE,E,ZOSE,EWLC,,2019-01-01,,,,,,,no,subcap\n"
                                 "C1,SE,E,SM,IPLA,,2025-03-01,,,ORD-S,zos,40,,no,subcap\n";
  zose_set(M_E, L_E);
  add_report("E", 58, "\"z/OS\",\"ZOS\",\"30\",\"\",\"\",\"\"\n\"z/OS.e\",\"ZOSE\",\"20\",\"\",\"\",\"\"\n",
             "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "SM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I3", "ZOS (ZE) 30 + ZOSE (ZEE) 20 = 50"), "50 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I3", "the z/OS MSUs of the machine (ZOS, ZE; ZOSE, ZEE)"),
                      "50 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I5", NULL), "24 VUs");
  assert_int_equal(l->quantity, 4);
  assert_int_equal(l->amount, EUR(1000));
  assert_string_equal(rulefix_rules(l), "R-W2;R-I3;R-I5;R-I6;R-0.1");
  invoice_clear(&inv);
  /* z/OS 45 and z/OS.e 25 peak at different times: 70 MSUs taken apart, more than the machine's 58, so 58
   * (as EWLC reduces them to fit, R-W13) = 3 + 18.9 + 13 x 0.36 = 26.58 -> 27 VUs; 27 - 20 = 7 VUs = 1,750.00 */
  zose_set(M_E, L_E);
  add_report("E", 58, "\"z/OS\",\"ZOS\",\"45\",\"\",\"\",\"\"\n\"z/OS.e\",\"ZOSE\",\"25\",\"\",\"\",\"\"\n",
             "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  l = line_of(&inv, "SM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I3", "70 MSUs together exceed the machine's Full Capacity"),
                      "58 MSUs");
  assert_int_equal(l->quantity, 7);
  assert_int_equal(l->amount, EUR(1750));
  invoice_clear(&inv);
  assert_int_equal(d.n, 0);
  diag_clear(&d);
}

/* 002 §5.16.15 brings the WLC and EWLC report terms to IPLA programs, and both say "Sub-Capacity Reports may
 * not be used to order or discontinue licenses" (§5.16.12 3.4, §5.16.13 (iii)(d)): an IPLA program a report
 * shows running without a license is a notice naming the report row, and an audit step, never a charge. */
static void an_ipla_row_without_a_license_is_a_notice_not_a_charge_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* X runs Fault Analyzer (an IPLA product of the catalog: it has a Value Unit Exhibit) in the plain table,
   * an unknown product in a table whose header says IPLA, a non-MSU IPLA product, and an unknown product in
   * the plain table (neither IPLA by its table nor by the catalog: not for this rule) */
  base_set(MX, ZOS_X, NULL);
  add_report("X", 372,
             "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n"                                     /* line 10 */
             "\"Fault Analyzer\",\"FA4\",\"124\",\"\",\"\",\"\"\n"                           /* 11 */
             "\"Unknown MLC\",\"5655-MLC\",\"50\",\"\",\"\",\"\"\n"                          /* 12 */
             "\"IPLA Product Name\",\"IPLA Product ID\",\"Tool MSUs\",\"Customer MSUs\",\"Customer Comments\","
             "\"Footnotes\"\n"                                                                        /* 13 */
             "\"File Manager\",\"5655-L26\",\"90\",\"\",\"\",\"\"\n"                          /* 14 */
             "\"IPLA Product Name - non-MSU based\",\"IPLA Product ID\",\"Tool Units\",\"Customer Units\","
             "\"Customer Comments\",\"Footnotes\"\n"                                                /* 15 */
             "\"Container Hosting\",\"5655-HZ1\",\"1\",\"\",\"\",\"(n2)\"\n",                  /* 16 */
             "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(d.n, 0);
  assert_int_equal(inv.nlines, 1);
  assert_int_equal(inv.subtotal, EUR(300)); /* z/OS only: nothing ordered, nothing billed for them */
  assert_int_equal(inv.nnotices, 4);
  assert_string_equal(inv.notices[0].reason,
                      "FA4 on SCRT report scrt/x.csv line 11 (124 MSUs) has no license for customer C1: "
                      "not billed, a Sub-Capacity Report may not be used to order a license (002 §5.16.15, "
                      "§5.16.12 3.4) (R-I6)");
  assert_string_equal(inv.notices[0].serial, "X");
  assert_string_equal(rule_id_text(inv.notices[0].rule), "R-I6");
  assert_int_equal(inv.notices[0].has_compared, 0);
  assert_non_null(strstr(inv.notices[1].reason, "5655-L26 on SCRT report scrt/x.csv line 14 (90 MSUs) "
                                                 "has no license for customer C1: not billed"));
  assert_non_null(strstr(inv.notices[2].reason, "5655-HZ1 on SCRT report scrt/x.csv line 16 (1 unit) "
                                                 "has no license for customer C1: not billed"));
  /* the MLC row nobody licensed is R-W19's notice, after the IPLA ones */
  assert_string_equal(rule_id_text(inv.notices[3].rule), "R-W19");
  assert_non_null(strstr(inv.notices[3].reason, "5655-MLC on SCRT report scrt/x.csv line 12 (50 MSUs) "
                                                 "has no license for customer C1: not billed"));
  const audit_step *st = rulefix_step(&inv, 0, "R-I6", "FA4 (124 MSUs) on machine X has no license", 0);
  assert_non_null(st);
  assert_string_equal(rulefix_value(st), "not billed");
  assert_int_equal(st->refs[0].kind, SRC_SCRT);
  assert_int_equal(st->refs[0].line, 11);
  assert_null(rulefix_step(&inv, 0, "R-I6", "5655-MLC", 0));
  invoice_clear(&inv);
  /* licensed on X, it also runs on Y where no license of it is: not counted (open question 23), but said */
  base_set(MX "C1,Y,2964-712,372,12,,yes,,,,,2024-01\n",
           ZOS_X "C1,LZY,Y,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n" FA_X("124", "subcap"), NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  add_report("Y", 372, FA_ROW("60"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(find_line(&inv, "FA4", "IPLA")); /* 124 MSUs on X, entitled 124 */
  assert_int_equal(inv.nnotices, 1);
  assert_string_equal(inv.notices[0].reason,
                      "FA4 on SCRT report scrt/x.csv line 11 (60 MSUs) has no license for customer C1: not "
                      "counted in its required capacity on machine Y, license LF is on machine X (R-I1)");
  assert_string_equal(step_value(&inv, 0, "R-I1", "where customer C1 has no license of it"), "not counted");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void zos_based_sums_the_zos_msus_and_adds_prorated_ss_R_I3_R_I7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* S&S on Session Manager for the year 1 Mar 2026 .. 28 Feb 2027 */
  base_set(M_XYZ, L_XYZ, "C1,S1,2026-03-01,2027-02-28,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "SM", "IPLA");
  /* 300 + 200 + 100 = 600 MSUs = 164 VUs; entitled 500 MSUs = 3 + 18.9 + 46.8 + 37.8 + 185 x 0.2
   * = 143.5 -> 144 VUs: 20 VUs x 250.00 = 5,000.00 */
  assert_int_equal(l->quantity, 20);
  assert_int_equal(l->amount, EUR(5000));
  assert_string_equal(l->serial, "X+Y+Z");
  assert_string_equal(step_value(&inv, l->line, "R-I3", "on Y"), "200 MSUs");
  assert_string_equal(step_value(&inv, l->line, "R-I5", NULL), "164 VUs");
  /* R-I7: S&S for the 20 new VUs, 50.00 each a year = 1,000.00, from 1 Nov 2026 to the
   * anniversary 1 Mar 2027: 30 + 31 + 31 + 28 = 120 of 365 days = 328.767... -> 328.77 */
  const charge_line *s = line_of(&inv, "SM", "SS");
  assert_int_equal(s->line, l->line + 1);
  assert_int_equal(s->quantity, 20);
  assert_int_equal(s->unit_price, EUR(50));
  assert_int_equal(s->amount, 3287700);
  assert_string_equal(s->order_number, "IIO-C1-202611-SM");
  assert_string_equal(rulefix_rules(s), "R-I7;R-M6;R-0.1");
  assert_string_equal(step_value(&inv, s->line, "R-I7", NULL), "20 VUs");
  assert_string_equal(step_value(&inv, s->line, "R-M6", NULL), "328.77");
  assert_non_null(strstr(s->note, "120/365 days"));
  invoice_clear(&inv);
  /* S&S that lapsed before the order date adds nothing */
  base_set(M_XYZ, L_XYZ, "C1,S1,2025-03-01,2026-02-28,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "SM", "IPLA")->amount, EUR(5000));
  assert_null(find_line(&inv, "SM", "SS"));
  invoice_clear(&inv);
  /* the order date on the support year's last day: one day of 365 */
  base_set(M_XYZ, L_XYZ, "C1,S1,2025-11-02,2026-11-01,7200.00,,SS\n");
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "SM", "SS")->amount, 27400); /* 1000 / 365 = 2.7397 -> 2.74 */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void zos_based_on_a_machine_without_subcap_counts_full_capacity_R_I3_R_I4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* Z's z/OS is priced at full capacity (no sub-capacity on Z): 500 MSUs there */
  base_set(M_XYZ,
           "C1,ZX,X,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\nC1,ZY,Y,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,ZZ,Z,ZOS,AWLC,,2019-01-01,,,,,,,no,full\n"
           "C1,S1,X,SM,IPLA,,2025-03-01,,,ORD-S,zos,500,,no,subcap\nC1,S2,Y,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n"
           "C1,S3,Z,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n",
           NULL);
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  add_report("Y", 700, Z_ROW("200"), "2026-10-05");
  add_report("Z", 500, Z_ROW("100"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "SM", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I4", "on Z"), "500 MSUs");
  /* 1000 MSUs = 3 + 18.9 + 46.8 + 37.8 + 685 x 0.2 = 243.5 -> 244 VUs; 244 - 144 = 100 VUs */
  assert_int_equal(l->quantity, 100);
  assert_int_equal(l->amount, EUR(25000));
  invoice_clear(&inv);
  /* a z/OS-based program on a machine without z/OS is an error */
  base_set(M_XYZ,
           "C1,ZX,X,ZOS,AWLC,,2019-01-01,,,,,,,no,subcap\n"
           "C1,S1,X,SM,IPLA,,2025-03-01,,,ORD-S,zos,500,,no,subcap\nC1,S2,Y,SM,IPLA,,2025-03-01,,,ORD-S,zos,0,,no,subcap\n",
           NULL);
  add_report("X", 900, Z_ROW("300"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "z/OS-based SM (S2) runs on machine Y, but no z/OS license is charged there this "
                                 "month, expected z/OS licensed to the machine (R-I3)");
  assert_int_equal(e->line, 4);
  assert_int_equal(e->col, 37); /* subcap_terms */
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- R-I8: version grace with S&S ---- */

#define FA3_ROW "C1,L3,X,FA3,IPLA,,2024-01-10,,,ORD-F3,execution,100,,no,subcap\n"
#define FA4_ROW(inst) "C1,L4,X,FA4,IPLA,," inst ",,,ORD-F4,execution,0,L3,no,subcap\n"
#define FA34_REPORT "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n\"FA V3\",\"FA3\",\"100\",\"\",\"\",\"\"\n" \
                    "\"FA V4\",\"FA4\",\"90\",\"\",\"\",\"\"\n"
#define SS_L3 "C1,L3,2026-01-10,2027-01-09,1000.00,,SS\n"

static void versions_may_run_side_by_side_for_six_months_then_combine_R_I8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* V4 installed 2 Apr 2026: grace through 1 Oct 2026, the period's last day: the larger, 100 MSUs */
  base_set(MX, ZOS_X FA3_ROW FA4_ROW("2026-04-02"), SS_L3);
  add_report("X", 372, FA34_REPORT, "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(find_line(&inv, "FA4", "IPLA"));
  assert_null(find_line(&inv, "FA3", "IPLA"));
  assert_string_equal(step_value(&inv, 0, "R-I8", "grace to 2026-10-01"), "100 MSUs");
  /* z/OS 300.00 + November's share of L3's S&S, billed by the maintenance module: 1,000.00 / 12 = 83.33 (R-T9) */
  assert_int_equal(inv.subtotal, EUR(300) + 833300);
  invoice_clear(&inv);
  /* installed 1 Apr 2026: grace ended 30 Sep, before the period's end: 100 + 90 = 190 MSUs
   * = 3 + 18.9 + 46.8 + 15 x 0.27 = 72.75 -> 73 VUs; entitled 100 MSUs = 42 VUs: 31 VUs of V4 */
  base_set(MX, ZOS_X FA3_ROW FA4_ROW("2026-04-01"), SS_L3);
  add_report("X", 372, FA34_REPORT, "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "FA4", "IPLA");
  assert_string_equal(step_value(&inv, l->line, "R-I8", "grace ended 2026-09-30"), "190 MSUs");
  assert_int_equal(l->quantity, 31);
  assert_int_equal(l->amount, EUR(7750));
  assert_string_equal(l->order_number, "IIO-C1-202611-FA4");
  assert_non_null(strstr(rulefix_rules(l), "R-I8"));
  /* and its S&S (on the old version's license), 31 x 50.00 = 1,550.00 for 1 Nov 2026 .. 9 Jan 2027:
   * 70 of 365 days = 297.260... -> 297.26 */
  const charge_line *s = line_of(&inv, "FA4", "SS");
  assert_int_equal(s->amount, 2972600);
  invoice_clear(&inv);
  /* without S&S there is no grace and no shared entitlement: two programs; V4 has no entitlement:
   * 90 MSUs = 39 VUs ordered, V3 is covered */
  base_set(MX, ZOS_X FA3_ROW FA4_ROW("2026-04-02"), NULL);
  add_report("X", 372, FA34_REPORT, "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(find_line(&inv, "FA3", "IPLA"));
  l = line_of(&inv, "FA4", "IPLA");
  assert_int_equal(l->quantity, 39);
  assert_int_equal(l->amount, EUR(9750));
  invoice_clear(&inv);
  /* replaces must name a license */
  base_set(MX, ZOS_X FA3_ROW "C1,L4,X,FA4,IPLA,,2026-04-02,,,ORD-F4,execution,0,L9,no,subcap\n", SS_L3);
  add_report("X", 372, FA34_REPORT, "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "replaces 'L9' is not another license of this customer, expected the license_id of "
                                 "the predecessor program or older version that license L4 replaces (R-S1, R-I8)");
  assert_int_equal(e->line, 4);
  invoice_clear(&inv);
  diag_clear(&d);
}

/* ---- bad inputs: each a clear error for the customer ---- */

static void bad_ipla_rows_are_clear_errors_R_I5_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* a product with no vue; a license without terms; one without entitled_msu */
  base_set(MX, ZOS_X "C1,LN,X,NOVUE,IPLA,,2025-01-10,,,ORD-N,execution,10,,no,subcap\n"
                     "C1,LT,X,FA4,IPLA,,2025-01-10,,,ORD-T,,10,,no,subcap\n"
                     "C1,LE,X,FA3,IPLA,,2025-01-10,,,ORD-E,execution,,,no,subcap\n",
           NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "IPLA product NOVUE has no vue in products.csv (line 9), expected the id of its "
                                 "Value Unit Exhibit in value_units.csv (R-I5)");
  assert_int_equal(e->line, 3);
  assert_int_equal(e->col, 9); /* product_id */
  e = rulefix_error_with(&d, "IPLA license LT (FA4) has no subcap_terms, expected execution, reference or zos");
  assert_int_equal(e->line, 4);
  e = rulefix_error_with(&d, "IPLA license LE (FA3) has no entitled_msu");
  assert_int_equal(e->line, 5);
  assert_int_equal(inv.nlines, 0);
  assert_int_equal(inv.subtotal, 0);
  invoice_clear(&inv);
  diag_clear(&d);
  /* required capacity beyond a closed exhibit cannot be converted */
  base_set(MX, ZOS_X "C1,LS,X,SMALL,IPLA,,2025-01-10,,,ORD-S,execution,10,,no,subcap\n", NULL);
  add_report("X", 372, "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n\"Small\",\"SMALL\",\"60\",\"\",\"\",\"\"\n",
             "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "60 MSUs required for SMALL lie above the last tier of Value Unit Exhibit VUE099"));
  invoice_clear(&inv);
  /* one type of terms per program */
  base_set("C1,X,2964-712,372,12,,no,,,,,2024-01\nC1,Y,2964-712,372,12,,no,,,,,2024-01\n",
           "C1,LZ,X,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,LZ2,Y,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
           "C1,L1,X,FA4,IPLA,,2025-01-10,,,,execution,10,,no,subcap\nC1,L2,Y,FA4,IPLA,,2025-01-10,,,,zos,10,,no,subcap\n",
           NULL);
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  add_report("Y", 372, FA_ROW("24"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "expected one type of sub-capacity terms per program"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* The price per VU is needed only when something is ordered; then it must exist. */
static void an_order_without_a_price_per_value_unit_is_an_error_R_I6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MX, ZOS_X FA_X("100", "subcap"), NULL);
  rulefix_put(&fx, "prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
                    "ZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\nFA4,IPLA,license,,,250,,USD,2024-01-01\n");
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "no price per Value Unit for FA4 IPLA (component 'license') in EUR effective on "
                            "2026-11-01 in prices.csv"));
  invoice_clear(&inv);
  /* with nothing to order the missing price does not matter: 0.00 billed for the program */
  base_set(MX, ZOS_X FA_X("124", "subcap"), NULL);
  rulefix_put(&fx, "prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
                    "ZOS,AWLC,monthly,1,,1,,EUR,2024-01-01\n");
  add_report("X", 372, FA_ROW("124"), "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.subtotal, EUR(300));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* IPLA licenses follow the reporting period, not the MLC month: installed after the
 * period ended (14 Oct) the program is not measured yet, only its entitlement counts. */
static void a_program_installed_after_the_period_is_not_required_yet_R_I1(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MX, ZOS_X "C1,LF,X,FA4,IPLA,,2026-10-14,,,ORD-FA,execution,10,,no,subcap\n", NULL);
  add_report("X", 372, "\"z/OS\",\"ZOS\",\"300\",\"\",\"\",\"\"\n", "2026-10-05");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_null(find_line(&inv, "FA4", "IPLA"));
  assert_string_equal(step_value(&inv, 0, "R-I5", NULL), "0 VUs");
  assert_string_equal(step_value(&inv, 0, "R-I6", "entitled"), "7 VUs"); /* 3 + 7 x 0.45 = 6.15 -> 7 */
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(value_units_are_graduated_and_rounded_up_R_I5),
    cmocka_unit_test(an_exhibit_with_a_gap_or_an_overlap_is_an_input_error_R_I5),
    cmocka_unit_test(a_customer_using_an_exhibit_with_a_gap_is_rejected_R_I5),
    cmocka_unit_test(execution_based_growth_gives_an_ibm_initiated_order_R_I1_R_I5_R_I6),
    cmocka_unit_test(no_order_when_entitlement_covers_the_requirement_R_I6),
    cmocka_unit_test(earlier_orders_raise_the_entitlement_and_are_not_repeated_R_I6),
    cmocka_unit_test(full_capacity_where_subcap_is_not_in_effect_R_I4),
    cmocka_unit_test(an_execution_based_program_not_on_the_report_requires_nothing_R_I1),
    cmocka_unit_test(the_first_report_month_orders_from_the_reported_msus_R_W3_R_I4),
    cmocka_unit_test(reference_based_follows_the_parent_over_sysplex_and_standalone_R_I2),
    cmocka_unit_test(several_parent_versions_are_capped_at_zos_on_each_machine_R_I2),
    cmocka_unit_test(a_reference_based_program_without_its_parent_is_an_error_R_I2),
    cmocka_unit_test(zos_based_sums_the_zos_msus_and_adds_prorated_ss_R_I3_R_I7),
    cmocka_unit_test(secure_support_raises_the_order_and_its_ss_by_2_2_percent_R_M4_R_I6_R_I7),
    cmocka_unit_test(zos_based_counts_zos_and_zose_of_the_machine_R_I3),
    cmocka_unit_test(an_ipla_row_without_a_license_is_a_notice_not_a_charge_R_I6),
    cmocka_unit_test(zos_based_on_a_machine_without_subcap_counts_full_capacity_R_I3_R_I4),
    cmocka_unit_test(versions_may_run_side_by_side_for_six_months_then_combine_R_I8),
    cmocka_unit_test(bad_ipla_rows_are_clear_errors_R_I5_R_I6),
    cmocka_unit_test(an_order_without_a_price_per_value_unit_is_an_error_R_I6),
    cmocka_unit_test(a_program_installed_after_the_period_is_not_required_yet_R_I1),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
