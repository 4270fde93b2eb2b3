/* pslc.c - R-L3: PSLC/E and coupled PSLC on machine MSUs, tiered; R-W9: never PSLC beside AWLC/VWLC for one family. */
#include "rules/pslc.h"

#include <stdio.h>
#include <string.h>

#include "rules/legacy.h"
#include "rules/subcap.h"
#include "rules/wlc.h"
#include "rules/sysplex.h"

/* R-W8: the machine is in an actively coupled sysplex (two or more machines). */
static int pslc_coupled(const rule_ctx *ctx, const machine *m)
{
  return sysplex_coupled(ctx, m) != NULL;
}

/* R-L3: the MSUs PSLC is charged on for machine m. A single machine not in
 * the price list's machine table: twice the highest rating listed. Otherwise
 * the machine's rating, else its model's rating in the table. 0, or -1 with
 * the reason in err. */
static int pslc_machine_msus(const rule_ctx *ctx, const machine *m, long *msus, input_ref in[2], size_t *nin,
                             char *why, size_t wsize, char *err, size_t esize)
{
  const machine_model *mm = catalog_machine_model(ctx->cat, m->type_model);
  int coupled = pslc_coupled(ctx, m);
  if(!coupled && !mm) {
    const machine_model *top = catalog_model_highest(ctx->cat, NULL);
    if(!top) {
      snprintf(err, esize, "machine %s (%s) is not in machine_models.csv and no model there has an "
               "msu_rating, expected its model listed or a rated machine table: PSLC/E on a machine not "
               "listed is charged at twice the highest MSU rating listed (R-L3)", m->serial, m->type_model);
      return -1;
    }
    *msus = 2 * (long)top->msu_rating;
    in[0] = REF(SRC_MACHINES, m->line);
    in[1] = REF(SRC_MACHINE_MODELS, top->line);
    *nin = 2;
    snprintf(why, wsize, "PSLC/E: model %s of machine %s is not in the machine table: twice the highest MSU "
             "rating listed (%s, %lld MSUs)", m->type_model, m->serial, top->type_model,
             (long long)top->msu_rating);
    return 0;
  }
  if(m->full_capacity_msu != MSU_UNRATED) {
    *msus = (long)m->full_capacity_msu;
    in[0] = REF(SRC_MACHINES, m->line);
    *nin = 1;
  } else if(mm && mm->msu_rating != MSU_UNRATED) {
    *msus = (long)mm->msu_rating;
    in[0] = REF(SRC_MACHINES, m->line);
    in[1] = REF(SRC_MACHINE_MODELS, mm->line);
    *nin = 2;
  } else {
    snprintf(err, esize, "machine %s (%s) has no full_capacity_msu and machine_models.csv gives its model no "
             "msu_rating, expected the machine's MSU rating (R-L3)", m->serial, m->type_model);
    return -1;
  }
  if(coupled)
    snprintf(why, wsize, "machine %s (%s) of actively coupled sysplex %s: %ld MSUs", m->serial, m->type_model,
             m->sysplex, *msus);
  else
    snprintf(why, wsize, "PSLC/E: single machine %s (%s), listed in the machine table: %ld MSUs", m->serial,
             m->type_model, *msus);
  return 0;
}

/* R-W9: a charged AWLC or VWLC license on p's machine whose OS family is
 * (same != 0) or is not (same == 0) fam, or NULL. */
static const license *wlc_beside(const rule_ctx *ctx, const license *p, os_family fam, int same)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    os_family of = catalog_product(ctx->cat, o->product_id)->family;
    if((o->ct == CT_AWLC || o->ct == CT_VWLC) && !strcmp(o->serial, p->serial) && of != FAMILY_NONE &&
       (of == fam) == (same != 0) && legacy_charged(ctx, o))
      return o;
  }
  return NULL;
}

int pslc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const product *p = catalog_product(ctx->cat, l->product_id);
    const license *w = p->family == FAMILY_NONE ? NULL : wlc_beside(ctx, l, p->family, 1);
    if(w) {
      /* R-W9 */
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "license %s (%s) is PSLC but license %s (%s, line %ld) of the same %s family on machine %s is "
               "%s, expected one of PSLC or %s for an operating-system family on a machine, never both (R-W9)",
               l->license_id, l->product_id, w->license_id, w->product_id, w->line, os_family_names[p->family],
               l->serial, charge_type_name(w->ct), charge_type_name(w->ct));
      bad = 1;
    }
    char why[256], err[400];
    input_ref in[2];
    size_t nin;
    long msus;
    if(pslc_machine_msus(ctx, cust_machine(ctx->cd, l->serial), &msus, in, &nin, why, sizeof(why),
                         err, sizeof(err))) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id, "PSLC license %s (%s): %s",
               l->license_id, l->product_id, err);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* wlc_opts.msus: the machine's MSUs (R-L3), audited on the line. */
static int pslc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  char why[256], err[400];
  input_ref in[3];
  size_t nin;
  int rc;
  if(pslc_machine_msus(ctx, m, msus, in, &nin, why, sizeof(why), err, sizeof(err)))
    return diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id, "%s", err);
  in[nin++] = REF(SRC_LICENSES, l->line); /* the license, on a sysplex line one of several */
  /* R-T10: an MSU rating raised inside the month is billed for the whole month */
  if((rc = subcap_t10_audit(ctx, m, inv, line, rules)))
    return rc;
  rule_set_add(rules, R_L3);
  if((rc = invoice_audit_v(inv, line, R_L3, in, nin, AV_QTY(*msus, "MSUs"), "%s (%s %s)", why, l->product_id, l->license_id)))
    return rc;
  /* R-W9: the choice is per OS family: say so where another family of the machine has AWLC or VWLC */
  const product *p = catalog_product(ctx->cat, l->product_id);
  const license *w = p->family == FAMILY_NONE ? NULL : wlc_beside(ctx, l, p->family, 0);
  if(!w)
    return LB_OK;
  const product *wp = catalog_product(ctx->cat, w->product_id);
  rule_set_add(rules, R_W9);
  return invoice_audit(inv, line, R_W9, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, w->line)), AV_TEXT("PSLC"),
                       "on machine %s the %s family is PSLC while the %s family is %s (%s): AWLC or PSLC and WLC "
                       "or PSLC are chosen per operating-system family, never both for one family",
                       m->serial, os_family_names[p->family], os_family_names[wp->family],
                       charge_type_name(w->ct), w->product_id);
}

int pslc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  static const wlc_opts o = {"monthly", 1, pslc_msus}; /* R-W8: summed over a coupled sysplex */
  return wlc_price_ct(ctx, CT_PSLC, &o, inv, d);
}
