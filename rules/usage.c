/* usage.c - usage-priced programs: hourly measurements to a monthly usage (R-U1..R-U3), kept per billing period (R-U4). */
#include "rules/usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/sysplex.h"

/* One measured day: its highest hour (R-U1). */
typedef struct day_peak {
  lb_date day;
  money value;   /* sum over versions and machines of the day's highest hour */
  int hour;
  size_t first;  /* rows of that hour in the sorted rows */
  size_t n;
  int hours;     /* hours measured that day */
} day_peak;

static const char *usage_path(const rule_ctx *ctx)
{
  return ctx->usage_file ? ctx->usage_file : "usage.csv";
}

/* R-U1: every measurement belongs to a usage-priced license (MULC, UPC or
 * SALC) of the same program on the same machine; any other row is an error,
 * never a measurement silently left out. */
int usage_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  for(size_t i = 0; i < cd->nusage; i++) {
    const usage_row *u = &cd->usage[i];
    int found = 0;
    for(size_t k = 0; k < cd->nlicenses && !found; k++) {
      const license *l = &cd->licenses[k];
      found = (l->ct == CT_MULC || l->ct == CT_UPC || l->ct == CT_SALC) && !strcmp(l->serial, u->serial) &&
              !strcmp(l->product_id, u->product_id);
    }
    if(found)
      continue;
    bad = 1;
    int seen = 0; /* the same program and machine on an earlier row: reported once, there */
    for(size_t j = 0; j < i && !seen; j++)
      seen = !strcmp(cd->usage[j].serial, u->serial) && !strcmp(cd->usage[j].product_id, u->product_id);
    if(!seen)
      diag_add(d, usage_path(ctx), u->line, u->product_col, cd->cust.id,
               "usage of %s on machine %s, but the customer has no MULC, UPC or SALC license of it on that "
               "machine, expected measurements only for usage-priced licenses (R-U1)", u->product_id, u->serial);
  }
  return bad ? LB_EINPUT : LB_OK;
}

long usage_ceil(money usage)
{
  return (long)(usage / MONEY_SCALE + (usage % MONEY_SCALE ? 1 : 0));
}

char *usage_format(char *buf, money v)
{
  money_format(buf, v, 4);
  char *dot = strchr(buf, '.');
  if(dot) {
    char *e = buf + strlen(buf) - 1;
    while(e > dot && *e == '0')
      *e-- = '\0';
    if(e == dot)
      *e = '\0';
  }
  return buf;
}

/* ---- groups --------------------------------------------------------------- */

int usage_groups(const rule_ctx *ctx, charge_type ct, int aggregate, lic_groups *out, diag_list *d)
{
  return sysplex_groups(ctx, ct, aggregate, ": the usage of all its versions is charged once (R-U3)", out, d);
}

int usage_line_fields(const rule_ctx *ctx, const usage_group *g, charge_type ct, charge_line *cl)
{
  return sysplex_group_line(ctx, g, ct, cl);
}

/* ---- measurements (R-U1..R-U3) ---------------------------------------------- */

static int in_group(const usage_group *g, const char *serial)
{
  for(int i = 0; i < g->n; i++)
    if(!strcmp(g->lic[i]->serial, serial))
      return 1;
  return 0;
}

/* Versions compared number by number ("3.1" < "13" < "13.1"); text that is
 * not dotted numbers compares as text. */
