/* evidence_pdf.h - the auditors' evidence of one invoice (evidence/NUMBER-audit.pdf): derivations, charts, PDF/A-1b. */
#ifndef LB_EVIDENCE_PDF_H
#define LB_EVIDENCE_PDF_H

#include <stddef.h>
#include <stdio.h>

#include "input/scrt.h"
#include "core/invoice.h"
#include "render/template.h"

/* One month of the history of an invoice line's machine and product, as the
 * caller found it in the ledger (lines of the issued, not superseded
 * invoices of earlier months with the same serial and product_id). */
typedef struct evidence_history {
  lb_month month;  /* the billing month */
  long msus;       /* billable MSUs billed that month (the line's quantity); < 0: none billed */
  long capacity;   /* the machine's rated capacity that month (Full Capacity MSUs; for a
                      sysplex line the sum over its machines); < 0: unknown */
  money amount;    /* the line's amount that month, 1/10000 units */
} evidence_history;

/* The history of one machine (serial exactly as on the invoice line: "S1",
 * or "S1+S2" for a sysplex line) and product. */
typedef struct evidence_series {
  const char *serial;
  const char *product_id;
  const evidence_history *months; /* any order; only the 12 months ending with the invoice's are drawn */
  size_t nmonths;
} evidence_series;

/* What one evidence document is drawn from. Nothing here is read from files:
 * the caller gathers it, so the module stays pure (same input, same bytes). */
typedef struct evidence_input {
  const invoice *inv;                /* MUST: the priced and numbered invoice, with its audit steps */
  const evidence_series *series;     /* MAY be NULL: earlier months per line; without them the
                                        charts show the invoice's own month only */
  size_t nseries;
  const scrt_report *const *reports; /* MAY be NULL: the SCRT reports read for this customer; a
                                        report is matched to the audit's "scrt/NAME.csv:LINE"
                                        inputs by the end of its path, and gives the section,
                                        product row, LPAR and machine (CPC) peaks, rated
                                        capacity and reporting period */
  size_t nreports;
  const char *invoice_sha256;        /* MAY be NULL: the invoice PDF's hash, printed on the cover */
} evidence_input;

/* Render the evidence of in->inv with template t (fonts, number format,
 * currency symbols, month names, page size, ICC profile) into a new PDF/A-1b
 * document in memory. Pages: a cover with the totals and a table of contents
 * per machine (with page numbers, links and bookmarks), then per machine (or
 * sysplex) each line: its charts, where the quantity came from, the rules
 * applied in order with what each changed, the price elements, and the
 * arithmetic ending in the line's amount; then the invoice totals and taxes.
 * Every page says "Page n of m". The output depends only on (t, in).
 * On success *pdf is a malloc'd buffer of *len bytes owned by the caller
 * (free()); on failure both are untouched. Returns LB_OK, LB_ENOMEM,
 * LB_EINPUT (in or in->inv is NULL), or LB_EIO (libharu failed, a font or
 * the ICC profile is unusable).
 * Loads the fonts for this call; a batch should keep an evidence_pdf. */
int evidence_pdf_render(const lb_template *t, const evidence_input *in, unsigned char **pdf, size_t *len);

/* A renderer that keeps libharu's parsed fonts and the ICC profile between
 * documents. Not thread-safe: one per thread. t must outlive it. */
typedef struct evidence_pdf evidence_pdf;

/* LB_OK with *out set (free with evidence_pdf_free), or LB_ENOMEM. */
int evidence_pdf_new(evidence_pdf **out, const lb_template *t);

/* Same contract and bytes as evidence_pdf_render. After a failure the
 * renderer starts afresh on the next call. */
int evidence_pdf_draw(evidence_pdf *r, const evidence_input *in, unsigned char **pdf, size_t *len);

/* NULL-safe. */
void evidence_pdf_free(evidence_pdf *r);

/* The same derivation as plain text for a terminal (`licbill explain`):
 * for line `line` of in->inv (0: every line and the totals), the sources,
 * the rules in order with what each changed, the price elements and the
 * arithmetic. Numbers use ',' grouping and '.' decimals. Returns LB_OK,
 * LB_EINPUT when the invoice has no such line, LB_EIO on a write error. */
int evidence_pdf_write_text(FILE *fp, const evidence_input *in, int line);

#endif
