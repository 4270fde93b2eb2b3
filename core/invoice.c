/* invoice.c - ownership of the priced invoice model, its typed audit steps and their text forms. */
#include "core/invoice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"

static void line_clear(charge_line *l)
{
  for(size_t i = 0; i < l->nmachines; i++) {
    free(l->machines[i].serial);
    free(l->machines[i].type_model);
  }
  free(l->machines);
  free(l->serial);
  free(l->type_model);
  free(l->sysplex);
  free(l->product_id);
  free(l->product_name);
  free(l->order_number);
  free(l->unit);
  free(l->note);
  free(l->tiers);
}

static void step_clear(audit_step *a)
{
  for(size_t i = 0; i < a->nrefs; i++)
    free((char *)a->refs[i].name);
  free(a->refs);
  free((char *)a->value.text);
  free(a->detail);
}

void invoice_clear(invoice *inv)
{
  if(!inv)
    return;
  for(size_t i = 0; i < inv->nlines; i++)
    line_clear(&inv->lines[i]);
  free(inv->lines);
  for(size_t i = 0; i < inv->ntaxes; i++)
    free(inv->taxes[i].name);
  free(inv->taxes);
  for(size_t i = 0; i < inv->naudit; i++)
    step_clear(&inv->audit[i]);
  free(inv->audit);
  for(size_t i = 0; i < inv->norders; i++)
    free(inv->order_numbers[i]);
  free(inv->order_numbers);
  for(size_t i = 0; i < inv->ncarry; i++)
    free(inv->carry[i].subject);
  free(inv->carry);
  for(size_t i = 0; i < inv->nnotices; i++) {
    free(inv->notices[i].serial);
    free(inv->notices[i].reason);
  }
  free(inv->notices);
  free(inv->number);
  free(inv->customer_id);
  free(inv->customer_name);
  free(inv->customer_address);
  free(inv->country);
  free(inv->customer_class);
  free(inv->contract_number);
  free(inv->currency);
  free(inv->contact);
  free(inv->corrects);
  free(inv->replaces);
  memset(inv, 0, sizeof(*inv));
}

static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
  if(n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *np = realloc(*p, ncap * sz);
  if(!np)
    return -1;
  memset((char *)np + *cap * sz, 0, (ncap - *cap) * sz);
  *p = np;
  *cap = ncap;
  return 0;
}

charge_line *invoice_add_line(invoice *inv)
{
  if(grow((void **)&inv->lines, &inv->lines_cap, inv->nlines, sizeof(charge_line)))
    return NULL;
  charge_line *l = &inv->lines[inv->nlines++];
  memset(l, 0, sizeof(*l));
  l->line = (int)inv->nlines;
  return l;
}

tax_line *invoice_add_tax(invoice *inv)
{
  if(grow((void **)&inv->taxes, &inv->taxes_cap, inv->ntaxes, sizeof(tax_line)))
    return NULL;
  tax_line *t = &inv->taxes[inv->ntaxes++];
  memset(t, 0, sizeof(*t));
  return t;
}

/* "a+b+c" of one field of the machines; NULL on ENOMEM */
static char *join(const line_machine *m, size_t n, int type_models)
{
  size_t len = 1;
  for(size_t i = 0; i < n; i++)
    len += strlen(type_models ? m[i].type_model : m[i].serial) + 1;
  char *s = malloc(len), *p = s;
  if(!s)
    return NULL;
  for(size_t i = 0; i < n; i++) {
    const char *t = type_models ? m[i].type_model : m[i].serial;
    size_t tl = strlen(t);
    if(i)
      *p++ = '+';
    memcpy(p, t, tl);
    p += tl;
  }
  *p = '\0';
  return s;
}

