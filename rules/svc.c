/* svc.c - Single Version Charging: predecessor waived up to 12 months, replacement on combined MSUs (R-S1..R-S3). */
#include "rules/svc.h"

#include <stdio.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/sysplex.h"

#define SVC_MONTHS 12 /* "waived for a period of 12 months" (002 §5.16.11) */

typedef enum { SVC_NOT_YET, SVC_ACTIVE, SVC_OVER, SVC_OTHER_MACHINE, SVC_REPL_ENDED } svc_status;

/* The license whose `replaces` names l, or NULL. */
static const license *replacement_of(const cust_data *cd, const license *l)
{
  for(size_t i = 0; i < cd->nlicenses; i++)
    if(cd->licenses[i].replaces && !strcmp(cd->licenses[i].replaces, l->license_id))
      return &cd->licenses[i];
  return NULL;
}

/* R-S1: the waiver's first month: "The waiver will start when charges become
 * due on the replacement program": the replacement's first charged month
 * (R-T4), or the start recorded in an earlier month when there is one.
 * *recorded gets the month it was recorded in, MONTH_NONE when computed. */
static void waiver_start(const rule_ctx *ctx, const license *pred, const license *repl, lb_month *start,
                         lb_month *recorded)
{
  const carried *c = rule_carried(ctx, CARRY_SVC_START, pred->license_id);
  *recorded = c ? c->set_in : MONTH_NONE;
  *start = c ? c->value.month : timing_first_month(repl->installed_on);
}

/* R-S1: where the waiver of pred stands in ctx->month. */
static svc_status status_of(const rule_ctx *ctx, const license *pred, const license *repl, lb_month start)
{
  if(ctx->month < start)
    return SVC_NOT_YET;
  if(strcmp(pred->serial, repl->serial))
    return SVC_OTHER_MACHINE;
  if(ctx->month >= start + SVC_MONTHS)
    return SVC_OVER;
  if(!timing_month_charged(ctx->month, repl->installed_on, repl->discontinued_on, repl->notice_received_on))
    return SVC_REPL_ENDED;
  return SVC_ACTIVE;
}

/* A plain-words note on invoice line `line` (1-based), unless it has one. 0 or LB_ENOMEM. */
static int line_note(invoice *inv, int line, const char *text)
{
  charge_line *cl = line >= 1 && (size_t)line <= inv->nlines ? &inv->lines[line - 1] : NULL;
  if(!cl || cl->note)
    return LB_OK;
  return (cl->note = strdup(text)) ? LB_OK : LB_ENOMEM;
}

/* 1 when l's program (same product and charge type) is charged on another
 * machine of l's sysplex this month: its MSUs will be summed (R-W8). */
static int summed_over_sysplex(const rule_ctx *ctx, const license *l, const machine *m)
{
  if(!sysplex_coupled(ctx, m))
    return 0;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const machine *om = cust_machine(ctx->cd, o->serial);
    if(o != l && o->ct == l->ct && !strcmp(o->product_id, l->product_id) && om != m && om->sysplex &&
       !strcmp(om->sysplex, m->sysplex) &&
       timing_month_charged(ctx->month, o->installed_on, o->discontinued_on, o->notice_received_on))
      return 1;
  }
  return 0;
}

/* R-S3: say that the value is the machine's own, before a sysplex sum. */
static int per_machine_step(const rule_ctx *ctx, const license *l, invoice *inv, int line, long msus,
                            rule_set *rules)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  if(!summed_over_sysplex(ctx, l, m))
    return LB_OK;
  rule_set_add(rules, R_S3);
  return invoice_audit(inv, line, R_S3, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)),
                       AV_QTY(msus, "MSUs"),
                       "Single Version Charging of %s computed on machine %s alone, before the MSUs are summed "
                       "over sysplex %s", l->product_id, l->serial, m->sysplex);
}

