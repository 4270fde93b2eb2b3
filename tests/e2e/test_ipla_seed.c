/* test_ipla_seed.c - the IPLA seed's three sample customers end to end through licbill run, two months (R-I1..R-I6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/e2e.h"

/* Input set tests/data/ipla_seed (seed 004, "Estimating Required License Capacity"):
 * - SEED1, Sample Customer One: Fault Analyzer (execution-based) runs only in LPAR SYSA
 *   of machine X (12 engines, 372 MSUs). Acquired for last month's 100 MSUs; this period
 *   SYSA reached its maximum potential capacity, 4 of 12 engines = (4/12) x 372 = 124 MSUs.
 * - SEED2, Sample Customer Two: DB2 Administration Tool (reference-based, parent DB2 UDB)
 *   adds value to DB2 in the New York qualified sysplex (N1+N2) and on the standalone
 *   Dallas machine (D1), not in the European sysplex (E1+E2). Acquired 200 MSUs.
 * - SEED3, Sample Customer Three: Session Manager (z/OS-based) on machines X, Y and Z;
 *   acquired at last month's z/OS MSUs, 300 + 200 + 100 = 600.
 * Four to Seven test issue 13's readings on top of the seed's examples (see each test).
 * Exhibit VUE007: 1-3 @ 1.0, 4-45 @ 0.45, 46-175 @ 0.36, 176-315 @ 0.27, 316+ @ 0.2 VUs/MSU.
 * Price per VU: Fault Analyzer 180.00, Administration Tool 320.00, Session Manager 95.00 USD. */

static char *tmp;

