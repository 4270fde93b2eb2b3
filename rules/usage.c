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

static int cmp_group(const void *a, const void *b)
{
  const usage_group *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  return r ? r : strcmp(x->product_id, y->product_id);
}

int usage_groups(const rule_ctx *ctx, charge_type ct, int aggregate, usage_group **out, size_t *n, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  usage_group *gs;
  size_t ng = 0;
  int bad = 0;
  if(!cd->nlicenses) {
    *out = NULL;
    *n = 0;
    return LB_OK;
  }
  gs = calloc(cd->nlicenses, sizeof(*gs));
  if(!gs)
    return LB_ENOMEM;
  /* ctx->own: the module's licenses charged in the month (R-T4/R-T5, applied by the engine) */
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(cd, l->serial);
    /* R-U3: summed over an actively coupled sysplex where the charge type allows it */
    const char *plex = aggregate ? sysplex_coupled(ctx, m) : NULL;
    const char *key = plex ? plex : m->serial;
    usage_group *g = NULL;
    for(size_t k = 0; k < ng; k++)
      if(!strcmp(gs[k].product_id, l->product_id) && !strcmp(gs[k].key, key))
        g = &gs[k];
    if(!g) {
      g = &gs[ng++];
      g->product_id = l->product_id;
      g->key = key;
      g->sysplex = plex;
    }
    for(int k = 0; k < g->n; k++)
      if(!strcmp(g->lic[k]->serial, l->serial)) {
        diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
                 "%s is licensed twice for %s on machine %s (also license %s), expected one license per program "
                 "and machine: the usage of all its versions is charged once (R-U3)", l->product_id,
                 charge_type_names[ct], l->serial, g->lic[k]->license_id);
        bad = 1;
        g = NULL;
        break;
      }
    if(g && g->n == USAGE_GROUP_MAX) {
      diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
               "sysplex %s has more than %d machines licensed for %s %s, expected at most %d", key,
               USAGE_GROUP_MAX, l->product_id, charge_type_names[ct], USAGE_GROUP_MAX);
      bad = 1;
    } else if(g)
      g->lic[g->n++] = l;
  }
  if(bad) {
    free(gs);
    return LB_EINPUT;
  }
  if(ng)
    qsort(gs, ng, sizeof(*gs), cmp_group);
  *out = gs;
  *n = ng;
  return LB_OK;
}

static char *join(const rule_ctx *ctx, const usage_group *g, int type_model)
{
  size_t n = 1;
  for(int i = 0; i < g->n; i++) {
    const machine *m = cust_machine(ctx->cd, g->lic[i]->serial);
    n += strlen(type_model ? m->type_model : m->serial) + 1;
  }
  char *s = malloc(n);
  if(!s)
    return NULL;
  s[0] = '\0';
  for(int i = 0; i < g->n; i++) {
    const machine *m = cust_machine(ctx->cd, g->lic[i]->serial);
    if(i)
      strcat(s, "+");
    strcat(s, type_model ? m->type_model : m->serial);
  }
  return s;
}

