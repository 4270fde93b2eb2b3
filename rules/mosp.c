/* mosp.c - R-L6: MOSP reduced graduated charge while PR/SM runs OSes of two categories, from the order's acceptance. */
#include "rules/mosp.h"

#include <stdio.h>
#include <string.h>

#include "rules/graduated.h"
#include "rules/legacy.h"
#include "rules/timing.h"

/* R-L6: 1 when the reduced charge applies to l this month, else 0; why and
 * in[0..*nin) say which condition decided. */
static int mosp_reduced(const rule_ctx *ctx, const license *l, char *why, size_t wsize, input_ref in[4], size_t *nin)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  lb_month from = timing_first_month(l->accepted_on);
  char acc[11], mon[8];
  date_format(acc, l->accepted_on);
  in[0] = REF(SRC_LICENSES, l->line);
  in[1] = REF(SRC_MACHINES, m->line);
  *nin = 2;
  if(ctx->month < from) {
    snprintf(why, wsize, "basic charge: the MOSP order was accepted on %s, MOSP charges run from %s (R-T4)", acc,
             month_format(mon, from));
    return 0;
  }
  if(!m->prsm) {
    snprintf(why, wsize, "basic charge: PR/SM is not installed on machine %s (prsm)", m->serial);
    return 0;
  }
  /* operating systems of two different categories on the machine this month */
  const license *first = NULL, *other = NULL;
  for(size_t i = 0; i < ctx->cd->nlicenses && !other; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(!p->is_os || strcmp(o->serial, l->serial) || !legacy_charged(ctx, o))
      continue;
    if(!first)
      first = o;
    else if(catalog_product(ctx->cat, first->product_id)->family != p->family)
      other = o;
  }
  if(!other) {
    snprintf(why, wsize, "basic charge: machine %s does not run operating systems of two different categories "
             "concurrently (%s)", m->serial, first ? "one OS family licensed" : "no OS licensed");
    return 0;
  }
  const product *a = catalog_product(ctx->cat, first->product_id), *b = catalog_product(ctx->cat, other->product_id);
  in[2] = REF(SRC_LICENSES, first->line);
  in[3] = REF(SRC_LICENSES, other->line);
  *nin = 4;
  snprintf(why, wsize, "MOSP reduced charge: order accepted on %s (effective from %s), PR/SM installed on %s, "
           "%s (%s) and %s (%s) run concurrently", acc, month_format(mon, from), m->serial, a->name,
           os_family_names[a->family], b->name, os_family_names[b->family]);
  return 1;
}

int mosp_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    char why[400];
    input_ref in[4];
    size_t nin;
    if(l->accepted_on == DATE_NONE) {
      diag_add(d, ctx->licenses_file, l->line, l->accepted_col, ctx->cd->cust.id,
               "MOSP license %s (%s) has no accepted_on, expected the date IBM accepted the MOSP order: MOSP "
               "charges are effective from that date (R-L6)", l->license_id, l->product_id);
      bad = 1;
      continue;
    }
    int rc = graduated_check(ctx, l, mosp_reduced(ctx, l, why, sizeof(why), in, &nin) ? CT_MOSP : CT_GMLC,
                             d);
    if(rc == LB_ENOMEM || rc == LB_EIO)
      return rc;
    if(rc)
      bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}

int mosp_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    char why[400];
    input_ref in[4];
    size_t nin;
    /* R-L6 */
    int reduced = mosp_reduced(ctx, l, why, sizeof(why), in, &nin);
    graduated_basis basis = {R_L6, in, nin, why};
    int rc = graduated_bill(ctx, l, reduced ? CT_MOSP : CT_GMLC, &basis, inv, d);
    if(rc)
      return rc;
  }
  return LB_OK;
}