static int setup(void **state)
{
  (void)state;
  tmp = e2e_mkdtemp("iplaseed");
  assert_non_null(tmp);
  char *out = NULL;
  int rc = e2e_sh(&out, "%s run --input tests/data/ipla_seed --output %s/out --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp);
  if(rc != 0)
    fprintf(stderr, "%s", out);
  free(out);
  return rc;
}

static int teardown(void **state)
{
  (void)state;
  int rc = e2e_sh(NULL, "rm -rf %s", tmp);
  free(tmp);
  return rc;
}

static char *month_file(const char *month, const char *name)
{
  char path[256];
  snprintf(path, sizeof(path), "%s/out/%s/%s", tmp, month, name);
  char *c = e2e_read_file(path, NULL);
  if(!c)
    fail_msg("cannot read %s", path);
  return c;
}

static void seed_customers_get_the_seed_numbers_R_I1_R_I2_R_I3_R_I5_R_I6(void **state)
{
  (void)state;
  char *c = month_file("2026-11", "charges.csv");
  /* One: 124 MSUs = 3 + 18.9 + 79 x 0.36 = 50.34 -> 51 VUs; 100 MSUs = 41.7 -> 42 VUs; 9 x 180.00 */
  assert_non_null(strstr(c, "INV-2026-000001,SEED1,2,01-0000X,5655-L25,IPLA,9,VUs,180.00,1620.00,USD,"
                            "R-W2;R-I1;R-I5;R-I6;R-0.1\n"));
  /* Two: DB2 120 + 80 over New York + 50 in Dallas = 250 MSUs = 88.95 -> 89 VUs;
   * 200 MSUs = 75.45 -> 76 VUs; 13 x 320.00. Europe's 550 DB2 MSUs do not count. */
  assert_non_null(strstr(c, "INV-2026-000002,SEED2,7,02-000N1+02-000N2+02-000D1,5655-I23,IPLA,13,VUs,320.00,"
                            "4160.00,USD,R-W2;R-I2;R-I5;R-I6;R-0.1\n"));
  /* Three: z/OS 300 + 200 + 100 = 600 MSUs = 164 VUs, entitled 600 MSUs = 164 VUs: no order */
  assert_null(strstr(c, "SEED3,4,"));
  assert_null(strstr(c, ",-")); /* nothing credited anywhere */
  free(c);
  c = month_file("2026-11", "invoices.csv");
  /* One: z/OS 300 x 10.00 + 1,620.00 = 4,620.00; sales tax 8.875 % = 410.025 -> 410.03 */
  assert_non_null(strstr(c, "INV-2026-000001,SEED1,2026-11,2026-12-01,USD,4620.00,0.00,410.03,5030.03,"));
  /* Three: the z/OS lines only, 6,000.00 */
  assert_non_null(strstr(c, "INV-2026-000003,SEED3,2026-11,2026-12-01,USD,6000.00,0.00,532.50,6532.50,"));
  free(c);
  c = month_file("2026-11", "errors.csv");
  assert_string_equal(c, "file,line,column,customer_id,message\n");
  free(c);
  /* the audit trail: each term's MSUs, the conversion, the comparison */
  c = month_file("2026-11", "audit.csv");
  assert_non_null(strstr(c, "INV-2026-000001,2,2,R-I1,licenses.csv:3,"));
  assert_non_null(strstr(c, "rounded up to 51 VUs\",51 VUs\n"));
  assert_non_null(strstr(c, "reference-based 5655-I23: the parent's MSUs summed over qualified sysplex NEWYORK "
                            "(2 machines with the parent),200 MSUs\n"));
  assert_non_null(strstr(c, "reference-based 5655-I23 (S2-ADM-DAL): billable MSUs of its parent 5625-DB2 on "
                            "02-000D1,50 MSUs\n"));
  assert_null(strstr(c, "parent 5625-DB2 on 02-000E"));
  assert_non_null(strstr(c, "INV-2026-000003,0,2,R-I3,licenses.csv:19;licenses.csv:16,"));
  assert_non_null(strstr(c, "INV-2026-000003,0,9,R-I6,,required 164 VUs do not exceed entitled 164 VUs: no "
                            "IBM-initiated order; the entitlement is kept and nothing is credited,no order\n"));
  free(c);
}
/* R-I1: Four's Fault Analyzer (execution-based, 50 MSUs acquired) is absent from October's report: it did
 * not run, so it requires nothing; no order, no rejection for want of a min_msu (R-W5 is an MLC rule), and
 * the invoice goes out. November's report shows it at 60 MSUs: the order comes then (December's invoice).
 * R-I6: the same October report shows File Manager (5655-L26) in its IPLA table, unlicensed: a notice for the
 * billing team naming the report row, not billed (Sub-Capacity Reports may not be used to order licenses). */
static void a_program_that_did_not_run_requires_nothing_and_unlicensed_rows_are_notices_R_I1_R_I6(void **state)
{
  (void)state;
  char *c = month_file("2026-11", "invoices.csv");
  /* z/OS 200 x 10.00 = 2,000.00 and nothing else; tax 8.875 % = 177.50 */
  assert_non_null(strstr(c, "INV-2026-000004,SEED4,2026-11,2026-12-01,USD,2000.00,0.00,177.50,2177.50,"));
  free(c);
  c = month_file("2026-11", "charges.csv");
  assert_null(strstr(c, "SEED4,2,"));
  free(c);
  c = month_file("2026-11", "audit.csv");
  assert_non_null(strstr(c, "INV-2026-000004,0,1,R-I1,licenses.csv:23;scrt/04-0000A-2026-10-01.csv,\"execution-based "
                            "5655-L25 (S4-FA) on 04-0000A: not on SCRT report scrt/04-0000A-2026-10-01.csv, so it did "
                            "not execute in the reporting period and requires no capacity there"));
  assert_non_null(strstr(c, "INV-2026-000004,0,4,R-I6,,required 0 VUs do not exceed entitled 24 VUs: no "
                            "IBM-initiated order"));
  assert_non_null(strstr(c, "INV-2026-000004,0,5,R-I6,scrt/04-0000A-2026-10-01.csv:17,\"5655-L26 (90 MSUs) on "
                            "machine 04-0000A has no license of customer SEED4"));
  free(c);
  c = month_file("2026-11", "notices.csv");
  assert_non_null(strstr(c, "INV-2026-000004,SEED4,04-0000A,R-I6,\"5655-L26 on SCRT report "
                            "scrt/04-0000A-2026-10-01.csv line 17 (90 MSUs) has no license for customer SEED4: not "
                            "billed, a Sub-Capacity Report may not be used to order a license (002 §5.16.15, "
                            "§5.16.12 3.4) (R-I6)\",2000.00,,,USD\n"));
  free(c);
  c = month_file("2026-11", "errors.csv");
  assert_null(strstr(c, "SEED4"));
  free(c);
  /* the notice is in the ledger too */
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/out/ledger.db \"select rule, serial from notices where reason like "
                                "'5655-L26 on SCRT report%%'\"", tmp), 0);
  assert_string_equal(out, "R-I6|04-0000A\n");
  free(out);
}

