/* test_tsad.c - R-T2 end to end: a customer that sends no TSAD, with IBM charging full capacity for it or
 * having waived it (customers.csv tsad_full_capacity), billed through `licbill run` on the sample. */
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

static int setup(void **state)
{
  (void)state;
  return (tmp = e2e_mkdtemp("tsad")) ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

/* The sample with the tsad_full_capacity column (empty everywhere) and C1001 sending no TSAD, its cell set to
 * full (empty, yes or no), billed into tmp/out-NAME. */
static void bill(const char *name, const char *full)
{
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "cd %s && rm -rf in-%s && cp -a %s/sample in-%s && "
                                "sed -i -e '1s/,tsad$/,tsad,tsad_full_capacity/' -e '2,$s/$/,/' "
                                "-e 's/^\\(C1001,.*\\),yes,$/\\1,no,%s/' in-%s/customers.csv && "
                                "grep -c '^C1001,.*,no,%s$' in-%s/customers.csv",
                          tmp, name, getenv("PWD"), name, full, name, full, name), 0);
  assert_string_equal(out, "1\n");
  free(out);
  const char *bin = e2e_licbill();
  assert_int_equal(e2e_sh(&out, "cd %s && %s%s%s run --input in-%s --output out-%s --month " MONTH
                                " --issue-date 2026-12-01 2>&1", tmp, *bin == '/' ? "" : getenv("PWD"),
                          *bin == '/' ? "" : "/", bin, name, name), 0);
  free(out);
}

static char *line_of(const char *name, const char *file, const char *key)
{
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "grep -F '%s' %s/out-%s/" MONTH "/%s", key, tmp, name, file), 0);
  return out;
}

/* 002 §5.16.1 4.f: "Failure to submit TSAD may result in IBM Programs being charged on a Full Capacity MSU
 * basis". Waived (no), C1001's z/OS data set feature on 82-C5DC8 is billed on its report as in the golden
 * sample: 412 MSUs, 3 x 10.00 + 42 x 6.00 + 130 x 4.00 + 140 x 2.50 + 97 x 1.50 = 1,297.50 EUR, and a notice
 * says TSAD is missing but waived. Applied (empty or yes), the machine is at full capacity: 1,200 MSUs,
 * 30.00 + 252.00 + 520.00 + 350.00 + 885 x 1.50 = 2,479.50 EUR, and the line carries R-T2. */
static void tsad_missing_is_full_capacity_unless_ibm_waived_it_R_T2(void **state)
{
  (void)state;
  bill("waived", "no");
  char *got = line_of("waived", "charges.csv", ",C1001,1,82-C5DC8,5650-ZDS,");
  assert_string_equal(got, "INV-2026-000001,C1001,1,82-C5DC8,5650-ZDS,AWLC,412,MSUs,,1297.50,EUR,R-T4;R-W2;R-W6;R-W1;"
                           "R-0.1\n");
  free(got);
  got = line_of("waived", "notices.csv", "INV-2026-000001,C1001,82-C5DC8,R-T2,");
  assert_non_null(strstr(got, "TSAD is not being sent (customers.csv tsad no) but IBM waived full capacity for it "
                              "(tsad_full_capacity no): machine 82-C5DC8 is billed on its SCRT report"));
  free(got);
  got = line_of("waived", "notices.csv", "INV-2026-000001,C1001,82-C5DC9,R-T2,");
  free(got);
  static const char *const applied[] = {"", "yes"};
  for(size_t k = 0; k < 2; k++) {
    char name[16];
    snprintf(name, sizeof(name), "full%zu", k);
    bill(name, applied[k]);
    got = line_of(name, "charges.csv", ",C1001,1,82-C5DC8,5650-ZDS,");
    assert_string_equal(got, "INV-2026-000001,C1001,1,82-C5DC8,5650-ZDS,AWLC,1200,MSUs,,2479.50,EUR,R-T4;R-T2;R-W6;"
                             "R-W1;R-0.1\n");
    free(got);
    got = line_of(name, "notices.csv", "INV-2026-000001,C1001,82-C5DC8,R-T2,");
    assert_non_null(strstr(got, "customer's record says TSAD is not being sent and IBM charges full capacity"));
    free(got);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tsad_missing_is_full_capacity_unless_ibm_waived_it_R_T2),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
