/* test_dmap.c - the spilled hash map: lookups of present and missing keys, duplicates refused, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dmap.h"
#include "core/errors.h"

static void a_key_put_is_found_and_a_missing_key_is_not(void **state)
{
  (void)state;
  dmap m;
  uint32_t v = 7, got = 0;
  uint64_t where, w2;
  dmap_init(&m, sizeof(uint32_t));
  assert_int_equal(dmap_get(&m, "C1001", &got, NULL), 0);
  assert_int_equal(dmap_put(&m, "C1001", &v, NULL, &where), 0);
  assert_int_equal(dmap_get(&m, "C1001", &got, &w2), 1);
  assert_int_equal(got, 7);
  assert_int_equal(w2, where);
  assert_int_equal(dmap_get(&m, "C100", &got, NULL), 0);
  assert_int_equal(dmap_get(&m, "C10011", &got, NULL), 0);
  assert_int_equal(dmap_get(&m, "", &got, NULL), 0);
  char *key;
  assert_int_equal(dmap_key(&m, where, &key), LB_OK);
  assert_string_equal(key, "C1001");
  free(key);
  dmap_clear(&m);
}

static void a_duplicate_key_is_refused_and_gives_the_first_value(void **state)
{
  (void)state;
  dmap m;
  uint32_t a = 1, b = 2, old = 0, got = 0;
  uint64_t w1, w2;
  dmap_init(&m, sizeof(uint32_t));
  assert_int_equal(dmap_put(&m, "82-C5DC8", &a, NULL, &w1), 0);
  assert_int_equal(dmap_put(&m, "82-C5DC8", &b, &old, &w2), 1);
  assert_int_equal(old, 1);
  assert_int_equal(w2, w1);
  assert_int_equal(m.n, 1);
  assert_int_equal(dmap_get(&m, "82-C5DC8", &got, NULL), 1);
  assert_int_equal(got, 1);
  /* replaced in place, found so; a missing key is not added */
  assert_int_equal(dmap_set(&m, "82-C5DC8", &b), 1);
  assert_int_equal(dmap_get(&m, "82-C5DC8", &got, NULL), 1);
  assert_int_equal(got, 2);
  assert_int_equal(dmap_set(&m, "82-C5DC9", &b), 0);
  assert_int_equal(m.n, 1);
  dmap_clear(&m);
}

static int count_each(void *ctx, const char *key, const void *val)
{
  size_t *n = ctx;
  uint32_t v;
  char want[32];
  memcpy(&v, val, sizeof(v));
  snprintf(want, sizeof(want), "key-%u", v);
  if(strcmp(key, want) || v != *n)
    return -1;
  (*n)++;
  return 0;
}

static void a_hundred_thousand_keys_grow_into_files_and_are_all_found(void **state)
{
  (void)state;
  dmap m;
  char key[32];
  uint32_t v, got;
  dmap_init(&m, sizeof(uint32_t));
  for(v = 0; v < 100000; v++) {
    snprintf(key, sizeof(key), "key-%u", v);
    assert_int_equal(dmap_put(&m, key, &v, NULL, NULL), 0);
  }
  assert_true(m.slots.file && m.recs.file); /* spilled: no memory per key */
  for(v = 0; v < 100000; v += 7) {
    snprintf(key, sizeof(key), "key-%u", v);
    assert_int_equal(dmap_get(&m, key, &got, NULL), 1);
    assert_int_equal(got, v);
  }
  assert_int_equal(dmap_get(&m, "key-100000", &got, NULL), 0);
  v = 5;
  assert_int_equal(dmap_put(&m, "key-99999", &v, &got, NULL), 1);
  assert_int_equal(got, 99999);
  size_t n = 0;
  assert_int_equal(dmap_each(&m, count_each, &n), 0);
  assert_int_equal(n, 100000);
  dmap_clear(&m);
}

static void long_keys_compare_whole(void **state)
{
  (void)state;
  dmap m;
  char a[600], b[600];
  uint32_t one = 1, two = 2, got;
  memset(a, 'x', sizeof(a) - 1);
  a[sizeof(a) - 1] = '\0';
  memcpy(b, a, sizeof(b));
  b[590] = 'y'; /* differs far past the first bytes */
  dmap_init(&m, sizeof(uint32_t));
  assert_int_equal(dmap_put(&m, a, &one, NULL, NULL), 0);
  assert_int_equal(dmap_put(&m, b, &two, NULL, NULL), 0);
  assert_int_equal(dmap_get(&m, b, &got, NULL), 1);
  assert_int_equal(got, 2);
  assert_int_equal(dmap_get(&m, a, &got, NULL), 1);
  assert_int_equal(got, 1);
  dmap_clear(&m);
}

/* Values too long for a slot live in the record; a map never used, even one of zero bytes, clears. */
static void long_values_and_empty_maps(void **state)
{
  (void)state;
  dmap m, zero;
  char v[24] = "twenty-three characters", got[24];
  memset(&zero, 0, sizeof(zero));
  assert_int_equal(dmap_get(&zero, "x", got, NULL), 0);
  dmap_clear(&zero);
  dmap_init(&m, sizeof(v));
  assert_int_equal(dmap_get(&m, "x", got, NULL), 0);
  assert_int_equal(dmap_put(&m, "x", v, NULL, NULL), 0);
  memset(got, 0, sizeof(got));
  assert_int_equal(dmap_get(&m, "x", got, NULL), 1);
  assert_memory_equal(got, v, sizeof(v));
  v[0] = 'T';
  assert_int_equal(dmap_set(&m, "x", v), 1);
  assert_int_equal(dmap_get(&m, "x", got, NULL), 1);
  assert_memory_equal(got, v, sizeof(v));
  dmap_clear(&m);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_key_put_is_found_and_a_missing_key_is_not),
    cmocka_unit_test(a_duplicate_key_is_refused_and_gives_the_first_value),
    cmocka_unit_test(a_hundred_thousand_keys_grow_into_files_and_are_all_found),
    cmocka_unit_test(long_keys_compare_whole),
    cmocka_unit_test(long_values_and_empty_maps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