int invoice_line_machines(charge_line *cl, const char *const *serials, const char *const *type_models, size_t n)
{
  line_machine *v = calloc(n ? n : 1, sizeof(*v));
  char *s = NULL, *t = NULL;
  if(!v)
    return LB_ENOMEM;
  for(size_t i = 0; i < n; i++)
    if(!(v[i].serial = strdup(serials[i] ? serials[i] : "")) ||
       !(v[i].type_model = strdup(type_models[i] ? type_models[i] : "")))
      goto nomem;
  if(!(s = join(v, n, 0)) || !(t = join(v, n, 1)))
    goto nomem;
  for(size_t i = 0; i < cl->nmachines; i++) {
    free(cl->machines[i].serial);
    free(cl->machines[i].type_model);
  }
  free(cl->machines);
  free(cl->serial);
  free(cl->type_model);
  cl->machines = v;
  cl->nmachines = n;
  cl->serial = s;
  cl->type_model = t;
  return LB_OK;
nomem:
  for(size_t k = 0; k < n; k++) {
    free(v[k].serial);
    free(v[k].type_model);
  }
  free(v);
  free(s);
  free(t);
  return LB_ENOMEM;
}

int invoice_line_machine(charge_line *cl, const char *serial, const char *type_model)
{
  return invoice_line_machines(cl, &serial, &type_model, 1);
}

/* the k-th '+'-separated part of s (s[*at..]), advancing *at; "" past the end */
static char *part(const char *s, size_t *at)
{
  const char *p = s + *at;
  size_t n = strcspn(p, "+");
  *at += n + (p[n] == '+');
  return strndup(p, n);
}

int invoice_line_machines_text(charge_line *cl, const char *serials, const char *type_models)
{
  size_t n = 1, as = 0, at = 0;
  int rc = LB_ENOMEM;
  serials = serials ? serials : "";
  type_models = type_models ? type_models : "";
  for(const char *p = serials; *p; p++)
    n += *p == '+';
  char **sv = calloc(n, sizeof(*sv)), **tv = calloc(n, sizeof(*tv));
  if(!sv || !tv)
    goto out;
  for(size_t i = 0; i < n; i++)
    if(!(sv[i] = part(serials, &as)) || !(tv[i] = part(type_models, &at)))
      goto out;
  rc = invoice_line_machines(cl, (const char *const *)sv, (const char *const *)tv, n);
out:
  for(size_t i = 0; sv && tv && i < n; i++) {
    free(sv[i]);
    free(tv[i]);
  }
  free(sv);
  free(tv);
  return rc;
}

int invoice_line_machines_of(charge_line *cl, const charge_line *from)
{
  const char **s = calloc(from->nmachines + 1, sizeof(*s)), **t = calloc(from->nmachines + 1, sizeof(*t));
  int rc = LB_ENOMEM;
  if(s && t) {
    for(size_t i = 0; i < from->nmachines; i++) {
      s[i] = from->machines[i].serial;
      t[i] = from->machines[i].type_model;
    }
    rc = invoice_line_machines(cl, s, t, from->nmachines);
  }
  free(s);
  free(t);
  return rc;
}

int invoice_line_has_serial(const charge_line *cl, const char *serial)
{
  for(size_t i = 0; i < cl->nmachines; i++)
    if(!strcmp(cl->machines[i].serial, serial))
      return 1;
  return 0;
}

int invoice_line_tiers(charge_line *cl, size_t n)
{
  tier_part *t = calloc(n ? n : 1, sizeof(*t));
  if(!t)
    return LB_ENOMEM;
  free(cl->tiers);
  cl->tiers = t;
  cl->ntiers = 0;
  return LB_OK;
}

