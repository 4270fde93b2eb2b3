/* test_evidence.c - audit evidence PDFs say every rule id and amount, and evidence and invoices are PDF/A-1b as far as poppler and qpdf can tell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/e2e.h"
#include "input/scrt.h"
#include "render/evidence_pdf.h"
#include "render/invoice_pdf.h"
#include "render/pdfa.h"
#include "render/template.h"
#include "core/date.h"
#include "core/invoice.h"
#include "core/money.h"

#define SCRT_A "sample/scrt/82-C5DC8-2026-10-01.csv"
#define SCRT_B "sample/scrt/82-C5DC9-2026-10-01.csv"
/* XML's five special characters in a customer name */
#define NASTY_NAME "Smith <&> \"Sons\" O'Brien GmbH"

/* ---- building an invoice like the sample's first one -------------------- */

static char *xdup(const char *s)
{
  char *p = strdup(s);
  assert_non_null(p);
  return p;
}

static charge_line *add_line(invoice *inv, const char *serial, const char *tm, const char *pid, const char *pname,
                             const char *ct, long qty, const char *unit, money amount, const char *rules)
{
  charge_line *l = invoice_add_line(inv);
  assert_non_null(l);
  assert_int_equal(invoice_line_machines_text(l, serial, tm), LB_OK);
  l->product_id = xdup(pid);
  l->product_name = xdup(pname);
  assert_int_equal(charge_type_parse(ct, &l->ct), 0);
  l->quantity = qty;
  l->unit = xdup(unit);
  l->amount = amount;
  assert_int_equal(rule_set_parse(&l->rules, rules, NULL), 0);
  return l;
}

/* A step written as audit.csv shows it: its inputs and value read back into their types. */
static void step(invoice *inv, int line, const char *rule, const char *inputs, const char *value, const char *detail)
{
  rule_id id;
  input_ref *refs;
  size_t n;
  audit_value v;
  const char *eff = strstr(detail, "effective ");
  lb_date effective = DATE_NONE;
  size_t ep;
  if(eff)
    date_parse(&effective, eff + 10, 10, &ep);
  assert_int_equal(rule_id_parse(&id, rule, strlen(rule)), 0);
  assert_int_equal(audit_refs_parse(inputs, effective, &refs, &n), LB_OK);
  assert_int_equal(audit_value_parse(value, &v), LB_OK);
  assert_int_equal(invoice_audit_v(inv, line, id, refs, n, v, "%s", detail), LB_OK);
  input_refs_free(refs, n);
  free((char *)v.text);
}

/* Line 1: a feature on one machine (R-T4, R-W2, R-W6, R-W1 over 5 tiers,
 * R-0.1); line 2: z/OS over a two-machine sysplex (R-W2 twice, R-W8); line
 * 3: a fixed monthly FWLC charge (R-W10); a 19 % tax and a prompt-payment
 * offer. */
