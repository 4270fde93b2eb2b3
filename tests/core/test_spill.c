/* test_spill.c - the spill keeps every byte where it was written, in memory and once it has moved to its file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/errors.h"
#include "core/spill.h"

static void small_spill_stays_in_memory_and_reads_back(void **state)
{
  (void)state;
  spill s;
  char buf[16];
  uint64_t off;
  spill_init(&s, 0);
  assert_int_equal(spill_append(&s, "hello", 5, &off), LB_OK);
  assert_int_equal(off, 0);
  assert_int_equal(spill_append(&s, " world", 6, &off), LB_OK);
  assert_int_equal(off, 5);
  assert_int_equal(spill_write(&s, 0, "J", 1), LB_OK);
  assert_int_equal(spill_read(&s, 0, buf, 11), LB_OK);
  assert_memory_equal(buf, "Jello world", 11);
  assert_false(s.file);
  /* past the end: not there */
  assert_int_equal(spill_read(&s, 8, buf, 4), LB_EIO);
  spill_clear(&s);
}

static void spill_past_its_limit_moves_to_a_file_and_keeps_every_byte(void **state)
{
  (void)state;
  spill s;
  unsigned char want[300000], got[300000];
  for(size_t i = 0; i < sizeof(want); i++)
    want[i] = (unsigned char)(i * 7 + i / 251);
  spill_init(&s, 1000);
  for(size_t i = 0; i < sizeof(want); i += 1000)
    assert_int_equal(spill_append(&s, want + i, 1000, NULL), LB_OK);
  assert_true(s.file);
  assert_int_equal(s.size, sizeof(want));
  /* rewritten across the file and its buffered tail */
  memset(want + s.fsize - 10, 0xAB, 20);
  assert_int_equal(spill_write(&s, s.fsize - 10, want + s.fsize - 10, 20), LB_OK);
  memset(want + 5, 0xCD, 3);
  assert_int_equal(spill_write(&s, 5, want + 5, 3), LB_OK);
  assert_int_equal(spill_read(&s, 0, got, sizeof(got)), LB_OK);
  assert_memory_equal(got, want, sizeof(want));
  assert_int_equal(spill_read(&s, 123457, got, 99), LB_OK);
  assert_memory_equal(got, want + 123457, 99);
  /* a write bigger than the tail goes straight to the file */
  static unsigned char big[3 * SPILL_TAIL];
  memset(big, 0x5A, sizeof(big));
  assert_int_equal(spill_append(&s, big, sizeof(big), NULL), LB_OK);
  assert_int_equal(spill_read(&s, sizeof(want) - 1, got, 2), LB_OK);
  assert_int_equal(got[0], want[sizeof(want) - 1]);
  assert_int_equal(got[1], 0x5A);
  spill_clear(&s);
}

static void grow_adds_zeros_in_memory_and_in_the_file(void **state)
{
  (void)state;
  spill s;
  unsigned char got[8];
  spill_init(&s, 0);
  assert_int_equal(spill_append(&s, "ab", 2, NULL), LB_OK);
  assert_int_equal(spill_grow(&s, 10), LB_OK);
  assert_int_equal(spill_read(&s, 1, got, 8), LB_OK);
  assert_memory_equal(got, "b\0\0\0\0\0\0\0", 8);
  assert_int_equal(spill_grow(&s, 4 * SPILL_MEM_MAX), LB_OK); /* past the limit: a sparse file */
  assert_true(s.file);
  assert_int_equal(spill_read(&s, 3 * SPILL_MEM_MAX, got, 8), LB_OK);
  assert_memory_equal(got, "\0\0\0\0\0\0\0\0", 8);
  assert_int_equal(spill_read(&s, 0, got, 2), LB_OK);
  assert_memory_equal(got, "ab", 2);
  assert_int_equal(spill_grow(&s, 5), LB_OK); /* never smaller */
  assert_int_equal(s.size, 4 * SPILL_MEM_MAX);
  spill_clear(&s);
}

static void a_write_past_the_end_is_refused(void **state)
{
  (void)state;
  spill s;
  spill_init(&s, 0);
  assert_int_equal(spill_write(&s, 3, "x", 1), LB_EIO);
  /* and the spill stays failed */
  assert_int_equal(spill_append(&s, "x", 1, NULL), LB_EIO);
  spill_clear(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(small_spill_stays_in_memory_and_reads_back),
    cmocka_unit_test(spill_past_its_limit_moves_to_a_file_and_keeps_every_byte),
    cmocka_unit_test(grow_adds_zeros_in_memory_and_in_the_file),
    cmocka_unit_test(a_write_past_the_end_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
