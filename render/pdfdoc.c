/* pdfdoc.c - the document lifecycle shared by the invoice and evidence renderers. */
#include "render/pdfdoc.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"

/* libharu calls this instead of aborting; the renderers check d->err at
 * their checkpoints and turn it into a return code. */
static void on_hpdf_error(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
  pdfdoc *d = data;
  (void)detail;
  if(!d->err)
    d->err = err;
}

void pdfdoc_init(pdfdoc *d, const lb_template *t)
{
  memset(d, 0, sizeof(*d));
  d->t = t;
}

void pdfdoc_clear(pdfdoc *d)
{
  if(!d)
    return;
  if(d->doc)
    HPDF_Free(d->doc);
  for(int i = 0; i < 2; i++) {
    font_doc_free(d->font[i]);
    font_face_free(d->face[i]);
  }
  pdfa_profile_free(d->icc);
  libdeflate_free_compressor(d->z);
  memset(d, 0, sizeof(*d));
}

int pdfdoc_rc(const pdfdoc *d)
{
  if(!d->err)
    return LB_OK;
  return d->err == HPDF_FAILD_TO_ALLOC_MEM ? LB_ENOMEM : LB_EIO;
}

static int open_doc(pdfdoc *d)
{
  static const char *const keys[2] = {"font.regular", "font.bold"};
  int rc;
  if(!d->z && !(d->z = libdeflate_alloc_compressor(PDFA_DEFLATE_LEVEL)))
    return LB_ENOMEM;
  if(!d->icc && (rc = pdfa_profile_load(&d->icc, tpl_get(d->t, "pdfa.icc_profile"), NULL, 0)))
    return rc;
  for(int i = 0; i < 2; i++) {
    if(!d->face[i] && (rc = font_face_load(&d->face[i], tpl_get(d->t, keys[i]))))
      return rc;
    if(!d->font[i] && (rc = font_doc_new(&d->font[i], d->face[i])))
      return rc;
  }
  font_doc_share_codes(d->font[1], d->font[0]); /* one /Encoding and one ToUnicode for both */
  d->doc = HPDF_New(on_hpdf_error, d);
  if(!d->doc)
    return LB_ENOMEM;
  d->doc_fresh = 1;
  return pdfdoc_rc(d);
}

int pdfdoc_begin(pdfdoc *d)
{
  int rc;
  d->err = 0;
  if(!d->doc && (rc = open_doc(d)))
    return rc;
  if(!d->doc_fresh && HPDF_NewDoc(d->doc) != HPDF_OK)
    return pdfdoc_rc(d) ? pdfdoc_rc(d) : LB_EIO;
  d->doc_fresh = 0;
  return LB_OK;
}

int pdfdoc_fonts(pdfdoc *d, HPDF_Font *regular, HPDF_Font *bold)
{
  d->nfonts = 2;
  *regular = font_doc_begin(d->font[0], d->doc);
  *bold = font_doc_begin(d->font[1], d->doc);
  if(!*regular || !*bold)
    return pdfdoc_rc(d) ? pdfdoc_rc(d) : LB_EIO;
  return LB_OK;
}

int pdfdoc_fonts_fake_bold(pdfdoc *d, HPDF_Font *regular, HPDF_Font *bold)
{
  d->nfonts = 1;
  *regular = font_doc_begin(d->font[0], d->doc);
  if(!*regular)
    return pdfdoc_rc(d) ? pdfdoc_rc(d) : LB_EIO;
  *bold = font_doc_fake_bold(d->font[0]);
  return LB_OK;
}

int pdfdoc_end(pdfdoc *d, unsigned char **pdf, size_t *len)
{
  unsigned char *buf;
  int rc;
  for(int i = 0; i < d->nfonts; i++)
    if((rc = font_doc_finish(d->font[i], d->doc, d->z)))
      return pdfdoc_rc(d) ? pdfdoc_rc(d) : rc;
  if((rc = pdfa_deflate_streams(d->doc, d->z)))
    return rc;
  if((rc = pdfa_slim_pages(d->doc)))
    return rc;
  if(HPDF_SaveToStream(d->doc) != HPDF_OK)
    return pdfdoc_rc(d) ? pdfdoc_rc(d) : LB_EIO;
  HPDF_UINT32 size = HPDF_GetStreamSize(d->doc), got = size;
  buf = malloc(size ? size : 1);
  if(!buf)
    return LB_ENOMEM;
  HPDF_ReadFromStream(d->doc, buf, &got);
  if(d->err == HPDF_STREAM_EOF && got == size)
    d->err = 0; /* libharu reports reaching the end of what it wrote */
  rc = pdfdoc_rc(d);
  if(!rc && got != size)
    rc = LB_EIO;
  if(!rc && pdfa_finish(buf, size))
    rc = LB_EIO; /* the /ID placeholder went missing: not a document we wrote */
  if(rc) {
    free(buf);
    return rc;
  }
  *pdf = buf;
  *len = size;
  /* drop this document's pages now, so that an idle renderer holds only its fonts */
  HPDF_FreeDoc(d->doc);
  return LB_OK;
}

void pdfdoc_discard(pdfdoc *d)
{
  if(d->doc) {
    HPDF_Free(d->doc);
    d->doc = NULL;
  }
}