static void build(invoice *inv, const char *customer_name)
{
  charge_line *l;
  memset(inv, 0, sizeof(*inv));
  inv->number = xdup("INV-2026-000001");
  inv->customer_id = xdup("C1001");
  inv->customer_name = xdup(customer_name);
  inv->customer_address = xdup("Königinstraße 28\n80802 München");
  inv->country = xdup("DE");
  inv->customer_class = xdup("commercial");
  inv->contract_number = xdup("ICA-DE-2019-0042");
  inv->currency = xdup("EUR");
  inv->contact = xdup("+49 800 330 6705");
  inv->month = month_from_ym(2026, 11);
  inv->issue_date = date_from_ymd(2026, 11, 30);
  inv->period_start = date_from_ymd(2026, 11, 1);
  inv->period_end = date_from_ymd(2026, 11, 30);
  inv->due_date = date_from_ymd(2026, 12, 30);
  inv->payment_terms_days = 30;

  l = add_line(inv, "82-C5DC8", "3931-609", "5650-ZDS", "z/OS DFSMSdss", "AWLC", 412, "MSUs", 12975000,
               "R-T4;R-W2;R-W6;R-W1;R-0.1");
  assert_int_equal(invoice_line_tiers(l, 5), LB_OK);
  l->ntiers = 5;
  l->tiers[0] = (tier_part){1, 3, 3, 100000, 0};
  l->tiers[1] = (tier_part){4, 45, 42, 60000, 0};
  l->tiers[2] = (tier_part){46, 175, 130, 40000, 0};
  l->tiers[3] = (tier_part){176, 315, 140, 25000, 0};
  l->tiers[4] = (tier_part){316, -1, 97, 15000, 0};
  step(inv, 1, "R-T4", "licenses.csv:5", "charged", "AWLC 5650-ZDS is charged for the whole month");
  step(inv, 1, "R-W2", "licenses.csv:2;scrt/82-C5DC8-2026-10-01.csv:14;scrt/received.csv:2", "412 MSUs",
       "sub-capacity: SCRT E5 row for 5650-ZOS on 82-C5DC8, Tool MSUs");
  step(inv, 1, "R-W6", "licenses.csv:5;licenses.csv:2", "412 MSUs",
       "feature 5650-ZDS (L1001-04) takes the MSUs of its program 5650-ZOS (L1001-01)");
  step(inv, 1, "R-W1", "prices.csv:122", "1297.5000",
       "tiered price of 412 MSUs, 5650-ZDS AWLC EUR price book effective 2024-01-01");
  step(inv, 1, "R-0.1", "", "1297.50", "line amount rounded half away from zero to the cent");

  l = add_line(inv, "82-C5DC8+82-C5DC9", "3931-609+3931-607", "5650-ZOS", "z/OS V3", "AWLC", 712, "MSUs",
               181740000, "R-T4;R-W2;R-W8;R-W1;R-0.1");
  l->sysplex = xdup("PLEXDE");
  assert_int_equal(invoice_line_tiers(l, 5), LB_OK);
  l->ntiers = 5;
  l->tiers[0] = (tier_part){1, 3, 3, 1040000, 0};
  l->tiers[1] = (tier_part){4, 45, 42, 624000, 0};
  l->tiers[2] = (tier_part){46, 175, 130, 416000, 0};
  l->tiers[3] = (tier_part){176, 315, 140, 260000, 0};
  l->tiers[4] = (tier_part){316, -1, 397, 156000, 0};
  step(inv, 2, "R-T4", "licenses.csv:2", "charged", "AWLC 5650-ZOS is charged for the whole month");
  step(inv, 2, "R-W2", "licenses.csv:2;scrt/82-C5DC8-2026-10-01.csv:14;scrt/received.csv:2", "412 MSUs",
       "sub-capacity: SCRT E5 row for 5650-ZOS on 82-C5DC8, Tool MSUs");
  step(inv, 2, "R-W2", "licenses.csv:6;scrt/82-C5DC9-2026-10-01.csv:14;scrt/received.csv:3", "300 MSUs",
       "sub-capacity: SCRT E5 row for 5650-ZOS on 82-C5DC9, Tool MSUs");
  step(inv, 2, "R-W8", "machines.csv:2;machines.csv:3", "712 MSUs",
       "5650-ZOS aggregated over the 2 machines of sysplex PLEXDE");
  step(inv, 2, "R-W1", "prices.csv:152", "18174.0000",
       "tiered price of 712 MSUs, 5650-ZOS AWLC EUR price book effective 2026-01-01");
  step(inv, 2, "R-0.1", "", "18174.00", "line amount rounded half away from zero to the cent");

  l = add_line(inv, "82-C5DC8", "3931-609", "5655-EC6", "z/OS Container Extensions", "FWLC", 1, "month",
               18500000, "R-T4;R-W10;R-0.1");
  l->has_unit_price = 1;
  l->unit_price = 18500000;
  step(inv, 3, "R-T4", "licenses.csv:9", "charged", "FWLC 5655-EC6 is charged for the whole month");
  step(inv, 3, "R-W10", "licenses.csv:9;licenses.csv:2;prices.csv:157", "1850.00",
       "fixed monthly charge; z/OS 5650-ZOS on 82-C5DC8 has AWLC (price book effective 2024-01-01)");
  step(inv, 3, "R-0.1", "", "1850.00", "line amount rounded half away from zero to the cent");

  inv->subtotal = 12975000 + 181740000 + 18500000;
  tax_line *t = invoice_add_tax(inv);
  assert_non_null(t);
  t->name = xdup("USt");
  t->rate_pct = 190000;
  t->base = inv->subtotal;
  assert_int_equal(money_apply_pct(&t->amount, t->base, t->rate_pct), 0);
  inv->tax = t->amount;
  inv->total = inv->subtotal + inv->tax;
  inv->prompt_pay_pct = 20000;
  inv->prompt_pay_until = date_from_ymd(2026, 12, 10);
  assert_int_equal(money_apply_pct(&inv->prompt_pay_discount, inv->total, inv->prompt_pay_pct), 0);
  inv->prompt_pay_total = inv->total - inv->prompt_pay_discount;
  step(inv, 0, "R-0.1", "charges.csv", "23967.50", "subtotal: sum of the 3 rounded lines");
  step(inv, 0, "R-X3", "taxes.csv:2;customers.csv:2", "4553.83", "USt 19.0000 % of the subtotal for tax region DE");
  step(inv, 0, "R-X3", "", "28521.33", "total: subtotal plus taxes");
  step(inv, 0, "R-X2", "customers.csv:2", "27950.90", "prompt payment: total less the discount if paid by 2026-12-10");
}

