/* pdfdoc.h - one libharu document reused from PDF to PDF: fonts and profile loaded once, subset fonts and PDF/A on save, errors as codes. */
#ifndef LB_PDFDOC_H
#define LB_PDFDOC_H

#include <hpdf.h>
#include <stddef.h>

#include "render/font.h"
#include "render/pdfa.h"
#include "render/template.h"

typedef struct pdfdoc {
  const lb_template *t;
  HPDF_Doc doc;          /* NULL before the first document and after a failure */
  int doc_fresh;         /* doc was just made by HPDF_New: no HPDF_NewDoc needed */
  font_face *face[2];    /* regular, bold: read and measured on first use */
  font_doc *font[2];     /* the same faces in the current document, with their subset caches */
  int nfonts;            /* how many of them the current document uses: 2, or 1 with a synthetic bold */
  HPDF_STATUS err;       /* first libharu error of the current document, 0 = none */
  pdfa_profile *icc;     /* the OutputIntent's colour profile, read on first use */
  struct libdeflate_compressor *z; /* deflates page content and new font subsets */
} pdfdoc;

/* Set up for template t (nothing is loaded yet). */
void pdfdoc_init(pdfdoc *d, const lb_template *t);
/* Free the document and profile. NULL-safe. */
void pdfdoc_clear(pdfdoc *d);

/* LB_OK, or the code of the first libharu error of this document. */
int pdfdoc_rc(const pdfdoc *d);

/* Start a new document: on first use read the profile and the template's
 * fonts (they survive failures and HPDF_NewDoc, so only the first document
 * reads them). The caller then sets compression and page mode and calls
 * pdfdoc_fonts. */
int pdfdoc_begin(pdfdoc *d);
/* The regular and bold fonts for this document. */
int pdfdoc_fonts(pdfdoc *d, HPDF_Font *regular, HPDF_Font *bold);
/* The regular font, and a bold drawn by stroking it (font_doc_fake_bold):
 * the document embeds one font file instead of two. */
int pdfdoc_fonts_fake_bold(pdfdoc *d, HPDF_Font *regular, HPDF_Font *bold);

/* Complete the fonts with the glyphs the pages show (font.h), deflate the
 * pages' content with libdeflate (pdfa_deflate_streams), save the document into a malloc'd buffer (caller frees *pdf) with its PDF/A /ID set
 * from the content, then drop its pages. */
int pdfdoc_end(pdfdoc *d, unsigned char **pdf, size_t *len);
/* After a failure: libharu's state is not trusted, start afresh next time. */
void pdfdoc_discard(pdfdoc *d);

#endif
