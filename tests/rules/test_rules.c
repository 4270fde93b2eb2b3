/* test_rules.c - the rule modules priced in-process on small input sets written by each test. */
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
  "CICS,CICS TS,zos,no,6,3,,\n"
  "DB2,Db2 13,zos,no,13,5,,\n"
  "DSS,DFSMSdss,zos,no,3,3,,\n"
  "CONN,z/OS Connect,zos,no,3,,,\n"
  "MVS,MVS/ESA,zos,yes,5,3,,\n";
/* every product: 1-3 @ 10, 4-45 @ 5, 46+ @ 1 (AWLC and VWLC alike, rulefix_book); CONN FWLC 500 */
static const char *PRICES =
  RULEFIX_PRICES_HDR
  RULEFIX_TIERED("ZOS", "AWLC") RULEFIX_TIERED("ZOS", "VWLC") RULEFIX_TIERED("CICS", "AWLC")
  RULEFIX_TIERED("CICS", "VWLC") RULEFIX_TIERED("DB2", "AWLC") RULEFIX_TIERED("DSS", "AWLC")
  "MVS,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "CONN,FWLC,monthly,,,,500.005,EUR,2024-01-01\n";

static const char *CUSTOMERS = RULEFIX_CUSTOMERS_HDR "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,monthly,30,2,10,yes\n";

static void base_set(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "rules",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .taxes = "tax_region,tax_name,rate_pct,effective_from\nDE,USt,19,2007-01-01\n"
                                "CA-QC,GST,5,2008-01-01\nCA-QC,QST,9.975,2013-01-01\n",
                       .customers = CUSTOMERS,
                       /* a test may bring its own machines header (optional columns) */
                       .machines_hdr = strncmp(machines, "customer_id", 11) ? NULL : "",
                       .machines = machines,
                       .licenses = licenses,
                     });
}

static void add_report(const char *serial, long rated, const char *rows, long cpc, const char *received, int ext)
{
  rulefix_add_report(&fx, &(rulefix_report){.serial = serial, .rated = rated, .e5 = rows, .cpc = cpc,
                                            .received = received, .extension = ext});
}

/* Price customer C1 for November 2026 in-process. Returns the engine's code. */
static int price_c1(invoice *inv, diag_list *d)
{
  return rulefix_price_nov(&fx, inv, d);
}

#define line_of(inv, pid) rulefix_line(inv, pid, NULL, NULL, 0)
#define book rulefix_book
#define has_step rulefix_has_step
#define has_error rulefix_has_error

#define M1 "C1,M1,3931-609,1200,9,,yes,,,,,2024-01\n"
#define OK_REPORT_M1(rows) add_report("M1", 1200, rows, 412, "2026-10-05", 0)

