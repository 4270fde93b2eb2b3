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

/* 1 if cl is a VWLC line aggregated over sysplex `name` (R-W8): "a reduction
 * in monthly VWLC charges for Programs that qualify for aggregated VWLC
 * charges" (002 §5.16.1 d.1). A program on one machine of the sysplex is not
 * aggregated and keeps its charge; a transition line is not a program. */
static int in_sysplex(const charge_line *cl, const char *name)
{
  return !strcmp(cl->charge_type, charge_type_names[CT_VWLC]) && strcmp(cl->unit, "%") && cl->sysplex &&
         !strcmp(cl->sysplex, name);
}

/* "S1+S2" (type_model 0) or "T1+T2" (1) of the sysplex's machines; NULL on ENOMEM. */
static char *members(const rule_ctx *ctx, const char *name, int type_model)
{
  size_t n = 1;
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const machine *m = &ctx->cd->machines[i];
    if(m->sysplex && !strcmp(m->sysplex, name))
      n += strlen(type_model ? m->type_model : m->serial) + 1;
  }
  char *s = malloc(n);
  if(!s)
    return NULL;
  s[0] = '\0';
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const machine *m = &ctx->cd->machines[i];
    if(m->sysplex && !strcmp(m->sysplex, name)) {
      if(*s)
        strcat(s, "+");
      strcat(s, type_model ? m->type_model : m->serial);
    }
  }
  return s;
}

