/* test_invoice_pdf.c - rendered invoices pass qpdf, read back through pdftotext, paginate, and are byte-stable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render/invoice_pdf.h"
#include "render/template.h"
#include "core/date.h"
#include "core/invoice.h"
#include "core/money.h"
#include "tests/support/e2e.h"

/* ---- building invoices -------------------------------------------------- */

static char *xdup(const char *s)
{
  char *p = strdup(s);
  assert_non_null(p);
  return p;
}

static charge_line *add_plain(invoice *inv, const char *tm, const char *serial, const char *pid,
                              const char *pname, const char *ct, long qty, const char *unit,
                              money price, money amount)
{
  charge_line *l = invoice_add_line(inv);
  assert_non_null(l);
  assert_int_equal(invoice_line_machine(l, serial, tm), LB_OK);
  l->product_id = xdup(pid);
  l->product_name = xdup(pname);
  assert_int_equal(charge_type_parse(ct, &l->ct), 0);
  l->quantity = qty;
  l->unit = xdup(unit);
  l->has_unit_price = 1;
  l->unit_price = price;
  l->amount = amount;
  return l;
}

static void set_totals(invoice *inv)
{
  money sub = 0;
  for(size_t i = 0; i < inv->nlines; i++)
    assert_int_equal(money_add(&sub, sub, inv->lines[i].amount), 0);
  inv->subtotal = sub;
  inv->tax = 0;
  for(size_t i = 0; i < inv->ntaxes; i++) {
    inv->taxes[i].base = sub;
    assert_int_equal(money_apply_pct(&inv->taxes[i].amount, sub, inv->taxes[i].rate_pct), 0);
    inv->tax += inv->taxes[i].amount;
  }
  inv->total = sub - inv->discount + inv->tax;
  if(inv->prompt_pay_pct > 0) {
    assert_int_equal(money_apply_pct(&inv->prompt_pay_discount, inv->total, inv->prompt_pay_pct),
                     0);
    inv->prompt_pay_total = inv->total - inv->prompt_pay_discount;
  }
}

/* A Québec branch of a German insurer billed in EUR: accents, € sign, a
 * plain line, a tiered line with a note, a sysplex line with a sub-cent
 * price, GST and QST, a prompt-payment discount; plus `extra` plain lines. */
static void build_invoice(invoice *inv, size_t extra)
{
  charge_line *l;
  tax_line *tx;
  memset(inv, 0, sizeof(*inv));
  inv->number = xdup("2026110042");
  inv->customer_id = xdup("C-100234");
  inv->customer_name = xdup("Müller Versicherung AG");
  inv->customer_address =
      xdup("Zweigniederlassung Québec\n1150 Rue de Claire-Fontaine\nQuébec QC G1R 5G4\nCanada");
  inv->country = xdup("CA");
  inv->customer_class = xdup("commercial");
  inv->contract_number = xdup("ICA-4471-2019");
  inv->currency = xdup("EUR");
  inv->month = month_from_ym(2026, 11);
  inv->issue_date = date_from_ymd(2026, 12, 1);
  inv->period_start = date_from_ymd(2026, 11, 1);
  inv->period_end = date_from_ymd(2026, 11, 30);
  inv->payment_terms_days = 30;
  inv->due_date = date_from_ymd(2026, 12, 31);
  inv->prompt_pay_pct = 20000; /* 2 % */
  inv->prompt_pay_until = date_from_ymd(2026, 12, 10);
  inv->contact = xdup("1-877-426-6006");
  inv->order_numbers = calloc(2, sizeof(char *));
  assert_non_null(inv->order_numbers);
  inv->order_numbers[0] = xdup("ORD-7781");
  inv->order_numbers[1] = xdup("ORD-7790");
  inv->norders = 2;

  l = add_plain(inv, "3931-609", "02-1A2B3", "5655-ZOS", "z/OS V2", "VWLC", 42, "MSUs",
                1234560000, 1234560000);
  l->order_number = xdup("ORD-7781");

  l = add_plain(inv, "3931-609", "02-1A2B3", "5655-DB2", "Db2 for z/OS V13", "AWLC", 120, "MSUs",
                0, 198000000);
  l->has_unit_price = 0;
  assert_int_equal(invoice_line_tiers(l, 3), LB_OK);
  l->ntiers = 3;
  l->tiers[0] = (tier_part){1, 3, 3, 2000000, 0};
  l->tiers[1] = (tier_part){4, 45, 42, 1200000, 0};
  l->tiers[2] = (tier_part){46, -1, 75, 1800000, 5000000};
  l->note = xdup("Peak rolling 4-hour average from the SCRT report of 2 Dec 2026.");

  l = add_plain(inv, "3931-609+8561-T01", "02-1A2B3+02-9Z8Y7+02-5C5C5", "5655-CICS",
                "CICS Transaction Server for z/OS V6", "AWLC", 310, "MSUs", 1234, 382540);
  l->sysplex = xdup("PLEXPROD");
  l->order_number = xdup("ORD-7790");

  for(size_t i = 0; i < extra; i++) {
    char serial[32];
    snprintf(serial, sizeof(serial), "02-%05zu", i + 1);
    add_plain(inv, "8561-T01", serial, "5697-ABC", "Tivoli Monitoring", "OTC", 1, "license",
              1500000, 1500000);
  }
  tx = invoice_add_tax(inv);
  assert_non_null(tx);
  tx->name = xdup("GST");
  tx->rate_pct = 50000;
  tx = invoice_add_tax(inv);
  assert_non_null(tx);
  tx->name = xdup("QST");
  tx->rate_pct = 99750;
  set_totals(inv);
}