int invoice_audit_v(invoice *inv, int line, rule_id rule, const input_ref *refs, size_t nrefs, audit_value value,
                    const char *fmt, ...)
{
  va_list ap;
  audit_step a;
  int step = 1;
  memset(&a, 0, sizeof(a));
  if(grow((void **)&inv->audit, &inv->audit_cap, inv->naudit, sizeof(audit_step)))
    return LB_ENOMEM;
  for(size_t i = inv->naudit; i > 0; i--)
    if(inv->audit[i - 1].line == line) {
      step = inv->audit[i - 1].step + 1;
      break;
    }
  a.line = line;
  a.step = step;
  a.rule = rule;
  va_start(ap, fmt);
  if(vasprintf(&a.detail, fmt, ap) < 0)
    a.detail = NULL;
  va_end(ap);
  if(!a.detail)
    goto nomem;
  if(nrefs) {
    a.refs = calloc(nrefs, sizeof(*a.refs));
    if(!a.refs)
      goto nomem;
    for(size_t i = 0; i < nrefs; i++) {
      a.refs[i] = refs[i];
      a.refs[i].name = NULL;
      a.nrefs = i + 1;
      if(refs[i].name && !(a.refs[i].name = strdup(refs[i].name)))
        goto nomem;
    }
  }
  a.value = value;
  a.value.text = NULL;
  if(value.text && !(a.value.text = strdup(value.text)))
    goto nomem;
  inv->audit[inv->naudit++] = a;
  return LB_OK;
nomem:
  step_clear(&a);
  return LB_ENOMEM;
}

int invoice_audit(invoice *inv, int line, rule_id rule, const audit_refs *refs, audit_value value,
                  const char *fmt, ...)
{
  va_list ap;
  char *detail = NULL;
  va_start(ap, fmt);
  if(vasprintf(&detail, fmt, ap) < 0)
    detail = NULL;
  va_end(ap);
  if(!detail)
    return LB_ENOMEM;
  int rc = invoice_audit_v(inv, line, rule, refs ? refs->v : NULL, refs ? refs->n : 0, value, "%s", detail);
  free(detail);
  return rc;
}

int invoice_carry(invoice *inv, carry_kind kind, const char *subject, carry_value value)
{
  for(size_t i = 0; i < inv->ncarry; i++)
    if(inv->carry[i].kind == kind && !strcmp(inv->carry[i].subject, subject)) {
      inv->carry[i].value = value;
      return LB_OK;
    }
  char *s = strdup(subject);
  if(!s || grow((void **)&inv->carry, &inv->carry_cap, inv->ncarry, sizeof(carry_item))) {
    free(s);
    return LB_ENOMEM;
  }
  inv->carry[inv->ncarry++] = (carry_item){kind, s, value};
  return LB_OK;
}

int invoice_notice_add(invoice *inv, rule_id rule, const char *serial, money billed, money compared,
                       int has_compared, const char *reason)
{
  for(size_t i = 0; i < inv->nnotices; i++)
    if(inv->notices[i].rule == rule && !strcmp(inv->notices[i].serial, serial) &&
       !strcmp(inv->notices[i].reason, reason))
      return LB_OK; /* a rule that ran twice for one license says it once */
  char *s = strdup(serial), *r = strdup(reason);
  if(!s || !r || grow((void **)&inv->notices, &inv->notices_cap, inv->nnotices, sizeof(invoice_notice))) {
    free(s);
    free(r);
    return LB_ENOMEM;
  }
  inv->notices[inv->nnotices++] = (invoice_notice){rule, s, r, billed, has_compared ? compared : 0, has_compared};
  return LB_OK;
}

/* ---- identity ---- */

static int cmp_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *nz(const char *s) { return s ? s : ""; }

int invoice_prompt_pay_base(const invoice *inv, money excluded, money *base)
{
  money tax = 0;
  for(size_t i = 0; excluded && i < inv->ntaxes; i++) {
    money t;
    if(money_apply_pct(&t, excluded, inv->taxes[i].rate_pct) || money_add(&tax, tax, t))
      return LB_EOVERFLOW;
  }
  if(money_sub(base, inv->total, excluded) || money_sub(base, *base, tax))
    return LB_EOVERFLOW;
  return LB_OK;
}