/* ---- fixture: template, SCRT reports, history ---------------------------- */

typedef struct fx {
  lb_template *t;
  scrt_report *rep[2];
  const scrt_report *reps[2];
  evidence_history hist[2][11];
  evidence_series series[2];
  char *dir;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  diag_list d;
  diag_init(&d);
  if(!f || tpl_load(&f->t, "templates/default", &d) || scrt_read(&f->rep[0], SCRT_A, 0, &d) ||
     scrt_read(&f->rep[1], SCRT_B, 0, &d)) {
    diag_print(&d, stderr);
    diag_clear(&d);
    return -1;
  }
  diag_clear(&d);
  f->reps[0] = f->rep[0];
  f->reps[1] = f->rep[1];
  /* eleven earlier months: line 1 and line 2 */
  for(int k = 0; k < 11; k++) {
    lb_month m = month_from_ym(2026, 11) - 11 + k;
    f->hist[0][k] = (evidence_history){m, 300 + 7 * k, 1200, (money)(9000000 + 250000 * k)};
    f->hist[1][k] = (evidence_history){m, 600 + 9 * k, 2100, (money)(150000000 + 2000000 * k)};
  }
  f->series[0] = (evidence_series){"82-C5DC8", "5650-ZDS", f->hist[0], 11};
  f->series[1] = (evidence_series){"82-C5DC8+82-C5DC9", "5650-ZOS", f->hist[1], 11};
  f->dir = e2e_mkdtemp("evidence");
  if(!f->dir)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  tpl_free(f->t);
  scrt_free(f->rep[0]);
  scrt_free(f->rep[1]);
  e2e_rm_tree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

static evidence_input input_of(fx *f, const invoice *inv)
{
  evidence_input in = {inv, f->series, 2, f->reps, 2, "8a513292d800cf1306a56170a3b1dc8f0d83e84f0059b3ba638787cd3fcc7c26"};
  return in;
}

/* Write the PDF to DIR/name and return the path (caller frees). */
static char *save(fx *f, const char *name, const unsigned char *pdf, size_t len)
{
  char *path = e2e_path(f->dir, name);
  assert_non_null(path);
  assert_int_equal(e2e_write_file(path, pdf, len), 0);
  return path;
}

/* stdout of a tool run on a file (a0 is looked up in /usr/bin: e2e_run takes
 * a relative name as relative to this folder); the tool must exit 0. Caller frees. */
static char *tool(const char *a0, const char *a1, const char *a2, const char *a3)
{
  char exe[128];
  snprintf(exe, sizeof(exe), "/usr/bin/%s", a0);
  const char *argv[] = {exe, a1, a2, a3, NULL, NULL};
  e2e_result r;
  assert_int_equal(e2e_run(&r, NULL, argv), 0);
  if(r.code != 0)
    fprintf(stderr, "%s exited %d: %s\n", a0, r.code, r.err);
  assert_int_equal(r.code, 0);
  char *out = r.out;
  r.out = NULL;
  e2e_result_clear(&r);
  return out;
}

static char *render_evidence(fx *f, const invoice *inv, const char *name, size_t *len_out)
{
  evidence_input in = input_of(f, inv);
  unsigned char *pdf = NULL;
  size_t len = 0;
  assert_int_equal(evidence_pdf_render(f->t, &in, &pdf, &len), LB_OK);
  assert_memory_equal(pdf, "%PDF-1.4", 8);
  char *path = save(f, name, pdf, len);
  free(pdf);
  if(len_out)
    *len_out = len;
  return path;
}

/* The page text in reading order, with every blank, tab and newline taken
 * out: a phrase is found wherever the layout wrapped it. Caller frees. */
static char *text_of(const char *path)
{
  char *t = tool("pdftotext", path, "-", NULL), *o = t;
  for(const char *p = t; *p; p++)
    if(*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
      *o++ = *p;
  *o = '\0';
  return t;
}

/* The page text as laid out (pdftotext -layout), each run of blanks made
 * one: a table row reads "316 and more 397 15.60". Caller frees. */
static char *rows_of(const char *path)
{
  char *t = tool("pdftotext", "-layout", path, "-"), *o = t;
  for(const char *p = t; *p; p++)
    if(*p != ' ' || o == t || o[-1] != ' ')
      *o++ = *p;
  *o = '\0';
  return t;
}

/* strstr for such text: the needle loses its blanks too. */
static const char *has(const char *text, const char *needle)
{
  char squeezed[512], *o = squeezed;
  for(const char *p = needle; *p && o < squeezed + sizeof(squeezed) - 1; p++)
    if(*p != ' ')
      *o++ = *p;
  *o = '\0';
  return strstr(text, squeezed);
}

/* The /ID of the trailer as written, "" when none. */
static void id_of(const unsigned char *pdf, size_t len, char out[80])
{
  out[0] = '\0';
  const unsigned char *p = NULL;
  for(size_t i = len >= 3 ? len - 2 : 0; i-- > 0;)
    if(!memcmp(pdf + i, "/ID", 3)) {
      p = pdf + i;
      break;
    }
  if(!p)
    return;
  size_t n = (size_t)(pdf + len - p) < 79 ? (size_t)(pdf + len - p) : 79;
  memcpy(out, p, n);
  out[n] = '\0';
  char *end = strchr(out, ']');
  if(end)
    end[1] = '\0';
}

/* ---- the evidence's words and numbers ------------------------------------ */

static void evidence_text_contains_each_rule_id_and_each_amount(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  char *path = render_evidence(f, &inv, "e.pdf", NULL);
  char *text = text_of(path);
  char amt[48];
  /* every rule id the lines and the steps name */
  for(size_t i = 0; i < inv.naudit; i++)
    if(!has(text, rule_id_text(inv.audit[i].rule)))
      fail_msg("rule %s missing from the evidence text", rule_id_text(inv.audit[i].rule));
  for(size_t i = 0; i < inv.nlines; i++) {
    char rules[RULE_SET_TEXT_MAX];
    rule_set_format(&inv.lines[i].rules, rules, sizeof(rules));
    for(char *r = strtok(rules, ";"); r; r = strtok(NULL, ";"))
      if(!has(text, r))
        fail_msg("rule %s of line %d missing", r, inv.lines[i].line);
    /* every line amount, as the invoice prints it */
    money_format_human(amt, inv.lines[i].amount, ',', '.');
    if(!has(text, amt))
      fail_msg("amount %s of line %d missing", amt, inv.lines[i].line);
  }
  money_format_human(amt, inv.subtotal, ',', '.');
  assert_non_null(has(text, amt));
  money_format_human(amt, inv.taxes[0].amount, ',', '.');
  assert_non_null(has(text, amt));
  money_format_human(amt, inv.total, ',', '.');
  assert_non_null(has(text, amt));
  free(text);
  free(path);
  invoice_clear(&inv);
}

static void evidence_names_the_scrt_file_section_product_and_lpar_peaks_r_w2(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  char *path = render_evidence(f, &inv, "scrt.pdf", NULL);
  char *text = text_of(path);
  assert_non_null(has(text, "scrt/82-C5DC8-2026-10-01.csv, row 14"));
  assert_non_null(has(text, "section E5"));
  assert_non_null(has(text, "product 5650-ZOS"));
  assert_non_null(has(text, "Tool MSUs 412"));
  assert_non_null(has(text, "SYSA 300 MSUs"));
  assert_non_null(has(text, "machine peak (CPC) 412 MSUs"));
  assert_non_null(has(text, "rated capacity 1,200 MSUs"));
  /* the price book row with its effective date, and the arithmetic */
  assert_non_null(has(text, "prices.csv:152"));
  assert_non_null(has(text, "effective 2026-01-01"));
  /* the last tier as a row of the tiers table: range, MSUs, price, base, amount (397 x 15.60 = 6,193.20) */
  char *rows = rows_of(path);
  assert_non_null(strstr(rows, "\n 316 and more 397 15.60 0.00 6,193.2000\n"));
  free(rows);
  assert_non_null(has(text, "18,174.0000"));
  /* what the aggregation changed */
  assert_non_null(has(text, "412 + 300 = 712 MSUs"));
  free(text);
  free(path);
  invoice_clear(&inv);
}

static void evidence_pages_are_numbered_n_of_m_with_contents_per_machine(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  char *path = render_evidence(f, &inv, "pages.pdf", NULL);
  char *info = tool("pdfinfo", path, NULL, NULL);
  int pages = 0;
  const char *p = strstr(info, "Pages:");
  assert_non_null(p);
  pages = atoi(p + 6);
  assert_true(pages >= 3);
  char *text = text_of(path), want[64];
  for(int i = 1; i <= pages; i++) {
    snprintf(want, sizeof(want), "Page %d of %d", i, pages);
    if(!has(text, want))
      fail_msg("\"%s\" missing", want);
  }
  /* the contents: each machine, then the sysplex, then the totals */
  const char *toc = has(text, "Contents");
  assert_non_null(toc);
  const char *m1 = has(toc, "Machine 82-C5DC8 (3931-609)"), *sx = has(toc, "Sysplex PLEXDE");
  const char *tot = has(toc, "Invoice totals and taxes");
  if(!(m1 && sx && tot && m1 < sx && sx < tot))
    fail_msg("contents out of order: %.600s", toc);
  free(text);
  free(info);
  free(path);
  invoice_clear(&inv);
}

static void evidence_charts_show_the_history_the_caller_gives(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  char *path = render_evidence(f, &inv, "charts.pdf", NULL);
  char *text = text_of(path);
  assert_non_null(has(text, "Billable MSUs, last 12 months"));
  assert_non_null(has(text, "Charge per month (EUR)"));
  assert_non_null(has(text, "rated capacity"));
  assert_non_null(has(text, "capacity 2,100")); /* the sysplex line's capacity */
  assert_non_null(has(text, "370"));            /* line 1, 10 months back: 300 + 7*10 */
  free(text);
  free(path);
  invoice_clear(&inv);
}

static void evidence_same_input_gives_the_same_bytes_and_id(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  evidence_input in = input_of(f, &inv);
  unsigned char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  evidence_pdf *r = NULL;
  assert_int_equal(evidence_pdf_render(f->t, &in, &a, &alen), LB_OK);
  assert_int_equal(evidence_pdf_new(&r, f->t), LB_OK);
  assert_int_equal(evidence_pdf_draw(r, &in, &b, &blen), LB_OK);
  free(b);
  assert_int_equal(evidence_pdf_draw(r, &in, &b, &blen), LB_OK); /* a reused renderer too */
  assert_int_equal(alen, blen);
  assert_memory_equal(a, b, alen);
  char ida[80], idb[80];
  id_of(a, alen, ida);
  assert_non_null(strstr(ida, "/ID"));
  assert_null(strstr(ida, "00000000000000000000000000000000"));
  /* another invoice gets another /ID */
  free(b);
  inv.lines[0].amount += 100;
  assert_int_equal(evidence_pdf_draw(r, &in, &b, &blen), LB_OK);
  id_of(b, blen, idb);
  assert_string_not_equal(ida, idb);
  evidence_pdf_free(r);
  free(a);
  free(b);
  invoice_clear(&inv);
}

static void evidence_text_for_a_terminal_ends_in_the_line_amount(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  evidence_input in = input_of(f, &inv);
  char *buf = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&buf, &n);
  assert_non_null(fp);
  assert_int_equal(evidence_pdf_write_text(fp, &in, 2), LB_OK);
  fclose(fp);
  assert_non_null(strstr(buf, "Line 2: 5650-ZOS"));
  assert_non_null(strstr(buf, "R-W8"));
  assert_non_null(strstr(buf, "412 + 300 = 712 MSUs"));
  assert_non_null(strstr(buf, "= 18,174.00 EUR"));
  assert_null(strstr(buf, "Line 1:"));
  free(buf);
  fp = fopen("/dev/null", "w");
  assert_int_equal(evidence_pdf_write_text(fp, &in, 9), LB_EINPUT);
  fclose(fp);
  invoice_clear(&inv);
}

static void evidence_of_a_credit_note_without_tiers_or_history(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "Müller Versicherung AG");
  inv.is_credit_note = 1;
  inv.corrects = xdup("INV-2026-000001");
  for(size_t i = 0; i < inv.nlines; i++) {
    inv.lines[i].amount = -inv.lines[i].amount;
    inv.lines[i].ntiers = 0;
  }
  evidence_input in = {&inv, NULL, 0, NULL, 0, NULL};
  unsigned char *pdf = NULL;
  size_t len = 0;
  assert_int_equal(evidence_pdf_render(f->t, &in, &pdf, &len), LB_OK);
  char *path = save(f, "cn.pdf", pdf, len);
  char *text = text_of(path);
  assert_non_null(has(text, "Credit note INV-2026-000001"));
  assert_non_null(has(text, "-18,174.00"));
  free(text);
  free(path);
  free(pdf);
  invoice_clear(&inv);
}

