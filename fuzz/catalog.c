/* catalog.c - libFuzzer harness of the shared files (input/catalog.c). The input is one of products.csv,
 * prices.csv, value_units.csv, taxes.csv or machine_models.csv: its first line names which (else its
 * first byte picks one, see fz_pick) and the rest is the file. The other four are the sample's. A
 * catalog that loads is then asked for every product, price book, exhibit, tax and machine model it
 * holds, as the rules ask. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/common.h"
#include "input/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILES 5
static const char *const names[NFILES] = {"products.csv", "prices.csv", "value_units.csv", "taxes.csv",
                                          "machine_models.csv"};
static char *dir;
static char *paths[NFILES];
static char *base[NFILES]; /* the scratch folder's copy of the sample's file */

static void setup(void)
{
  char *sample;
  dir = fz_path("in");
  fz_require(mkdir(dir, 0700) == 0, "cannot make the input folder");
  for(int f = 0; f < NFILES; f++) {
    paths[f] = fz_str("%s/%s", dir, names[f]);
    base[f] = fz_str("%s/base-%s", fz_dir(), names[f]);
    sample = fz_str("%s/sample/%s", FUZZ_ROOT, names[f]);
    fz_copy(sample, base[f]);
    fz_link(base[f], paths[f]);
    free(sample);
  }
}

static void ask(const catalog *c)
{
  const tax_rate **taxes = calloc(c->ntaxes + 1, sizeof(*taxes)); /* as rules/engine.c asks */
  fz_require(taxes != NULL, "out of memory");
  for(size_t i = 0; i < c->nproducts; i++)
    fz_require(catalog_product(c, c->products[i].product_id) != NULL, "a product loaded is not found");
  for(size_t i = 0; i < c->nprices; i++) {
    const price *p = &c->prices[i], *first;
    size_t n;
    fz_require(catalog_price_book(c, p->product_id, p->ct, p->component, p->currency, p->effective_from,
                                  &first, &n) == 0 && n >= 1,
               "a price row loaded is in no price book in effect on its own date");
  }
  for(size_t i = 0; i < c->nvus; i++) {
    const vu_tier *first;
    size_t n;
    int r = catalog_vu_exhibit(c, c->vus[i].vue, &first, &n);
    fz_require((r == 0 || r == -2) && n >= 1, "an exhibit loaded is not found");
    fz_require(r == 0 || (first->defect && first->defect[0]), "a defective exhibit does not say what is wrong");
  }
  for(size_t i = 0; i < c->ntaxes; i++) {
    int n = catalog_taxes(c, c->taxes[i].tax_region, c->taxes[i].effective_from, taxes, (int)c->ntaxes + 1);
    fz_require(n >= 1, "a tax loaded is not in effect on its own date");
  }
  for(size_t i = 0; i < c->nmodels; i++) {
    fz_require(catalog_machine_model(c, c->models[i].type_model) != NULL, "a machine model loaded is not found");
    (void)catalog_model_highest(c, c->models[i].product_group);
  }
  (void)catalog_model_highest(c, NULL);
  free(taxes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  catalog c;
  diag_list d;
  if(!dir)
    setup();
  size_t f = fz_pick(&data, &size, names, NFILES);
  fz_write(paths[f], data, size); /* replaces the link to the sample's file */
  diag_init(&d);
  int rc = catalog_load(&c, dir, &d);
  fz_check(rc, &d, paths[f], data, size, FZ_LINES_CSV);
  if(rc == LB_OK)
    ask(&c);
  catalog_clear(&c);
  diag_clear(&d);
  fz_link(base[f], paths[f]);
  return 0;
}
