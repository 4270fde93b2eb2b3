/* periods.c - support rows of a license: offering, the period before or around a row, and their checks. */
#include "rules/periods.h"

#include <string.h>

#include "rules/prorate.h"

charge_type periods_offering_ct(const char *offering)
{
  if(!offering)
    return CT__COUNT;
  if(!strcmp(offering, "SS") || !strcmp(offering, "S&S"))
    return CT_SS;
  if(!strcmp(offering, "SWMA") || periods_alf_offering(offering))
    return CT_SWMA;
  return CT__COUNT;
}

/* R-M2 */
int periods_alf_offering(const char *offering)
{
  return offering && (!strcmp(offering, "6942-73G") || !strcmp(offering, "6942-12F"));
}

int periods_is_period(const support_row *s)
{
  return s->kind == SUP_PERIOD || s->kind == SUP_RENEWAL || s->kind == SUP_REINSTATEMENT ||
         s->kind == SUP_ANNIVERSARY;
}

static int same_license(const support_row *a, const support_row *b)
{
  return a != b && !strcmp(a->license_id, b->license_id);
}

/* R-M1 */
const support_row *periods_prior(const cust_data *cd, const support_row *s)
{
  for(size_t i = 0; i < cd->nsupport; i++) {
    const support_row *o = &cd->support[i];
    if(same_license(o, s) && periods_is_period(o) && o->period_end + 1 == s->period_start)
      return o;
  }
  return NULL;
}

const support_row *periods_before(const cust_data *cd, const support_row *s)
{
  const support_row *best = NULL;
  for(size_t i = 0; i < cd->nsupport; i++) {
    const support_row *o = &cd->support[i];
    if(same_license(o, s) && periods_is_period(o) && o->period_end < s->period_start &&
       (!best || o->period_end > best->period_end))
      best = o;
  }
  return best;
}

/* R-M6 */
const support_row *periods_around(const cust_data *cd, const support_row *s)
{
  for(size_t i = 0; i < cd->nsupport; i++) {
    const support_row *o = &cd->support[i];
    if(same_license(o, s) && periods_is_period(o) && o->period_start <= s->period_start &&
       s->period_start <= o->period_end)
      return o;
  }
  return NULL;
}

/* R-M1: "IBM will renew expiring software maintenance provided a funded
 * delivery order is received by the end of the Support Period" (002 §5.15.12) */
int periods_funded(const support_row *s, const support_row *prior)
{
  return prior && s->funded_on != DATE_NONE && s->funded_on <= prior->period_end;
}

int periods_one_year(lb_date s, lb_date e)
{
  return e == prorate_year_end(s);
}

static const char *file_of(const rule_ctx *ctx)
{
  return ctx->support_file ? ctx->support_file : "support.csv";
}

/* The offering, its agreement with the license and with the license's other rows (R-M4). */
static int check_offering(const rule_ctx *ctx, const support_row *s, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *f = file_of(ctx), *id = cd->cust.id;
  const license *l = cust_license(cd, s->license_id);
  charge_type ct = periods_offering_ct(s->offering);
  if(ct == CT__COUNT)
    return diag_add(d, f, s->line, s->offering_col, id,
                    "offering '%s' is not a support offering, expected SS (System z Subscription and Support), "
                    "SWMA, 6942-73G or 6942-12F (IBM i Software Maintenance, After License Fee: R-M2)",
                    s->offering ? s->offering : "");
  if((l->ct == CT_SWMA || l->ct == CT_SS) && l->ct != ct)
    return diag_add(d, f, s->line, s->offering_col, id,
                    "offering '%s' is %s support, but license %s has charge type %s, expected a %s offering "
                    "for it", s->offering, charge_type_name(ct), l->license_id, charge_type_name(l->ct),
                    charge_type_name(l->ct));
  for(const support_row *o = cd->support; o < s; o++)
    if(same_license(o, s) && periods_offering_ct(o->offering) != CT__COUNT && periods_offering_ct(o->offering) != ct)
      return diag_add(d, f, s->line, s->offering_col, id,
                      "license %s has %s support here and %s support on line %ld, expected one kind of "
                      "support per license", l->license_id, charge_type_name(ct),
                      charge_type_name(periods_offering_ct(o->offering)), o->line);
  /* R-M4 (an SWMA license with secure_support=yes is reported at its own row: maint.c) */
  if(ct == CT_SWMA && l->secure_support && l->ct != CT_SWMA)
    return diag_add(d, f, s->line, s->offering_col, id,
                    "license %s has secure_support=yes, but Secure Support via U.S. citizens is an uplift on "
                    "S&S (002 §5.15.14), not on SWMA, expected offering SS or secure_support=no (R-M4)",
                    l->license_id);
  if(periods_alf_offering(s->offering) && s->kind != SUP_REINSTATEMENT)
    return diag_add(d, f, s->line, s->kind_col, id,
                    "offering %s is the After License Fee for a lapsed SWMA, but the row's kind is %s, expected "
                    "kind reinstatement (R-M2)", s->offering, support_kind_names[s->kind]);
  return LB_OK;
}