int invoice_line_out_of_prompt_pay(const invoice *inv, int line)
{
  for(size_t i = 0; i < inv->naudit; i++)
    if(inv->audit[i].line == line && inv->audit[i].rule == R_X2)
      return 1;
  return 0;
}

char *invoice_identity(const invoice *inv)
{
  char *buf = NULL, **lines = calloc(inv->nlines + inv->ntaxes + 1, sizeof(char *));
  size_t n = 0, k = 0;
  FILE *fp = lines ? open_memstream(&buf, &n) : NULL;
  if(!fp)
    goto fail;
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *c = &inv->lines[i];
    if(asprintf(&lines[k], "line|%s|%s|%s|%s|%s|%ld|%s|%d|%lld|%lld", charge_type_name(c->ct), nz(c->product_id),
                nz(c->serial), nz(c->type_model), nz(c->order_number), c->quantity, nz(c->unit), c->has_unit_price,
                (long long)(c->has_unit_price ? c->unit_price : 0), (long long)c->amount) < 0) {
      lines[k] = NULL;
      goto fail;
    }
    k++;
  }
  /* two lines alike in everything are both kept: sorting keeps them apart */
  qsort(lines, k, sizeof(char *), cmp_text);
  fprintf(fp, "identity %d\ncustomer|%s|%s|%s|%s|%s|%s|%d|%lld|%d\n", INVOICE_IDENTITY_VERSION, nz(inv->customer_id),
          nz(inv->customer_name), nz(inv->customer_address), nz(inv->country), nz(inv->contract_number),
          nz(inv->currency), inv->month, (long long)inv->prompt_pay_pct, inv->payment_terms_days);
  fprintf(fp, "kind|%s|%s\n", inv->is_credit_note ? "credit_note" : "invoice", nz(inv->corrects));
  for(size_t i = 0; i < k; i++)
    fprintf(fp, "%s\n", lines[i]);
  for(size_t i = 0; i < inv->ntaxes; i++)
    fprintf(fp, "tax|%s|%lld|%lld\n", nz(inv->taxes[i].name), (long long)inv->taxes[i].rate_pct,
            (long long)inv->taxes[i].amount);
  fprintf(fp, "totals|%lld|%lld|%lld|%lld|%lld\n", (long long)inv->subtotal, (long long)inv->discount,
          (long long)inv->tax, (long long)inv->total, (long long)(inv->prompt_pay_pct ? inv->prompt_pay_discount : 0));
  for(size_t i = 0; i < k; i++)
    free(lines[i]);
  free(lines);
  if(fclose(fp)) {
    free(buf);
    return NULL;
  }
  return buf;
fail:
  for(size_t i = 0; lines && i < k; i++)
    free(lines[i]);
  free(lines);
  if(fp)
    fclose(fp);
  free(buf);
  return NULL;
}

/* ---- changes ---- */

static int same_line_key(const charge_line *a, const charge_line *b)
{
  return a->ct == b->ct && !strcmp(nz(a->product_id), nz(b->product_id)) && !strcmp(nz(a->serial), nz(b->serial));
}

/* Add the refs of step a (deduplicated) to the text list. */
static void add_refs(FILE *fp, const audit_step *a, char *seen, size_t seen_size)
{
  for(size_t i = 0; i < a->nrefs; i++) {
    char r[300];
    input_ref_format(r, sizeof(r), &a->refs[i]);
    if(!*r || a->refs[i].kind == SRC_CHARGES || a->refs[i].kind == SRC_DOCUMENT)
      continue;
    size_t rl = strlen(r), sl = strlen(seen);
    int dup = 0;
    for(const char *p = seen; (p = strstr(p, r)); p++)
      if((p == seen || p[-1] == ' ') && (p[rl] == ' ' || !p[rl]))
        dup = 1;
    if(dup)
      continue;
    if(sl + rl + 2 < seen_size)
      snprintf(seen + sl, seen_size - sl, "%s%s", sl ? " " : "", r);
    fprintf(fp, "%s%s", sl ? ", " : "", r);
  }
}