/* Lines 1 and 2 both take row 14 of 82-C5DC8's report: its machine, capacity,
 * period and LPAR peaks are said once, under line 1, and line 2 points there
 * (R-W2); 82-C5DC9's report, first named by line 2, is described there. */
static void evidence_says_a_reports_facts_once_and_points_back_to_them_r_w2(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "M\u00fcller Versicherung AG");
  char *path = render_evidence(f, &inv, "once.pdf", NULL);
  char *text = text_of(path);
  const char *facts = has(text, "Report scrt/82-C5DC8-2026-10-01.csv: machine 82-C5DC8 (3931-609), rated capacity 1,200 MSUs");
  assert_non_null(facts);
  assert_null(has(facts + 1, "Report scrt/82-C5DC8-2026-10-01.csv: machine"));
  const char *line2 = has(facts, "Line 2 \u00b7 5650-ZOS z/OS V3 \u00b7 AWLC"); /* its section, after line 1's */
  assert_non_null(line2);
  assert_non_null(has(line2, "scrt/82-C5DC8-2026-10-01.csv, row 14"));
  assert_non_null(has(line2, "the report's machine, capacity, period and LPAR peaks are under line 1"));
  assert_non_null(has(line2, "Report scrt/82-C5DC9-2026-10-01.csv: machine 82-C5DC9"));
  free(text);
  free(path);
  invoice_clear(&inv);
}

