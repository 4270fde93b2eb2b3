/* test_failures.c - when the environment fails mid-run (memory runs out), licbill says what ran out where,
 * exits 4, numbers nobody after the failed customer, and a run once the cause is gone gives exactly what an
 * uninterrupted run gives; a large usage.csv is read in memory proportional to its rows. */
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

/* The sample with 128,568 more hourly usage rows of C1012 (years before the reporting period, so the bill does
 * not change): C1012's rows take about 11 MB in memory, in one array. */
static int setup(void **state)
{
  (void)state;
  if(!(tmp = e2e_mkdtemp("failures")))
    return -1;
  return e2e_sh(NULL, "cp -a sample %s/in && awk 'BEGIN { t = mktime(\"2012 01 01 00 00 00\"); "
                      "for(n = 0; n < 128568; n++) { print \"C1012,U1-A0001,5695-DB2,6.1,\" strftime(\"%%Y-%%m-%%dT%%H\", "
                      "t + n * 3600, 1) \",\" (n * 37) %% 600 \",no\" } }' >> %s/in/usage.csv", tmp, tmp);
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

/* ASan's allocator refuses any single allocation above 8 MB and returns NULL, as malloc does when memory runs
 * out: C1012's usage array cannot be had, nothing else is that large. */
static void out_of_memory_stops_the_run_and_a_rerun_gives_the_uninterrupted_result(void **state)
{
  (void)state;
  char *out = NULL;
  if(!strstr(e2e_licbill(), "san"))
    skip(); /* the allocation limit is ASan's */
  char *bin = realpath(e2e_licbill(), NULL);
  assert_non_null(bin);
  /* what it says, and exit 4 */
  e2e_sh(&out, "cd %s && { ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=8:detect_leaks=1 "
               "%s run --input in --output out --month " MONTH " --issue-date 2026-12-01 2>&1; echo \"exit $?\"; } | "
               "grep -v '^licbill: notice: ' | grep -v 'WARNING: AddressSanitizer failed to allocate'", tmp, bin);
  assert_string_equal(out, "licbill: out of memory while pricing customer C1012: the run stops here, no later "
                           "customer was issued a number (a run when the cause is fixed bills them in the same "
                           "order)\nlicbill: the run failed (I/O or environment); nothing half-written is under a "
                           "final name; run it again when the cause is fixed\nexit 4\n");
  free(out);
  /* the customers before C1012 issued in order, nobody after it */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/out/ledger.db \"select count(*), min(customer_id), max(customer_id), "
                                "max(number) from documents\"", tmp), 0);
  assert_string_equal(out, "11|C1001|C1011|INV-2026-000011\n");
  free(out);
  /* the cause gone: the same command gives what one uninterrupted run gives, byte for byte. That one is the
   * release build's: the failed run and this one have gone through every customer under the sanitizers */
  char *rel = realpath(e2e_licbill_rel(), NULL);
  assert_non_null(rel);
  assert_int_equal(e2e_sh(&out, "cd %s && %s run --input in --output out --month " MONTH " --issue-date 2026-12-01 >/dev/null 2>&1 && "
                                "%s run --input in --output ref --month " MONTH " --issue-date 2026-12-01 >/dev/null 2>&1; "
                                "diff -r out/" MONTH " ref/" MONTH " && cmp out/archive/" MONTH ".tar.gz "
                                "ref/archive/" MONTH ".tar.gz && "
                                "test \"$(sqlite3 out/ledger.db 'select number, customer_id, kind, status, total "
                                "from documents order by number')\" = \"$(sqlite3 ref/ledger.db 'select number, "
                                "customer_id, kind, status, total from documents order by number')\"",
                          tmp, bin, rel), 0);
  assert_string_equal(out, "");
  free(out);
  free(rel);
  free(bin);
}

/* The arrays of a customer's rows are sized by the rows the index counted: C1012's 129,048 usage rows need
 * one array of about 11 MB (a bound by bytes, 6.3 MB / 2 rows of 88 bytes, asked for 280 MB). Allowed no single
 * allocation above 16 MB, the month bills as usual. */
static void usage_rows_take_memory_in_proportion_to_their_number(void **state)
{
  (void)state;
  char *out = NULL;
  if(!strstr(e2e_licbill(), "san"))
    skip();
  char *bin = realpath(e2e_licbill(), NULL);
  assert_non_null(bin);
  assert_int_equal(e2e_sh(&out, "cd %s && { ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=16 "
                                "%s check --input in --month " MONTH " --issue-date 2026-12-01 2>err.txt; echo \"exit $?\"; "
                                "grep -v '^licbill: notice: ' err.txt; true; }", tmp, bin), 0);
  assert_string_equal(out, "exit 0\n");
  free(out);
  free(bin);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(usage_rows_take_memory_in_proportion_to_their_number),
    cmocka_unit_test(out_of_memory_stops_the_run_and_a_rerun_gives_the_uninterrupted_result),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
