/* custfiles.c - libFuzzer harness of the per-customer files (input/custindex.c, input/customer.c). The
 * input is one of customers.csv, machines.csv, licenses.csv, support.csv or usage.csv: its first line
 * names which (else its first byte picks one, see fz_pick) and the rest is the file. The other four are
 * the sample's (copies in the scratch folder, linked from the input folder). The index is built and, when
 * it is usable (batch/run.c goes on only then), every customer with rows in the fuzzed file is loaded
 * against the sample's catalog. The others are not: their rows are all the sample's, and loading them
 * took most of the time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/common.h"
#include "input/catalog.h"
#include "input/custindex.h"
#include "input/customer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir;
static char *paths[CF__COUNT];
static char *base[CF__COUNT]; /* the scratch folder's copy of the sample's file */
static catalog cat;

static void setup(void)
{
  diag_list d;
  diag_init(&d);
  char *sample;
  dir = fz_path("in");
  fz_require(mkdir(dir, 0700) == 0, "cannot make the input folder");
  for(int f = 0; f < CF__COUNT; f++) {
    paths[f] = fz_str("%s/%s", dir, cust_file_names[f]);
    base[f] = fz_str("%s/base-%s", fz_dir(), cust_file_names[f]);
    sample = fz_str("%s/sample/%s", FUZZ_ROOT, cust_file_names[f]);
    fz_copy(sample, base[f]);
    fz_link(base[f], paths[f]);
    free(sample);
  }
  fz_require(catalog_load(&cat, FUZZ_ROOT "/sample", &d) == LB_OK, "the sample's catalog does not load");
  diag_clear(&d);
}

static void load_customer(const cust_index *ix, size_t k, const char *path, const uint8_t *data, size_t size)
{
  cust_data cd;
  diag_list d;
  diag_init(&d);
  int rc = cust_load(&cd, ix, k, &cat, &d);
  /* a duplicate customer_id was reported by the index: its rejection needs no second record */
  fz_check(rc == LB_EINPUT && ix->v[k].duplicate && d.n == 0 ? LB_OK : rc, &d, path, data, size, FZ_LINES_CSV);
  for(size_t i = 0; i < d.n; i++)
    if(!d.v[i].customer_id || strcmp(d.v[i].customer_id, ix->v[k].id)) {
      diag_print_one(&d.v[i], stderr);
      fprintf(stderr, "fuzz harness: the error names customer %s, loading customer %s\n",
              d.v[i].customer_id ? d.v[i].customer_id : "(none)", ix->v[k].id);
      fz_require(0, "an error of a customer's rows does not name the customer");
    }
  if(rc == LB_OK) {
    fz_require(cd.cust.id && !strcmp(cd.cust.id, ix->v[k].id), "the customer loaded is another one");
    for(size_t i = 0; i < cd.nmachines; i++)
      fz_require(cust_machine(&cd, cd.machines[i].serial) != NULL, "a machine loaded is not found");
    for(size_t i = 0; i < cd.nlicenses; i++)
      fz_require(cust_license(&cd, cd.licenses[i].license_id) != NULL, "a license loaded is not found");
  }
  cust_data_clear(&cd);
  diag_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cust_index ix;
  diag_list d;
  if(!dir)
    setup();
  size_t f = fz_pick(&data, &size, cust_file_names, CF__COUNT);
  fz_write(paths[f], data, size); /* replaces the link to the sample's file */
  diag_init(&d);
  int rc = cust_index_build(&ix, dir, &d);
  fz_check(rc, &d, paths[f], data, size, FZ_LINES_CSV);
  diag_clear(&d);
  if(rc == LB_OK)
    for(size_t k = 0; k < ix.n; k++) {
      fz_require(cust_index_find(&ix, ix.v[k].id) == (long)k, "a customer indexed is not found by its id");
      if(cust_index_nspans(&ix, k, (cust_file)f))
        load_customer(&ix, k, paths[f], data, size);
    }
  for(size_t i = 0; i < ix.nserials; i++)
    fz_require(cust_index_serial_owner(&ix, ix.serials[i]) == (long)ix.serial_owner[i] &&
               ix.serial_owner[i] < ix.n, "a machine's owner is not found");
  cust_index_clear(&ix);
  fz_link(base[f], paths[f]);
  return 0;
}