/* The steps table names each rule by its id; the last section says every
 * rule the document cites in the rule book's words, once. */
static void evidence_ends_with_each_cited_rule_in_words(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "M\u00fcller Versicherung AG");
  char *path = render_evidence(f, &inv, "rules.pdf", NULL);
  char *rows = rows_of(path), want[256];
  const char *sec = strstr(rows, "Rules cited");
  assert_non_null(sec);
  assert_non_null(strstr(sec + 1, "Rules cited")); /* the contents' entry, then the section */
  sec = strstr(sec + 1, "Rules cited");
  static const rule_id cited[] = {R_0_1, R_0_2, R_T4, R_W1, R_W2, R_W6, R_W8, R_W10, R_X2, R_X3};
  for(size_t i = 0; i < sizeof(cited) / sizeof(cited[0]); i++) {
    snprintf(want, sizeof(want), "%s %s\n", rule_id_text(cited[i]), rule_id_title(cited[i]));
    const char *at = strstr(sec, want);
    if(!at)
      fail_msg("\"%s\" missing from the rules cited", want);
    if(strstr(at + 1, want))
      fail_msg("\"%s\" said twice", want);
  }
  /* only those: R-W5 is in the rule book but not in this document */
  snprintf(want, sizeof(want), "%s %s", rule_id_text(R_W5), rule_id_title(R_W5));
  assert_null(strstr(rows, want));
  free(rows);
  free(path);
  invoice_clear(&inv);
}