/* ---- rendering and reading back ----------------------------------------- */

static int run(const char *cmd)
{
  int st = system(cmd);
  return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  long n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
  s[n] = '\0';
  fclose(fp);
  return s;
}

/* Write the PDF to a fresh mkdtemp directory, check it with qpdf, return
 * its `pdftotext -layout` text (pages end with '\f'). Caller frees. */
static char *pdf_text_of(const unsigned char *pdf, size_t len, const char *pdfinfo_field,
                         char *info, size_t infolen)
{
  char dir[256], path[300], txt[300], cmd[700];
  snprintf(dir, sizeof(dir), "%s/lbpdfXXXXXX", e2e_tmpdir());
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/invoice.pdf", dir);
  snprintf(txt, sizeof(txt), "%s/invoice.txt", dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(pdf, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);

  snprintf(cmd, sizeof(cmd), "qpdf --check %s >/dev/null 2>&1", path);
  assert_int_equal(run(cmd), 0);
  snprintf(cmd, sizeof(cmd), "pdftotext -layout -enc UTF-8 %s %s 2>/dev/null", path, txt);
  assert_int_equal(run(cmd), 0);
  char *text = slurp(txt);
  if(pdfinfo_field) {
    char out[300];
    snprintf(out, sizeof(out), "%s/info.txt", dir);
    snprintf(cmd, sizeof(cmd), "pdfinfo %s 2>/dev/null | grep '^%s:' > %s", path, pdfinfo_field,
             out);
    assert_int_equal(run(cmd), 0);
    char *s = slurp(out);
    snprintf(info, infolen, "%s", s);
    free(s);
    unlink(out);
  }
  unlink(path);
  unlink(txt);
  assert_int_equal(rmdir(dir), 0);
  return text;
}

static char *render_text(const lb_template *t, const invoice *inv)
{
  unsigned char *pdf = NULL;
  size_t len = 0;
  assert_int_equal(invoice_pdf_render(t, inv, &pdf, &len), LB_OK);
  assert_non_null(pdf);
  assert_true(len > 1000);
  assert_memory_equal(pdf, "%PDF-", 5);
  char *text = pdf_text_of(pdf, len, NULL, NULL, 0);
  free(pdf);
  return text;
}

static int count_of(const char *hay, const char *needle)
{
  int n = 0;
  for(const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

/* Split pdftotext output into pages (it ends every page with '\f'). The
 * returned array and strings live in one allocation; caller frees *pages. */
static int split_pages(const char *text, char ***pages)
{
  int n = count_of(text, "\f");
  size_t len = strlen(text);
  char **v = malloc(sizeof(char *) * (size_t)(n + 1) + len + 1);
  assert_non_null(v);
  char *copy = (char *)(v + n + 1);
  memcpy(copy, text, len + 1);
  int k = 0;
  for(char *p = copy; k < n; k++) {
    char *ff = strchr(p, '\f');
    *ff = '\0';
    v[k] = p;
    p = ff + 1;
  }
  v[n] = NULL;
  *pages = v;
  return n;
}

static int page_of(char **pages, int n, const char *needle)
{
  for(int i = 0; i < n; i++)
    if(strstr(pages[i], needle))
      return i;
  return -1;
}

/* A scratch template directory (dir: 256 bytes) whose template.conf is `extra` plus the
 * fonts of the default template. */
static lb_template *load_template_with(const char *extra, char *dir)
{
  char conf[300];
  lb_template *def = NULL, *t = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(tpl_load(&def, "templates/default", &d), LB_OK);
  snprintf(dir, 256, "%s/lbtplXXXXXX", e2e_tmpdir());
  assert_non_null(mkdtemp(dir));
  snprintf(conf, sizeof(conf), "%s/template.conf", dir);
  FILE *fp = fopen(conf, "w");
  assert_non_null(fp);
  fprintf(fp, "font.regular = %s\nfont.bold = %s\n%s", tpl_get(def, "font.regular"),
          tpl_get(def, "font.bold"), extra);
  assert_int_equal(fclose(fp), 0);
  tpl_free(def);
  int rc = tpl_load(&t, dir, &d);
  if(rc)
    diag_print(&d, stderr);
  assert_int_equal(rc, LB_OK);
  diag_clear(&d);
  unlink(conf);
  assert_int_equal(rmdir(dir), 0);
  return t;
}

/* ---- tests -------------------------------------------------------------- */

static int load_default(void **state)
{
  lb_template *t = NULL;
  diag_list d;
  diag_init(&d);
  int rc = tpl_load(&t, "templates/default", &d);
  if(rc)
    diag_print(&d, stderr);
  diag_clear(&d);
  *state = t;
  return rc;
}

static int free_default(void **state)
{
  tpl_free(*state);
  return 0;
}

static void invoice_pdf_prints_accented_names_and_euro_sign(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "Müller Versicherung AG"));
  assert_non_null(strstr(text, "Zweigniederlassung Québec"));
  assert_non_null(strstr(text, "Québec QC G1R 5G4"));
  assert_non_null(strstr(text, "2026110042"));
  assert_non_null(strstr(text, "123,456.00"));  /* line 1 */
  assert_non_null(strstr(text, "19,800.00"));   /* tiered line */
  assert_non_null(strstr(text, "38.25"));       /* sysplex line */
  assert_non_null(strstr(text, "143,294.25"));  /* subtotal */
  assert_non_null(strstr(text, "\u20ac164,752.56")); /* total with the € sign */
  assert_non_null(strstr(text, "1-877-426-6006"));
  assert_non_null(strstr(text, "Page 1 of 1"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x1_header_carries_every_identifier(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  static const char *const want[] = {
      "Customer number", "C-100234",      "Invoice number", "2026110042",
      "Invoice date",    "1 Dec 2026",    "Billing period", "1 Nov 2026 \u2013 30 Nov 2026",
      "Contract number", "ICA-4471-2019", "Order numbers",  "ORD-7781, ORD-7790",
      "Due date",        "31 Dec 2026",
  };
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    if(!strstr(text, want[i]))
      fail_msg("\"%s\" missing from the invoice", want[i]);
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x1_lines_carry_machine_product_charge_type_quantity_and_prices(
    void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  static const char *const want[] = {
      "Machine", "Product", "Charge type", "Quantity", "Unit price", "Amount",
      "3931-609", "02-1A2B3", "5655-ZOS", "z/OS V2", "VWLC", "42 MSUs", "Order ORD-7781",
      "Sysplex PLEXPROD", "3931-609+8561-T01", "5655-CICS", "310 MSUs", "Order ORD-7790",
      "tiered",
  };
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    if(!strstr(text, want[i]))
      fail_msg("\"%s\" missing from the invoice", want[i]);
  /* every serial of the sysplex line is printed, even when wrapped */
  assert_non_null(strstr(text, "02-9Z8Y7"));
  assert_non_null(strstr(text, "02-5C5C5"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_prints_the_tier_breakdown_and_note_under_a_tiered_line(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "1\u20133 MSUs: 3 \u00d7 200.00"));
  assert_non_null(strstr(text, "4\u201345 MSUs: 42 \u00d7 120.00"));
  assert_non_null(strstr(text, "46+ MSUs: 75 \u00d7 180.00 + 500.00 base charge"));
  assert_non_null(strstr(text, "Peak rolling 4-hour average"));
  /* the tier rows come after their line and before the next one */
  const char *line2 = strstr(text, "5655-DB2"), *tier = strstr(text, "4\u201345 MSUs"),
             *line3 = strstr(text, "5655-CICS");
  assert_true(line2 && tier && line3 && line2 < tier && tier < line3);
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_prints_sub_cent_unit_prices_with_four_places(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "0.1234")); /* not a misleading 0.12 */
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_shrinks_large_numbers_rather_than_cutting_them(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  inv.lines[0].amount = 987654321098700;   /* 98,765,432,109.87 */
  inv.lines[0].unit_price = 987654321098700;
  inv.lines[0].quantity = 123456789;
  inv.lines[0].line = 12345;
  set_totals(&inv);
  char *text = render_text(*state, &inv);
  assert_int_equal(count_of(text, "98,765,432,109.87"), 2); /* unit price and amount */
  assert_non_null(strstr(text, "123,456,789"));
  assert_non_null(strstr(text, "12345"));
  assert_null(strstr(text, "\u2026"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x2_shows_the_prompt_payment_offer(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  /* R-X2: the amount is shown ("PROMPT PAYMENT DISCOUNT ... SHALL BE SHOWN ON THE INVOICE"), then its base */
  assert_non_null(strstr(text, "Pay by 10 Dec 2026 and deduct \u20ac3,295.05: pay \u20ac161,457.51"));
  assert_non_null(strstr(text, "Prompt payment discount 2.00 % of \u20ac164,752.56 = \u20ac3,295.05"));
  assert_non_null(strstr(text, "Payment terms: net 30 days, due 31 Dec 2026"));
  free(text);

  /* R-M2: line 1 left out of the base (its R-X2 audit step), with GST 5 % and QST 9.975 % on it */
  money l1 = inv.lines[0].amount, base = 0;
  assert_int_equal(invoice_audit(&inv, 1, R_X2, NO_REFS, AV_MONEY(l1, 2), "left out"), 0);
  assert_int_equal(invoice_prompt_pay_base(&inv, l1, &base), 0);
  assert_int_equal(money_apply_pct(&inv.prompt_pay_discount, base, inv.prompt_pay_pct), 0);
  inv.prompt_pay_total = inv.total - inv.prompt_pay_discount;
  text = render_text(*state, &inv);
  assert_non_null(strstr(text, "Pay by 10 Dec 2026 and deduct \u20ac456.18: pay \u20ac164,296.38"));
  assert_non_null(strstr(text, "Prompt payment discount 2.00 % of \u20ac22,809.02 (the total less line 1 and its taxes, "
                               "R-M2) = \u20ac456.18"));
  free(text);

  inv.prompt_pay_pct = 0; /* no discount, no sentence */
  text = render_text(*state, &inv);
  assert_null(strstr(text, "deduct"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x3_prints_each_tax_as_its_own_line_with_rate(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "GST 5.000 %"));
  assert_non_null(strstr(text, "7,164.71"));
  assert_non_null(strstr(text, "QST 9.975 %"));
  assert_non_null(strstr(text, "14,293.60"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x4_footer_gives_the_billing_questions_phone(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  free(inv.contact);
  inv.contact = xdup("1-800-333-6705"); /* U.S. federal */
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "Questions about this invoice? Call 1-800-333-6705"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_r_x4_breaks_150_lines_over_pages_with_header_and_contact_on_each(
    void **state)
{
  invoice inv;
  char **pages, want[64];
  build_invoice(&inv, 147);
  assert_int_equal(inv.nlines, 150);
  char *text = render_text(*state, &inv);
  int n = split_pages(text, &pages);
  assert_true(n >= 3);
  for(int i = 0; i < n; i++) {
    snprintf(want, sizeof(want), "Page %d of %d", i + 1, n);
    if(count_of(pages[i], want) != 1)
      fail_msg("page %d lacks \"%s\"", i + 1, want);
    if(!strstr(pages[i], "Charge type") || !strstr(pages[i], "Unit price"))
      fail_msg("page %d lacks the column header", i + 1);
    if(!strstr(pages[i], "Call 1-877-426-6006"))
      fail_msg("page %d lacks the R-X4 contact", i + 1);
  }
  /* the totals once, on the last page */
  assert_int_equal(count_of(text, "Subtotal"), 1);
  assert_int_equal(count_of(text, "Total EUR"), 1);
  assert_int_equal(page_of(pages, n, "Subtotal"), n - 1);
  assert_int_equal(page_of(pages, n, "Total EUR"), n - 1);
  /* every line is there, in order: the last serial on the last page */
  assert_int_equal(page_of(pages, n, "02-00147"), n - 1);
  assert_int_equal(page_of(pages, n, "02-00001"), 0);
  free(pages);
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_never_splits_a_line_from_its_tier_rows(void **state)
{
  invoice inv;
  char **pages;
  build_invoice(&inv, 0);
  /* 40 lines of 16 tiers each: many of them meet a page end */
  for(int k = 1; k <= 40; k++) {
    char name[32];
    snprintf(name, sizeof(name), "Tiered product %d", k);
    charge_line *l = add_plain(&inv, "3931-609", "02-1A2B3", "5655-T", name, "AWLC", 100, "MSUs",
                               0, 10000000);
    l->has_unit_price = 0;
    assert_int_equal(invoice_line_tiers(l, 16), LB_OK);
    assert_int_equal(invoice_line_tiers(l, 16), LB_OK);
    l->ntiers = 16;
    for(int i = 0; i < 16; i++)
      l->tiers[i] = (tier_part){k * 1000 + i * 10 + 1, k * 1000 + i * 10 + 10, 10, 10000, 0};
  }
  set_totals(&inv);
  char *text = render_text(*state, &inv);
  int n = split_pages(text, &pages);
  assert_true(n >= 4);
  for(int k = 1; k <= 40; k++) {
    char name[32], first[48], last[48];
    snprintf(name, sizeof(name), "Tiered product %d", k);
    snprintf(first, sizeof(first), "%d,001\u2013%d,010 MSUs", k, k);
    snprintf(last, sizeof(last), "%d,151\u2013%d,160 MSUs", k, k);
    int p = page_of(pages, n, name);
    assert_true(p >= 0);
    if(page_of(pages, n, first) != p || page_of(pages, n, last) != p)
      fail_msg("line \"%s\" is split from its tier rows", name);
  }
  free(pages);
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_keeps_the_totals_block_together_on_the_last_page(void **state)
{
  int moved = 0;
  /* around the number of lines where page 1 fills up, the totals either fit
   * under the table or move whole to a page of their own */
  for(size_t extra = 6; extra <= 26; extra++) {
    invoice inv;
    char **pages;
    build_invoice(&inv, extra);
    char *text = render_text(*state, &inv);
    int n = split_pages(text, &pages);
    int sub = page_of(pages, n, "Subtotal");
    assert_int_equal(count_of(text, "Subtotal"), 1);
    assert_int_equal(sub, n - 1);
    assert_int_equal(page_of(pages, n, "QST 9.975 %"), sub);
    assert_int_equal(page_of(pages, n, "Total EUR"), sub);
    assert_int_equal(page_of(pages, n, "Pay by 10 Dec 2026"), sub);
    assert_int_equal(page_of(pages, n, "Payment terms:"), sub);
    if(n > 1 && !strstr(pages[sub], "license"))
      moved = 1; /* the last page holds no table row: the block moved */
    free(pages);
    free(text);
    invoice_clear(&inv);
  }
  assert_true(moved);
}

static void invoice_pdf_same_invoice_gives_byte_identical_pdf(void **state)
{
  invoice inv;
  unsigned char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  build_invoice(&inv, 10);
  assert_int_equal(invoice_pdf_render(*state, &inv, &a, &alen), LB_OK);
  sleep(1); /* a clock-derived date would now differ */
  assert_int_equal(invoice_pdf_render(*state, &inv, &b, &blen), LB_OK);
  assert_int_equal(alen, blen);
  assert_memory_equal(a, b, alen);
  /* no /ID and no date but the invoice's own issue date */
  assert_non_null(memmem(a, alen, "/ID [", 5));
  assert_non_null(memmem(a, alen, "/CreationDate (D:20261201", 25));
  assert_null(memmem(a, alen, "/ModDate", 8));
  free(a);
  free(b);
  invoice_clear(&inv);
}

static void invoice_pdf_renderer_reuse_gives_the_same_bytes_as_a_fresh_render(void **state)
{
  invoice one, other;
  unsigned char *fresh = NULL, *again = NULL, *x = NULL;
  size_t flen = 0, alen = 0, xlen = 0;
  invoice_pdf *r = NULL;
  build_invoice(&one, 2);
  build_invoice(&other, 30);
  free(other.customer_name);
  other.customer_name = xdup("Ελληνική Ασφαλιστική Α.Ε. / Žluťoučký kůň s.r.o.");

  assert_int_equal(invoice_pdf_render(*state, &one, &fresh, &flen), LB_OK);
  assert_int_equal(invoice_pdf_new(&r, *state), LB_OK);
  /* glyphs used by an earlier invoice must not leak into the next one */
  assert_int_equal(invoice_pdf_draw(r, &other, &x, &xlen), LB_OK);
  assert_int_equal(invoice_pdf_draw(r, &one, &again, &alen), LB_OK);
  assert_int_equal(flen, alen);
  assert_memory_equal(fresh, again, flen);

  char *text = pdf_text_of(x, xlen, NULL, NULL, 0);
  assert_non_null(strstr(text, "Ελληνική Ασφαλιστική Α.Ε. / Žluťoučký kůň s.r.o."));
  free(text);
  invoice_pdf_free(r);
  free(fresh);
  free(again);
  free(x);
  invoice_clear(&one);
  invoice_clear(&other);
}

static void invoice_pdf_uses_the_template_number_format_symbol_position_and_months(void **state)
{
  (void)state;
  char dir[256];
  invoice inv;
  lb_template *t = load_template_with("number.thousands_sep = .\n"
                                      "number.decimal_mark = ,\n"
                                      "currency.position = after\n"
                                      "label.total = Gesamtbetrag\n"
                                      "label.page = Seite %d von %d\n"
                                      "label.contact = Fragen zur Rechnung? %s\n"
                                      "date.months = Jan. Feb. März Apr. Mai Juni Juli Aug. "
                                      "Sep. Okt. Nov. Dez.\n",
                                      dir);
  build_invoice(&inv, 0);
  char *text = render_text(t, &inv);
  assert_non_null(strstr(text, "123.456,00"));
  assert_non_null(strstr(text, "164.752,56 \u20ac"));
  assert_non_null(strstr(text, "Gesamtbetrag EUR"));
  assert_non_null(strstr(text, "Seite 1 von 1"));
  assert_non_null(strstr(text, "Fragen zur Rechnung? 1-877-426-6006"));
  assert_non_null(strstr(text, "GST 5,000 %"));
  assert_non_null(strstr(text, "1 Nov. 2026 \u2013 30 Nov. 2026"));
  assert_non_null(strstr(text, "31 Dez. 2026"));
  free(text);
  tpl_free(t);
  invoice_clear(&inv);
}

static void invoice_pdf_prints_the_iso_code_for_a_currency_without_symbol(void **state)
{
  invoice inv;
  build_invoice(&inv, 0);
  free(inv.currency);
  inv.currency = xdup("CHF");
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "CHF 164,752.56"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_letter_template_gives_letter_pages(void **state)
{
  (void)state;
  char dir[256], info[128];
  invoice inv;
  unsigned char *pdf = NULL;
  size_t len = 0;
  lb_template *t = load_template_with("page.size = Letter\n", dir);
  build_invoice(&inv, 0);
  assert_int_equal(invoice_pdf_render(t, &inv, &pdf, &len), LB_OK);
  char *text = pdf_text_of(pdf, len, "Page size", info, sizeof(info));
  assert_non_null(strstr(info, "612 x 792 pts (letter)"));
  assert_non_null(strstr(text, "Page 1 of 1"));
  free(text);
  free(pdf);
  tpl_free(t);
  invoice_clear(&inv);
}

static void invoice_pdf_tolerates_an_invoice_with_only_required_fields(void **state)
{
  invoice inv;
  memset(&inv, 0, sizeof(inv));
  inv.issue_date = inv.due_date = inv.period_start = inv.period_end = DATE_NONE;
  inv.prompt_pay_until = DATE_NONE;
  inv.month = MONTH_NONE;
  assert_non_null(invoice_add_line(&inv)); /* every string NULL */
  char *text = render_text(*state, &inv);
  assert_non_null(strstr(text, "Page 1 of 1"));
  assert_non_null(strstr(text, "Subtotal"));
  free(text);
  invoice_clear(&inv);
}

static void invoice_pdf_returns_eio_when_a_font_vanishes_instead_of_aborting(void **state)
{
  (void)state;
  char dir[256], conf[300], font[300], cmd[700];
  lb_template *t = NULL;
  diag_list d;
  invoice inv;
  unsigned char *pdf = (unsigned char *)"untouched";
  size_t len = 7;

  snprintf(dir, sizeof(dir), "%s/lbfontXXXXXX", e2e_tmpdir());
  assert_non_null(mkdtemp(dir));
  snprintf(font, sizeof(font), "%s/Sans.ttf", dir);
  snprintf(conf, sizeof(conf), "%s/template.conf", dir);
  snprintf(cmd, sizeof(cmd), "cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf %s", font);
  assert_int_equal(run(cmd), 0);
  FILE *fp = fopen(conf, "w");
  assert_non_null(fp);
  fprintf(fp, "font.regular = Sans.ttf\nfont.bold = Sans.ttf\n");
  assert_int_equal(fclose(fp), 0);
  diag_init(&d);
  assert_int_equal(tpl_load(&t, dir, &d), LB_OK);
  unlink(font); /* between check and use */
  build_invoice(&inv, 0);
  assert_int_equal(invoice_pdf_render(t, &inv, &pdf, &len), LB_EIO);
  assert_string_equal((char *)pdf, "untouched");
  assert_int_equal(len, 7);
  tpl_free(t);
  diag_clear(&d);
  invoice_clear(&inv);
  unlink(conf);
  assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(invoice_pdf_prints_accented_names_and_euro_sign),
    cmocka_unit_test(invoice_pdf_r_x1_header_carries_every_identifier),
    cmocka_unit_test(invoice_pdf_r_x1_lines_carry_machine_product_charge_type_quantity_and_prices),
    cmocka_unit_test(invoice_pdf_prints_the_tier_breakdown_and_note_under_a_tiered_line),
    cmocka_unit_test(invoice_pdf_prints_sub_cent_unit_prices_with_four_places),
    cmocka_unit_test(invoice_pdf_shrinks_large_numbers_rather_than_cutting_them),
    cmocka_unit_test(invoice_pdf_r_x2_shows_the_prompt_payment_offer),
    cmocka_unit_test(invoice_pdf_r_x3_prints_each_tax_as_its_own_line_with_rate),
    cmocka_unit_test(invoice_pdf_r_x4_footer_gives_the_billing_questions_phone),
    cmocka_unit_test(invoice_pdf_r_x4_breaks_150_lines_over_pages_with_header_and_contact_on_each),
    cmocka_unit_test(invoice_pdf_never_splits_a_line_from_its_tier_rows),
    cmocka_unit_test(invoice_pdf_keeps_the_totals_block_together_on_the_last_page),
    cmocka_unit_test(invoice_pdf_same_invoice_gives_byte_identical_pdf),
    cmocka_unit_test(invoice_pdf_renderer_reuse_gives_the_same_bytes_as_a_fresh_render),
    cmocka_unit_test(invoice_pdf_uses_the_template_number_format_symbol_position_and_months),
    cmocka_unit_test(invoice_pdf_prints_the_iso_code_for_a_currency_without_symbol),
    cmocka_unit_test(invoice_pdf_letter_template_gives_letter_pages),
    cmocka_unit_test(invoice_pdf_tolerates_an_invoice_with_only_required_fields),
    cmocka_unit_test(invoice_pdf_returns_eio_when_a_font_vanishes_instead_of_aborting),
  };
  return cmocka_run_group_tests(tests, load_default, free_default);
}