static void subcap_bills_the_scrt_msus_on_time_R_W2_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"240\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS"), *c = line_of(&inv, "CICS");
  assert_int_equal(z->quantity, 412);
  assert_int_equal(z->amount, rulefix_book(412));
  assert_int_equal(c->quantity, 240);
  assert_int_equal(c->amount, rulefix_book(240));
  assert_true(rulefix_has_step(&inv, z->line, "R-W2"));
  assert_true(rulefix_has_step(&inv, z->line, "R-W1"));
  assert_string_equal(rulefix_rules(z), "R-T4;R-W2;R-W1;R-0.1");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_late_report_without_extension_charges_full_capacity_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n", 412, "2026-10-10", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(rulefix_has_step(&inv, 1, "R-T2"));
  invoice_clear(&inv);
  /* the same report with an extension stays sub-capacity */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n", 412, "2026-10-10", 1);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 412);
  invoice_clear(&inv);
  /* no report at all: full capacity */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void tsad_not_sent_charges_full_capacity_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  char buf[1024];
  snprintf(buf, sizeof(buf), "%s", CUSTOMERS);
  buf[strlen(buf) - 4] = '\0';
  strcat(buf, "no\n");
  rulefix_put(&fx, "customers.csv", buf);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(rulefix_has_step(&inv, 1, "R-T2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-W3: "charged at Full Capacity MSUs until IBM has processed the initial Sub-Capacity Report" (002
 * §5.16.12 3.b). A machine without a start whose report for the period driving November came on time has
 * that report processed before November is invoiced: November is billed on its 412 MSUs, not on the
 * machine's 1,200, says so in an R-W3 step and records November as the start. */
static void the_month_the_first_on_time_report_drives_is_billed_on_it_R_W3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                                              "C1,L2,M1,CICS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"240\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS"), *c = line_of(&inv, "CICS");
  assert_int_equal(z->quantity, 412);
  assert_int_equal(z->amount, rulefix_book(412)); /* 3 x 10 + 42 x 5 + 367 x 1 = 607.00, not 1,365.00 */
  assert_int_equal(z->amount, 6070000);
  assert_int_equal(c->quantity, 240);
  assert_int_equal(c->amount, rulefix_book(240));
  assert_string_equal(rulefix_rules(z), "R-T4;R-W3;R-W2;R-W1;R-0.1");
  const audit_step *a = rulefix_step(&inv, z->line, "R-W3", "first SCRT report", 0);
  assert_non_null(a);
  assert_non_null(strstr(a->detail, "period ending 2026-10-01, received 2026-10-05, on time"));
  assert_string_equal(rulefix_inputs(a), "licenses.csv:2;scrt/x.csv:3;scrt/received.csv:2");
  assert_string_equal(rulefix_state_of(&inv, "subcap_start:M1"), "2026-11");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-W3: without a first report processed in time the OS family stays at Full Capacity MSUs: no report, a
 * first report received after the 9th (not processed before the month it drives), or an inventory start
 * in a later month. None of them records a start. A start an earlier month recorded is sub-capacity
 * without a further R-W3 step. */
static void os_is_full_capacity_until_subcap_started_R_W3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* no report */
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_int_equal(line_of(&inv, "ZOS")->amount, rulefix_book(1200));
  assert_non_null(rulefix_step(&inv, 1, "R-W3", "no SCRT report of it received on time", 0));
  assert_null(rulefix_state_of(&inv, "subcap_start:M1"));
  invoice_clear(&inv);
  /* the first report came late */
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n", 412, "2026-10-12", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(rulefix_has_step(&inv, 1, "R-W3"));
  assert_null(rulefix_state_of(&inv, "subcap_start:M1"));
  invoice_clear(&inv);
  /* started in a later month: still full capacity */
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,2026-12\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_non_null(rulefix_step(&inv, 1, "R-W3", "starts on machine M1 in 2026-12", 0));
  assert_null(rulefix_state_of(&inv, "subcap_start:M1"));
  invoice_clear(&inv);
  /* started in October (the ledger): November is sub-capacity, no R-W3 step, nothing new carried */
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  static const rulefix_state started[] = {{"subcap_start:M1", "2026-10", RULEFIX_MONTH_BEFORE}, {NULL, NULL, 0}};
  rulefix_hist h = rulefix_history(started);
  assert_int_equal(rulefix_price(&fx, month_from_ym(2026, 11), &h, 0, &inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 412);
  assert_string_equal(rulefix_rules(line_of(&inv, "ZOS")), "R-T4;R-W2;R-W1;R-0.1");
  assert_null(rulefix_state_of(&inv, "subcap_start:M1"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void first_charge_of_a_program_uses_the_os_msus_R_W4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* installed 14 Oct: first charged in November (R-T4), at z/OS's 412 MSUs */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DB2,AWLC,,2026-10-14,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DB2");
  assert_int_equal(l->quantity, 412);
  assert_true(rulefix_has_step(&inv, l->line, "R-W4"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_program_missing_from_the_report_pays_its_minimum_R_W5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DB2,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DB2");
  assert_int_equal(l->quantity, 5); /* products.csv min_msu */
  assert_int_equal(l->amount, rulefix_book(5));
  assert_true(rulefix_has_step(&inv, l->line, "R-W5"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_feature_has_the_msus_of_its_program_R_W6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DSS,AWLC,L1,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"DSS\",\"DSS\",\"17\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DSS");
  assert_int_equal(l->quantity, 412);
  assert_true(rulefix_has_step(&inv, l->line, "R-W6"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void os390_on_the_machine_puts_the_zos_family_at_full_capacity_R_W7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,MVS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"MVS\",\"MVS\",\"12\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(rulefix_has_step(&inv, line_of(&inv, "ZOS")->line, "R-W7"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_sysplex_sums_msus_before_tiering_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01\nC1,M2,3931-607,900,7,PLX,yes,,,,,2024-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"30\",\"\",\"\",\"\"\n");
  add_report("M2", 900, "\"z/OS\",\"ZOS\",\"20\",\"\",\"\",\"\"\n", 300, "2026-10-05", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *l = line_of(&inv, "ZOS");
  assert_int_equal(l->quantity, 50);
  /* tiers apply once to 50 MSUs, not to 30 and 20 separately */
  assert_int_equal(l->amount, rulefix_book(50));
  assert_true(rulefix_book(50) != rulefix_book(30) + rulefix_book(20));
  assert_string_equal(l->serial, "M1+M2");
  assert_string_equal(l->sysplex, "PLX");
  assert_true(rulefix_has_step(&inv, l->line, "R-W8"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void awlc_and_vwlc_are_never_aggregated_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01\nC1,M2,3931-607,900,7,PLX,no,,,,,2024-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"30\",\"\",\"\",\"\"\n");
  add_report("M2", 900, "\"z/OS\",\"ZOS\",\"20\",\"\",\"\",\"\"\n", 300, "2026-10-05", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  /* AWLC on M1 and VWLC on M2, each its own line; the third is the transition reduction of the VWLC program of
   * the partly eligible sysplex (R-W11): 1200 of 2100 MSUs = 57 % -> 3.0 % of 115.00 = -3.45 */
  assert_int_equal(inv.nlines, 3);
  assert_int_equal(inv.lines[0].quantity + inv.lines[1].quantity, 50);
  assert_int_equal(inv.lines[0].amount + inv.lines[1].amount, rulefix_book(30) + rulefix_book(20));
  assert_int_equal(inv.lines[2].amount, -34500);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void fwlc_is_fixed_and_needs_wlc_zos_R_W10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CONN,FWLC,,2019-04-01,,,,,,,no,\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "CONN");
  assert_int_equal(l->amount, 5000100); /* 500.005 rounds half away to 500.01 */
  assert_true(rulefix_has_step(&inv, l->line, "R-W10"));
  invoice_clear(&inv);
  /* without z/OS on AWLC/VWLC: an input error quoting the rule */
  base_set(M1, "C1,L2,M1,CONN,FWLC,,2019-04-01,,,,,,,no,\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "(R-W10)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void subcap_is_all_or_nothing_per_family_R_W18(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CICS,AWLC,,2019-04-01,,,,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "sub-capacity is all or nothing (R-W18)"));
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, 41); /* the pricing column of line 3 */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void an_explained_override_is_billed_and_an_unexplained_one_rejected_R_T2a(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"400\",\"runaway job excluded\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 400);
  assert_true(rulefix_has_step(&inv, 1, "R-T2a"));
  invoice_clear(&inv);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"400\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "(R-T2a)"));
  assert_int_equal(d.v[0].line, 10);
  assert_int_equal(d.v[0].col, 20); /* the Customer MSUs cell */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void msus_above_capacity_are_an_error_not_a_charge(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"1201\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "exceed the full capacity of machine M1 (1200 MSUs"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void discontinued_and_new_programs_follow_whole_months_R_T4_R_T5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,2026-10-31,,,,,,no,subcap\n" /* ended in October */
               "C1,L3,M1,DB2,AWLC,,2026-11-02,,,,,,,no,subcap\n");          /* starts in December */
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"10\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_string_equal(inv.lines[0].product_id, "ZOS");
  invoice_clear(&inv);
  /* R-T5: "the effective date of discontinuance will be the first of the month following IBM's receipt of the
   * Government's written notice" (002 §5.14.12). CICS discontinued on 15 September, back-dated by a notice
   * received on 20 October: effective 1 November, so November is still charged on its 240 MSUs:
   * 3 x 10 + 42 x 5 + 195 x 1 = 435.00; the trail says why */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,2026-09-15,2026-10-20,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"240\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(line_of(&inv, "CICS")->quantity, 240);
  assert_int_equal(line_of(&inv, "CICS")->amount, 4350000);
  assert_int_equal(line_of(&inv, "CICS")->amount, rulefix_book(240));
  const audit_step *a = rulefix_step(&inv, 0, "R-T5", "discontinued on 2026-09-15", 0);
  assert_non_null(a);
  assert_non_null(strstr(a->detail, "written notice on 2026-10-20"));
  assert_non_null(strstr(a->detail, "charged through 2026-11"));
  invoice_clear(&inv);
  /* the same notice for a discontinuance on 1 March 2027 (dated later): charged too, no R-T5 step yet */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,2027-03-01,2026-10-20,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"240\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "CICS")->amount, 4350000);
  assert_null(rulefix_step(&inv, 0, "R-T5", NULL, 0));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-X3: Canada's taxes are separate lines per tax of the customer's region: HST in Ontario, GST + PST in
 * British Columbia, GST + QST in Quebec; each rounded half away from zero to the cent. */
static void canadian_taxes_are_separate_lines_per_region_R_X3(void **state)
{
  (void)state;
  static const struct {
    const char *region;
    int n;
    const char *names[2];
    money amounts[2];
  } cases[] = {
    {"CA-ON", 1, {"HST", NULL}, {789100, 0}},            /* 13 % of 607.00 = 78.91 */
    {"CA-BC", 2, {"GST", "PST"}, {303500, 424900}},      /* 5 % = 30.35, 7 % = 42.49 */
    {"CA-QC", 2, {"GST", "QST"}, {303500, 605500}},      /* 9.975 % = 60.54825 -> 60.55 */
  };
  for(size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    invoice inv;
    diag_list d;
    char cust[512];
    diag_init(&d);
    base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
    OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
    rulefix_put(&fx, "taxes.csv", "tax_region,tax_name,rate_pct,effective_from\nCA-ON,HST,13,2010-07-01\n"
                     "CA-BC,GST,5,2008-01-01\nCA-BC,PST,7,2013-04-01\nCA-QC,GST,5,2008-01-01\n"
                     "CA-QC,QST,9.975,2013-01-01\nCA-QC,QST,9.5,2012-01-01\n");
    snprintf(cust, sizeof(cust),
             "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"
             "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad\n"
             "C1,Acme,commercial,Somewhere,CA,%s,EUR,K-1,monthly,30,,,yes\n", cases[k].region);
    rulefix_put(&fx, "customers.csv", cust);
    assert_int_equal(price_c1(&inv, &d), 0);
    assert_int_equal(inv.subtotal, 6070000);
    assert_int_equal(inv.ntaxes, cases[k].n);
    money tax = 0;
    for(int i = 0; i < cases[k].n; i++) {
      assert_string_equal(inv.taxes[i].name, cases[k].names[i]);
      assert_int_equal(inv.taxes[i].amount, cases[k].amounts[i]);
      tax += cases[k].amounts[i];
    }
    assert_int_equal(inv.tax, tax);
    assert_int_equal(inv.total, 6070000 + tax);
    assert_int_equal(inv.prompt_pay_pct, 0);
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

/* R-T10: "For alterations occurring after the first day of the month, charges will begin the first day of
 * the month after" (002 §5.12); an increase is "in effect for a minimum period of one month" (§5.16.1 item 7).
 * A capacity raised on 10 Oct and lowered again on 25 Oct begins on 1 Nov: November is billed at the higher
 * value; a configuration effective in December does not touch November. */
static void a_capacity_increase_begins_the_month_after_and_stays_a_month_R_T10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(RULEFIX_MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-609,1200,9,,yes,,,,,2024-01,,,2026-10-10\n"
           "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2026-10-25\n"
           "C1,M1,3931-609,1500,9,,yes,,,,,2024-01,,,2026-12-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS");
  assert_int_equal(z->quantity, 1200);
  assert_int_equal(z->amount, rulefix_book(1200));
  assert_true(rulefix_has_step(&inv, z->line, "R-T10"));
  assert_non_null(strstr(rulefix_rules(z), "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);

  /* raised on 10 Nov and lowered on 25 Nov: the increase begins on 1 Dec, November stays on its 1 Nov
   * configuration, 1000 MSUs, with no R-T10 (the old reading billed 1200 all November) */
  diag_init(&d);
  base_set(RULEFIX_MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-609,1200,9,,yes,,,,,2024-01,,,2026-11-10\n"
           "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2026-11-25\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS");
  assert_int_equal(z->quantity, 1000);
  assert_int_equal(z->amount, rulefix_book(1000));
  assert_false(rulefix_has_step(&inv, z->line, "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);

  /* a configuration effective on the 1st counts for that month: 1100 from 1 Nov bills November at 1100, and
   * a lower value from 15 Oct does not hold November down */
  diag_init(&d);
  base_set(RULEFIX_MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-609,900,9,,yes,,,,,2024-01,,,2026-10-15\n"
           "C1,M1,3931-609,1100,9,,yes,,,,,2024-01,,,2026-11-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS");
  assert_int_equal(z->quantity, 1100);
  assert_int_equal(z->amount, rulefix_book(1100));
  assert_false(rulefix_has_step(&inv, z->line, "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);

  /* two undated rows of one machine are still a duplicate (R-W8) */
  diag_init(&d);
  base_set(RULEFIX_MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,\nC1,M1,3931-609,1000,9,PLEX2,yes,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(rulefix_has_error(&d, "is listed twice"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void totals_taxes_prompt_payment_and_contact_R_X2_R_X3_R_X4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  money sub = rulefix_book(412); /* 3 x 10 + 42 x 5 + 367 x 1 = 607.00 */
  assert_int_equal(sub, 6070000);
  assert_int_equal(inv.subtotal, sub);
  assert_int_equal(inv.ntaxes, 1);
  assert_int_equal(inv.taxes[0].amount, 1153300); /* 19 % of 607.00 = 115.33 */
  assert_int_equal(inv.total, 7223300);
  assert_int_equal(inv.prompt_pay_discount, 144500); /* 2 % of 722.33 = 14.4466 -> 14.45 */
  assert_int_equal(inv.prompt_pay_total, 7223300 - 144500);
  /* issued the day after the month (rulefix): 1 December; 10 and 30 days from it */
  assert_int_equal(inv.issue_date, date_from_ymd(2026, 12, 1));
  assert_int_equal(inv.prompt_pay_until, date_from_ymd(2026, 12, 11));
  assert_int_equal(inv.due_date, date_from_ymd(2026, 12, 31));
  assert_string_equal(inv.contact, "1-877-426-6006");
  assert_string_equal(engine_contact(CLASS_STATE_LOCAL), "1-877-426-6006");
  assert_string_equal(engine_contact(CLASS_FEDERAL), "1-800-333-6705");
  assert_string_equal(engine_contact(CLASS_BUSINESS_PARTNER), "1-800-426-9990");
  invoice_clear(&inv);
  diag_clear(&d);
}

/* R-T2: "Failure to submit TSAD may result in IBM Programs being charged on a Full Capacity MSU basis"
 * (002 §5.16.1 4.f): IBM's choice, per customer (customers.csv tsad_full_capacity). Waived, z/OS is billed
 * on its report: 412 MSUs, 3 x 10 + 42 x 5 + 367 x 1 = 607.00; applied (yes or empty), on 1200 MSUs. */
static void tsad_not_sent_is_full_capacity_only_where_ibm_applies_it_R_T2(void **state)
{
  (void)state;
  static const char *const cases[][2] = {
    {",tsad_full_capacity\n", ",no\n"}, {",tsad_full_capacity\n", ",yes\n"}, {",tsad_full_capacity\n", ",\n"}};
  for(size_t k = 0; k < 3; k++) {
    invoice inv;
    diag_list d;
    diag_init(&d);
    base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
    OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
    char buf[1024];
    snprintf(buf, sizeof(buf), "%.*s%s%s%s", (int)(strlen(RULEFIX_CUSTOMERS_HDR) - 1), RULEFIX_CUSTOMERS_HDR,
             cases[k][0], "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,monthly,30,2,10,no", cases[k][1]);
    rulefix_put(&fx, "customers.csv", buf);
    assert_int_equal(price_c1(&inv, &d), 0);
    const charge_line *z = line_of(&inv, "ZOS");
    if(k == 0) {
      assert_int_equal(z->quantity, 412);
      assert_int_equal(z->amount, 6070000);
      assert_false(rulefix_has_step(&inv, z->line, "R-T2"));
      /* the billing team sees that TSAD is missing but waived */
      assert_int_equal(inv.nnotices, 1);
      assert_int_equal(inv.notices[0].rule, R_T2);
      assert_non_null(strstr(inv.notices[0].reason, "IBM waived full capacity"));
      assert_true(rulefix_has_step(&inv, 0, "R-T2"));
    } else {
      assert_int_equal(z->quantity, 1200);
      assert_true(rulefix_has_step(&inv, z->line, "R-T2"));
    }
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

/* R-W20: AWLC is for programs "used on an Eligible Machine" (002 §5.16.1). On a machine with awlc_eligible no,
 * an AWLC license is an input error at its charge_type (licenses.csv line 2, column 14); the same program
 * as VWLC there is billed: 412 MSUs, 3 x 10 + 42 x 5 + 367 x 1 = 607.00. */
static void awlc_on_a_machine_that_is_not_eligible_is_an_input_error_R_W20(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,,no,,,,,2024-01\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  const diag *e = rulefix_error_with(&d, "AWLC license L1 (ZOS) on machine M1, which is not AWLC-eligible "
                                         "(awlc_eligible no, machines.csv line 2), expected VWLC or another charge "
                                         "type for this machine, or awlc_eligible yes: AWLC is for programs used on "
                                         "an Eligible Machine (R-W20)");
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 14);
  assert_string_equal(e->customer_id, "C1");
  assert_non_null(strstr(e->file, "licenses.csv"));
  invoice_clear(&inv);
  diag_clear(&d);
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,,no,,,,,2024-01\n", "C1,L1,M1,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->amount, 6070000);
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(subcap_bills_the_scrt_msus_on_time_R_W2_R_T2),
    cmocka_unit_test(a_late_report_without_extension_charges_full_capacity_R_T2),
    cmocka_unit_test(tsad_not_sent_charges_full_capacity_R_T2),
    cmocka_unit_test(tsad_not_sent_is_full_capacity_only_where_ibm_applies_it_R_T2),
    cmocka_unit_test(the_month_the_first_on_time_report_drives_is_billed_on_it_R_W3),
    cmocka_unit_test(os_is_full_capacity_until_subcap_started_R_W3),
    cmocka_unit_test(first_charge_of_a_program_uses_the_os_msus_R_W4),
    cmocka_unit_test(a_program_missing_from_the_report_pays_its_minimum_R_W5),
    cmocka_unit_test(a_feature_has_the_msus_of_its_program_R_W6),
    cmocka_unit_test(os390_on_the_machine_puts_the_zos_family_at_full_capacity_R_W7),
    cmocka_unit_test(a_sysplex_sums_msus_before_tiering_R_W8),
    cmocka_unit_test(awlc_and_vwlc_are_never_aggregated_R_W8),
    cmocka_unit_test(fwlc_is_fixed_and_needs_wlc_zos_R_W10),
    cmocka_unit_test(subcap_is_all_or_nothing_per_family_R_W18),
    cmocka_unit_test(an_explained_override_is_billed_and_an_unexplained_one_rejected_R_T2a),
    cmocka_unit_test(msus_above_capacity_are_an_error_not_a_charge),
    cmocka_unit_test(discontinued_and_new_programs_follow_whole_months_R_T4_R_T5),
    cmocka_unit_test(totals_taxes_prompt_payment_and_contact_R_X2_R_X3_R_X4),
    cmocka_unit_test(a_capacity_increase_begins_the_month_after_and_stays_a_month_R_T10),
    cmocka_unit_test(canadian_taxes_are_separate_lines_per_region_R_X3),
    cmocka_unit_test(awlc_on_a_machine_that_is_not_eligible_is_an_input_error_R_W20),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
