/* invoice.c - ownership of the priced invoice model. */
#include "core/invoice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"

static void line_clear(charge_line *l)
{
  free(l->serial);
  free(l->type_model);
  free(l->sysplex);
  free(l->product_id);
  free(l->product_name);
  free(l->charge_type);
  free(l->order_number);
  free(l->unit);
  free(l->rules);
  free(l->note);
}

void invoice_clear(invoice *inv)
{
  if(!inv)
    return;
  for(size_t i = 0; i < inv->nlines; i++)
    line_clear(&inv->lines[i]);
  free(inv->lines);
  for(size_t i = 0; i < inv->ntaxes; i++)
    free(inv->taxes[i].name);
  free(inv->taxes);
  for(size_t i = 0; i < inv->naudit; i++) {
    free(inv->audit[i].rule);
    free(inv->audit[i].inputs);
    free(inv->audit[i].detail);
    free(inv->audit[i].value);
  }
  free(inv->audit);
  for(size_t i = 0; i < inv->norders; i++)
    free(inv->order_numbers[i]);
  free(inv->order_numbers);
  free(inv->number);
  free(inv->customer_id);
  free(inv->customer_name);
  free(inv->customer_address);
  free(inv->country);
  free(inv->customer_class);
  free(inv->contract_number);
  free(inv->currency);
  free(inv->contact);
  free(inv->corrects);
  for(size_t i = 0; i < inv->nstate; i++) {
    free(inv->state_keys[i]);
    free(inv->state_values[i]);
  }
  free(inv->state_keys);
  free(inv->state_values);
  memset(inv, 0, sizeof(*inv));
}

static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
  if(n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *np = realloc(*p, ncap * sz);
  if(!np)
    return -1;
  memset((char *)np + *cap * sz, 0, (ncap - *cap) * sz);
  *p = np;
  *cap = ncap;
  return 0;
}

charge_line *invoice_add_line(invoice *inv)
{
  if(grow((void **)&inv->lines, &inv->lines_cap, inv->nlines, sizeof(charge_line)))
    return NULL;
  charge_line *l = &inv->lines[inv->nlines++];
  memset(l, 0, sizeof(*l));
  l->line = (int)inv->nlines;
  return l;
}

tax_line *invoice_add_tax(invoice *inv)
{
  if(grow((void **)&inv->taxes, &inv->taxes_cap, inv->ntaxes, sizeof(tax_line)))
    return NULL;
  tax_line *t = &inv->taxes[inv->ntaxes++];
  memset(t, 0, sizeof(*t));
  return t;
}

int invoice_audit(invoice *inv, int line, const char *rule, const char *inputs, const char *value,
                  const char *fmt, ...)
{
  va_list ap;
  char *detail = NULL;
  int step = 1;
  if(grow((void **)&inv->audit, &inv->audit_cap, inv->naudit, sizeof(audit_step)))
    return LB_ENOMEM;
  for(size_t i = inv->naudit; i > 0; i--)
    if(inv->audit[i - 1].line == line) {
      step = inv->audit[i - 1].step + 1;
      break;
    }
  va_start(ap, fmt);
  if(vasprintf(&detail, fmt, ap) < 0)
    detail = NULL;
  va_end(ap);
  audit_step *a = &inv->audit[inv->naudit];
  a->line = line;
  a->step = step;
  a->rule = strdup(rule);
  a->inputs = strdup(inputs ? inputs : "");
  a->value = strdup(value ? value : "");
  a->detail = detail;
  if(!a->rule || !a->inputs || !a->value || !a->detail) {
    free(a->rule);
    free(a->inputs);
    free(a->value);
    free(a->detail);
    return LB_ENOMEM;
  }
  inv->naudit++;
  return LB_OK;
}

int invoice_state(invoice *inv, const char *key, const char *value)
{
  char *v = strdup(value);
  if(!v)
    return LB_ENOMEM;
  for(size_t i = 0; i < inv->nstate; i++)
    if(!strcmp(inv->state_keys[i], key)) {
      free(inv->state_values[i]);
      inv->state_values[i] = v;
      return LB_OK;
    }
  char **k = realloc(inv->state_keys, (inv->nstate + 1) * sizeof(*k));
  if(k)
    inv->state_keys = k;
  char **vv = realloc(inv->state_values, (inv->nstate + 1) * sizeof(*vv));
  if(vv)
    inv->state_values = vv;
  if(!k || !vv || !(inv->state_keys[inv->nstate] = strdup(key))) {
    free(v);
    return LB_ENOMEM;
  }
  inv->state_values[inv->nstate++] = v;
  return LB_OK;
}
