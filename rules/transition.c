/* transition.c - AWLC transition charges: VWLC of a partly AWLC-eligible sysplex reduced (R-W11). */
#include "rules/transition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/sysplex.h"

/* R-W11: the reduction, in 1/10000 %, for a share rounded to a whole
 * percent: "> 0 - 20% 0.5%, 21 - 40% 1.5%, 41 - 60% 3.0%, 61 - 80% 4.0%,
 * 81 - < 100% 4.5%" (002 §5.16.1 d.3). 0 and 100 are in no band. */
money transition_reduction_pct(long share)
{
  if(share <= 0 || share >= 100)
    return 0;
  if(share <= 20)
    return 5000;
  if(share <= 40)
    return 15000;
  if(share <= 60)
    return 30000;
  if(share <= 80)
    return 40000;
  return 45000;
}

/* R-W11: eligible/total as a whole percent, fractions of 0.5 or more up. */
long transition_share(int64_t eligible, int64_t total)
{
  return (long)((200 * eligible + total) / (2 * total));
}

/* 1 if cl is a VWLC line of sysplex `name`: "a reduction in monthly VWLC
 * charges for Programs that qualify for aggregated VWLC charges" (002
 * §5.16.1 d.1), and qualification is the sysplex's (§5.16.12 4.a: IBM
 * Programs used on an Eligible Machine in an actively coupled Parallel
 * Sysplex). So both the lines summed over its machines (R-W8) and a program
 * licensed on only one of them count; a transition line is not a program. */
static int in_sysplex(const rule_ctx *ctx, const charge_line *cl, const char *name)
{
  if(cl->ct != CT_VWLC || !cl->unit || !strcmp(cl->unit, "%"))
    return 0;
  if(cl->sysplex)
    return !strcmp(cl->sysplex, name);
  if(cl->nmachines != 1)
    return 0;
  const machine *m = cust_machine(ctx->cd, cl->machines[0].serial);
  return m && m->sysplex && !strcmp(m->sysplex, name);
}

/* The sysplex's machines as the reduction line's machines. 0 or LB_ENOMEM. */
static int set_members(const rule_ctx *ctx, const char *name, charge_line *cl)
{
  const cust_data *cd = ctx->cd;
  const char **serials = calloc(cd->nmachines + 1, sizeof(*serials));
  const char **models = calloc(cd->nmachines + 1, sizeof(*models));
  size_t n = 0;
  int rc = LB_ENOMEM;
  if(serials && models) {
    for(size_t i = 0; i < cd->nmachines; i++)
      if(cd->machines[i].sysplex && !strcmp(cd->machines[i].sysplex, name)) {
        serials[n] = cd->machines[i].serial;
        models[n++] = cd->machines[i].type_model;
      }
    rc = invoice_line_machines(cl, serials, models, n);
  }
  free(serials);
  free(models);
  return rc;
}

