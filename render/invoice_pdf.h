/* invoice_pdf.h - draws one priced invoice as a PDF in memory with libharu (R-X1, R-X2, R-X4). */
#ifndef LB_INVOICE_PDF_H
#define LB_INVOICE_PDF_H

#include <stddef.h>

#include "core/invoice.h"
#include "render/template.h"

/* Render `inv` with template `t` into a new PDF held in memory.
 * The output depends only on (t, inv): no clock, no random ids, so the same
 * invoice gives the same bytes every time (the ledger hashes them).
 * On success *pdf is a malloc'd buffer of *len bytes, owned by the caller
 * (free()). On failure *pdf and *len are untouched.
 * Returns LB_OK, LB_ENOMEM, or LB_EIO (libharu failed, e.g. a font file
 * vanished or is not usable).
 * Loads the two TrueType fonts for this one call; a batch that renders many
 * invoices should keep an invoice_pdf renderer instead (same bytes, less
 * work per invoice). */
int invoice_pdf_render(const lb_template *t, const invoice *inv, unsigned char **pdf, size_t *len);

/* A renderer that keeps libharu's parsed fonts between invoices. Not
 * thread-safe: use one per thread. The template must outlive it. */
typedef struct invoice_pdf invoice_pdf;

/* Create a renderer for template t; fonts are loaded on the first draw.
 * Returns LB_OK with *out set (free with invoice_pdf_free) or LB_ENOMEM. */
int invoice_pdf_new(invoice_pdf **out, const lb_template *t);

/* Same contract and same bytes as invoice_pdf_render. After a failure the
 * renderer drops its libharu state and starts afresh on the next call. */
int invoice_pdf_draw(invoice_pdf *r, const invoice *inv, unsigned char **pdf, size_t *len);

/* NULL-safe. */
void invoice_pdf_free(invoice_pdf *r);

#endif
