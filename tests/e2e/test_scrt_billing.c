/* test_scrt_billing.c - the SCRT reports customers really send, billed end to end: every layout of
 * tests/data/scrt bills the MSUs its report states, and every way a report can fail to be usable is an
 * error for its owner only or a notice, never an invoice at minimum or full capacity on a guess.
 *
 * The input set is made by tests/data/scrt-billing/assemble.sh (one customer per fixture; its README
 * lists them). licbill runs in the scratch folder, so files are printed as "scrt/NAME". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/e2e.h"

#define MONTH "2026-11"

static char *tmp;
static e2e_result run;

static int setup(void **state)
{
  (void)state;
  const char *const argv[] = {e2e_licbill(), "run", "--input", "in", "--output", "out", "--month", MONTH,
                              "--issue-date", "2026-12-01", NULL};
  if(!(tmp = e2e_mkdtemp("scrtbill")) || e2e_sh(NULL, "sh tests/data/scrt-billing/assemble.sh %s/in", tmp) ||
     e2e_run(&run, tmp, argv))
    return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  e2e_result_clear(&run);
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

static char *month_file(const char *name)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/out/%s/%s", tmp, MONTH, name);
  char *s = e2e_read_file(path, NULL);
  assert_non_null(s);
  return s;
}

/* The charges.csv rows of one invoice, without invoice number and customer. */
static char *charges_of(const char *charges, const char *customer)
{
  char *out = NULL, key[32];
  size_t n = 0;
  FILE *fp = open_memstream(&out, &n);
  assert_non_null(fp);
  snprintf(key, sizeof(key), ",%s,", customer);
  for(const char *p = charges; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
    const char *k = strstr(p, key);
    if(k && k < p + len)
      fwrite(k + strlen(key), 1, len - (size_t)(k + strlen(key) - p), fp);
    p += len;
  }
  fclose(fp);
  return out;
}

/* R-W2, R-T2a: every layout bills z/OS at 412 MSUs, CICS at 240 and Db2 at the 150 Customer MSUs its
 * explained override states, whatever the separator, quoting, packing, line ends, file name case or
 * extension; the older layout without '==' markers bills its 280 z/OS MSUs. AWLC in EUR (prices.csv):
 *   z/OS 412 MSUs: 3 x 104.00 + 42 x 62.40 + 130 x 41.60 + 140 x 26.00 + 97 x 15.60 = 13,494.00
 *   CICS 240 MSUs: 3 x 50.00 + 42 x 30.00 + 130 x 20.00 + 65 x 12.50               =  4,822.50
 *   Db2  150 MSUs: 3 x 80.00 + 42 x 50.00 + 105 x 30.00                              =  5,490.00
 *   z/OS 280 MSUs: 312.00 + 2,620.80 + 5,408.00 + 105 x 26.00                        = 11,070.80 */
static void every_layout_bills_the_msus_its_report_states_R_W2_R_T2a(void **state)
{
  (void)state;
  static const struct {
    const char *customer, *serial, *fixture;
  } layouts[] = {
    {"C2001", "82-E5A01", "a_e5_real.csv"},     {"C2002", "82-E5B02", "b_excel_resave.csv"},
    {"C2003", "82-E5C03", "c_single_quotes.csv"}, {"C2004", "82-E5D04", "d_packed_lines.csv"},
    {"C2006", "82-E5F06", "f_n5_p5_n7.csv"},    {"C2007", "82-E5G07", "g_text_file.txt"},
    {"C2008", "82-E5G08", "g_upper_case.CSV"},  {"C2009", "82-E5H09", "h_tab_separated.txt"},
    {"C2010", "82-E5H10", "h_cr_only.csv"},     {"C2011", "82-E5J14", "j_old_layout.csv"},
  };
  char *charges = month_file("charges.csv");
  for(size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
    char want[512];
    snprintf(want, sizeof(want),
             "1,%s,5650-ZOS,AWLC,412,MSUs,,13494.00,EUR,R-T4;R-W2;R-W1;R-0.1\n"
             "2,%s,5655-YA1,AWLC,240,MSUs,,4822.50,EUR,R-T4;R-W2;R-W1;R-0.1\n"
             "3,%s,5698-DB2,AWLC,150,MSUs,,5490.00,EUR,R-T4;R-W2;R-T2a;R-W1;R-0.1\n",
             layouts[i].serial, layouts[i].serial, layouts[i].serial);
    char *got = charges_of(charges, layouts[i].customer);
    if(strcmp(got, want))
      fail_msg("%s (%s) billed\n%s\nexpected\n%s", layouts[i].fixture, layouts[i].customer, got, want);
    free(got);
  }
  char *got = charges_of(charges, "C2005");
  assert_string_equal(got, "1,82-E5E05,5650-ZOS,AWLC,280,MSUs,,11070.80,EUR,R-T4;R-W2;R-W1;R-0.1\n");
  free(got);
  free(charges);
}

