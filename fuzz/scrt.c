/* scrt.c - libFuzzer harness of the SCRT report reader (input/scrt.c): the input is one report file,
 * read whole and then header only, as licbill reads it in a run and in the scrt/ index. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/common.h"
#include "input/scrt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every string the reader hands out must be a readable C string. */
static size_t touch(const char *s) { return s ? strlen(s) : 0; }

static void walk(const scrt_report *r)
{
  size_t n = touch(r->path) + touch(r->customer_number) + touch(r->customer_name) + touch(r->serial) +
             touch(r->type_model) + touch(r->tool_release) + touch(r->run_datetime);
  for(size_t i = 0; i < r->nproducts; i++) {
    const scrt_product *p = &r->products[i];
    n += touch(p->name) + touch(p->product_id) + touch(p->comment) + touch(p->footnotes);
    n += touch(scrt_table_name(p->table));
    fz_require(p->is_units || !p->product_id || scrt_find_product(r, p->product_id) != NULL,
               "a product of an MSU table is not found by its id");
  }
  for(size_t i = 0; i < r->nlpars; i++)
    n += touch(r->lpars[i].name) + touch(r->lpars[i].when) + touch(r->lpars[i].when2);
  for(size_t i = 0; i < r->nmachines; i++)
    n += touch(r->machines[i].id) + touch(r->machines[i].serial) + touch(r->machines[i].type_model);
  (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char *path;
  if(!path)
    path = fz_path("report.csv");
  fz_write(path, data, size);
  for(int header_only = 0; header_only < 2; header_only++) {
    scrt_report *r = NULL;
    diag_list d;
    diag_init(&d);
    int rc = scrt_read(&r, path, header_only, &d);
    fz_check(rc, &d, path, data, size, FZ_LINES_CSV);
    fz_require(rc != LB_OK || (r && r->serial && *r->serial), "a report read without error names no machine");
    fz_require(rc == LB_OK || !r || header_only || r->multiplex,
               "scrt_read failed but left a report that is not multiplex (scrt.h: *out is then NULL)");
    if(r)
      walk(r);
    scrt_free(r);
    diag_clear(&d);
  }
  return 0;
}
