/* sysplex.c - R-W8: a sysplex aggregates only when the customer has two or more machines in it; the groups of
 * licenses charged together. */
#include "rules/sysplex.h"

#include <stdlib.h>
#include <string.h>

size_t sysplex_size(const rule_ctx *ctx, const char *name)
{
  size_t n = 0;
  for(size_t i = 0; i < ctx->cd->nmachines; i++)
    if(ctx->cd->machines[i].sysplex && strcmp(ctx->cd->machines[i].sysplex, name) == 0)
      n++;
  return n;
}

const char *sysplex_coupled(const rule_ctx *ctx, const machine *m)
{
  return m->sysplex && sysplex_size(ctx, m->sysplex) > 1 ? m->sysplex : NULL;
}

/* One license with the group it falls in. */
typedef struct member {
  const char *key, *sysplex;
  const license *l;
  size_t idx; /* position in ctx->own: licenses.csv order inside a group */
} member;

static int cmp_member(const void *a, const void *b)
{
  const member *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  if(!r)
    r = strcmp(x->l->product_id, y->l->product_id);
  return r ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

static int same_group(const member *a, const member *b)
{
  return !strcmp(a->key, b->key) && !strcmp(a->l->product_id, b->l->product_id);
}

int sysplex_groups(const rule_ctx *ctx, charge_type ct, int aggregate, const char *expected_tail, lic_groups *out,
                   diag_list *d)
{
  const cust_data *cd = ctx->cd;
  size_t n = ctx->nown, np = 0;
  member *mb = NULL;
  int rc = LB_ENOMEM, bad = 0;
  memset(out, 0, sizeof(*out));
  if(!n)
    return LB_OK;
  mb = calloc(n, sizeof(*mb));
  out->v = calloc(n, sizeof(*out->v));
  out->pool = calloc(n, sizeof(*out->pool));
  if(!mb || !out->v || !out->pool)
    goto out;
  for(size_t i = 0; i < n; i++) {
    const machine *m = cust_machine(cd, ctx->own[i]->serial);
    mb[i].sysplex = aggregate ? sysplex_coupled(ctx, m) : NULL;
    mb[i].key = mb[i].sysplex ? mb[i].sysplex : m->serial;
    mb[i].l = ctx->own[i];
    mb[i].idx = i;
  }
  qsort(mb, n, sizeof(*mb), cmp_member);
  /* in licenses.csv order, so that a duplicate names the license before it */
  for(size_t i = 0; i < n; i++) {
    if(!i || !same_group(&mb[i - 1], &mb[i])) {
      lic_group *g = &out->v[out->n++];
      g->product_id = mb[i].l->product_id;
      g->key = mb[i].key;
      g->sysplex = mb[i].sysplex;
      g->lic = out->pool + np;
    }
    lic_group *g = &out->v[out->n - 1];
    const license *dup = NULL;
    for(int k = 0; k < g->n && !dup; k++)
      if(!strcmp(g->lic[k]->serial, mb[i].l->serial))
        dup = g->lic[k];
    if(dup) {
      const license *l = mb[i].l;
      diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
               "%s is licensed twice for %s on machine %s (also license %s), expected one license per program "
               "and machine%s", l->product_id, charge_type_name(ct), l->serial, dup->license_id, expected_tail);
      bad = 1;
      continue;
    }
    g->lic[g->n++] = mb[i].l;
    np++;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  free(mb);
  if(rc)
    lic_groups_clear(out);
  return rc;
}

void lic_groups_clear(lic_groups *g)
{
  free(g->v);
  free(g->pool);
  memset(g, 0, sizeof(*g));
}

int sysplex_group_line(const rule_ctx *ctx, const lic_group *g, charge_type ct, charge_line *cl)
{
  const product *p = catalog_product(ctx->cat, g->product_id);
  const char **serials = calloc((size_t)g->n, sizeof(*serials)), **models = calloc((size_t)g->n, sizeof(*models));
  int rc = LB_ENOMEM;
  if(!serials || !models)
    goto out;
  for(int i = 0; i < g->n; i++) {
    const machine *m = cust_machine(ctx->cd, g->lic[i]->serial);
    serials[i] = m->serial;
    models[i] = m->type_model;
  }
  if(invoice_line_machines(cl, serials, models, (size_t)g->n))
    goto out;
  cl->sysplex = g->n > 1 ? strdup(g->sysplex) : NULL;
  cl->product_id = strdup(g->product_id);
  cl->product_name = strdup(p->name);
  cl->ct = ct;
  cl->order_number = g->lic[0]->order_number ? strdup(g->lic[0]->order_number) : NULL;
  if((g->n > 1 && !cl->sysplex) || !cl->product_id || !cl->product_name ||
     (g->lic[0]->order_number && !cl->order_number))
    goto out;
  rc = LB_OK;
out:
  free(serials);
  free(models);
  return rc;
}