/* R-M1: a first period first; renewals one year, after a prior period. */
static int check_sequence(const rule_ctx *ctx, const support_row *s, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *f = file_of(ctx), *id = cd->cust.id;
  char a[11], b[11];
  if(s->kind == SUP_PERIOD)
    for(size_t i = 0; i < cd->nsupport; i++) {
      const support_row *o = &cd->support[i];
      if(same_license(o, s) && periods_is_period(o) && o->period_start < s->period_start)
        return diag_add(d, f, s->line, s->kind_col, id,
                        "kind period is the first support period of license %s, but the period on line %ld "
                        "starts earlier (%s), expected kind renewal, anniversary or reinstatement (R-M1)",
                        s->license_id, o->line, date_format(a, o->period_start));
    }
  if(s->kind == SUP_RENEWAL && !periods_one_year(s->period_start, s->period_end))
    return diag_add(d, f, s->line, s->end_col, id,
                    "a renewal is one year: expected period_end %s for a renewal starting %s, or kind "
                    "anniversary for a period adjusted to end in another month (R-M1, R-M5)",
                    date_format(a, prorate_year_end(s->period_start)), date_format(b, s->period_start));
  if((s->kind == SUP_RENEWAL || s->kind == SUP_ANNIVERSARY) && !periods_prior(cd, s))
    return diag_add(d, f, s->line, s->start_col, id,
                    "%s without a prior period: no support period of license %s ends on %s, expected a "
                    "renewal to start the day after the previous period ends (R-M1)",
                    support_kind_names[s->kind], s->license_id, date_format(a, s->period_start - 1));
  return LB_OK;
}

/* R-M2, R-M3: a reinstatement names the expiration and the order that resumes coverage. */
static int check_reinstatement(const rule_ctx *ctx, const support_row *s, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *f = file_of(ctx), *id = cd->cust.id;
  const char *rule = periods_offering_ct(s->offering) == CT_SWMA ? "R-M2" : "R-M3";
  const char *what = periods_offering_ct(s->offering) == CT_SWMA ? "After License Fee (SWMA reinstatement)"
                                                                  : "S&S resumption (reinstatement)";
  char a[11], b[11];
  if(s->expired_on == DATE_NONE)
    return diag_add(d, f, s->line, s->expired_col, id,
                    "%s row without an expiration date, expected expired_on: the last day covered before "
                    "the lapse (%s)", what, rule);
  if(s->reinstated_on == DATE_NONE)
    return diag_add(d, f, s->line, s->reinstated_col, id,
                    "%s row without the order date, expected reinstated_on: the date the order was accepted, "
                    "on which the new support period starts (%s)", what, rule);
  if(s->reinstated_on != s->period_start)
    return diag_add(d, f, s->line, s->reinstated_col, id,
                    "reinstated_on %s differs from period_start %s, expected the new support period to start "
                    "on the order date (%s)", date_format(a, s->reinstated_on), date_format(b, s->period_start),
                    rule);
  if(s->expired_on >= s->reinstated_on)
    return diag_add(d, f, s->line, s->expired_col, id,
                    "expired_on %s is not before the order date %s, expected the coverage to have lapsed "
                    "before it is reinstated (%s)", date_format(a, s->expired_on),
                    date_format(b, s->reinstated_on), rule);
  const support_row *before = periods_before(cd, s);
  if(before && before->period_end != s->expired_on)
    return diag_add(d, f, s->line, s->expired_col, id,
                    "expired_on %s, but the previous support period of license %s (line %ld) ends on %s, "
                    "expected that date (%s)", date_format(a, s->expired_on), s->license_id, before->line,
                    date_format(b, before->period_end), rule);
  return LB_OK;
}

static int check_row(const rule_ctx *ctx, const support_row *s, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *f = file_of(ctx), *id = cd->cust.id;
  char a[11], b[11], c[11], e[11];
  int rc = check_offering(ctx, s, d);
  if(rc)
    return rc;
  if((rc = check_sequence(ctx, s, d)))
    return rc;
  if(s->kind == SUP_REINSTATEMENT && (rc = check_reinstatement(ctx, s, d)))
    return rc;
  if(s->kind == SUP_UPGRADE) {
    /* R-M6 */
    const support_row *p = periods_around(cd, s);
    if(!p)
      return diag_add(d, f, s->line, s->start_col, id,
                      "support upgrade on %s is not inside a support period of license %s, expected a date "
                      "within an existing period (R-M6)", date_format(a, s->period_start), s->license_id);
    if(s->period_end != p->period_end)
      return diag_add(d, f, s->line, s->end_col, id,
                      "a support upgrade is charged up to the next anniversary, expected period_end %s (the "
                      "end of the period %s..%s on line %ld) (R-M6)", date_format(a, p->period_end),
                      date_format(b, p->period_start), date_format(c, p->period_end), p->line);
  }
  if(s->kind == SUP_EXCESS && s->reinstated_on == DATE_NONE)
    return diag_add(d, f, s->line, s->reinstated_col, id,
                    "excess use row without the order date, expected reinstated_on: the date of the order "
                    "that charges the excess use found by the audit (R-M7)");
  /* R-M1: one support period at a time */
  if(periods_is_period(s))
    for(const support_row *o = cd->support; o < s; o++)
      if(same_license(o, s) && periods_is_period(o) && o->period_start <= s->period_end &&
         s->period_start <= o->period_end)
        return diag_add(d, f, s->line, s->start_col, id,
                        "support period %s..%s overlaps the period %s..%s on line %ld of license %s, "
                        "expected periods that do not overlap (R-M1)", date_format(a, s->period_start),
                        date_format(b, s->period_end), date_format(c, o->period_start),
                        date_format(e, o->period_end), o->line, s->license_id);
  return LB_OK;
}

int periods_check(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->cd->nsupport; i++)
    if(check_row(ctx, &ctx->cd->support[i], d))
      bad = 1;
  return bad ? LB_EINPUT : LB_OK;
}
