/* ipla_capacity.c - R-I1..R-I4, R-I8: the MSUs an IPLA program needs, by its sub-capacity terms. */
#include "rules/ipla_capacity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/sysplex.h"

int ipla_runs(const rule_ctx *ctx, const license *l)
{
  return l->ct == CT_IPLA && l->installed_on <= ctx->period_end &&
         (l->discontinued_on == DATE_NONE || l->discontinued_on >= ctx->period_start);
}

int ipla_parent_ids(const product *p, char ids[][32], int max)
{
  const char *s = p->parent_product ? p->parent_product : "";
  int n = 0;
  while(n < max) {
    s += strspn(s, "; ");
    size_t k = strcspn(s, "; ");
    if(!k)
      break;
    snprintf(ids[n++], 32, "%.*s", (int)k, s);
    s += k;
  }
  return n;
}

static int is_parent(const product *ip, const char *product_id)
{
  char ids[IPLA_PARENTS_MAX][32];
  int n = ipla_parent_ids(ip, ids, IPLA_PARENTS_MAX);
  for(int i = 0; i < n; i++)
    if(!strcmp(ids[i], product_id))
      return 1;
  return 0;
}

static int charged(const rule_ctx *ctx, const license *o)
{
  return timing_month_charged(ctx->month, o->installed_on, o->discontinued_on, o->notice_received_on);
}

/* R-I2 */
const char *ipla_environment(const rule_ctx *ctx, const machine *m)
{
  return sysplex_coupled(ctx, m) ? m->sysplex : m->serial;
}

/* Parent licenses of IPLA product ip billed this month on machine `serial` (its MLC licenses). */
static int parents_on(const rule_ctx *ctx, const product *ip, const char *serial, const license **out, int max)
{
  int n = 0;
  for(size_t i = 0; i < ctx->cd->nlicenses && n < max; i++) {
    const license *o = &ctx->cd->licenses[i];
    if(o->ct != CT_IPLA && !o->feature_of && !strcmp(o->serial, serial) && is_parent(ip, o->product_id) &&
       charged(ctx, o))
      out[n++] = o;
  }
  return n;
}

const license *ipla_parent_in_environment(const rule_ctx *ctx, const license *l)
{
  const product *ip = catalog_product(ctx->cat, l->product_id);
  const char *env = ipla_environment(ctx, cust_machine(ctx->cd, l->serial));
  for(size_t i = 0; i < ctx->cd->nmachines; i++) {
    const license *par;
    if(!strcmp(ipla_environment(ctx, &ctx->cd->machines[i]), env) &&
       parents_on(ctx, ip, ctx->cd->machines[i].serial, &par, 1))
      return par;
  }
  return NULL;
}

/* R-I3: a z/OS or z/OS.e license charged this month on machine `serial` (not OS/390 or MVS, R-W7). */
static int zos_os(const rule_ctx *ctx, const license *o, const char *serial)
{
  const product *p = catalog_product(ctx->cat, o->product_id);
  return o->ct != CT_IPLA && !o->feature_of && p->is_os && p->family == FAMILY_ZOS && !subcap_is_legacy_os(p) &&
         !strcmp(o->serial, serial) && charged(ctx, o);
}

int ipla_zos_licenses(const rule_ctx *ctx, const char *serial, const license **out, int max)
{
  int n = 0;
  for(size_t i = 0; i < ctx->cd->nlicenses && n < max; i++) {
    const license *o = &ctx->cd->licenses[i];
    int seen = 0;
    if(!zos_os(ctx, o, serial))
      continue;
    for(int k = 0; k < n && !seen; k++)
      seen = !strcmp(out[k]->product_id, o->product_id); /* one E5 row per product: counted once */
    if(!seen)
      out[n++] = o;
  }
  return n;
}

const license *ipla_zos_license(const rule_ctx *ctx, const char *serial)
{
  const license *o;
  return ipla_zos_licenses(ctx, serial, &o, 1) ? o : NULL;
}