/* R-I2: Five's DB2 Administration Tool (reference-based, 100 MSUs acquired) in sysplex ATLANTA, where machine A
 * bills two DB2 versions (V8 50 + V7 60 MSUs) and B one (V8 30). 004: the cap at the z/OS MSUs "will be
 * performed separately on each mainframe": A min(110, z/OS 80) = 80, B 30; 110 MSUs = 3 + 18.9 + 65 x 0.36
 * = 45.3 -> 46 VUs; 100 MSUs = 41.7 -> 42 VUs; 4 x 320.00 = 1,280.00. (Capped over the sysplex:
 * min(140, 180) = 140 MSUs = 57 VUs, 15 x 320.00 = 4,800.00.)
 * R-I3: Six's Session Manager (z/OS-based, 40 MSUs acquired) on a machine with z/OS (30) and z/OS.e (20):
 * 50 MSUs = 23.7 -> 24 VUs; 40 MSUs = 19.65 -> 20 VUs; 4 x 95.00 = 380.00 (z/OS alone, 30 MSUs = 16 VUs, no
 * order). In December z/OS 45 + z/OS.e 25 = 70 MSUs exceed the machine's 58: 58 MSUs = 3 + 18.9 + 13 x 0.36
 * = 26.58 -> 27 VUs; 27 - 24 = 3 x 95.00 = 285.00.
 * R-M4: Seven's Fault Analyzer, sold via Passport Advantage with Secure Support: its order (as One's, 9 VUs =
 * 1,620.00) carries 2.2 % = 35.64; its new VUs' S&S 9 x 36.00 x 120/365 days = 106.52, + 2.2 % = 2.34; the
 * month's S&S share 1,200.00 / 12 = 100.00, + 2.2 % of 1,200.00 = 26.40 / 12 = 2.20. */
static void parent_versions_per_machine_zose_and_passport_advantage_R_I2_R_I3_R_M4(void **state)
{
  (void)state;
  char *c = month_file("2026-11", "charges.csv");
  assert_non_null(strstr(c, "INV-2026-000005,SEED5,4,05-0000A+05-0000B,5655-I23,IPLA,4,VUs,320.00,1280.00,USD,"
                            "R-W2;R-I2;R-I5;R-I6;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000006,SEED6,3,06-0000E,5655-K01,IPLA,4,VUs,95.00,380.00,USD,"
                            "R-W2;R-I3;R-I5;R-I6;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000007,SEED7,3,07-0000X,5655-L25,IPLA,1,uplift,35.64,35.64,USD,R-M4;R-0.2\n"));
  assert_non_null(strstr(c, "INV-2026-000007,SEED7,4,07-0000X,5655-L25,SS,9,VUs,,106.52,USD,R-I7;R-M6;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000007,SEED7,5,07-0000X,5655-L25,SS,1,uplift,2.34,2.34,USD,R-M4;R-0.2\n"));
  assert_non_null(strstr(c, "INV-2026-000007,SEED7,7,07-0000X,5655-L25,SS,1,uplift,2.20,2.20,USD,"
                            "R-M4;R-0.2;R-T9;R-0.1\n"));
  free(c);
  c = month_file("2026-11", "invoices.csv");
  /* Five: DB2 V8 80 x 5.00 + V7 60 x 5.00 + z/OS 180 x 10.00 + 1,280.00 = 3,780.00; tax 335.475 -> 335.48 */
  assert_non_null(strstr(c, "INV-2026-000005,SEED5,2026-11,2026-12-01,USD,3780.00,0.00,335.48,4115.48,"));
  /* Six: z/OS.e 20 x 4.00 + z/OS 30 x 8.00 + 380.00 = 700.00; tax 62.125 -> 62.13 */
  assert_non_null(strstr(c, "INV-2026-000006,SEED6,2026-11,2026-12-01,USD,700.00,0.00,62.13,762.13,"));
  /* Seven: 3,000.00 + 1,620.00 + 35.64 + 106.52 + 2.34 + 100.00 + 2.20 = 4,866.70; tax 431.919 -> 431.92 */
  assert_non_null(strstr(c, "INV-2026-000007,SEED7,2026-11,2026-12-01,USD,4866.70,0.00,431.92,5298.62,"));
  free(c);
  c = month_file("2026-11", "audit.csv");
  assert_non_null(strstr(c, "on machine 05-0000A the parent's 110 MSUs are capped at the z/OS MSUs of that "
                            "machine (80), each machine on its own\",80 MSUs\n"));
  assert_non_null(strstr(c, "z/OS MSUs of machine 06-0000E: z/OS and z/OS.e together, 5694-A01 (S6-ZOS) 30 + "
                            "5655-G52 (S6-ZOSE) 20 = 50\",50 MSUs\n"));
  free(c);
}

