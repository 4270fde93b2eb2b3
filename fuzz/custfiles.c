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
  cust_entry e;
  diag_list d;
  diag_init(&d);
  fz_require(cust_index_entry(ix, k, &e) == LB_OK, "a customer indexed cannot be read back");
  int rc = cust_load(&cd, ix, k, &cat, NULL, &d);
  /* a duplicate customer_id was reported by the index: its rejection needs no second record */
  fz_check(rc == LB_EINPUT && e.duplicate && d.n == 0 ? LB_OK : rc, &d, path, data, size, FZ_LINES_CSV);
  for(size_t i = 0; i < d.n; i++)
    if(!d.v[i].customer_id || strcmp(d.v[i].customer_id, e.id)) {
      diag_print_one(&d.v[i], stderr);
      fprintf(stderr, "fuzz harness: the error names customer %s, loading customer %s\n",
              d.v[i].customer_id ? d.v[i].customer_id : "(none)", e.id);
      fz_require(0, "an error of a customer's rows does not name the customer");
    }
  if(rc == LB_OK) {
    fz_require(cd.cust.id && !strcmp(cd.cust.id, e.id), "the customer loaded is another one");
    for(size_t i = 0; i < cd.nmachines; i++)
      fz_require(cust_machine(&cd, cd.machines[i].serial) != NULL, "a machine loaded is not found");
    for(size_t i = 0; i < cd.nlicenses; i++)
      fz_require(cust_license(&cd, cd.licenses[i].license_id) != NULL, "a license loaded is not found");
  }
  cust_entry_clear(&e);
  cust_data_clear(&cd);
  diag_clear(&d);
}

/* Every machine's owner is found by its serial. */
static int owner_found(void *ctx, const char *serial, const void *val)
{
  const cust_index *ix = ctx;
  uint32_t owner;
  memcpy(&owner, val, sizeof(owner));
  fz_require(cust_index_serial_owner(ix, serial) == (long)owner && owner < ix->n, "a machine's owner is not found");
  return 0;
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
      cust_entry e;
      fz_require(cust_index_entry(&ix, k, &e) == LB_OK, "a customer indexed cannot be read back");
      fz_require(cust_index_find(&ix, e.id) == (long)k, "a customer indexed is not found by its id");
      if(e.spans[f].nspans)
        load_customer(&ix, k, paths[f], data, size);
      cust_entry_clear(&e);
    }
  fz_require(dmap_each(&ix.serials, owner_found, &ix) == 0, "the machines cannot be read back");
  cust_index_clear(&ix);
  fz_link(base[f], paths[f]);
  return 0;
}