/* R-I4: why license l (an IPLA program, its parent or z/OS) counts at the
 * Full Capacity MSUs of its machine, or NULL while sub-capacity is in effect. */
static const char *full_reason(const rule_ctx *ctx, const machine_state *st, const license *l)
{
  const product *p = catalog_product(ctx->cat, l->product_id);
  if(!st->subcap)
    return st->full_why;
  if(l->pricing == PRICING_FULL)
    return l->ct == CT_IPLA ? "the IPLA license is priced at full capacity (sub-capacity terms not elected)"
                            : "the license is priced at full capacity";
  if(st->zos_full && p->family == FAMILY_ZOS)
    return "OS/390 or MVS is licensed to the machine (R-W7)";
  return NULL;
}

/* R-I4: the machine's Full Capacity MSUs for an IPLA license priced at full capacity. */
static int machine_full(const rule_ctx *ctx, const license *l, const machine *m, invoice *inv, int line,
                        long *msus, rule_set *rules, diag_list *d)
{
  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, 0, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu but IPLA license %s (%s) counts its Full Capacity MSUs, "
                    "expected the machine's rated MSUs (R-I4)", m->serial, l->license_id, l->product_id);
  *msus = (long)m->full_capacity_msu;
  return subcap_t10_audit(ctx, m, inv, line, rules);
}

/* Note machine m as counted for IPLA license l; more machines than the line can name is an error. */
static int add_machine(const rule_ctx *ctx, ipla_need *need, const machine *m, const license *l, diag_list *d)
{
  for(int i = 0; i < need->nmachines; i++)
    if(need->machines[i] == m)
      return LB_OK;
  if(need->nmachines == IPLA_MACHINES_MAX)
    return diag_add(d, ctx->licenses_file, l->line, l->serial_col, ctx->cd->cust.id,
                    "%s counts capacity on more than %d machines, expected at most %d per IPLA program",
                    l->product_id, IPLA_MACHINES_MAX, IPLA_MACHINES_MAX);
  need->machines[need->nmachines++] = m;
  return LB_OK;
}

/* One audit step valued "N MSUs", its rule id added to rules. */
static int step(invoice *inv, int line, rule_id rule, const input_ref *in, size_t nin, long msus, rule_set *rules,
                const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static int step(invoice *inv, int line, rule_id rule, const input_ref *in, size_t nin, long msus, rule_set *rules,
                const char *fmt, ...)
{
  char *detail = NULL;
  va_list ap;
  va_start(ap, fmt);
  if(vasprintf(&detail, fmt, ap) < 0)
    detail = NULL;
  va_end(ap);
  if(!detail)
    return LB_ENOMEM;
  rule_set_add(rules, rule);
  int rc = invoice_audit_v(inv, line, rule, in, nin, AV_QTY(msus, "MSUs"), "%s", detail);
  free(detail);
  return rc;
}

/* R-I1: the program's own MSUs on the SCRT report of its machine (E5 row). */
static int exec_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, ipla_need *need, long *msus,
                     rule_set *rules, diag_list *d)
{
  const machine_state *st = subcap_state(ctx, l->serial);
  const char *why = full_reason(ctx, st, l);
  input_ref in[] = {REF(SRC_LICENSES, l->line)};
  if(!why && !l->feature_of && st->report && !scrt_find_product(st->report, l->product_id)) {
    /* R-I1 (004: "the capacity of the LPAR(s) where the zSeries IPLA program executes"): a program the
     * period's report does not list did not execute, so it requires nothing there. Not R-W5's minimum
     * MSUs, an MLC rule: no order, and the invoice goes out. */
    input_ref none[] = {REF(SRC_LICENSES, l->line), REF_SCRT(st->report_name, 0)};
    *msus = 0;
    return step(inv, line, R_I1, none, 2, 0, rules,
                "execution-based %s (%s) on %s: not on SCRT report %s, so it did not execute in the reporting "
                "period and requires no capacity there (no IBM-initiated order for it; the invoice goes out)",
                l->product_id, l->license_id, l->serial, st->report_name);
  }
  /* R-I4: the IPLA license's own full-capacity terms; otherwise the machine's state decides (R-W2) */
  int rc = l->pricing == PRICING_FULL ? machine_full(ctx, l, st->m, inv, line, msus, rules, d)
                                      : subcap_license_msus(ctx, l, inv, line, msus, rules, d);
  if(rc || (rc = add_machine(ctx, need, st->m, l, d)))
    return rc;
  if(why)
    return step(inv, line, R_I4, in, 1, *msus, rules,
                "execution-based %s (%s) on %s: Full Capacity MSUs of the machine, because %s", l->product_id,
                l->license_id, l->serial, why);
  return step(inv, line, R_I1, in, 1, *msus, rules,
              "execution-based %s (%s) on %s: the MSUs the SCRT report shows for the program, i.e. the LPARs "
              "where it runs", l->product_id, l->license_id, l->serial);
}

