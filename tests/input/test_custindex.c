/* test_custindex.c - the customer index kept in spills: ids and machine serials found, a missing one not, a
 * duplicate reported once and flagged, every span of a customer whose rows are not together, at any size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/custindex.h"
#include "tests/support/e2e.h"

static const char *const headers[CF__COUNT] = {
  "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,payment_terms_days,"
  "prompt_pay_pct,prompt_pay_days,tsad\n",
  "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,processor_group,golc_category,"
  "zelc_category,twlc_tier,subcap_start,zose_engines,prsm,effective_from\n",
  "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,discontinued_on,notice_received_on,"
  "order_number,subcap_terms,entitled_msu,replaces,secure_support,pricing,quantity,accepted_on,sales_channel\n",
  "customer_id,license_id,period_start,period_end,annual_charge,reinstated_on,offering,kind,order_number,expired_on,"
  "funded_on,quantity\n",
  "customer_id,serial,product_id,version,hour,value,test_period\n",
};

static char *dir; /* under e2e_tmpdir() */
static FILE *files[CF__COUNT];

static void open_set(void)
{
  dir = e2e_mkdtemp("custindex");
  assert_non_null(dir);
  for(int f = 0; f < CF__COUNT; f++) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, cust_file_names[f]);
    files[f] = fopen(path, "w");
    assert_non_null(files[f]);
    fputs(headers[f], files[f]);
  }
}

static void close_set(void)
{
  for(int f = 0; f < CF__COUNT; f++)
    fclose(files[f]);
}

static void drop_set(void)
{
  e2e_rm_tree(dir);
  free(dir);
  dir = NULL;
}

static void customer_row(const char *id) { fprintf(files[CF_CUSTOMERS], "%s,N,commercial,A,DE,DE,EUR,K,monthly,30,,,yes\n", id); }
static void machine_row(const char *id, const char *serial)
{
  fprintf(files[CF_MACHINES], "%s,%s,2964-701,100,1,,yes,,,,,,,,\n", id, serial);
}
static void usage_row(const char *id, const char *serial, int hour)
{
  fprintf(files[CF_USAGE], "%s,%s,5695-DB2,6.1,2026-09-10T%02d,5,no\n", id, serial, hour);
}

static size_t count_spans(const cust_index *ix, span_cursor c, uint64_t *rows)
{
  span s;
  size_t n = 0;
  int rc;
  *rows = 0;
  while((rc = cust_index_next_span(ix, &c, &s)) == 1) {
    n++;
    *rows += s.rows;
  }
  assert_int_equal(rc, 0);
  return n;
}

static void ids_and_serials_are_found_and_a_missing_one_is_not(void **state)
{
  (void)state;
  cust_index ix;
  diag_list d;
  cust_entry e;
  char *id;
  open_set();
  customer_row("C1");
  customer_row("C2");
  customer_row("C1");         /* duplicate: reported, C1 flagged */
  machine_row("C1", "AA-1");
  machine_row("C2", "BB-2");
  machine_row("C2", "AA-1");  /* C1's machine listed for C2: reported */
  machine_row("C9", "CC-3");  /* nobody's row: reported */
  close_set();
  diag_init(&d);
  assert_int_equal(cust_index_build(&ix, dir, &d), LB_OK);
  assert_int_equal(ix.n, 2);
  assert_int_equal(cust_index_find(&ix, "C1"), 0);
  assert_int_equal(cust_index_find(&ix, "C2"), 1);
  assert_int_equal(cust_index_find(&ix, "C3"), -1);
  assert_int_equal(cust_index_find(&ix, "C"), -1);
  assert_int_equal(cust_index_serial_owner(&ix, "AA-1"), 0);
  assert_int_equal(cust_index_serial_owner(&ix, "BB-2"), 1);
  assert_int_equal(cust_index_serial_owner(&ix, "CC-3"), -1); /* its row named nobody */
  assert_int_equal(cust_index_id(&ix, 1, &id), LB_OK);
  assert_string_equal(id, "C2");
  free(id);
  assert_int_equal(cust_index_entry(&ix, 0, &e), LB_OK);
  assert_string_equal(e.id, "C1");
  assert_int_equal(e.line, 2);
  assert_true(e.duplicate);
  assert_int_equal(e.spans[CF_MACHINES].nspans, 1);
  assert_int_equal(e.spans[CF_MACHINES].rows, 1);
  cust_entry_clear(&e);
  assert_int_equal(cust_index_entry(&ix, 1, &e), LB_OK);
  assert_false(e.duplicate);
  assert_int_equal(e.spans[CF_MACHINES].nspans, 1); /* its two rows together */
  assert_int_equal(e.spans[CF_MACHINES].rows, 2);
  cust_entry_clear(&e);
  /* each problem once, in file order */
  assert_int_equal(d.n, 3);
  assert_string_equal(d.v[0].message, "customer_id 'C1' appears twice (first on line 2), expected each customer once");
  assert_int_equal(d.v[0].line, 4);
  assert_string_equal(d.v[1].customer_id, "C2");
  assert_non_null(strstr(d.v[1].message, "machine AA-1 is also listed for customer C1"));
  assert_non_null(strstr(d.v[2].message, "customer_id 'C9' is not in customers.csv"));
  diag_clear(&d);
  cust_index_clear(&ix);
  drop_set();
}

