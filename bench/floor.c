/* floor.c - the physical limit: the same pages (an invoice and its evidence per customer) drawn with
 * libharu and written, nothing else (no parsing, no rules, no ledger). Usage: floor OUTDIR N LINES */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"
#include "render/evidence_pdf.h"
#include "render/invoice_pdf.h"
#include "render/template.h"

static void fill(invoice *inv, long k, int lines)
{
  char buf[64];
  memset(inv, 0, sizeof(*inv));
  snprintf(buf, sizeof(buf), "INV-202611-C%06ld", k + 1);
  inv->number = strdup(buf);
  snprintf(buf, sizeof(buf), "C%06ld", k + 1);
  inv->customer_id = strdup(buf);
  inv->customer_name = strdup("Müller Versicherung AG");
  inv->customer_address = strdup("Königinstraße 28 / 80802 München");
  inv->country = strdup("DE");
  inv->customer_class = strdup("commercial");
  inv->contract_number = strdup("DE-MLC-2019-0042");
  inv->currency = strdup("EUR");
  inv->contact = strdup("1-877-426-6006");
  inv->month = month_from_ym(2026, 11);
  inv->issue_date = month_last_day(inv->month);
  inv->period_start = month_first_day(inv->month);
  inv->period_end = inv->issue_date;
  inv->due_date = inv->issue_date + 30;
  inv->payment_terms_days = 30;
  for(int i = 0; i < lines; i++) {
    charge_line *l = invoice_add_line(inv);
    l->serial = strdup("82-C5DC8");
    l->type_model = strdup("3931-609");
    l->product_id = strdup("5650-ZOS");
    l->product_name = strdup("z/OS V3");
    l->charge_type = strdup("AWLC");
    l->order_number = strdup("ORD-401177");
    l->unit = strdup("MSUs");
    l->rules = strdup("R-T4;R-W2;R-W1;R-0.1");
    l->quantity = 412;
    l->amount = 123456700;
    l->ntiers = 4;
    long b[][2] = {{1, 3}, {4, 45}, {46, 175}, {176, 315}};
    for(int t = 0; t < 4; t++)
      l->tiers[t] = (tier_part){b[t][0], b[t][1], b[t][1] - b[t][0] + 1, 600000, 0};
    inv->subtotal += l->amount;
    /* the steps a real sub-capacity line carries, for the evidence pages */
    invoice_audit(inv, l->line, "R-T4", "licenses.csv:2", "charged", "AWLC 5650-ZOS is charged for the whole month");
    invoice_audit(inv, l->line, "R-W2", "licenses.csv:2;scrt/82-C5DC8-2026-10-01.csv:14;scrt/received.csv:2",
                  "412 MSUs", "sub-capacity: SCRT E5 row for 5650-ZOS on 82-C5DC8, Tool MSUs");
    invoice_audit(inv, l->line, "R-W1", "prices.csv:152", "12345.6700",
                  "tiered price of 412 MSUs, 5650-ZOS AWLC EUR price book effective 2026-01-01: 1-3 MSUs: 3 x "
                  "60.0000 + base 0.0000; 4-45 MSUs: 42 x 60.0000 + base 0.0000; 46-175 MSUs: 130 x 60.0000 + "
                  "base 0.0000; 176-315 MSUs: 140 x 60.0000 + base 0.0000");
    invoice_audit(inv, l->line, "R-0.1", "", "12345.67", "line amount rounded half away from zero to the cent");
  }
  tax_line *t = invoice_add_tax(inv);
  t->name = strdup("USt");
  t->rate_pct = 190000;
  t->amount = inv->subtotal / 100 * 19 / 100 * 100;
  inv->tax = t->amount;
  inv->total = inv->subtotal + inv->tax;
}

int main(int argc, char **argv)
{
  lb_template *tpl = NULL;
  invoice_pdf *r = NULL;
  evidence_pdf *ev = NULL;
  diag_list d;
  if(argc != 4)
    return 2;
  long n = atol(argv[2]);
  int lines = atoi(argv[3]);
  diag_init(&d);
  if(tpl_load(&tpl, "templates/default", &d) || invoice_pdf_new(&r, tpl) || evidence_pdf_new(&ev, tpl) ||
     atomic_mkdirs(argv[1])) {
    diag_print(&d, stderr);
    fprintf(stderr, "floor: cannot start\n");
    return 1;
  }
  for(long k = 0; k < n; k++) {
    invoice inv;
    unsigned char *pdf;
    size_t len;
    char path[4096];
    fill(&inv, k, lines);
    if(invoice_pdf_draw(r, &inv, &pdf, &len))
      return 1;
    snprintf(path, sizeof(path), "%s/%s.pdf", argv[1], inv.number);
    if(atomic_write(path, pdf, len))
      return 1;
    free(pdf);
    evidence_input in = {.inv = &inv};
    if(evidence_pdf_draw(ev, &in, &pdf, &len))
      return 1;
    snprintf(path, sizeof(path), "%s/%s-audit.pdf", argv[1], inv.number);
    if(atomic_write(path, pdf, len))
      return 1;
    free(pdf);
    invoice_clear(&inv);
  }
  invoice_pdf_free(r);
  evidence_pdf_free(ev);
  tpl_free(tpl);
  return 0;
}