/* R-S1: l as a predecessor: waived while its replacement is charged on the same machine. */
static int as_predecessor(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus,
                          rule_set *rules, int *waived)
{
  const license *r = replacement_of(ctx->cd, l);
  lb_month start, recorded, last;
  char from[8], to[8], ended[11];
  int rc;
  *waived = 0;
  if(!r)
    return LB_OK;
  waiver_start(ctx, l, r, &start, &recorded);
  svc_status s = status_of(ctx, l, r, start);
  if(s == SVC_NOT_YET)
    return LB_OK; /* the replacement's charges are not due yet */
  last = start + SVC_MONTHS - 1;
  month_format(from, start);
  month_format(to, last);
  input_ref in[] = {REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, r->line), REF_LEDGER};
  size_t nin = recorded != MONTH_NONE ? 3 : 2;
  rule_set_add(rules, R_S1);
  switch(s) {
  case SVC_OTHER_MACHINE:
    return invoice_audit_v(inv, line, R_S1, in, nin, AV_TEXT("charged"),
                         "%s (%s) is replaced by %s (%s) on machine %s, not on %s: no Single Version Charging "
                         "waiver, the predecessor is charged", l->product_id, l->license_id, r->product_id,
                         r->license_id, r->serial, l->serial);
  case SVC_OVER:
    return invoice_audit_v(inv, line, R_S1, in, nin, AV_TEXT("charged"),
                         "the 12-month Single Version Charging waiver of %s (%s) ran from %s to %s: charged again",
                         l->product_id, l->license_id, from, to);
  case SVC_REPL_ENDED:
    date_format(ended, r->discontinued_on != DATE_NONE ? r->discontinued_on : r->notice_received_on);
    return invoice_audit_v(inv, line, R_S1, in, nin, AV_TEXT("charged"),
                         "replacement %s (%s) was discontinued (%s), ending the waiver of %s (%s) early: charged",
                         r->product_id, r->license_id, ended, l->product_id, l->license_id);
  default:
    break;
  }
  *msus = 0;
  *waived = 1;
  if((rc = invoice_carry(inv, CARRY_SVC_START, l->license_id, (carry_value){start, 0})))
    return rc;
  rc = invoice_audit_v(inv, line, R_S1, in, nin, AV_QTY(0, "MSUs"),
                     "%s (%s) is being replaced by %s (%s) on machine %s: its charges are waived, month %d of 12 "
                     "(%s to %s, from the month the replacement's charges became due%s)",
                     l->product_id, l->license_id, r->product_id, r->license_id, l->serial,
                     (int)(ctx->month - start) + 1, from, to,
                     recorded != MONTH_NONE ? ", as recorded in the ledger" : "");
  if(rc)
    return rc;
  char note[160];
  snprintf(note, sizeof(note), "Single Version Charging: waived on %s while %s replaces it (month %d of 12)",
           l->serial, r->product_id, (int)(ctx->month - start) + 1);
  if((rc = line_note(inv, line, note)))
    return rc;
  return per_machine_step(ctx, l, inv, line, 0, rules);
}

/* The operating system license of family fam on the machine that the R-S2
 * cap of other programs is measured on: the current version (no replacement
 * of its own), else any. NULL when none is charged. */
static const license *os_of(const rule_ctx *ctx, const char *serial, os_family fam)
{
  const license *any = NULL;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(strcmp(o->serial, serial) || !p->is_os || p->family != fam || subcap_is_legacy_os(p) || o->feature_of ||
       !timing_month_charged(ctx->month, o->installed_on, o->discontinued_on, o->notice_received_on))
      continue;
    if(!replacement_of(ctx->cd, o))
      return o;
    if(!any)
      any = o;
  }
  return any;
}

