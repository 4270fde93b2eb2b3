/* fwlc.c - R-W10: FWLC is a fixed monthly charge, only where z/OS on the machine has AWLC or VWLC. */
#include "rules/fwlc.h"

#include <stdio.h>
#include <string.h>

#include "rules/fixed.h"
#include "rules/subcap.h"
#include "rules/timing.h"

static int charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

/* R-W10 */
static const license *zos_wlc(const rule_ctx *ctx, const char *serial)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(!strcmp(o->serial, serial) && p->is_os && p->family == FAMILY_ZOS && !subcap_is_legacy_os(p) &&
       (o->ct == CT_AWLC || o->ct == CT_VWLC) && charged(ctx, o))
      return o;
  }
  return NULL;
}

int fwlc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    if(!zos_wlc(ctx, l->serial)) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "FWLC license %s (%s) on machine %s, but z/OS there has neither AWLC nor VWLC this month, "
               "expected z/OS with AWLC or VWLC on the machine (R-W10)", l->license_id, l->product_id,
               l->serial);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

int fwlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  char date[11], inputs[96], val[32];
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const license *os;
    const price *book;
    charge_line *cl;
    int rc;
    os = zos_wlc(ctx, l->serial);
    rc = fixed_line(ctx, l, CT_FWLC, "monthly", ctx->price_date, "month", "R-T4;R-W10;R-0.1", "R-W10", inv, &cl,
                    &book, d);
    if(rc)
      return rc;
    snprintf(inputs, sizeof(inputs), "licenses.csv:%ld", l->line);
    if(invoice_audit(inv, cl->line, "R-T4", inputs, "charged",
                     "FWLC %s is charged for the whole month (R-T4, R-T5)", l->product_id))
      return LB_ENOMEM;
    snprintf(inputs, sizeof(inputs), "licenses.csv:%ld;licenses.csv:%ld;prices.csv:%ld", l->line, os->line,
             book->line);
    money_format(val, cl->amount, 2);
    if(invoice_audit(inv, cl->line, "R-W10", inputs, val,
                     "fixed monthly charge; z/OS %s on %s has %s (price book effective %s)", os->product_id,
                     l->serial, charge_type_names[os->ct], date_format(date, book->effective_from)) ||
       invoice_audit(inv, cl->line, "R-0.1", "", val, "line amount rounded half away from zero to the cent"))
      return LB_ENOMEM;
  }
  return LB_OK;
}