/* The reduction line of one sysplex. */
static int add_line(const rule_ctx *ctx, invoice *inv, size_t first, const char *name, int64_t eligible,
                    int64_t total, const char *rows, const char *split, diag_list *d)
{
  long share = transition_share(eligible, total);
  money pct = transition_reduction_pct(share), base = 0, off;
  char val[48], pcts[32], bases[32], lines[512], rules[96] = "";
  size_t k = 0;
  int rc;
  lines[0] = '\0';
  for(size_t i = first; i < inv->nlines; i++) {
    const charge_line *cl = &inv->lines[i];
    if(!in_sysplex(cl, name))
      continue;
    if(money_add(&base, base, cl->amount))
      return diag_add(d, ctx->machines_file, 0, 0, ctx->cd->cust.id, "VWLC charges of sysplex %s overflow", name);
    money_format(val, cl->amount, 2);
    if(k < sizeof(lines))
      k += (size_t)snprintf(lines + k, sizeof(lines) - k, "%sline %d %s %s", k ? " + " : "", cl->line,
                            cl->product_id, val);
  }
  if(!k)
    return LB_OK; /* no aggregated VWLC charges in the sysplex: nothing to reduce */
  snprintf(val, sizeof(val), "%ld %%", share);
  if(!pct)
    /* rounds to 0 % or 100 %: in no band of the table */
    return invoice_audit(inv, 0, "R-W11", rows, val,
                         "sysplex %s: AWLC-eligible Full Capacity MSUs %lld of %lld (%s) round to %ld %%, which is "
                         "in no band of the transition table (> 0 - 20 %% ... 81 - < 100 %%): no reduction",
                         name, (long long)eligible, (long long)total, split, share);
  if(money_apply_pct(&off, base, pct) || money_sub(&off, 0, off))
    return diag_add(d, ctx->machines_file, 0, 0, ctx->cd->cust.id, "transition charge of sysplex %s overflows",
                    name);
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return LB_ENOMEM;
  money_format(pcts, pct, 4);
  /* "1.5000" -> "1.5" */
  for(size_t n = strlen(pcts); n > 0 && pcts[n - 1] == '0'; n--)
    pcts[n - 1] = '\0';
  if(pcts[strlen(pcts) - 1] == '.')
    strcat(pcts, "0");
  money_format(bases, base, 2);
  char pname[160];
  snprintf(pname, sizeof(pname), "AWLC transition charge: %s %% off the VWLC charges of sysplex %s", pcts, name);
  cl->serial = members(ctx, name, 0);
  cl->type_model = members(ctx, name, 1);
  cl->sysplex = strdup(name);
  cl->product_id = strdup("");
  cl->product_name = strdup(pname);
  cl->charge_type = strdup(charge_type_names[CT_VWLC]);
  cl->unit = strdup("%");
  if(!cl->serial || !cl->type_model || !cl->sysplex || !cl->product_id || !cl->product_name || !cl->charge_type ||
     !cl->unit)
    return LB_ENOMEM;
  cl->quantity = share;
  cl->has_unit_price = 0;
  cl->amount = off;
  char note[256];
  snprintf(note, sizeof(note), "%ld %% of the sysplex's Full Capacity MSUs are on AWLC-eligible machines: %s %% of "
           "VWLC charges %s", share, pcts, bases);
  if(!(cl->note = strdup(note)))
    return LB_ENOMEM;
  /* R-T10: the share is computed on the machines' capacities */
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const machine *m = &ctx->cd->machines[i];
    if(m->sysplex && !strcmp(m->sysplex, name) && (rc = subcap_t10_audit(ctx, m, inv, cl->line, rules, sizeof(rules))))
      return rc;
  }
  subcap_add_rule(rules, sizeof(rules), "R-W11");
  subcap_add_rule(rules, sizeof(rules), "R-0.2");
  if(!(cl->rules = strdup(rules)))
    return LB_ENOMEM;
  if((rc = invoice_audit(inv, cl->line, "R-W11", rows, val,
                         "sysplex %s: AWLC-eligible Full Capacity MSUs %lld of %lld (%s), rounded to the nearest "
                         "whole percent (0.5 up)", name, (long long)eligible, (long long)total, split)))
    return rc;
  snprintf(val, sizeof(val), "%s %%", pcts);
  if((rc = invoice_audit(inv, cl->line, "R-W11", "", val, "a share of %ld %% is in the band %s: VWLC charges "
                         "reduced by %s %%", share,
                         share <= 20 ? "> 0 - 20 %" : share <= 40 ? "21 - 40 %" : share <= 60 ? "41 - 60 %"
                         : share <= 80 ? "61 - 80 %" : "81 - < 100 %", pcts)))
    return rc;
  if((rc = invoice_audit(inv, cl->line, "R-W11", "", bases, "VWLC charges of sysplex %s: %s", name, lines)))
    return rc;
  money_format(val, off, 2);
  return invoice_audit(inv, cl->line, "R-0.2", "", val,
                       "%s %% of %s, rounded half away from zero to the cent, as a reduction", pcts, bases);
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
    char rows[256] = "", split[256] = "";
    size_t kr = 0, ks = 0;
    if(!name || sysplex_size(ctx, name) < 2)
      continue; /* standalone: not an actively coupled sysplex (R-W8) */
    for(size_t j = 0; j < i && !seen; j++)
      seen = cd->machines[j].sysplex && !strcmp(cd->machines[j].sysplex, name);
    if(seen)
      continue;
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
      if(kr < sizeof(rows))
        kr += (size_t)snprintf(rows + kr, sizeof(rows) - kr, "%smachines.csv:%ld", kr ? ";" : "", o->line);
      if(ks < sizeof(split))
        ks += (size_t)snprintf(split + ks, sizeof(split) - ks, "%s%s %lld %s", ks ? ", " : "", o->serial,
                               (long long)o->full_capacity_msu, o->awlc_eligible ? "eligible" : "not eligible");
    }
    /* "at least one Machine but not all Machines ... is an AWLC Eligible Machine" (§5.16.1 d.2) */
    if(neligible == 0 || neligible == n)
      continue;
    int has_vwlc = 0;
    for(size_t k = first; k < inv->nlines && !has_vwlc; k++)
      has_vwlc = in_sysplex(&inv->lines[k], name);
    if(!has_vwlc)
      continue;
    if(unrated) {
      for(size_t j = i; j < cd->nmachines; j++) {
        const machine *o = &cd->machines[j];
        if(o->sysplex && !strcmp(o->sysplex, name) && o->full_capacity_msu == MSU_UNRATED)
          diag_add(d, ctx->machines_file, o->line, o->full_msu_col, cd->cust.id,
                   "machine %s of sysplex %s has no full_capacity_msu, expected its rated MSUs to compute the "
                   "share of AWLC-eligible Full Capacity MSUs for the transition charge (R-W11)", o->serial, name);
      }
      bad = 1;
      continue;
    }
    int rc = add_line(ctx, inv, first, name, eligible, total, rows, split, d);
    if(rc == LB_ENOMEM)
      return rc;
    if(rc)
      bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}