/* R-I3 (004: "the license capacity of z/OS (and z/OS.e) on the machine(s)"): the z/OS MSUs of machine m,
 * the billable MSUs of each z/OS and z/OS.e license charged there, summed, and at most the machine's Full
 * Capacity MSUs (two operating systems' peaks, taken apart, can add up to more than the machine has). The
 * licenses go to os[] (room for IPLA_ZOS_MAX), their count to *nos; *why says why one of them is at full
 * capacity (NULL while sub-capacity is in effect). With none licensed there: *nos = 0, nothing priced. */
static int machine_zos(const rule_ctx *ctx, const machine *m, invoice *inv, int line, long *msus, const char **why,
                       const license **os, int *nos, rule_set *rules, diag_list *d)
{
  const machine_state *st = subcap_state(ctx, m->serial);
  char parts[256];
  size_t k = 0;
  input_ref in[IPLA_ZOS_MAX];
  long sum = 0;
  int rc;
  *msus = 0;
  *why = NULL;
  *nos = ipla_zos_licenses(ctx, m->serial, os, IPLA_ZOS_MAX);
  parts[0] = '\0';
  for(int i = 0; i < *nos; i++) {
    long v = 0;
    if(!*why)
      *why = full_reason(ctx, st, os[i]);
    if((rc = subcap_license_msus(ctx, os[i], inv, line, &v, rules, d)))
      return rc;
    if(__builtin_add_overflow(sum, v, &sum))
      return LB_EOVERFLOW;
    in[i] = REF(SRC_LICENSES, os[i]->line);
    if(k < sizeof(parts))
      k += (size_t)snprintf(parts + k, sizeof(parts) - k, "%s%s (%s) %ld", i ? " + " : "", os[i]->product_id,
                            os[i]->license_id, v);
  }
  *msus = sum;
  if(*nos < 2)
    return LB_OK;
  if((rc = step(inv, line, R_I3, in, (size_t)*nos, sum, rules, "z/OS MSUs of machine %s: z/OS and z/OS.e "
                "together, %s = %ld", m->serial, parts, sum)))
    return rc;
  if(m->full_capacity_msu == MSU_UNRATED || sum <= m->full_capacity_msu)
    return LB_OK;
  *msus = (long)m->full_capacity_msu;
  input_ref mr[] = {REF(SRC_MACHINES, m->line)};
  return step(inv, line, R_I3, mr, 1, *msus, rules,
              "z/OS MSUs of machine %s: %ld MSUs together exceed the machine's Full Capacity MSUs, so %ld: the "
              "operating systems of a machine are never billed above its capacity (002 §5.16.13 3.A.b.d, "
              "§5.16.11 3)", m->serial, sum, *msus);
}