int usage_line_fields(const rule_ctx *ctx, const usage_group *g, charge_type ct, charge_line *cl)
{
  const product *p = catalog_product(ctx->cat, g->product_id);
  cl->serial = join(ctx, g, 0);
  cl->type_model = join(ctx, g, 1);
  cl->sysplex = g->n > 1 ? strdup(g->sysplex) : NULL;
  cl->product_id = strdup(g->product_id);
  cl->product_name = strdup(p->name);
  cl->charge_type = strdup(charge_type_names[ct]);
  cl->order_number = g->lic[0]->order_number ? strdup(g->lic[0]->order_number) : NULL;
  if(!cl->serial || !cl->type_model || (g->n > 1 && !cl->sysplex) || !cl->product_id || !cl->product_name ||
     !cl->charge_type || (g->lic[0]->order_number && !cl->order_number))
    return LB_ENOMEM;
  return LB_OK;
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

/* "usage.csv:12;usage.csv:36" for the rows of a day's highest hour. */
static void peak_inputs(char *buf, size_t size, const usage_row **rows, const day_peak *dp)
{
  size_t k = 0;
  buf[0] = '\0';
  for(size_t i = 0; i < dp->n && k + 24 < size; i++)
    k += (size_t)snprintf(buf + k, size - k, "%susage.csv:%ld", i ? ";" : "", rows[dp->first + i]->line);
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
                  money *usage, char *rules, size_t rsize, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const product *p = catalog_product(ctx->cat, g->product_id);
  const license *ref = g->lic[0];
  const usage_row **rows = NULL;
  day_peak *days = NULL;
  size_t nr = 0, nd = 0, ntest = 0;
  int rc = LB_OK, bad = 0, nversions = 0, nmachines = 0;
  char ps[11], pe[11], val[48], inputs[512], versions[128] = "", machines[128] = "", day[11];

  date_format(ps, ctx->period_start);
  date_format(pe, ctx->period_end);
  if(cd->nusage && !(rows = malloc(cd->nusage * sizeof(*rows)))) {
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
                  charge_type_names[ref->ct], g->key, ps, pe, ntest);
    goto out;
  }
  qsort(days, nd, sizeof(*days), cmp_day_desc);
  if(nversions > 1 || nmachines > 1 || ntest) {
    size_t k = 0;
    inputs[0] = '\0';
    for(int i = 0; i < g->n && k + 24 < sizeof(inputs); i++)
      k += (size_t)snprintf(inputs + k, sizeof(inputs) - k, "%slicenses.csv:%ld", i ? ";" : "", g->lic[i]->line);
    snprintf(val, sizeof(val), "summed: %zu measurements", nr);
    subcap_add_rule(rules, rsize, "R-U3");
    if((rc = invoice_audit(inv, line, "R-U3", inputs, val,
                           "%zu hourly measurements of %s in %s..%s summed per hour over version%s %s on machine%s "
                           "%s%s%s, charged at the charge of %s version %s; %zu test-period measurement%s "
                           "ignored", nr, g->product_id, ps, pe, nversions > 1 ? "s" : "", versions,
                           nmachines > 1 ? "s" : "", machines, g->sysplex ? " of sysplex " : "",
                           g->sysplex ? g->sysplex : "", p->product_id, p->version ? p->version : "", ntest,
                           ntest == 1 ? "" : "s")))
      goto out;
  }
  /* R-U1: the four highest days, each its highest hour */
  subcap_add_rule(rules, rsize, "R-U1");
  for(size_t i = 0; i < 4; i++) {
    const day_peak *dp = &days[i];
    peak_inputs(inputs, sizeof(inputs), rows, dp);
    char summed[48] = "";
    if(dp->n > 1)
      snprintf(summed, sizeof(summed), ", %zu rows summed", dp->n);
    if((rc = invoice_audit(inv, line, "R-U1", inputs, usage_format(val, dp->value),
                           "daily usage of %s on %s: the highest of its %d hourly measurements (hour %02d%s); the %s "
                           "highest day", g->product_id, date_format(day, dp->day), dp->hours, dp->hour, summed,
                           i == 0 ? "first" : i == 1 ? "second" : i == 2 ? "third" : "fourth")))
      goto out;
  }
  /* R-U2 */
  subcap_add_rule(rules, rsize, "R-U2");
  peak_inputs(inputs, sizeof(inputs), rows, &days[3]);
  {
    char u[32];
    snprintf(val, sizeof(val), "%s %s", usage_format(u, days[3].value), unit);
  }
  if((rc = invoice_audit(inv, line, "R-U2", inputs, val,
                         "monthly usage of %s: the fourth highest of the %zu daily usages measured in the reporting "
                         "period %s..%s (%s)", g->product_id, nd, ps, pe, date_format(day, days[3].day))))
    goto out;
  *usage = days[3].value;
out:
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

/* Read "<usage>;<YYYY-MM>" (until may be NULL for a bare usage). 1 found,
 * 0 none, LB_EINPUT after reporting. */
static int state_read(const rule_ctx *ctx, const char *key, money *u, lb_month *until, lb_month *set_in,
                      diag_list *d)
{
  char v[64];
  size_t ep;
  int rc = rule_state_get(ctx, key, v, sizeof(v), set_in);
  if(rc < 0)
    return diag_add(d, "ledger.db", 0, 0, ctx->cd->cust.id, "history of '%s' could not be read, expected the "
                    "ledger of earlier months (R-U4)", key);
  if(rc == 0)
    return 0;
  const char *semi = strchr(v, ';');
  size_t n = semi ? (size_t)(semi - v) : strlen(v);
  if(money_parse(u, v, n, 4, &ep) || (until && (!semi || month_parse(until, semi + 1, strlen(semi + 1), &ep))) ||
     (!until && semi))
    return diag_add(d, "ledger.db", 0, 0, ctx->cd->cust.id, "history value '%s' of '%s' is not a usage%s, "
                    "expected what an earlier month recorded (R-U4)", v, key, until ? " and a month" : "");
  return 1;
}

static int state_write(invoice *inv, const char *key, money u, lb_month until)
{
  char v[64], num[32], mon[8];
  money_format(num, u, 4);
  if(until == MONTH_NONE)
    snprintf(v, sizeof(v), "%s", num);
  else
    snprintf(v, sizeof(v), "%s;%s", num, month_format(mon, until));
  return invoice_state(inv, key, v);
}

int usage_billed(const rule_ctx *ctx, charge_type ct, const usage_group *g, money month_usage, int initial_months,
                 const char *unit, invoice *inv, int line, money *billed, char *rules, size_t rsize, diag_list *d)
{
  char kfirst[160], kbasis[160], kpeak[160], val[48], a[32], b[32], m1[8], m2[8];
  money first = 0, basis = 0, peak = 0, out, new_peak;
  lb_month first_in = MONTH_NONE, basis_until = MONTH_NONE, peak_until = MONTH_NONE, set_in = MONTH_NONE;
  lb_month last = period_last(ctx->month);
  int hf, hb, hp, rc, keep_basis = 1;
  const char *ctn = charge_type_names[ct];
  char why[320];

  snprintf(kfirst, sizeof(kfirst), "usage_first:%s:%s:%s", ctn, g->key, g->product_id);
  snprintf(kbasis, sizeof(kbasis), "usage_basis:%s:%s:%s", ctn, g->key, g->product_id);
  snprintf(kpeak, sizeof(kpeak), "usage_peak:%s:%s:%s", ctn, g->key, g->product_id);
  if((hf = state_read(ctx, kfirst, &first, NULL, &first_in, d)) < 0 ||
     (hb = state_read(ctx, kbasis, &basis, &basis_until, &set_in, d)) < 0 ||
     (hp = state_read(ctx, kpeak, &peak, &peak_until, &set_in, d)) < 0)
    return LB_EINPUT;
  month_format(m1, last);
  if(hb && basis_until >= ctx->month) {
    out = basis;
    snprintf(why, sizeof(why), "the usage set for the billing period ending %s (fiscal year) is kept", m1);
  } else if(hb) {
    /* a new billing period: the highest monthly usage of the one before */
    out = (hp && peak_until == basis_until) ? peak : basis;
    snprintf(why, sizeof(why), "new billing period to %s: the highest monthly usage of the billing period "
             "ending %s is %s %s", m1, month_format(m2, basis_until), usage_format(a, out), unit);
  } else if(initial_months == 2 && hf && first_in == ctx->month - 1) {
    out = first > month_usage ? first : month_usage;
    snprintf(why, sizeof(why), "second initial month: the higher of the first two measured months (%s %s in %s, "
             "%s %s now) sets the charge for the billing period to %s", usage_format(a, first), unit,
             month_format(m2, first_in), usage_format(b, month_usage), unit, m1);
  } else if(initial_months == 2) {
    out = month_usage;
    keep_basis = 0;
    snprintf(why, sizeof(why), "first measured month: charged on its own usage; next month the higher of the two "
             "initial months sets the charge for the billing period to %s", m1);
    if((rc = state_write(inv, kfirst, month_usage, MONTH_NONE)))
      return rc;
  } else {
    out = month_usage;
    snprintf(why, sizeof(why), "first measured month: its usage sets the charge for the billing period to %s", m1);
  }
  /* the highest monthly usage of this billing period, for the next one */
  new_peak = (hp && peak_until == last && peak > month_usage) ? peak : month_usage;
  if((rc = state_write(inv, kpeak, new_peak, last)) || (keep_basis && (rc = state_write(inv, kbasis, out, last))))
    return rc;
  subcap_add_rule(rules, rsize, "R-U4");
  snprintf(val, sizeof(val), "%s %s", usage_format(a, out), unit);
  if((rc = invoice_audit(inv, line, "R-U4", hf || hb || hp ? "ledger.db" : "", val,
                         "usage of %s charged: %s; this month's usage %s %s, highest of the billing period %s %s",
                         g->product_id, why, usage_format(a, month_usage), unit, usage_format(b, new_peak), unit)))
    return rc;
  *billed = out;
  return LB_OK;
}