/* The reduction line of one sysplex. */
static int add_line(const rule_ctx *ctx, invoice *inv, size_t first, const char *name, int64_t eligible,
                    int64_t total, const input_ref *rows, size_t nrows, const char *split, diag_list *d)
{
  long share = transition_share(eligible, total);
  money pct = transition_reduction_pct(share), base = 0, off;
  char val[48], pcts[32], bases[32];
  rule_set rules = {0};
  char *lines = NULL;
  size_t nl = 0, k = 0;
  int rc = LB_ENOMEM;
  FILE *fp = open_memstream(&lines, &nl);
  if(!fp)
    return LB_ENOMEM;
  for(size_t i = first; i < inv->nlines; i++) {
    const charge_line *cl = &inv->lines[i];
    if(!in_sysplex(ctx, cl, name))
      continue;
    if(money_add(&base, base, cl->amount)) {
      fclose(fp);
      free(lines);
      return diag_add(d, ctx->machines_file, 0, 0, ctx->cd->cust.id, "VWLC charges of sysplex %s overflow", name);
    }
    money_format(val, cl->amount, 2);
    fprintf(fp, "%sline %d %s %s", k++ ? " + " : "", cl->line, cl->product_id, val);
  }
  if(fclose(fp) || !lines) {
    free(lines);
    return LB_ENOMEM;
  }
  if(!k) {
    free(lines);
    return LB_OK; /* no VWLC charges in the sysplex: nothing to reduce */
  }
  if(!pct) {
    /* rounds to 0 % or 100 %: in no band of the table */
    free(lines);
    return invoice_audit_v(inv, 0, R_W11, rows, nrows, AV_QTY(share, "%"),
                         "sysplex %s: AWLC-eligible Full Capacity MSUs %lld of %lld (%s) round to %ld %%, which is "
                         "in no band of the transition table (> 0 - 20 %% ... 81 - < 100 %%): no reduction",
                           name, (long long)eligible, (long long)total, split, share);
  }
  if(money_apply_pct(&off, base, pct) || money_sub(&off, 0, off)) {
    free(lines);
    return diag_add(d, ctx->machines_file, 0, 0, ctx->cd->cust.id, "transition charge of sysplex %s overflows",
                    name);
  }
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    goto out;
  money_format(pcts, pct, 4);
  /* "1.5000" -> "1.5" */
  for(size_t n = strlen(pcts); n > 0 && pcts[n - 1] == '0'; n--)
    pcts[n - 1] = '\0';
  if(pcts[strlen(pcts) - 1] == '.')
    strcat(pcts, "0");
  money_format(bases, base, 2);
  char pname[160];
  snprintf(pname, sizeof(pname), "AWLC transition charge: %s %% off the VWLC charges of sysplex %s", pcts, name);
  if(set_members(ctx, name, cl))
    goto out;
  cl->sysplex = strdup(name);
  cl->product_id = strdup("");
  cl->product_name = strdup(pname);
  cl->ct = CT_VWLC;
  cl->unit = strdup("%");
  if(!cl->sysplex || !cl->product_id || !cl->product_name || !cl->unit)
    goto out;
  cl->quantity = share;
  cl->has_unit_price = 0;
  cl->amount = off;
  char note[256];
  snprintf(note, sizeof(note), "%ld %% of the sysplex's Full Capacity MSUs are on AWLC-eligible machines: %s %% of "
           "VWLC charges %s", share, pcts, bases);
  if(!(cl->note = strdup(note)))
    goto out;
  /* R-T10: the share is computed on the machines' capacities */
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const machine *m = &ctx->cd->machines[i];
    if(m->sysplex && !strcmp(m->sysplex, name) && (rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
      goto out;
  }
  rule_set_add(&rules, R_W11);
  rule_set_add(&rules, R_0_2);
  cl->rules = rules;
  rc = LB_ENOMEM;
  if(invoice_audit_v(inv, cl->line, R_W11, rows, nrows, AV_QTY(share, "%"),
                     "sysplex %s: AWLC-eligible Full Capacity MSUs %lld of %lld (%s), rounded to the nearest "
                     "whole percent (0.5 up)", name, (long long)eligible, (long long)total, split))
    goto out;
  if(invoice_audit(inv, cl->line, R_W11, NO_REFS, AV_PERCENT(pct), "a share of %ld %% is in the band %s: VWLC charges "
                   "reduced by %s %%", share,
                   share <= 20 ? "> 0 - 20 %" : share <= 40 ? "21 - 40 %" : share <= 60 ? "41 - 60 %"
                   : share <= 80 ? "61 - 80 %" : "81 - < 100 %", pcts))
    goto out;
  if(invoice_audit(inv, cl->line, R_W11, NO_REFS, AV_MONEY(base, 2), "VWLC charges of sysplex %s: %s", name, lines))
    goto out;
  rc = invoice_audit(inv, cl->line, R_0_2, NO_REFS, AV_MONEY(off, 2),
                     "%s %% of %s, rounded half away from zero to the cent, as a reduction", pcts, bases);
out:
  free(lines);
  return rc;
}

int transition_apply(const rule_ctx *ctx, invoice *inv, size_t first, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine *m = &cd->machines[i];
    const char *name = m->sysplex;
    int seen = 0, neligible = 0, n = 0, unrated = 0;
    int64_t eligible = 0, total = 0;
    size_t nrows = 0;
    if(!name || sysplex_size(ctx, name) < 2)
      continue; /* standalone: not an actively coupled sysplex (R-W8) */
    for(size_t j = 0; j < i && !seen; j++)
      seen = cd->machines[j].sysplex && !strcmp(cd->machines[j].sysplex, name);
    if(seen)
      continue;
    input_ref *rows = calloc(cd->nmachines, sizeof(*rows));
    char *split = NULL;
    size_t ns = 0;
    FILE *fp = rows ? open_memstream(&split, &ns) : NULL;
    if(!fp) {
      free(rows);
      return LB_ENOMEM;
    }
    for(size_t j = i; j < cd->nmachines; j++) {
      const machine *o = &cd->machines[j];
      if(!o->sysplex || strcmp(o->sysplex, name))
        continue;
      n++;
      neligible += o->awlc_eligible != 0;
      if(o->full_capacity_msu == MSU_UNRATED) {
        unrated = 1;
        continue;
      }
      total += o->full_capacity_msu;
      if(o->awlc_eligible)
        eligible += o->full_capacity_msu;
      fprintf(fp, "%s%s %lld %s", nrows ? ", " : "", o->serial, (long long)o->full_capacity_msu,
              o->awlc_eligible ? "eligible" : "not eligible");
      rows[nrows++] = REF(SRC_MACHINES, o->line);
    }
    if(fclose(fp) || !split) {
      free(rows);
      free(split);
      return LB_ENOMEM;
    }
    int rc = LB_OK;
    int has_vwlc = 0;
    for(size_t k = first; k < inv->nlines && !has_vwlc; k++)
      has_vwlc = in_sysplex(ctx, &inv->lines[k], name);
    /* "at least one Machine but not all Machines ... is an AWLC Eligible Machine" (§5.16.1 d.2) */
    if(neligible == 0 || neligible == n || !has_vwlc)
      ;
    else if(unrated) {
      for(size_t j = i; j < cd->nmachines; j++) {
        const machine *o = &cd->machines[j];
        if(o->sysplex && !strcmp(o->sysplex, name) && o->full_capacity_msu == MSU_UNRATED)
          diag_add(d, ctx->machines_file, o->line, o->full_msu_col, cd->cust.id,
                   "machine %s of sysplex %s has no full_capacity_msu, expected its rated MSUs to compute the "
                   "share of AWLC-eligible Full Capacity MSUs for the transition charge (R-W11)", o->serial, name);
      }
      bad = 1;
    } else
      rc = add_line(ctx, inv, first, name, eligible, total, rows, nrows, split, d);
    free(rows);
    free(split);
    if(rc && rc != LB_EINPUT)
      return rc;
    if(rc)
      bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}