/* R-I3: the z/OS MSUs of the machine where the program runs. */
static int zos_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, ipla_need *need, long *msus,
                    rule_set *rules, diag_list *d)
{
  const machine_state *st = subcap_state(ctx, l->serial);
  const license *os[IPLA_ZOS_MAX];
  const char *why;
  char names[256];
  size_t k = 0;
  int nos = ipla_zos_licenses(ctx, l->serial, os, IPLA_ZOS_MAX), rc;
  if(!nos)
    return diag_add(d, ctx->licenses_file, l->line, l->terms_col, ctx->cd->cust.id,
                    "z/OS-based %s (%s) runs on machine %s, but no z/OS license is charged there this month, "
                    "expected z/OS licensed to the machine (R-I3)", l->product_id, l->license_id, l->serial);
  if(l->pricing == PRICING_FULL) {
    why = full_reason(ctx, st, l);
    rc = machine_full(ctx, l, st->m, inv, line, msus, rules, d);
  } else
    rc = machine_zos(ctx, st->m, inv, line, msus, &why, os, &nos, rules, d);
  if(rc || (rc = add_machine(ctx, need, st->m, l, d)))
    return rc;
  input_ref in[1 + IPLA_ZOS_MAX];
  in[0] = REF(SRC_LICENSES, l->line);
  names[0] = '\0';
  for(int i = 0; i < nos; i++) {
    in[1 + i] = REF(SRC_LICENSES, os[i]->line);
    if(k < sizeof(names))
      k += (size_t)snprintf(names + k, sizeof(names) - k, "%s%s, %s", i ? "; " : "", os[i]->product_id,
                            os[i]->license_id);
  }
  if(why)
    return step(inv, line, R_I4, in, 1 + (size_t)nos, *msus, rules,
                "z/OS-based %s (%s) on %s: Full Capacity MSUs of the machine, because %s", l->product_id,
                l->license_id, l->serial, why);
  return step(inv, line, R_I3, in, 1 + (size_t)nos, *msus, rules,
              "z/OS-based %s (%s) on %s: the z/OS MSUs of the machine (%s)", l->product_id, l->license_id,
              l->serial, names);
}

/* R-I2: billable MSUs of the parent on machine mm (its versions there summed). */
static int parent_msus(const rule_ctx *ctx, const license *l, const machine *mm, const license **par, int np,
                       invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine_state *st = subcap_state(ctx, mm->serial);
  const char *why = NULL;
  input_ref in[IPLA_PARENTS_MAX];
  int rc;
  *msus = 0;
  for(int i = 0; i < np; i++)
    in[i] = REF(SRC_LICENSES, par[i]->line);
  if(l->pricing == PRICING_FULL) {
    why = full_reason(ctx, st, l);
    if((rc = machine_full(ctx, l, mm, inv, line, msus, rules, d)))
      return rc;
  } else {
    for(int i = 0; i < np; i++) {
      long v = 0;
      if(!why)
        why = full_reason(ctx, st, par[i]);
      if((rc = subcap_license_msus(ctx, par[i], inv, line, &v, rules, d)))
        return rc;
      *msus += v;
    }
  }
  if(why)
    return step(inv, line, R_I4, in, (size_t)np, *msus, rules,
                "reference-based %s (%s): parent %s on %s at Full Capacity MSUs, because %s", l->product_id,
                l->license_id, par[0]->product_id, mm->serial, why);
  return step(inv, line, R_I2, in, (size_t)np, *msus, rules,
              "reference-based %s (%s): billable MSUs of its parent %s%s on %s", l->product_id, l->license_id,
              par[0]->product_id, np > 1 ? " (all its versions there)" : "", mm->serial);
}

/* R-I2 with several versions of the parent billable in the environment (002
 * §5.16.15 2.(d): "capped at the Parent Programs' z/OS MSU capacity"), on
 * one machine of it (004: "This calculation regarding parent MSUs will be
 * performed separately on each mainframe"): *msus, the parent's MSUs on mm,
 * is lowered to mm's z/OS MSUs when above them. */