/* With no earlier month in the ledger a chart would hold one bar: the
 * evidence says this month's figures in a sentence instead. */
static void evidence_without_history_says_this_months_figures_instead_of_charts(void **state)
{
  fx *f = *state;
  invoice inv;
  build(&inv, "M\u00fcller Versicherung AG");
  evidence_input in = {&inv, NULL, 0, f->reps, 2, NULL};
  unsigned char *pdf = NULL;
  size_t len = 0;
  assert_int_equal(evidence_pdf_render(f->t, &in, &pdf, &len), LB_OK);
  char *path = save(f, "nohist.pdf", pdf, len);
  char *text = text_of(path);
  assert_null(has(text, "Billable MSUs, last 12 months"));
  assert_null(has(text, "Charge per month"));
  assert_non_null(has(text, "the ledger has only this month (412 MSUs, rated capacity 1,200 MSUs, charge"));
  assert_non_null(has(text, "1,297.50), so there are no charts."));
  free(text);
  free(path);
  free(pdf);
  invoice_clear(&inv);
}

/* ---- PDF/A-1b, evidence and invoices --------------------------------------- */

static char *render_invoice(fx *f, const invoice *inv, const char *name, unsigned char **pdf, size_t *len)
{
  assert_int_equal(invoice_pdf_render(f->t, inv, pdf, len), LB_OK);
  return save(f, name, *pdf, *len);
}

/* Every font of the PDF at path is embedded, and there are `want` of them. */
static void check_fonts_embedded(const char *path, int want)
{
  char *out = tool("pdffonts", path, NULL, NULL);
  int fonts = 0;
  /* after the two header lines, the "emb" column of every font says yes */
  const char *line = strchr(out, '\n');
  line = line ? strchr(line + 1, '\n') : NULL;
  while(line && line[1]) {
    line++;
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    char row[512];
    snprintf(row, sizeof(row), "%.*s", (int)n, line);
    if(!strstr(row, " yes yes ") && !strstr(row, " yes no "))
      fail_msg("font not embedded: %s", row);
    fonts++;
    line = nl;
  }
  assert_int_equal(fonts, want);
  free(out);
}

