/* template.c - libFuzzer harness of the invoice template reader (render/template.c). The input is a
 * template.conf, read from a folder whose fonts/ is templates/default/fonts, so that the default
 * template's relative font paths resolve. A template that loads is asked for every key. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/common.h"
#include "render/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {
  "issuer.name", "issuer.address.1", "issuer.address.6", "issuer.tax_id", "payment.instructions",
  "label.title", "label.title_credit_note", "label.corrects", "label.sysplex", "label.order", "label.page",
  "label.prompt_pay", "label.payment_terms", "label.contact", "number.thousands_sep", "number.decimal_mark",
  "currency.position", "date.months", "font.regular", "font.bold", "page.size", "pdfa.icc_profile",
  "currency.EUR", "currency.CHF", "currency.XYZ", "currency.", "currency.eur", "no.such.key", NULL};
static const char *const codes[] = {"EUR", "USD", "CAD", "XYZ", "EU", "EURO", "", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char *dir, *path;
  lb_template *t = NULL;
  diag_list d;
  if(!dir) {
    char *fonts;
    dir = fz_path("tpl");
    fz_require(mkdir(dir, 0700) == 0, "cannot make the template folder");
    path = fz_str("%s/template.conf", dir);
    fonts = fz_str("%s/fonts", dir);
    fz_link(FUZZ_ROOT "/templates/default/fonts", fonts);
    free(fonts);
  }
  fz_write(path, data, size);
  diag_init(&d);
  int rc = tpl_load(&t, dir, &d);
  fz_check(rc, &d, path, data, size, FZ_LINES_LF);
  fz_require((rc == LB_OK) == (t != NULL), "tpl_load's result and its template disagree");
  if(t) {
    for(size_t i = 0; keys[i]; i++) {
      const char *v = tpl_get(t, keys[i]);
      if(v)
        (void)strlen(v);
    }
    for(size_t i = 0; codes[i]; i++)
      fz_require(tpl_currency_symbol(t, codes[i]) != NULL, "no currency symbol");
    fz_require(!strcmp(tpl_path(t), path), "tpl_path is not the file read");
  }
  tpl_free(t);
  diag_clear(&d);
  return 0;
}
