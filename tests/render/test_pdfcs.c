/* test_pdfcs.c - the content stream rewriter: shorter streams that draw and place text exactly as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/pdfcs.h"

static void check(const char *in, const char *want)
{
  size_t n = strlen(in);
  unsigned char *out = malloc(pdfcs_bound(n));
  assert_non_null(out);
  size_t got = pdfcs_compact((const unsigned char *)in, n, out);
  int same = got == strlen(want) && !memcmp(out, want, got);
  if(!same)
    print_error("in:\n%s\nwant:\n%s\ngot:\n%.*s\n", in, want, (int)got, (const char *)out);
  free(out);
  assert_true(same);
}

/* 1. Path coordinates, widths and grays to two decimals, written short; a float's noise goes. */
static void path_numbers_are_rounded_to_hundredths_and_written_short(void **state)
{
  (void)state;
  check("0.75 G\n0.4 w\n42 809.89001 m\n553.276 809.89001 l\nS\n",
        ".75 G\n.4 w\n42 809.89 m\n553.28 809.89 l\nS\n");
  check("-0.004 0.005 10.63189 41.49208 re\nf\n", "0 .01 10.63 41.49 re\nf\n");
  check("-0.5 -12.30 m\n", "-.5 -12.3 m\n");
}

/* 2. Text is placed where it was, to the last digit (pdftotext -layout sees 1e-5 of a point now and then):
 * Td, Tm and Tf operands and the strings are copied as written. */
static void text_positions_and_strings_are_copied_as_written(void **state)
{
  (void)state;
  check("BT\n/F1 7.5 Tf\n42 813.89001 Td\n(a \\(b\\) \\\\)Tj\n-435.85999 -0.5 Td\n(c)Tj\nET\n",
        "BT\n/F1 7.5 Tf\n42 813.89001 Td\n(a \\(b\\) \\\\) Tj\n-435.85999 -0.5 Td\n(c) Tj\nET\n");
  check("BT\n0 1 -1 0 546.41608 621.89001 Tm\n(x)Tj\nET\n", "BT\n0 1 -1 0 546.41608 621.89001 Tm\n(x) Tj\nET\n");
}

/* 3. A state operator that sets what is in effect goes, across text objects; q/Q restore what was in effect. */
static void repeated_state_is_dropped_and_q_restores_it(void **state)
{
  (void)state;
  check("0.8 G\n0.3 w\n1 2 m\n3 4 l\nS\n0.8 G\n0.3 w\n5 6 m\n7 8 l\nS\n", ".8 G\n.3 w\n1 2 m\n3 4 l\nS\n5 6 m\n7 8 l\nS\n");
  check("BT\n/F2 5.5 Tf\n1 2 Td\n(a)Tj\nET\n0 0 m\nS\nBT\n/F2 5.5 Tf\n3 4 Td\n(b)Tj\nET\n",
        "BT\n/F2 5.5 Tf\n1 2 Td\n(a) Tj\nET\n0 0 m\nS\nBT\n3 4 Td\n(b) Tj\nET\n");
  check("0.5 w\nq\n0.6 w\nQ\n0.5 w\n0.6 w\n", ".5 w\nq\n.6 w\nQ\n.6 w\n");
  check("[3 2 ] 0 d\n[3 2 ] 0 d\n[] 0 d\n", "[3 2 ] 0 d\n[] 0 d\n");
}

/* 4. ET, then only state, then BT: one text object, its next line placed from the origin by Tm. */
static void adjacent_text_objects_are_joined_with_an_absolute_move(void **state)
{
  (void)state;
  check("BT\n/F1 9 Tf\n47 755.39 Td\n(a)Tj\nET\n0.35 g\nBT\n/F2 9 Tf\n50 700.5 Td\n(b)Tj\n0 -9.5 Td\n(c)Tj\nET\n",
        "BT\n/F1 9 Tf\n47 755.39 Td\n(a) Tj\n.35 g\n/F2 9 Tf\n1 0 0 1 50 700.5 Tm\n(b) Tj\n0 -9.5 Td\n(c) Tj\nET\n");
  /* a text object that shows text before any move starts at the origin */
  check("BT\n1 2 Td\n(a)Tj\nET\nBT\n(b)Tj\nET\n", "BT\n1 2 Td\n(a) Tj\n1 0 0 1 0 0 Tm\n(b) Tj\nET\n");
  /* a line drawn between them keeps them apart (painting order) */
  check("BT\n1 2 Td\n(a)Tj\nET\n0 0 m\nS\nBT\n3 4 Td\n(b)Tj\nET\n",
        "BT\n1 2 Td\n(a) Tj\nET\n0 0 m\nS\nBT\n3 4 Td\n(b) Tj\nET\n");
}

/* 5. What the rewriter does not read is copied whole, as it is. */
static void unknown_or_broken_streams_are_copied_unchanged(void **state)
{
  (void)state;
  static const char *const cases[] = {
    "BT\n(unterminated Tj\nET\n",
    "BT\n1 2 Td\nT*\n(a)Tj\nET\n",
    "q\nBI /W 1 /H 1 ID x EI\nQ\n",
    "/P <</MCID 0>> BDC\nEMC\n",
    "1 2 3\n",
    "Q\n",
    "BT\nBT\nET\n",
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    check(cases[i], cases[i]);
  check("", "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(path_numbers_are_rounded_to_hundredths_and_written_short),
    cmocka_unit_test(text_positions_and_strings_are_copied_as_written),
    cmocka_unit_test(repeated_state_is_dropped_and_q_restores_it),
    cmocka_unit_test(adjacent_text_objects_are_joined_with_an_absolute_move),
    cmocka_unit_test(unknown_or_broken_streams_are_copied_unchanged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