static int cap_on_machine(const rule_ctx *ctx, const license *l, const char *env, const machine *mm,
                          const license *par, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const license *os[IPLA_ZOS_MAX];
  const char *why;
  long cap = 0, total = *msus;
  int nos, rc = machine_zos(ctx, mm, inv, line, &cap, &why, os, &nos, rules, d);
  if(rc)
    return rc;
  if(!nos)
    return diag_add(d, ctx->licenses_file, par->line, par->product_col, ctx->cd->cust.id,
                    "several versions of the parent of %s are billable in environment %s, but no z/OS license is "
                    "charged on machine %s to cap their MSUs, expected z/OS licensed to the machine (R-I2)",
                    l->product_id, env, mm->serial);
  input_ref in[IPLA_ZOS_MAX];
  for(int i = 0; i < nos; i++)
    in[i] = REF(SRC_LICENSES, os[i]->line);
  if(total > cap)
    *msus = cap;
  return step(inv, line, R_I2, in, (size_t)nos, *msus, rules,
              "several versions of the parent are billable in environment %s: on machine %s the parent's %ld MSUs "
              "are capped at the z/OS MSUs of that machine (%ld), each machine on its own", env, mm->serial, total,
              cap);
}

/* R-I2: the parent's MSUs over the environment of license l (a machine, or
 * summed over a qualified sysplex); with several versions of the parent
 * billable there, each machine's capped at its z/OS MSUs before the sum. */
static int reference_msus(const rule_ctx *ctx, const license *l, const char *env, invoice *inv, int line,
                          ipla_need *need, long *sum, rule_set *rules, diag_list *d)
{
  const product *ip = catalog_product(ctx->cat, l->product_id);
  const cust_data *cd = ctx->cd;
  const char *version = NULL;
  input_ref *in = calloc(cd->nmachines + 1, sizeof(*in));
  int nm = 0, versions = 1, rc = LB_OK;
  *sum = 0;
  if(!in)
    return LB_ENOMEM;
  /* the versions billable anywhere in the environment decide whether the cap applies (002 §5.16.15 2.(d)) */
  for(size_t i = 0; i < cd->nmachines; i++) {
    const license *par[IPLA_PARENTS_MAX];
    if(strcmp(ipla_environment(ctx, &cd->machines[i]), env))
      continue;
    int np = parents_on(ctx, ip, cd->machines[i].serial, par, IPLA_PARENTS_MAX);
    for(int j = 0; j < np; j++) {
      if(!version)
        version = par[j]->product_id;
      else if(strcmp(version, par[j]->product_id))
        versions = 2;
    }
  }
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine *mm = &cd->machines[i];
    const license *par[IPLA_PARENTS_MAX];
    long v = 0;
    if(strcmp(ipla_environment(ctx, mm), env))
      continue;
    int np = parents_on(ctx, ip, mm->serial, par, IPLA_PARENTS_MAX);
    if(!np)
      continue; /* the parent does not run there: nothing to add */
    if((rc = parent_msus(ctx, l, mm, par, np, inv, line, &v, rules, d)) ||
       (versions > 1 && l->pricing != PRICING_FULL &&
        (rc = cap_on_machine(ctx, l, env, mm, par[0], inv, line, &v, rules, d))) ||
       (rc = add_machine(ctx, need, mm, l, d)))
      goto out;
    *sum += v;
    in[nm++] = REF(SRC_MACHINES, mm->line);
  }
  if(!nm) {
    rc = diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
                  "reference-based %s (%s) adds value to its parent %s, but the parent is not licensed and "
                  "billable this month in its environment %s, expected a license of the parent there (R-I2)",
                  l->product_id, l->license_id, ip->parent_product, env);
    goto out;
  }
  if(strcmp(env, l->serial))
    rc = step(inv, line, R_I2, in, (size_t)nm, *sum, rules,
              "reference-based %s: the parent's MSUs summed over qualified sysplex %s (%d machines with the "
              "parent)%s", l->product_id, env, nm, versions > 1 ? ", each capped on its own machine" : "");
out:
  free(in);
  return rc;
}