static void pdfa_every_font_is_embedded_in_evidence_and_invoice(void **state)
{
  fx *f = *state;
  invoice inv;
  unsigned char *pdf = NULL;
  size_t len = 0;
  build(&inv, "Müller Versicherung AG");
  char *e = render_evidence(f, &inv, "fonts-e.pdf", NULL);
  char *i = render_invoice(f, &inv, "fonts-i.pdf", &pdf, &len);
  /* the evidence embeds the regular face only and draws its bold by stroking it (text render mode 2, a
   * stroke as gray as the fill); the invoice embeds both faces */
  check_fonts_embedded(e, 1);
  check_fonts_embedded(i, 2);
  char *qe = e2e_path(f->dir, "fonts-e.qdf"), *qi = e2e_path(f->dir, "fonts-i.qdf");
  free(tool("qpdf", "--qdf", e, qe));
  free(tool("qpdf", "--qdf", i, qi));
  size_t ne = 0, ni = 0;
  char *de = e2e_read_file(qe, &ne), *di = e2e_read_file(qi, &ni);
  assert_non_null(de);
  assert_non_null(di);
  assert_non_null(memmem(de, ne, "\n2 Tr\n", 6));
  assert_non_null(memmem(de, ne, "\n0 Tr\n", 6));
  assert_null(memmem(di, ni, " Tr\n", 4));
  free(de);
  free(di);
  free(qe);
  free(qi);
  free(pdf);
  free(e);
  free(i);
  invoice_clear(&inv);
}

static void check_xmp(const char *path, const char *title)
{
  char *meta = tool("pdfinfo", "-meta", path, NULL);
  /* the name is there with each special character escaped, and nowhere raw */
  assert_non_null(strstr(meta, "Smith &lt;&amp;&gt; &quot;Sons&quot; O&apos;Brien GmbH"));
  assert_null(strstr(meta, "<&>"));
  assert_non_null(strstr(meta, "<pdfaid:part>1</pdfaid:part>"));
  assert_non_null(strstr(meta, "<pdfaid:conformance>B</pdfaid:conformance>"));
  assert_non_null(strstr(meta, title));
  assert_non_null(strstr(meta, "<xmp:CreateDate>2026-11-30T00:00:00Z</xmp:CreateDate>"));
  free(meta);
  /* and the Info dictionary says the same, unescaped */
  char *info = tool("pdfinfo", path, NULL, NULL);
  assert_non_null(strstr(info, NASTY_NAME));
  assert_non_null(strstr(info, "Encrypted:       no"));
  assert_non_null(strstr(info, "PDF version:     1.4"));
  free(info);
}

static void pdfa_xmp_metadata_escapes_a_customer_name_with_xml_characters(void **state)
{
  fx *f = *state;
  invoice inv;
  unsigned char *pdf = NULL;
  size_t len = 0;
  build(&inv, NASTY_NAME);
  char *e = render_evidence(f, &inv, "xmp-e.pdf", NULL);
  char *i = render_invoice(f, &inv, "xmp-i.pdf", &pdf, &len);
  check_xmp(e, "Audit evidence for invoice INV-2026-000001");
  check_xmp(i, "Invoice INV-2026-000001");
  free(pdf);
  free(e);
  free(i);
  invoice_clear(&inv);
}

static void pdfa_qpdf_check_passes_and_output_intent_is_srgb(void **state)
{
  fx *f = *state;
  invoice inv;
  unsigned char *pdf = NULL, *epdf = NULL;
  size_t len = 0, elen = 0;
  build(&inv, NASTY_NAME);
  char *e = render_evidence(f, &inv, "q-e.pdf", NULL);
  char *i = render_invoice(f, &inv, "q-i.pdf", &pdf, &len);
  char *out = tool("qpdf", "--check", e, NULL);
  assert_non_null(strstr(out, "No syntax or stream encoding errors"));
  free(out);
  out = tool("qpdf", "--check", i, NULL);
  assert_non_null(strstr(out, "No syntax or stream encoding errors"));
  free(out);
  /* the catalog's OutputIntent (dictionaries are not compressed) */
  assert_non_null(memmem(pdf, len, "/S /GTS_PDFA1", 13));
  assert_non_null(memmem(pdf, len, "/DestOutputProfile ", 19));
  assert_null(memmem(pdf, len, "/Encrypt", 8));
  epdf = (unsigned char *)e2e_read_file(e, &elen);
  assert_non_null(epdf);
  assert_non_null(memmem(epdf, elen, "/S /GTS_PDFA1", 13));
  /* named after the default template's profile ('desc' tag "sRGB IEC61966-2.1") */
  assert_non_null(memmem(pdf, len, "/OutputConditionIdentifier (sRGB IEC61966-2.1)", 46));
  free(epdf);
  free(pdf);
  free(e);
  free(i);
  invoice_clear(&inv);
}