/* The k-th step of `rule` on invoice line `line`, or NULL. */
static const audit_step *nth_step(const invoice *inv, int line, rule_id rule, int k)
{
  for(size_t i = 0; i < inv->naudit; i++)
    if(inv->audit[i].line == line && inv->audit[i].rule == rule && k-- == 0)
      return &inv->audit[i];
  return NULL;
}

/* The inputs behind a changed line: refs of the steps whose value differs from the old line's step of
 * the same rule and rank; all the line's refs when no step says. */
static void changed_refs(FILE *fp, const invoice *old, const charge_line *ol, const invoice *now,
                         const charge_line *nl)
{
  char seen[2048] = "", a[AUDIT_VALUE_MAX], b[AUDIT_VALUE_MAX];
  long at = ftell(fp);
  for(int pass = 0; pass < 2 && ftell(fp) == at; pass++)
    for(size_t i = 0; i < now->naudit; i++) {
      const audit_step *s = &now->audit[i];
      if(s->line != nl->line)
        continue;
      int k = 0;
      for(size_t j = 0; j < i; j++)
        k += now->audit[j].line == nl->line && now->audit[j].rule == s->rule;
      const audit_step *o = ol ? nth_step(old, ol->line, s->rule, k) : NULL;
      if(pass == 0 && o && !strcmp(audit_value_format(a, sizeof(a), &s->value), audit_value_format(b, sizeof(b),
                                                                                                   &o->value)))
        continue;
      add_refs(fp, s, seen, sizeof(seen));
    }
}