/* 004 (zSeries IPLA terms): z/OS-based terms count "the billable z/OS MSUs shown on the Sub-Capacity
 * Reports", the z/OS row of the product summary. a_e5_real.csv also has "z/OS Unreduced" at 430: it is
 * not a product and is never billed; z/OS is billed at its own row's 412 MSUs (line 24). */
static void the_zos_unreduced_total_is_not_the_billed_zos_msus(void **state)
{
  (void)state;
  char *audit = month_file("audit.csv");
  assert_non_null(strstr(audit, "INV-2026-000001,1,2,R-W2,licenses.csv:2;scrt/a_e5_real.csv:24;scrt/received.csv:2,"));
  assert_null(strstr(audit, "430"));
  free(audit);
}

/* Who was invoiced: every readable layout and the machine without any report; nobody else. */
static void only_the_owners_of_unusable_reports_are_rejected(void **state)
{
  (void)state;
  assert_int_equal(run.code, 1);
  char *inv = month_file("invoices.csv");
  static const char *const invoiced[] = {"C2001", "C2002", "C2003", "C2004", "C2005", "C2006",
                                         "C2007", "C2008", "C2009", "C2010", "C2011", "C2019"};
  size_t rows = 0;
  for(const char *p = inv; (p = strchr(p, '\n')) && p[1]; p++)
    rows++;
  assert_int_equal(rows, sizeof(invoiced) / sizeof(invoiced[0]));
  for(size_t i = 0; i < rows; i++) {
    char key[32];
    snprintf(key, sizeof(key), ",%s,%s,", invoiced[i], MONTH);
    if(!strstr(inv, key))
      fail_msg("%s was not invoiced", invoiced[i]);
  }
  free(inv);
  assert_non_null(strstr(run.err, "licbill: 2026-11: 12 invoiced, 7 rejected, 12 errors\n"));
}