/* R-I8: the first installation of the newest version starts the grace. */
static lb_date newest_installed(const rule_ctx *ctx, const product *p, const license **first)
{
  lb_date best = DATE_NONE;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    if(l->ct == CT_IPLA && !strcmp(l->product_id, p->product_id) &&
       (best == DATE_NONE || l->installed_on < best)) {
      best = l->installed_on;
      *first = l;
    }
  }
  return best;
}

int ipla_required_msus(const rule_ctx *ctx, const ipla_program *pg, invoice *inv, int line, ipla_need *need,
                       rule_set *rules, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  long per[IPLA_VERSIONS_MAX] = {0};
  int rc;
  memset(need, 0, sizeof(*need));
  for(int v = 0; v < pg->nversions; v++) {
    for(size_t i = 0; i < cd->nlicenses; i++) {
      const license *l = &cd->licenses[i];
      long msus = 0;
      if(!ipla_runs(ctx, l) || strcmp(l->product_id, pg->versions[v]->product_id))
        continue;
      if(l->terms == TERMS_EXECUTION) {
        rc = exec_msus(ctx, l, inv, line, need, &msus, rules, d); /* R-I1 */
      } else if(l->terms == TERMS_ZOS) {
        rc = zos_msus(ctx, l, inv, line, need, &msus, rules, d); /* R-I3 */
      } else if(l->terms == TERMS_REFERENCE) {
        /* R-I2: each environment once, whichever license names it first */
        const char *env = ipla_environment(ctx, cust_machine(cd, l->serial));
        int seen = 0;
        for(size_t j = 0; j < i && !seen; j++) {
          const license *o = &cd->licenses[j];
          seen = ipla_runs(ctx, o) && !strcmp(o->product_id, l->product_id) && o->terms == TERMS_REFERENCE &&
                 !strcmp(ipla_environment(ctx, cust_machine(cd, o->serial)), env);
        }
        if(seen)
          continue;
        rc = reference_msus(ctx, l, env, inv, line, need, &msus, rules, d);
      } else {
        rc = diag_add(d, ctx->licenses_file, l->line, l->terms_col, cd->cust.id,
                      "IPLA license %s has no subcap_terms, expected execution, reference or zos (R-I1, R-I2, "
                      "R-I3)", l->license_id);
      }
      if(rc)
        return rc;
      per[v] += msus;
    }
  }
  if(pg->nversions == 1) {
    need->msus = per[0];
    return LB_OK;
  }
  /* R-I8: with S&S the versions may run side by side for six months from the
   * installation of the newest; after that their MSUs are combined */
  const license *first = NULL;
  lb_date inst = newest_installed(ctx, pg->versions[0], &first);
  lb_date grace_end = date_add_months(inst, 6) - 1;
  char parts[256], a[11], b[11];
  input_ref in[] = {REF(SRC_LICENSES, first->line)};
  size_t k = 0;
  long sum = 0, most = 0;
  parts[0] = '\0';
  for(int v = 0; v < pg->nversions; v++) {
    sum += per[v];
    most = per[v] > most ? per[v] : most;
    if(k < sizeof(parts))
      k += (size_t)snprintf(parts + k, sizeof(parts) - k, "%s%s %ld", v ? ", " : "", pg->versions[v]->product_id,
                            per[v]);
  }
  date_format(a, inst);
  date_format(b, grace_end);
  if(ctx->period_end <= grace_end) {
    need->msus = most;
    return step(inv, line, R_I8, in, 1, most, rules,
                "versions with S&S (%s MSUs): %s installed %s, grace to %s covers the reporting period, so the "
                "versions may run side by side: required is the largest", parts, pg->versions[0]->product_id, a,
                b);
  }
  need->msus = sum;
  return step(inv, line, R_I8, in, 1, sum, rules,
              "versions with S&S (%s MSUs): %s installed %s, six-month grace ended %s, so their MSUs are combined",
              parts, pg->versions[0]->product_id, a, b);
}