/* R-X1: the IBM-initiated order's number is on the invoice, in its header and on its line. */
static void the_invoice_names_the_ibm_initiated_order_R_I6(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "qpdf --check %s/out/2026-11/invoices/INV-2026-000001.pdf", tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000001.pdf - 2>/dev/null", tmp),
                   0);
  assert_non_null(strstr(out, "IIO-SEED1-202611-5655-L25"));
  assert_non_null(strstr(out, "9 VUs"));
  assert_non_null(strstr(out, "1,620.00"));
  assert_non_null(strstr(out, "IBM-initiated order: required 51 VUs (124 MSUs) exceed entitled 42 VUs"));
  assert_non_null(strstr(out, "$5,030.03"));
  free(out);
}

/* December, through the ledger: November's orders count as entitlement (no repeat), a
 * requirement that fell gives no credit, and new growth orders only the difference. */
static void the_next_month_keeps_the_raised_entitlement_R_I6(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input tests/data/ipla_seed --output %s/out --month 2026-12 --issue-date 2027-01-02 --allow-open-month", e2e_licbill(),
                          tmp), 0);
  free(out);
  char *c = month_file("2026-12", "charges.csv");
  /* One: still 124 MSUs = 51 VUs, entitled 42 + 9 ordered in November = 51: no order */
  assert_null(strstr(c, "01-0000X,5655-L25"));
  /* Two: DB2 110 + 70 + 50 = 230 MSUs = 84 VUs below 76 + 13 = 89: no order, no credit */
  assert_null(strstr(c, "5655-I23"));
  assert_null(strstr(c, ",-"));
  /* Three: z/OS on X grew to 350: 650 MSUs = 163.5 + 50 x 0.2 = 173.5 -> 174 VUs; 174 - 164 = 10 x 95.00;
   * issued on 2 January 2027, so numbered in 2027's sequence */
  assert_non_null(strstr(c, "INV-2027-000003,SEED3,4,03-0000X+03-0000Y+03-0000Z,5655-K01,IPLA,10,VUs,95.00,950.00,"
                            "USD,R-W2;R-I3;R-I5;R-I6;R-0.1\n"));
  /* Four: Fault Analyzer ran, 60 MSUs = 27.3 -> 28 VUs over its 50 MSUs = 24 VUs: 4 x 180.00 */
  assert_non_null(strstr(c, "INV-2027-000004,SEED4,2,04-0000A,5655-L25,IPLA,4,VUs,180.00,720.00,USD,"
                            "R-W2;R-I1;R-I5;R-I6;R-0.1\n"));
  /* Five: 110 MSUs again, 46 VUs entitled since November: no order */
  assert_null(strstr(c, "05-0000A+05-0000B,5655-I23"));
  /* Six: 70 MSUs of z/OS and z/OS.e capped at the machine's 58 = 27 VUs, entitled 24: 3 x 95.00 */
  assert_non_null(strstr(c, "INV-2027-000006,SEED6,3,06-0000E,5655-K01,IPLA,3,VUs,95.00,285.00,USD,"
                            "R-W2;R-I3;R-I5;R-I6;R-0.1\n"));
  free(c);
  c = month_file("2026-12", "audit.csv");
  assert_non_null(strstr(c, "z/OS MSUs of machine 06-0000E: 70 MSUs together exceed the machine's Full Capacity "
                            "MSUs, so 58"));
  assert_non_null(strstr(c, "plus 9 VUs of earlier IBM-initiated orders\",51 VUs\n"));
  assert_non_null(strstr(c, "required 84 VUs do not exceed entitled 89 VUs"));
  free(c);
  /* the ledger carries the VUs ordered, per customer and product */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/out/ledger.db \"select customer_id, kind || ':' || subject, month, value "
                                "from carried where kind = 'iio_vu' order by customer_id\"", tmp), 0);
  assert_string_equal(out, "SEED1|iio_vu:5655-L25|2026-11|9\nSEED2|iio_vu:5655-I23|2026-11|13\n"
                           "SEED3|iio_vu:5655-K01|2026-12|10\nSEED4|iio_vu:5655-L25|2026-12|4\n"
                           "SEED5|iio_vu:5655-I23|2026-11|4\nSEED6|iio_vu:5655-K01|2026-11|4\n"
                           "SEED6|iio_vu:5655-K01|2026-12|7\nSEED7|iio_vu:5655-L25|2026-11|9\n");
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(seed_customers_get_the_seed_numbers_R_I1_R_I2_R_I3_R_I5_R_I6),
    cmocka_unit_test(a_program_that_did_not_run_requires_nothing_and_unlicensed_rows_are_notices_R_I1_R_I6),
    cmocka_unit_test(parent_versions_per_machine_zose_and_passport_advantage_R_I2_R_I3_R_M4),
    cmocka_unit_test(the_invoice_names_the_ibm_initiated_order_R_I6),
    cmocka_unit_test(the_next_month_keeps_the_raised_entitlement_R_I6),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
