/* test_harumem.c - render/harumem.c keeps libharu's contract for HPDF_MemSet and HPDF_MemCpy (the same bytes,
 * the end of what was written returned), and the licbill binary is the one libharu calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_utils.h>

#include "support/e2e.h"

static void memset_fills_and_returns_the_end(void **state)
{
  (void)state;
  unsigned char b[16];
  memset(b, 'x', sizeof(b));
  unsigned char *end = HPDF_MemSet(b + 2, 0, 10);
  assert_ptr_equal(end, b + 12);
  assert_int_equal(b[1], 'x');
  for(int i = 2; i < 12; i++)
    assert_int_equal(b[i], 0);
  assert_int_equal(b[12], 'x');
  assert_ptr_equal(HPDF_MemSet(b, 7, 0), b); /* nothing to fill: the start */
}

static void memcpy_copies_and_returns_the_end(void **state)
{
  (void)state;
  HPDF_BYTE out[8] = {0}, in[5] = {1, 2, 3, 4, 5};
  assert_ptr_equal(HPDF_MemCpy(out + 1, in, 5), out + 6);
  assert_memory_equal(out + 1, in, 5);
  assert_int_equal(out[0], 0);
  assert_int_equal(out[6], 0);
  assert_ptr_equal(HPDF_MemCpy(out, in, 0), out);
}

/* the executable exports both, so libharu's own calls (through its PLT) reach them */
static void the_binary_exports_them_to_libharu(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "nm -D ./licbill | awk '$2 == \"T\" {print $3}' | grep '^HPDF_Mem' | sort"), 0);
  assert_string_equal(out, "HPDF_MemCpy\nHPDF_MemSet\n");
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(memset_fills_and_returns_the_end),
    cmocka_unit_test(memcpy_copies_and_returns_the_end),
    cmocka_unit_test(the_binary_exports_them_to_libharu),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