/* Thousands of customers (the index in its temporary files), usage rows hour by hour across them: every
 * customer's rows are found again, in as many spans as runs of its rows. */
static void thousands_of_customers_with_scattered_rows_keep_every_span(void **state)
{
  (void)state;
  enum { N = 3000, HOURS = 6 };
  cust_index ix;
  diag_list d;
  char id[32], serial[32];
  open_set();
  for(int k = 0; k < N; k++) {
    snprintf(id, sizeof(id), "CUST-%06d", k);
    customer_row(id);
  }
  for(int k = 0; k < N; k++) {
    snprintf(id, sizeof(id), "CUST-%06d", k);
    snprintf(serial, sizeof(serial), "S-%06d", k);
    machine_row(id, serial);
  }
  /* every customer's first two hours together, then one hour at a time across all of them */
  for(int k = 0; k < N; k++) {
    snprintf(id, sizeof(id), "CUST-%06d", k);
    snprintf(serial, sizeof(serial), "S-%06d", k);
    usage_row(id, serial, 0);
    usage_row(id, serial, 1);
  }
  for(int h = 2; h < HOURS; h++)
    for(int k = 0; k < N; k++) {
      snprintf(id, sizeof(id), "CUST-%06d", k);
      snprintf(serial, sizeof(serial), "S-%06d", k);
      usage_row(id, serial, h);
    }
  close_set();
  diag_init(&d);
  assert_int_equal(cust_index_build(&ix, dir, &d), LB_OK);
  assert_int_equal(d.n, 0);
  assert_int_equal(ix.n, N);
  assert_true(ix.recs.file); /* past the memory of one spill */
  for(int k = 0; k < N; k += 7) {
    cust_entry e;
    uint64_t rows;
    snprintf(id, sizeof(id), "CUST-%06d", k);
    snprintf(serial, sizeof(serial), "S-%06d", k);
    assert_int_equal(cust_index_find(&ix, id), k);
    assert_int_equal(cust_index_serial_owner(&ix, serial), k);
    assert_int_equal(cust_index_entry(&ix, (size_t)k, &e), LB_OK);
    assert_string_equal(e.id, id);
    assert_int_equal(e.line, k + 2);
    assert_int_equal(count_spans(&ix, e.spans[CF_USAGE], &rows), 1 + (HOURS - 2));
    assert_int_equal(rows, HOURS);
    assert_int_equal(e.spans[CF_USAGE].rows, HOURS);
    assert_int_equal(count_spans(&ix, e.spans[CF_LICENSES], &rows), 0);
    cust_entry_clear(&e);
  }
  assert_int_equal(cust_index_find(&ix, "CUST-003000"), -1);
  diag_clear(&d);
  cust_index_clear(&ix);
  drop_set();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ids_and_serials_are_found_and_a_missing_one_is_not),
    cmocka_unit_test(thousands_of_customers_with_scattered_rows_keep_every_span),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
