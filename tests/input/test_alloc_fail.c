/* test_alloc_fail.c - the parsers under forced allocation failure: every failure point gives LB_ENOMEM
 * (or success), never a crash or a leak (ASan checks both). The allocator is wrapped at link time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "input/catalog.h"
#include "input/custindex.h"
#include "input/customer.h"
#include "input/scrt.h"

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
char *__real_strdup(const char *);
char *__real_strndup(const char *, size_t);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long countdown = -1; /* fail the allocation when it reaches 0; -1 = never */
static int failed;

static int should_fail(void)
{
  if(countdown < 0)
    return 0;
  if(countdown-- == 0) {
    failed = 1;
    return 1;
  }
  return 0;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { return should_fail() ? NULL : __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return should_fail() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return should_fail() ? NULL : __real_strndup(s, n); }

static int read_scrt(void)
{
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  int rc = scrt_read(&r, "sample/scrt/82-C5DC8-2026-10-01.csv", 0, &d);
  scrt_free(r);
  diag_clear(&d);
  return rc;
}

static int read_catalog(void)
{
  catalog c;
  diag_list d;
  diag_init(&d);
  int rc = catalog_load(&c, "sample", &d);
  catalog_clear(&c);
  diag_clear(&d);
  return rc;
}

/* The customers are read with this catalog, loaded once without failures: its own failure points are
 * catalog_survives_every_allocation_failure's. */
static catalog customers_catalog;

static int read_customers(void)
{
  cust_index ix;
  cust_data cd;
  diag_list d;
  diag_init(&d);
  memset(&cd, 0, sizeof(cd));
  int rc = cust_index_build(&ix, "sample", &d);
  for(size_t k = 0; !rc && k < ix.n; k++) {
    rc = cust_load(&cd, &ix, k, &customers_catalog, NULL, &d);
    cust_data_clear(&cd);
  }
  cust_index_clear(&ix);
  diag_clear(&d);
  return rc;
}

/* Fail allocation 0, 1, 2, ... until a run completes without a forced failure. */
static void every_failure_point(int (*fn)(void), long max)
{
  long n;
  for(n = 0; n < max; n++) {
    countdown = n;
    failed = 0;
    int rc = fn();
    countdown = -1;
    if(!failed) {
      assert_int_equal(rc, LB_OK);
      break;
    }
    if(rc != LB_ENOMEM && rc != LB_OK)
      fail_msg("allocation %ld failed: got %d, expected LB_ENOMEM", n, rc);
  }
  assert_true(n < max);
  assert_true(n > 20); /* the wrapping really reached the parsers */
}

static void scrt_reader_survives_every_allocation_failure(void **state)
{
  (void)state;
  every_failure_point(read_scrt, 10000);
}

static void catalog_survives_every_allocation_failure(void **state)
{
  (void)state;
  every_failure_point(read_catalog, 20000);
}

static void customer_loading_survives_every_allocation_failure(void **state)
{
  (void)state;
  diag_list d;
  diag_init(&d);
  assert_int_equal(catalog_load(&customers_catalog, "sample", &d), LB_OK);
  diag_clear(&d);
  every_failure_point(read_customers, 40000);
  catalog_clear(&customers_catalog);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(scrt_reader_survives_every_allocation_failure),
    cmocka_unit_test(catalog_survives_every_allocation_failure),
    cmocka_unit_test(customer_loading_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