/* Issue #11's fallbacks, each an error with file:line:column for the owner only (errors.csv, in order). */
static void every_unusable_report_is_an_error_for_its_owner(void **state)
{
  (void)state;
  char *errors = month_file("errors.csv");
  static const char *const want[] = {
    "file,line,column,customer_id,message\n",
    /* a folder: nobody to tell but the run */
    "scrt/2026-09,0,0,,\"a folder inside scrt/, which licbill does not read, expected the reports directly in "
    "scrt/\"\n",
    /* a report in a format licbill does not read, its owner known by the serial in its name */
    "scrt/82-e5x08 sept.xlsx,0,0,C2018,\"a file licbill does not read (not .csv or .txt); its name names machine "
    "82-E5X08, so customer C2018 is not billed this month, expected SCRT reports saved as CSV (.csv or .txt, any "
    "case) and received.csv\"\n",
    /* a report that cannot be read, its owner known by the serial in its name */
    "scrt/SCRT_82-E5X06_2026-10.csv,0,0,C2016,\"no 'Machine Serial Number' row, expected the SCRT report header "
    "facts\"\n",
    "scrt/SCRT_82-E5X06_2026-10.csv,0,0,C2016,\"no 'Reporting Period' row, expected the SCRT report header "
    "facts\"\n",
    "scrt/cover-letter.pdf,0,0,,\"a file licbill does not read (not .csv or .txt), expected SCRT reports saved "
    "as CSV (.csv or .txt, any case) and received.csv\"\n",
    /* a multiplex report: each listed machine's owner, at that machine's serial */
    "scrt/i_multiplex.csv,11,37,C2012,\"machine 82-E5I11 is one of 3 machines this report lists (82-E5I11, "
    "82-E5I12, 0A-E5I13): a multiplex report gives no product MSUs per machine, expected a single-machine "
    "Sub-Capacity Report for each machine\"\n",
    "scrt/i_multiplex.csv,11,48,C2012,\"machine 82-E5I12 is one of 3 machines",
    "scrt/i_multiplex.csv,11,59,C2013,\"machine 0A-E5I13 is one of 3 machines",
    /* a receipt without a report: never "not received, full capacity" */
    "scrt/received.csv,19,1,C2017,\"receipt of the SCRT report for machine 82-E5X07 and the period ending "
    "2026-10-01, but scrt/ holds no readable report of that machine and period, expected the report the receipt "
    "records (the machine is not billed at full capacity on a guess)\"\n",
    /* E5 without a product table, and with only the z/OS Unreduced total: never minimum MSUs */
    "scrt/bad_e5_without_product_table.csv,21,1,C2014,\"row with values in section E5 before any product table "
    "header",
    "scrt/bad_e5_without_product_table.csv,19,1,C2014,\"section E5 PRODUCT SUMMARY INFORMATION has no product "
    "table, expected a header row naming '... Product Name', '... Product ID' and 'Tool MSUs' columns (with or "
    "without an MLC or IPLA prefix)\"\n",
    "scrt/bad_e5_without_product_rows.csv,22,1,C2015,\"the product tables of section E5 have no product rows "
    "(only the 'z/OS Unreduced' total), expected at least one row with a Product ID and Tool MSUs\"\n",
  };
  const char *p = errors;
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    if(strncmp(p, want[i], strlen(want[i])))
      fail_msg("errors.csv row %zu is\n%.300s\nexpected it to start\n%s", i, p, want[i]);
    p = strchr(p, '\n');
    assert_non_null(p);
    p++;
  }
  assert_string_equal(p, "");
  free(errors);
}

/* R-T2: the machine with neither report nor receipt is billed at full capacity (1,200 MSUs), and that is
 * said on stderr and in notices.csv; with no report there is nothing to compare with. */
