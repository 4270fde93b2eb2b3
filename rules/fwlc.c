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
  char date[11];
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const license *os;
    const price *book;
    charge_line *cl;
    int rc;
    os = zos_wlc(ctx, l->serial);
    rc = fixed_line(ctx, l, CT_FWLC, "monthly", ctx->price_date, "month", RULES(R_T4, R_W10, R_0_1), "R-W10", inv, &cl,
                    &book, d);
    if(rc)
      return rc;
    if(invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("charged"),
                     "FWLC %s is charged for the whole month (R-T4, R-T5)", l->product_id))
      return LB_ENOMEM;
    if(invoice_audit(inv, cl->line, R_W10, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, os->line), REF_BOOK(book->line, book->effective_from)), AV_MONEY(cl->amount, 2),
                     "fixed monthly charge; z/OS %s on %s has %s (price book effective %s)", os->product_id,
                     l->serial, charge_type_name(os->ct), date_format(date, book->effective_from)) ||
       invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(cl->amount, 2), "line amount rounded half away from zero to the cent"))
      return LB_ENOMEM;
  }
  return LB_OK;
}
