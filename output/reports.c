/* reports.c - writes the month's CSV files through atomic temporaries. */
#include "output/reports.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"

/* A field needing quotes is quoted into a buffer by libcsv's csv_write and written at once (csv_fwrite would put
 * it a character at a time, the month's 12 MB audit.csv mostly). */
void reports_field(FILE *fp, const char *s, int last)
{
  if(!s)
    s = "";
  size_t n = strlen(s);
  if(strpbrk(s, ",\"\r\n")) {
    char stack[1024], *buf = stack;
    size_t cap = 2 * n + 2; /* every character a quote, doubled, and the two around */
    if(cap > sizeof(stack) && !(buf = malloc(cap)))
      csv_fwrite(fp, s, n); /* out of memory: the same bytes, slowly */
    else {
      fwrite(buf, 1, csv_write(buf, cap, s, n), fp);
      if(buf != stack)
        free(buf);
    }
  } else
    fwrite(s, 1, n, fp);
  putc(last ? '\n' : ',', fp);
}

static void money_field(FILE *fp, money m, int last)
{
  char buf[32];
  reports_field(fp, money_format(buf, m, m % MONEY_CENT ? 4 : 2), last);
}

static void long_field(FILE *fp, long v, int last)
{
  fprintf(fp, "%ld%c", v, last ? '\n' : ',');
}

int reports_open(month_reports *r, const char *monthdir)
{
  static const char *names[] = {"charges.csv", "invoices.csv", "audit.csv", "errors.csv", "notices.csv"};
  static const char *headers[] = {
    "invoice_number,customer_id,line,serial,product_id,charge_type,quantity,unit,unit_price,amount,currency,rules\n",
    "invoice_number,customer_id,month,issue_date,currency,subtotal,discount,tax,total,pdf_sha256,kind,corrects,"
    "replaces\n",
    "invoice_number,line,step,rule,inputs,detail,value\n",
    "file,line,column,customer_id,message\n",
    "invoice_number,customer_id,serial,rule,reason,billed_subtotal,subtotal_with_report,difference,currency\n"};
  atomic_file *files[] = {&r->charges, &r->invoices, &r->audit, &r->errors, &r->notices};
  memset(r, 0, sizeof(*r));
  for(int i = 0; i < 5; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", monthdir, names[i]);
    int rc = atomic_open(files[i], path);
    if(rc) {
      reports_abort(r);
      return rc;
    }
    fputs(headers[i], files[i]->fp);
  }
  return LB_OK;
}

int reports_add_invoice(month_reports *r, const invoice *inv, const char *pdf_sha256)
{
  FILE *c = r->charges.fp, *v = r->invoices.fp, *a = r->audit.fp;
  char buf[32], rules[RULE_SET_TEXT_MAX], val[AUDIT_VALUE_MAX];
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *l = &inv->lines[i];
    reports_field(c, inv->number, 0);
    reports_field(c, inv->customer_id, 0);
    long_field(c, l->line, 0);
    reports_field(c, l->serial, 0);
    reports_field(c, l->product_id, 0);
    reports_field(c, line_charge_type(l), 0);
    long_field(c, l->quantity, 0);
    reports_field(c, l->unit, 0);
    if(l->has_unit_price)
      money_field(c, l->unit_price, 0);
    else
      reports_field(c, "", 0);
    money_field(c, l->amount, 0);
    reports_field(c, inv->currency, 0);
    reports_field(c, rule_set_format(&l->rules, rules, sizeof(rules)), 1);
  }
  reports_field(v, inv->number, 0);
  reports_field(v, inv->customer_id, 0);
  reports_field(v, month_format(buf, inv->month), 0);
  reports_field(v, date_format(buf, inv->issue_date), 0);
  reports_field(v, inv->currency, 0);
  money_field(v, inv->subtotal, 0);
  /* R-X2: the prompt-payment discount offered (not deducted from total: it applies if paid by the date) */
  money disc = inv->discount;
  if(inv->prompt_pay_pct && money_add(&disc, disc, inv->prompt_pay_discount))
    return LB_EOVERFLOW;
  money_field(v, disc, 0);
  money_field(v, inv->tax, 0);
  money_field(v, inv->total, 0);
  reports_field(v, pdf_sha256, 0);
  reports_field(v, inv->is_credit_note ? "credit_note" : "invoice", 0);
  reports_field(v, inv->corrects, 0);
  reports_field(v, inv->replaces, 1);
  for(size_t i = 0; i < inv->naudit; i++) {
    const audit_step *s = &inv->audit[i];
    reports_field(a, inv->number, 0);
    long_field(a, s->line, 0);
    long_field(a, s->step, 0);
    char *inputs = audit_inputs_text(s);
    if(!inputs)
      return LB_ENOMEM;
    reports_field(a, rule_id_text(s->rule), 0);
    reports_field(a, inputs, 0);
    reports_field(a, s->detail, 0);
    reports_field(a, audit_value_format(val, sizeof(val), &s->value), 1);
    free(inputs);
  }
  for(size_t i = 0; i < inv->nnotices; i++) {
    const invoice_notice *n = &inv->notices[i];
    FILE *f = r->notices.fp;
    money diff;
    reports_field(f, inv->number, 0);
    reports_field(f, inv->customer_id, 0);
    reports_field(f, n->serial, 0);
    reports_field(f, rule_id_text(n->rule), 0);
    reports_field(f, n->reason, 0);
    money_field(f, n->billed, 0);
    if(n->has_compared && !money_sub(&diff, n->billed, n->compared)) {
      money_field(f, n->compared, 0);
      money_field(f, diff, 0);
    } else {
      reports_field(f, "", 0);
      reports_field(f, "", 0);
    }
    reports_field(f, inv->currency, 1);
  }
  return (ferror(c) || ferror(v) || ferror(a) || ferror(r->notices.fp)) ? LB_EIO : LB_OK;
}

/* path without the folder `dir` it lies in, or NULL when it does not. */
static const char *below(const char *path, const char *dir)
{
  size_t n = dir ? strlen(dir) : 0;
  while(n > 1 && dir[n - 1] == '/')
    n--;
  if(!n || strncmp(path, dir, n) || path[n] != '/')
    return NULL;
  path += n;
  while(*path == '/')
    path++;
  return path;
}

const char *reports_relative(const char *path, const char *input_dir, const char *output_dir)
{
  const char *p;
  if(!path)
    return path;
  if((p = below(path, input_dir)) || (p = below(path, output_dir)))
    return p;
  return path;
}

int reports_add_errors(month_reports *r, const diag_list *d, const char *input_dir, const char *output_dir)
{
  FILE *e = r->errors.fp;
  for(size_t i = 0; i < d->n; i++) {
    const diag *x = &d->v[i];
    reports_field(e, reports_relative(x->file, input_dir, output_dir), 0);
    long_field(e, x->line, 0);
    long_field(e, x->col, 0);
    reports_field(e, x->customer_id, 0);
    reports_field(e, x->message, 1);
  }
  return ferror(e) ? LB_EIO : LB_OK;
}

int reports_commit(month_reports *r)
{
  atomic_file *files[] = {&r->charges, &r->invoices, &r->audit, &r->errors, &r->notices};
  int rc = LB_OK;
  for(int i = 0; i < 5; i++)
    if(files[i]->fp) {
      int e = atomic_commit(files[i]);
      if(e && !rc)
        rc = e;
    }
  return rc;
}

void reports_abort(month_reports *r)
{
  atomic_abort(&r->charges);
  atomic_abort(&r->invoices);
  atomic_abort(&r->audit);
  atomic_abort(&r->errors);
  atomic_abort(&r->notices);
}