/* R-S2: the predetermined maximum of the replacement's MSUs on its machine. */
static int svc_cap(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *cap, char *what,
                   size_t wsize, rule_set *rules, diag_list *d)
{
  const product *p = catalog_product(ctx->cat, l->product_id);
  const machine *m = cust_machine(ctx->cd, l->serial);
  int rc;
  if(p->is_os && p->family == FAMILY_ZOS) {
    /* "For versions of z/OS, use the full machines MSU capacity." */
    if(m->full_capacity_msu == MSU_UNRATED)
      return diag_add(d, ctx->machines_file, m->line, m->full_msu_col, ctx->cd->cust.id,
                      "machine %s has no full_capacity_msu, but the Single Version Charging cap of z/OS %s is the "
                      "machine's full capacity, expected its rated MSUs (R-S2)", m->serial, l->license_id);
    if((rc = subcap_t10_audit(ctx, m, inv, line, rules)))
      return rc;
    *cap = (long)m->full_capacity_msu;
    snprintf(what, wsize, "the full capacity of machine %s, a version of z/OS being replaced", m->serial);
    return LB_OK;
  }
  /* "For programs other than versions of z/OS ... use the z/OS MSU value" */
  const license *os = os_of(ctx, l->serial, p->family);
  if(!os)
    return diag_add(d, ctx->licenses_file, l->line, l->replaces_col, ctx->cd->cust.id,
                    "Single Version Charging caps %s at the MSUs of its %s operating system on machine %s, but none "
                    "is licensed there this month, expected an operating system license (R-S2)", l->product_id,
                    os_family_names[p->family], l->serial);
  if((rc = subcap_license_msus(ctx, os, inv, line, cap, rules, d)))
    return rc;
  snprintf(what, wsize, "the MSUs of %s (%s) on %s", os->product_id, os->license_id, l->serial);
  if(m->zose_engines > 0 && p->family == FAMILY_ZOS) {
    /* "plus the MSU capacity of the engine(s) where z/OS.e is running", as R-W14 sizes that model */
    if(m->full_capacity_msu == MSU_UNRATED)
      return diag_add(d, ctx->machines_file, m->line, m->full_msu_col, ctx->cd->cust.id,
                      "machine %s has no full_capacity_msu, but z/OS.e runs on %lld of its engines and the Single "
                      "Version Charging cap adds their capacity, expected its rated MSUs (R-S2)", m->serial,
                      (long long)m->zose_engines);
    int64_t e = m->engines, ze = m->zose_engines;
    long zcap = (long)((2 * m->full_capacity_msu * ze + e) / (2 * e));
    if((rc = invoice_audit(inv, line, R_S2, REFS(REF(SRC_MACHINES, m->line)), AV_QTY(zcap, "MSUs"),
                           "z/OS.e runs on %lld of the %lld engines of %s: %lld x %lld / %lld MSUs, rounded half "
                           "up (R-W14), added to the cap", (long long)ze, (long long)e, m->serial,
                           (long long)m->full_capacity_msu, (long long)ze, (long long)e)))
      return rc;
    *cap += zcap;
    size_t k = strlen(what);
    snprintf(what + k, wsize - k, " plus %ld MSUs of its z/OS.e engines", zcap);
  }
  return LB_OK;
}

/* R-S2: l as the replacement while its predecessor is waived: the MSUs of
 * both, at most the cap. With full capacity the replacement keeps the MSU
 * value at full machine capacity. */
static int as_replacement(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus,
                          rule_set *rules, diag_list *d)
{
  const license *p = cust_license(ctx->cd, l->replaces);
  const machine_state *st = subcap_state(ctx, l->serial);
  lb_month start, recorded;
  char what[160];
  long pm = 0, cap = 0;
  int rc;
  if(!p || !timing_month_charged(ctx->month, p->installed_on, p->discontinued_on, p->notice_received_on))
    return LB_OK; /* the predecessor is gone: nothing to combine */
  waiver_start(ctx, p, l, &start, &recorded);
  if(status_of(ctx, p, l, start) != SVC_ACTIVE)
    return LB_OK;
  const audit_refs *refs = REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, p->line));
  rule_set_add(rules, R_S2);
  if(!st->subcap || l->pricing != PRICING_SUBCAP || p->pricing != PRICING_SUBCAP) {
    return invoice_audit(inv, line, R_S2, refs, AV_QTY(*msus, "MSUs"),
                         "%s (%s) replaces %s (%s) without sub-capacity on both: the replacement is charged on its "
                         "own MSU value", l->product_id, l->license_id, p->product_id, p->license_id);
  }
  if((rc = subcap_license_msus(ctx, p, inv, line, &pm, rules, d)))
    return rc;
  if((rc = svc_cap(ctx, l, inv, line, &cap, what, sizeof(what), rules, d)))
    return rc;
  long sum = *msus + pm, result = sum < cap ? sum : cap;
  rc = invoice_audit(inv, line, R_S2, refs, AV_QTY(result, "MSUs"),
                     "Single Version Charging: replacement %s %ld MSUs + predecessor %s %ld MSUs = %ld, at most %ld "
                     "(%s): %ld MSUs", l->product_id, *msus, p->product_id, pm, sum, cap, what, result);
  if(rc)
    return rc;
  char note[160];
  snprintf(note, sizeof(note), "Single Version Charging: MSUs of %s and its predecessor %s on %s combined, at most %ld",
           l->product_id, p->product_id, l->serial, cap);
  if((rc = line_note(inv, line, note)))
    return rc;
  *msus = result;
  return per_machine_step(ctx, l, inv, line, result, rules);
}

int svc_adjust(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules,
               diag_list *d)
{
  int waived = 0;
  int rc = as_predecessor(ctx, l, inv, line, msus, rules, &waived);
  if(rc || waived || !l->replaces)
    return rc;
  return as_replacement(ctx, l, inv, line, msus, rules, d);
}
