/* test_xsort.c - the external sort gives every record once, in order, ties in the order added, however many runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/xsort.h"

/* Records "KEY:SEQ": ordered by KEY only, so equal keys test stability. */
static int by_key(const void *a, size_t an, const void *b, size_t bn)
{
  const char *p = memchr(a, ':', an), *q = memchr(b, ':', bn);
  size_t la = (size_t)(p - (const char *)a), lb = (size_t)(q - (const char *)b);
  int c = memcmp(a, b, la < lb ? la : lb);
  return c ? c : (la > lb) - (la < lb);
}

static void check_sorted(xsort *x, size_t want)
{
  const void *rec;
  size_t n, count = 0;
  char prev[64] = "";
  unsigned prev_seq = 0;
  while(xsort_next(x, &rec, &n) == 1) {
    char cur[64];
    unsigned seq;
    assert_true(n < sizeof(cur));
    memcpy(cur, rec, n);
    cur[n] = '\0';
    char *colon = strchr(cur, ':');
    assert_non_null(colon);
    seq = (unsigned)atoi(colon + 1);
    *colon = '\0';
    if(count) {
      int c = strcmp(prev, cur);
      assert_true(c <= 0);
      if(c == 0)
        assert_true(prev_seq < seq); /* stable */
    }
    snprintf(prev, sizeof(prev), "%s", cur);
    prev_seq = seq;
    count++;
  }
  assert_int_equal(count, want);
}

static void records_come_in_order_with_ties_as_added(void **state)
{
  (void)state;
  xsort *x;
  char rec[64];
  assert_int_equal(xsort_new(&x, by_key, 0), LB_OK);
  for(unsigned i = 0; i < 1000; i++) {
    int n = snprintf(rec, sizeof(rec), "k%03u:%u", (i * 389) % 250, i);
    assert_int_equal(xsort_add(x, rec, (size_t)n), LB_OK);
  }
  check_sorted(x, 1000);
  assert_int_equal(xsort_rewind(x), LB_OK);
  check_sorted(x, 1000);
  xsort_free(x);
}

static void many_runs_merge_in_several_passes_and_stay_stable(void **state)
{
  (void)state;
  xsort *x;
  char rec[64];
  /* a 600-byte budget: hundreds of runs, more than one merge of XSORT_FANIN */
  assert_int_equal(xsort_new(&x, by_key, 600), LB_OK);
  for(unsigned i = 0; i < 20000; i++) {
    int n = snprintf(rec, sizeof(rec), "key%05u:%u", (i * 7919) % 3000, i);
    assert_int_equal(xsort_add(x, rec, (size_t)n), LB_OK);
  }
  check_sorted(x, 20000);
  assert_int_equal(xsort_rewind(x), LB_OK);
  check_sorted(x, 20000);
  assert_int_equal(xsort_add(x, "late:1", 6), LB_EBUG); /* no adding once reading */
  xsort_free(x);
}

static void an_empty_sort_gives_nothing_and_a_record_longer_than_the_budget_comes_whole(void **state)
{
  (void)state;
  xsort *x;
  const void *rec;
  size_t n;
  char big[5000];
  assert_int_equal(xsort_new(&x, by_key, 0), LB_OK);
  assert_int_equal(xsort_next(x, &rec, &n), 0);
  xsort_free(x);
  assert_int_equal(xsort_new(&x, by_key, 100), LB_OK);
  memset(big, 'z', sizeof(big));
  memcpy(big + sizeof(big) - 3, ":1", 2);
  assert_int_equal(xsort_add(x, "b:2", 3), LB_OK);
  assert_int_equal(xsort_add(x, big, sizeof(big) - 1), LB_OK);
  assert_int_equal(xsort_add(x, "a:3", 3), LB_OK);
  assert_int_equal(xsort_next(x, &rec, &n), 1);
  assert_memory_equal(rec, "a:3", 3);
  assert_int_equal(xsort_next(x, &rec, &n), 1);
  assert_memory_equal(rec, "b:2", 3);
  assert_int_equal(xsort_next(x, &rec, &n), 1);
  assert_int_equal(n, sizeof(big) - 1);
  assert_memory_equal(rec, big, n);
  assert_int_equal(xsort_next(x, &rec, &n), 0);
  xsort_free(x);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(records_come_in_order_with_ties_as_added),
    cmocka_unit_test(many_runs_merge_in_several_passes_and_stay_stable),
    cmocka_unit_test(an_empty_sort_gives_nothing_and_a_record_longer_than_the_budget_comes_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