static void pdfa_invoice_id_is_the_same_on_two_renders_and_comes_from_the_content(void **state)
{
  fx *f = *state;
  invoice inv;
  unsigned char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  char ida[80], idb[80];
  build(&inv, "Müller Versicherung AG");
  assert_int_equal(invoice_pdf_render(f->t, &inv, &a, &alen), LB_OK);
  sleep(1); /* libharu's own /ID would take the clock */
  assert_int_equal(invoice_pdf_render(f->t, &inv, &b, &blen), LB_OK);
  assert_int_equal(alen, blen);
  assert_memory_equal(a, b, alen);
  id_of(a, alen, ida);
  assert_non_null(strstr(ida, "/ID"));
  assert_null(strstr(ida, "00000000000000000000000000000000"));
  free(b);
  inv.total += MONEY_CENT;
  assert_int_equal(invoice_pdf_render(f->t, &inv, &b, &blen), LB_OK);
  id_of(b, blen, idb);
  assert_string_not_equal(ida, idb);
  free(a);
  free(b);
  invoice_clear(&inv);
}

static void pdfa_finish_refuses_a_file_without_the_placeholder(void **state)
{
  (void)state;
  unsigned char doc[] = "%PDF-1.4\ntrailer\n<< /Size 1 >>\n%%EOF\n";
  assert_int_equal(pdfa_finish(doc, sizeof(doc) - 1), LB_EINPUT);
  unsigned char done[] = "trailer\n<<\n/ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]\n>>";
  assert_int_equal(pdfa_finish(done, sizeof(done) - 1), LB_EINPUT); /* already filled in */
}

static void pdfa_xml_escape_handles_entities_controls_and_bad_utf8(void **state)
{
  (void)state;
  char out[128];
  assert_int_equal(pdfa_xml_escape(out, sizeof(out), "a<b>&\"c'"), strlen("a&lt;b&gt;&amp;&quot;c&apos;"));
  assert_string_equal(out, "a&lt;b&gt;&amp;&quot;c&apos;");
  pdfa_xml_escape(out, sizeof(out), "x\x01y\tz\n");
  assert_string_equal(out, "x y\tz ");
  pdfa_xml_escape(out, sizeof(out), "caf\xC3\xA9 \xFF!");
  assert_string_equal(out, "caf\xC3\xA9 \xEF\xBF\xBD!");
  /* a short buffer never ends in half an entity */
  pdfa_xml_escape(out, 6, "ab&cd");
  assert_string_equal(out, "ab");
}

static void pdfa_profile_load_refuses_a_v4_or_missing_profile(void **state)
{
  (void)state;
  pdfa_profile *p = NULL;
  char why[256];
  assert_int_equal(pdfa_profile_load(&p, PDFA_DEFAULT_ICC, why, sizeof(why)), LB_OK);
  assert_string_equal(pdfa_profile_name(p), "sRGB");
  pdfa_profile_free(p);
  p = NULL;
  assert_int_equal(pdfa_profile_load(&p, "/nonexistent/sRGB.icc", why, sizeof(why)), LB_EIO);
  assert_null(p);
  if(access("/usr/share/color/icc/colord/sRGB.icc", R_OK) == 0) {
    assert_int_equal(pdfa_profile_load(&p, "/usr/share/color/icc/colord/sRGB.icc", why, sizeof(why)), LB_EIO);
    assert_non_null(strstr(why, "version 4"));
  }
  assert_int_equal(pdfa_profile_load(&p, "templates/default/template.conf", why, sizeof(why)), LB_EIO);
  assert_null(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(evidence_text_contains_each_rule_id_and_each_amount),
    cmocka_unit_test(evidence_names_the_scrt_file_section_product_and_lpar_peaks_r_w2),
    cmocka_unit_test(evidence_pages_are_numbered_n_of_m_with_contents_per_machine),
    cmocka_unit_test(evidence_charts_show_the_history_the_caller_gives),
    cmocka_unit_test(evidence_same_input_gives_the_same_bytes_and_id),
    cmocka_unit_test(evidence_text_for_a_terminal_ends_in_the_line_amount),
    cmocka_unit_test(evidence_of_a_credit_note_without_tiers_or_history),
    cmocka_unit_test(evidence_says_a_reports_facts_once_and_points_back_to_them_r_w2),
    cmocka_unit_test(evidence_ends_with_each_cited_rule_in_words),
    cmocka_unit_test(evidence_without_history_says_this_months_figures_instead_of_charts),
    cmocka_unit_test(pdfa_every_font_is_embedded_in_evidence_and_invoice),
    cmocka_unit_test(pdfa_xmp_metadata_escapes_a_customer_name_with_xml_characters),
    cmocka_unit_test(pdfa_qpdf_check_passes_and_output_intent_is_srgb),
    cmocka_unit_test(pdfa_invoice_id_is_the_same_on_two_renders_and_comes_from_the_content),
    cmocka_unit_test(pdfa_finish_refuses_a_file_without_the_placeholder),
    cmocka_unit_test(pdfa_xml_escape_handles_entities_controls_and_bad_utf8),
    cmocka_unit_test(pdfa_profile_load_refuses_a_v4_or_missing_profile),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