static int version_cmp(const char *a, const char *b)
{
  if(strspn(a, "0123456789.") != strlen(a) || strspn(b, "0123456789.") != strlen(b))
    return strcmp(a, b);
  while(*a || *b) {
    unsigned long x = strtoul(a, (char **)&a, 10), y = strtoul(b, (char **)&b, 10);
    if(x != y)
      return x < y ? -1 : 1;
    if(*a == '.')
      a++;
    if(*b == '.')
      b++;
  }
  return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
  const usage_row *a = *(const usage_row *const *)pa, *b = *(const usage_row *const *)pb;
  int r;
  if(a->day != b->day)
    return a->day < b->day ? -1 : 1;
  if(a->hour != b->hour)
    return a->hour < b->hour ? -1 : 1;
  if((r = strcmp(a->serial, b->serial)))
    return r;
  if((r = strcmp(a->version, b->version)))
    return r;
  return a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_day_desc(const void *pa, const void *pb)
{
  const day_peak *a = pa, *b = pb;
  if(a->value != b->value)
    return a->value > b->value ? -1 : 1;
  return a->day < b->day ? -1 : a->day > b->day;
}

/* The usage.csv rows of a day's highest hour, as refs into in (room for dp->n). */
static size_t peak_refs(input_ref *in, const usage_row **rows, const day_peak *dp)
{
  for(size_t i = 0; i < dp->n; i++)
    in[i] = REF(SRC_USAGE, rows[dp->first + i]->line);
  return dp->n;
}

/* Add `s` to the ", "-separated list unless it is there. */
static void add_distinct(char *list, size_t size, int *count, const char *s)
{
  size_t n = strlen(s), k = strlen(list);
  for(const char *p = list; *p;) {
    size_t tl = strcspn(p, ",");
    if(tl == n && !strncmp(p, s, n))
      return;
    p += tl;
    while(*p == ',' || *p == ' ')
      p++;
  }
  (*count)++;
  if(k + n + 3 < size)
    snprintf(list + k, size - k, "%s%s", k ? ", " : "", s);
}

int usage_monthly(const rule_ctx *ctx, const usage_group *g, const char *unit, invoice *inv, int line,
                  money *usage, rule_set *rules, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const product *p = catalog_product(ctx->cat, g->product_id);
  const license *ref = g->lic[0];
  const usage_row **rows = NULL;
  day_peak *days = NULL;
  size_t nr = 0, nd = 0, ntest = 0;
  int rc = LB_OK, bad = 0, nversions = 0, nmachines = 0;
  char ps[11], pe[11], val[48], versions[128] = "", machines[128] = "", day[11];
  input_ref *in = NULL;

  date_format(ps, ctx->period_start);
  date_format(pe, ctx->period_end);
  if(!(in = calloc(cd->nusage + (size_t)g->n + 1, sizeof(*in))) ||
     (cd->nusage && !(rows = malloc(cd->nusage * sizeof(*rows))))) {
    rc = LB_ENOMEM;
    goto out;
  }
  /* R-T3: the measurements of the reporting period that drives the month */
  for(size_t i = 0; i < cd->nusage; i++) {
    const usage_row *u = &cd->usage[i];
    if(strcmp(u->product_id, g->product_id) || !in_group(g, u->serial) || u->day < ctx->period_start ||
       u->day > ctx->period_end)
      continue;
    /* R-U3: measurements of a test period are disregarded */
    if(u->test_period) {
      ntest++;
      continue;
    }
    /* R-U3: the charge is the latest version's, so no version may be newer than the licensed product */
    if(u->version[0] && p->version && p->version[0] && version_cmp(u->version, p->version) > 0) {
      diag_add(d, usage_path(ctx), u->line, u->version_col, cd->cust.id,
               "usage of %s version %s on %s, but products.csv gives version %s for %s, expected the license to "
               "name the latest version installed: usage of all versions is charged at the latest version's "
               "charge (R-U3)", u->product_id, u->version, u->serial, p->version, p->product_id);
      bad = 1;
      continue;
    }
    rows[nr++] = u;
  }
  if(bad) {
    rc = LB_EINPUT;
    goto out;
  }
  if(nr)
    qsort(rows, nr, sizeof(*rows), cmp_row);
  for(size_t i = 1; i < nr; i++) {
    const usage_row *a = rows[i - 1], *b = rows[i];
    if(a->day == b->day && a->hour == b->hour && !strcmp(a->serial, b->serial) && !strcmp(a->version, b->version)) {
      diag_add(d, usage_path(ctx), b->line, b->hour_col, cd->cust.id,
               "second measurement of %s%s%s on %s for hour %s T%02d (also line %ld), expected one value per "
               "hour (R-U1)", b->product_id, b->version[0] ? " version " : "", b->version, b->serial,
               date_format(day, b->day), b->hour, a->line);
      bad = 1;
    }
  }
  if(bad) {
    rc = LB_EINPUT;
    goto out;
  }
  if(nr && !(days = calloc(nr, sizeof(*days)))) {
    rc = LB_ENOMEM;
    goto out;
  }
  /* R-U3: versions and machines summed per hour; R-U1: each day's highest hour */
  for(size_t i = 0, j; i < nr; i = j) {
    money sum = 0;
    for(j = i; j < nr && rows[j]->day == rows[i]->day && rows[j]->hour == rows[i]->hour; j++) {
      add_distinct(versions, sizeof(versions), &nversions, rows[j]->version[0] ? rows[j]->version : "(none)");
      add_distinct(machines, sizeof(machines), &nmachines, rows[j]->serial);
      if(money_add(&sum, sum, rows[j]->value)) {
        rc = diag_add(d, usage_path(ctx), rows[j]->line, 0, cd->cust.id,
                      "usage of %s for hour %s T%02d overflows when summed, expected smaller values",
                      g->product_id, date_format(day, rows[j]->day), rows[j]->hour);
        goto out;
      }
    }
    if(!nd || days[nd - 1].day != rows[i]->day)
      days[nd++] = (day_peak){rows[i]->day, sum, rows[i]->hour, i, j - i, 1};
    else {
      day_peak *dp = &days[nd - 1];
      dp->hours++;
      if(sum > dp->value) {
        dp->value = sum;
        dp->hour = rows[i]->hour;
        dp->first = i;
        dp->n = j - i;
      }
    }
  }
  /* R-U2: the fourth highest day, so four days are needed */
  if(nd < 4) {
    rc = diag_add(d, ctx->licenses_file, ref->line, ref->product_col, cd->cust.id,
                  "%zu day%s of usage measured for %s %s on %s in the reporting period %s..%s (%zu test-period "
                  "measurements ignored), expected at least 4 days in usage.csv: the monthly usage is the fourth "
                  "highest daily usage (R-U2)", nd, nd == 1 ? "" : "s", g->product_id,
                  charge_type_name(ref->ct), g->key, ps, pe, ntest);
    goto out;
  }
  qsort(days, nd, sizeof(*days), cmp_day_desc);
  if(nversions > 1 || nmachines > 1 || ntest) {
    for(int i = 0; i < g->n; i++)
      in[i] = REF(SRC_LICENSES, g->lic[i]->line);
    snprintf(val, sizeof(val), "summed: %zu measurements", nr);
    rule_set_add(rules, R_U3);
    if((rc = invoice_audit_v(inv, line, R_U3, in, (size_t)g->n, AV_TEXT(val),
                           "%zu hourly measurements of %s in %s..%s summed per hour over version%s %s on machine%s "
                           "%s%s%s, charged at the charge of %s version %s; %zu test-period measurement%s "
                           "ignored", nr, g->product_id, ps, pe, nversions > 1 ? "s" : "", versions,
                           nmachines > 1 ? "s" : "", machines, g->sysplex ? " of sysplex " : "",
                           g->sysplex ? g->sysplex : "", p->product_id, p->version ? p->version : "", ntest,
                           ntest == 1 ? "" : "s")))
      goto out;
  }
  /* R-U1: the four highest days, each its highest hour */
  rule_set_add(rules, R_U1);
  for(size_t i = 0; i < 4; i++) {
    const day_peak *dp = &days[i];
    size_t nin = peak_refs(in, rows, dp);
    char summed[48] = "";
    if(dp->n > 1)
      snprintf(summed, sizeof(summed), ", %zu rows summed", dp->n);
    if((rc = invoice_audit_v(inv, line, R_U1, in, nin, AV_DECIMAL(dp->value, NULL),
                           "daily usage of %s on %s: the highest of its %d hourly measurements (hour %02d%s); the %s "
                           "highest day", g->product_id, date_format(day, dp->day), dp->hours, dp->hour, summed,
                           i == 0 ? "first" : i == 1 ? "second" : i == 2 ? "third" : "fourth")))
      goto out;
  }
  /* R-U2 */
  rule_set_add(rules, R_U2);
  size_t nin = peak_refs(in, rows, &days[3]);
  if((rc = invoice_audit_v(inv, line, R_U2, in, nin, AV_DECIMAL(days[3].value, unit),
                         "monthly usage of %s: the fourth highest of the %zu daily usages measured in the reporting "
                         "period %s..%s (%s)", g->product_id, nd, ps, pe, date_format(day, days[3].day))))
    goto out;
  *usage = days[3].value;
out:
  free(in);
  free(days);
  free(rows);
  return rc;
}

/* ---- billing periods (R-U4) ------------------------------------------------- */

/* The last month of the billing period (fiscal year, October..September) holding m. */
static lb_month period_last(lb_month m)
{
  return month_from_ym(month_number(m) >= 10 ? month_year(m) + 1 : month_year(m), 9);
}

int usage_billed(const rule_ctx *ctx, charge_type ct, const usage_group *g, money month_usage, int initial_months,
                 const char *unit, invoice *inv, int line, money *billed, rule_set *rules, diag_list *d)
{
  char subject[200], a[32], b[32], m1[8], m2[8];
  money out, new_peak;
  lb_month last = period_last(ctx->month);
  int rc, keep_basis = 1;
  char why[320];
  (void)d;
  /* what earlier months of the group kept: "CT:KEY:PRODUCT" */
  snprintf(subject, sizeof(subject), "%s:%s:%s", charge_type_name(ct), g->key, g->product_id);
  const carried *hf = rule_carried(ctx, CARRY_USAGE_FIRST, subject);
  const carried *hb = rule_carried(ctx, CARRY_USAGE_BASIS, subject);
  const carried *hp = rule_carried(ctx, CARRY_USAGE_PEAK, subject);
  month_format(m1, last);
  if(hb && hb->value.month >= ctx->month) {
    out = hb->value.num;
    snprintf(why, sizeof(why), "the usage set for the billing period ending %s (fiscal year) is kept", m1);
  } else if(hb) {
    /* a new billing period: the highest monthly usage of the one before */
    out = (hp && hp->value.month == hb->value.month) ? hp->value.num : hb->value.num;
    snprintf(why, sizeof(why), "new billing period to %s: the highest monthly usage of the billing period "
             "ending %s is %s %s", m1, month_format(m2, hb->value.month), usage_format(a, out), unit);
  } else if(initial_months == 2 && hf && hf->set_in == ctx->month - 1) {
    out = hf->value.num > month_usage ? hf->value.num : month_usage;
    snprintf(why, sizeof(why), "second initial month: the higher of the first two measured months (%s %s in %s, "
             "%s %s now) sets the charge for the billing period to %s", usage_format(a, hf->value.num), unit,
             month_format(m2, hf->set_in), usage_format(b, month_usage), unit, m1);
  } else if(initial_months == 2) {
    out = month_usage;
    keep_basis = 0;
    snprintf(why, sizeof(why), "first measured month: charged on its own usage; next month the higher of the two "
             "initial months sets the charge for the billing period to %s", m1);
    if((rc = invoice_carry(inv, CARRY_USAGE_FIRST, subject, (carry_value){MONTH_NONE, month_usage})))
      return rc;
  } else {
    out = month_usage;
    snprintf(why, sizeof(why), "first measured month: its usage sets the charge for the billing period to %s", m1);
  }
  /* the highest monthly usage of this billing period, for the next one */
  new_peak = (hp && hp->value.month == last && hp->value.num > month_usage) ? hp->value.num : month_usage;
  if((rc = invoice_carry(inv, CARRY_USAGE_PEAK, subject, (carry_value){last, new_peak})) ||
     (keep_basis && (rc = invoice_carry(inv, CARRY_USAGE_BASIS, subject, (carry_value){last, out}))))
    return rc;
  rule_set_add(rules, R_U4);
  if((rc = invoice_audit_v(inv, line, R_U4, &REF_LEDGER, hf || hb || hp ? 1 : 0,
                           AV_DECIMAL(out, unit),
                           "usage of %s charged: %s; this month's usage %s %s, highest of the billing period %s %s",
                           g->product_id, why, usage_format(a, month_usage), unit, usage_format(b, new_peak),
                           unit)))
    return rc;
  *billed = out;
  return LB_OK;
}
