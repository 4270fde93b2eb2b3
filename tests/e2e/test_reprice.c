/* test_reprice.c - issue 14 part 6: a sealed month's archive holds what it was computed from and re-prices alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/e2e.h"

static char *tmp;

/* the sample month, sealed once for every test: by the release build, as test_golden bills it under the
 * sanitizers; what is tested here (verify, reprice) runs under them */
static int setup(void **state)
{
  (void)state;
  if(!(tmp = e2e_mkdtemp("reprice")))
    return -1;
  return e2e_sh(NULL, "%s run --input sample --output %s/out --month 2026-11 --issue-date 2026-12-01 2>/dev/null",
                e2e_licbill_rel(), tmp);
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

/* every file of sample/ is in the archive under 2026-11/input/ with its bytes (and its sha256 in the MANIFEST),
 * the rule book is docs/rules.md, ABOUT and the MANIFEST name the version and the rule book's digest */
static void the_archive_holds_the_inputs_the_rule_book_and_the_version(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "mkdir %s/x && tar -xzf %s/out/archive/2026-11.tar.gz -C %s/x && "
                                "diff -r sample %s/x/2026-11/input && diff -r templates/default %s/x/2026-11/template && "
                                "cmp docs/rules.md %s/x/2026-11/rulebook/rules.md && "
                                "cd sample && for f in $(find . -type f | sort); do "
                                "grep -qxF \"file $(sha256sum < $f | cut -c1-64) $(wc -c < $f) input/${f#./}\" "
                                "%s/x/2026-11/MANIFEST || echo \"$f not in the MANIFEST\"; done",
                          tmp, tmp, tmp, tmp, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  assert_int_equal(e2e_sh(&out, "v=$(cat VERSION); r=$(sha256sum docs/rules.md | cut -c1-64); "
                                "grep -xF \"licbill $v\" %s/x/2026-11/MANIFEST && grep -xF \"rulebook $r\" "
                                "%s/x/2026-11/MANIFEST && grep -xF \"licbill $v\" %s/x/2026-11/ABOUT && "
                                "grep -xF \"rulebook $r rulebook/rules.md\" %s/x/2026-11/ABOUT",
                          tmp, tmp, tmp, tmp), 0);
  free(out);
}

/* Info /Producer and XMP pdf:Producer of an invoice and an evidence PDF carry the version and the digest */
static void each_pdf_names_the_version_and_the_rule_book(void **state)
{
  (void)state;
  char *out = NULL;
  const char *pdfs[] = {"invoices/INV-2026-000001.pdf", "evidence/INV-2026-000001-audit.pdf"};
  for(size_t i = 0; i < 2; i++) {
    assert_int_equal(e2e_sh(&out, "want=\"licbill $(cat VERSION) (rule book sha256 $(sha256sum docs/rules.md | "
                                  "cut -c1-64))\"; pdfinfo %s/out/2026-11/%s | grep -F \"Producer:        $want\" && "
                                  "pdfinfo -meta %s/out/2026-11/%s | grep -F \"<pdf:Producer>$want\"",
                            tmp, pdfs[i], tmp, pdfs[i]), 0);
    free(out);
  }
}

static void reprice_of_the_sealed_sample_month_finds_every_amount_equal(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s verify --reprice --output %s/out --month 2026-11 2>/dev/null", e2e_licbill(), tmp),
                   0);
  assert_non_null(strstr(out, "every amount of 2026-11 re-priced equal to what was issued"));
  free(out);
  /* and nothing was written: the ledger and the month are as verify found them */
  assert_int_equal(e2e_sh(&out, "%s verify --output %s/out", e2e_licbill(), tmp), 0);
  free(out);
}

/* the archive copied alone into an empty folder, nothing else beside it */
static void an_archive_restored_alone_reprices_to_the_ledgers_amounts(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "mkdir %s/alone && cp %s/out/archive/2026-11.tar.gz %s/alone/ && "
                                "%s verify --reprice %s/alone/2026-11.tar.gz 2>/dev/null",
                          tmp, tmp, tmp, e2e_licbill(), tmp), 0);
  assert_non_null(strstr(out, "no ledger given"));
  assert_non_null(strstr(out, "every amount of 2026-11 re-priced equal to what was issued"));
  free(out);
}

/* an archived SCRT figure changed (z/OS on 3C-11AB2, C1005's machine: 280 -> 300 MSUs) and the archive rebuilt:
 * the amounts it changes are printed old -> new, exit 1 */
static void a_tampered_archived_msu_figure_is_reported_and_exits_1(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "mkdir -p %s/t/x %s/t/a && cd %s/t/x && tar -xzf ../../out/archive/2026-11.tar.gz && "
                                "sed -i 's/\"5650-ZOS\",\"280\"/\"5650-ZOS\",\"300\"/' "
                                "2026-11/input/scrt/3C-11AB2-2026-10-01.csv && "
                                "tar -czf ../a/2026-11.tar.gz 2026-11", tmp, tmp, tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s verify --reprice %s/t/a/2026-11.tar.gz 2>/dev/null", e2e_licbill(), tmp), 1);
  assert_non_null(strstr(out, "INV-2026-000005 line "));
  assert_non_null(strstr(out, "INV-2026-000005: total "));
  assert_non_null(strstr(out, " -> "));
  assert_non_null(strstr(out, "differ from what was issued"));
  assert_null(strstr(out, "INV-2026-000001"));
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_archive_holds_the_inputs_the_rule_book_and_the_version),
    cmocka_unit_test(each_pdf_names_the_version_and_the_rule_book),
    cmocka_unit_test(reprice_of_the_sealed_sample_month_finds_every_amount_equal),
    cmocka_unit_test(an_archive_restored_alone_reprices_to_the_ledgers_amounts),
    cmocka_unit_test(a_tampered_archived_msu_figure_is_reported_and_exits_1),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