static void a_machine_without_report_is_billed_at_full_capacity_with_a_notice_R_T2(void **state)
{
  (void)state;
  char *charges = month_file("charges.csv");
  char *got = charges_of(charges, "C2019");
  assert_string_equal(got, "1,82-E5X09,5650-ZOS,AWLC,1200,MSUs,,25786.80,EUR,R-T4;R-T2;R-W1;R-0.1\n"
                           "2,82-E5X09,5655-YA1,AWLC,1200,MSUs,,12840.00,EUR,R-T4;R-T2;R-W1;R-0.1\n"
                           "3,82-E5X09,5698-DB2,AWLC,1200,MSUs,,17890.00,EUR,R-T4;R-T2;R-W1;R-0.1\n");
  free(got);
  free(charges);
  assert_non_null(strstr(run.err, "licbill: notice: customer C2019, INV-2026-000012: machine 82-E5X09 billed at "
                                  "full capacity (R-T2): no SCRT report received for machine 82-E5X09 for the "
                                  "period ending 2026-10-01; subtotal 56516.80 EUR, no report to compare with\n"));
  /* R-W19: two reports also list a program their customer does not license on the machine (C2005: CICS V5 beside its
   * z/OS; C2011: DFSMSdss); each is a notice naming the row, nothing billed for it */
  char *notices = month_file("notices.csv");
  assert_non_null(strstr(notices, "\nINV-2026-000012,C2019,82-E5X09,R-T2,no SCRT report received for machine "
                                  "82-E5X09 for the period ending 2026-10-01,56516.80,,,EUR\n"));
  /* C2019's is its only notice */
  assert_null(strstr(notices, "C2019,82-E5X09,R-I"));
  /* the real reports' IPLA tables list programs nobody here licensed: each row is a notice, not a charge
   * (R-I6: a Sub-Capacity Report may not be used to order a license) */
  assert_non_null(strstr(notices, "\nINV-2026-000001,C2001,82-E5A01,R-I6,\"5655-FA6 on SCRT report "
                                  "scrt/a_e5_real.csv line 31 (300 MSUs) has no license for customer C2001: not "
                                  "billed, a Sub-Capacity Report may not be used to order a license (002 §5.16.15, "
                                  "§5.16.12 3.4) (R-I6)\",23806.50,,,EUR\n"));
  assert_non_null(strstr(notices, "\nINV-2026-000001,C2001,82-E5A01,R-I6,\"5655-HZ1 on SCRT report "
                                  "scrt/a_e5_real.csv line 35 (1 unit) has no license for customer C2001: not "
                                  "billed"));
  assert_non_null(strstr(notices, "\nINV-2026-000005,C2005,82-E5E05,R-W19,5655-Y04 on SCRT report "
                                  "scrt/e_c5_titles_only.csv line 17 (150 MSUs) has no license for customer C2005: "
                                  "not billed until licenses.csv records it: under the AWLC terms a report showing a "
                                  "new Program is an order placed by the customer (002 §5.16.1 4.b) (R-W19),"
                                  "11070.80,,,EUR\n"));
  assert_non_null(strstr(notices, "\nINV-2026-000011,C2011,82-E5J14,R-W19,5650-ZDS on SCRT report "
                                  "scrt/j_old_layout.csv line 17 (412 MSUs) has no license for customer C2011: not "
                                  "billed until licenses.csv records it: under the AWLC terms a report showing a new "
                                  "Program is an order placed by the customer (002 §5.16.1 4.b) (R-W19),23806.50,,,EUR\n"));
  free(notices);
}

/* Without scrt/ every sub-capacity machine would be billed at full capacity: the input set is unusable. */
static void a_missing_scrt_folder_makes_the_input_set_unusable(void **state)
{
  (void)state;
  const char *const argv[] = {e2e_licbill(), "run", "--input", "noscrt", "--output", "out2", "--month", MONTH,
                              "--issue-date", "2026-12-01", NULL};
  e2e_result r = {0};
  char *dir = e2e_path(tmp, "noscrt");
  assert_int_equal(e2e_sh(NULL, "cp -a %s/in %s && rm -r %s/scrt", tmp, dir, dir), 0);
  assert_int_equal(e2e_run(&r, tmp, argv), 0);
  assert_int_equal(r.code, 3);
  assert_string_equal(r.err, "noscrt/scrt: no such folder, expected scrt/ with the month's SCRT reports and "
                             "received.csv (without it every sub-capacity machine would be billed at full "
                             "capacity)\nlicbill: the input set is unusable, nothing was written\n");
  e2e_result_clear(&r);
  free(dir);
}

/* The month does not depend on where the input set lies: errors.csv names files relative to it, so the same
 * reports billed from an absolute path elsewhere give byte-identical files (the MANIFEST too). */
static void the_same_input_set_elsewhere_gives_the_same_month(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "mkdir -p %s/else/where && cp -a %s/in %s/else/where/set && %s run --input "
                                "%s/else/where/set/ --output %s/out3 --month " MONTH " --issue-date 2026-12-01 >/dev/null 2>&1; "
                                "diff -r %s/out/" MONTH " %s/out3/" MONTH,
                          tmp, tmp, tmp, e2e_licbill(), tmp, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_layout_bills_the_msus_its_report_states_R_W2_R_T2a),
    cmocka_unit_test(the_zos_unreduced_total_is_not_the_billed_zos_msus),
    cmocka_unit_test(only_the_owners_of_unusable_reports_are_rejected),
    cmocka_unit_test(every_unusable_report_is_an_error_for_its_owner),
    cmocka_unit_test(a_machine_without_report_is_billed_at_full_capacity_with_a_notice_R_T2),
    cmocka_unit_test(a_missing_scrt_folder_makes_the_input_set_unusable),
    cmocka_unit_test(the_same_input_set_elsewhere_gives_the_same_month),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