char *invoice_changes(const invoice *old, const invoice *now)
{
  char *buf = NULL, m1[32], m2[32];
  size_t n = 0;
  int any = 0;
  FILE *fp = open_memstream(&buf, &n);
  if(!fp)
    return NULL;
  for(size_t i = 0; i < now->nlines; i++) {
    const charge_line *nl = &now->lines[i], *ol = NULL;
    for(size_t j = 0; j < old->nlines && !ol; j++)
      if(same_line_key(&old->lines[j], nl))
        ol = &old->lines[j];
    if(ol && ol->quantity == nl->quantity && ol->amount == nl->amount)
      continue;
    fprintf(fp, "%s%s %s %s on %s", any++ ? "; " : "", ol ? "changed" : "added", charge_type_name(nl->ct),
            nz(nl->product_id), nz(nl->serial));
    if(ol && ol->quantity != nl->quantity)
      fprintf(fp, ", quantity %ld -> %ld", ol->quantity, nl->quantity);
    fprintf(fp, ", amount %s -> %s (", ol ? money_format(m1, ol->amount, 2) : "none", money_format(m2, nl->amount, 2));
    changed_refs(fp, old, ol, now, nl);
    fputc(')', fp);
  }
  for(size_t j = 0; j < old->nlines; j++) {
    const charge_line *ol = &old->lines[j];
    int kept = 0;
    for(size_t i = 0; i < now->nlines && !kept; i++)
      kept = same_line_key(ol, &now->lines[i]);
    if(!kept)
      fprintf(fp, "%sremoved %s %s on %s, amount %s", any++ ? "; " : "", charge_type_name(ol->ct), nz(ol->product_id),
              nz(ol->serial), money_format(m1, ol->amount, 2));
  }
  if(!any)
    fprintf(fp, "the lines are the same; the customer's details, taxes or terms differ");
  fprintf(fp, "; total %s -> %s %s", money_format(m1, old->total, 2), money_format(m2, now->total, 2), nz(now->currency));
  if(fclose(fp)) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* ---- text forms ----------------------------------------------------------- */

static const char *const SRC_NAMES[SRC__COUNT] = {
  [SRC_CUSTOMERS] = "customers.csv", [SRC_MACHINES] = "machines.csv", [SRC_LICENSES] = "licenses.csv",
  [SRC_PRODUCTS] = "products.csv",   [SRC_PRICES] = "prices.csv",     [SRC_VALUE_UNITS] = "value_units.csv",
  [SRC_MACHINE_MODELS] = "machine_models.csv", [SRC_SUPPORT] = "support.csv", [SRC_USAGE] = "usage.csv",
  [SRC_TAXES] = "taxes.csv",         [SRC_RECEIVED] = "scrt/received.csv", [SRC_SCRT] = "scrt",
  [SRC_CHARGES] = "charges.csv",     [SRC_LEDGER] = "ledger.db",     [SRC_DOCUMENT] = "document",
};

const char *src_file_name(src_kind kind) { return (unsigned)kind < SRC__COUNT ? SRC_NAMES[kind] : "?"; }

int src_kind_parse(src_kind *out, const char *name)
{
  for(int i = 0; i < SRC__COUNT; i++)
    if(!strcmp(SRC_NAMES[i], name)) {
      *out = (src_kind)i;
      return 0;
    }
  return -1;
}

int input_ref_format(char *buf, size_t n, const input_ref *r)
{
  const char *name = r->name ? r->name : "";
  switch(r->kind) {
  case SRC_LEDGER:
    if(r->state < CARRY__COUNT)
      return snprintf(buf, n, "ledger:%s:%s", carry_name(r->state), name);
    return snprintf(buf, n, "%s", SRC_NAMES[SRC_LEDGER]);
  case SRC_DOCUMENT: return snprintf(buf, n, "%s", name);
  case SRC_SCRT:
    return r->line ? snprintf(buf, n, "%s:%ld", name, r->line) : snprintf(buf, n, "%s", name);
  default:
    return r->line ? snprintf(buf, n, "%s:%ld", src_file_name(r->kind), r->line)
                   : snprintf(buf, n, "%s", src_file_name(r->kind));
  }
}

char *audit_inputs_text(const audit_step *a)
{
  size_t len = 1;
  for(size_t i = 0; i < a->nrefs; i++)
    len += (size_t)input_ref_format(NULL, 0, &a->refs[i]) + 1;
  char *s = malloc(len);
  size_t k = 0;
  if(!s)
    return NULL;
  s[0] = '\0';
  for(size_t i = 0; i < a->nrefs; i++) {
    if(i)
      s[k++] = ';';
    k += (size_t)input_ref_format(s + k, len - k, &a->refs[i]);
  }
  return s;
}

char *audit_value_format(char *buf, size_t n, const audit_value *v)
{
  char num[32];
  switch(v->kind) {
  case VAL_TEXT: snprintf(buf, n, "%s", v->text ? v->text : ""); break;
  case VAL_MONEY: snprintf(buf, n, "%s", money_format(num, v->num, v->places)); break;
  case VAL_QTY: snprintf(buf, n, "%lld %s", (long long)v->num, v->text ? v->text : ""); break;
  case VAL_DECIMAL:
  case VAL_PERCENT: {
    /* "49.2500" -> "49.25", "1500.0000" -> "1500"; a percentage keeps one decimal: "3.0 %" */
    char *e = money_format(num, v->num, 4) + strlen(num) - 1;
    while(*e == '0' && (v->kind == VAL_DECIMAL || e[-1] != '.'))
      *e-- = '\0';
    if(*e == '.')
      *e = '\0';
    if(v->kind == VAL_PERCENT)
      snprintf(buf, n, "%s %%", num);
    else if(v->text)
      snprintf(buf, n, "%s %s", num, v->text);
    else
      snprintf(buf, n, "%s", num);
    break;
  }
  case VAL_NONE:
  default: buf[0] = '\0'; break;
  }
  return buf;
}

const char *line_charge_type(const charge_line *cl) { return charge_type_name(cl->ct); }

/* One ref of an inputs text; tok is modified. */
static void ref_parse(input_ref *r, char *tok, lb_date effective)
{
  char *colon = strrchr(tok, ':');
  long line = 0;
  src_kind kind;
  *r = REF_LEDGER;
  if(!strncmp(tok, "ledger:", 7)) {
    char *subj = strchr(tok + 7, ':');
    carry_kind k;
    if(subj && !carry_kind_parse(&k, tok + 7, (size_t)(subj - tok - 7))) {
      *r = REF_STATE(k, subj + 1);
      return;
    }
  }
  if(!strcmp(tok, SRC_NAMES[SRC_LEDGER]))
    return;
  if(colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
    line = atol(colon + 1);
    *colon = '\0';
  } else
    colon = NULL;
  if(!src_kind_parse(&kind, tok) && kind != SRC_SCRT && kind != SRC_DOCUMENT && kind != SRC_LEDGER)
    *r = REF(kind, line);
  else if(!strncmp(tok, "scrt/", 5))
    *r = REF_SCRT(tok, line);
  else {
    if(colon)
      *colon = ':';
    *r = REF_DOC(tok);
  }
  if(r->kind == SRC_PRICES)
    r->effective = effective;
}

int audit_refs_parse(const char *text, lb_date effective, input_ref **out, size_t *n)
{
  char *copy = strdup(text ? text : ""), *save = NULL;
  size_t cap = 1;
  *out = NULL;
  *n = 0;
  if(!copy)
    return LB_ENOMEM;
  for(const char *p = copy; *p; p++)
    cap += *p == ';';
  input_ref *v = calloc(cap, sizeof(*v));
  if(!v) {
    free(copy);
    return LB_ENOMEM;
  }
  for(char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
    ref_parse(&v[*n], tok, effective);
    if(v[*n].name && !(v[*n].name = strdup(v[*n].name))) {
      input_refs_free(v, *n);
      free(copy);
      *n = 0;
      return LB_ENOMEM;
    }
    (*n)++;
  }
  free(copy);
  *out = v;
  return LB_OK;
}

void input_refs_free(input_ref *refs, size_t n)
{
  for(size_t i = 0; refs && i < n; i++)
    free((char *)refs[i].name);
  free(refs);
}

/* The typed value text v reads as, before the check that it prints back the same. */
static int value_guess(const char *v, audit_value *out, char **unit)
{
  const char *sp = strchr(v, ' ');
  size_t nl = sp ? (size_t)(sp - v) : strlen(v), ep;
  const char *dot = memchr(v, '.', nl);
  money m;
  *unit = NULL;
  if(money_parse(&m, v, nl, 4, &ep)) {
    *out = AV_TEXT(v);
    return LB_OK;
  }
  if(sp && !strcmp(sp + 1, "%") && dot) {
    *out = AV_PERCENT(m);
    return LB_OK;
  }
  if(sp) {
    if(!(*unit = strdup(sp + 1)))
      return LB_ENOMEM;
    *out = m % MONEY_SCALE == 0 ? AV_QTY(m / MONEY_SCALE, *unit) : AV_DECIMAL(m, *unit);
    return LB_OK;
  }
  size_t places = dot ? nl - (size_t)(dot - v) - 1 : 0;
  *out = places == 2 || places == 4 ? AV_MONEY(m, (int)places) : AV_DECIMAL(m, NULL);
  return LB_OK;
}

int audit_value_parse(const char *v, audit_value *out)
{
  char back[AUDIT_VALUE_MAX], *unit;
  *out = AV_NONE;
  if(!*v)
    return LB_OK;
  if(value_guess(v, out, &unit))
    return LB_ENOMEM;
  /* a value is typed only when its type prints it back exactly; else it stays words */
  if(out->kind != VAL_TEXT && !strcmp(audit_value_format(back, sizeof(back), out), v))
    return LB_OK;
  free(unit);
  char *text = strdup(v);
  if(!text)
    return LB_ENOMEM;
  *out = AV_TEXT(text);
  return LB_OK;
}
