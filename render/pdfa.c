/* pdfa.c - the PDF/A-1b parts libharu 2.3.0 gets wrong or leaves out, written with its object API. */
#include "render/pdfa.h"

#include "core/about.h"
#include "core/utf8.h"

#include <errno.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf_streams.h>
#include <libdeflate.h>

#define ICC_MAX (4u << 20) /* a colour profile larger than 4 MB is not an sRGB profile */
#define ID_BYTES 16

struct pdfa_profile {
  unsigned char *data;
  size_t len;
  unsigned char *z; /* data deflated once, for every document's OutputIntent */
  size_t zlen;
  char name[64];
};

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The ASCII text of the v2 'desc' tag (textDescriptionType), "" when absent. */
static void icc_desc(const unsigned char *d, size_t len, char *out, size_t cap)
{
  out[0] = '\0';
  if(len < 132)
    return;
  uint32_t n = be32(d + 128);
  for(uint32_t i = 0; i < n && 132 + 12 * (size_t)i + 12 <= len; i++) {
    const unsigned char *e = d + 132 + 12 * (size_t)i;
    uint32_t off = be32(e + 4), sz = be32(e + 8);
    if(memcmp(e, "desc", 4) || (size_t)off + sz > len || sz < 12 || memcmp(d + off, "desc", 4))
      continue;
    uint32_t cnt = be32(d + off + 8);
    size_t o = 0;
    for(uint32_t k = 0; k < cnt && 12 + (size_t)k < sz && o + 1 < cap; k++) {
      unsigned char c = d[off + 12 + k];
      if(!c)
        break;
      out[o++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    out[o] = '\0';
    return;
  }
}

int pdfa_profile_load(pdfa_profile **out, const char *path, char *why, size_t whylen)
{
  int rc = LB_EIO;
  FILE *fp = NULL;
  pdfa_profile *p = calloc(1, sizeof(*p));
  long n;
  char dummy[8];
  if(!why) {
    why = dummy;
    whylen = sizeof(dummy);
  }
  why[0] = '\0';
  if(!p) {
    rc = LB_ENOMEM;
    goto out;
  }
  fp = fopen(path, "rb");
  if(!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
    snprintf(why, whylen, "%s", strerror(errno));
    goto out;
  }
  if(n < 132 || (unsigned long)n > ICC_MAX) {
    snprintf(why, whylen, "%ld bytes, expected an ICC profile of 132 bytes to 4 MB", n);
    errno = EINVAL;
    goto out;
  }
  p->len = (size_t)n;
  p->data = malloc(p->len);
  if(!p->data) {
    rc = LB_ENOMEM;
    goto out;
  }
  if(fread(p->data, 1, p->len, fp) != p->len) {
    snprintf(why, whylen, "short read");
    goto out;
  }
  if(be32(p->data) != p->len || memcmp(p->data + 36, "acsp", 4)) {
    snprintf(why, whylen, "not an ICC profile (no 'acsp' signature or size mismatch)");
    errno = EINVAL;
    goto out;
  }
  if(p->data[8] != 2) {
    snprintf(why, whylen, "ICC version %u.%u, expected version 2 (PDF/A-1 is based on PDF 1.4)",
             p->data[8], p->data[9] >> 4);
    errno = EINVAL;
    goto out;
  }
  if(memcmp(p->data + 16, "RGB ", 4)) {
    snprintf(why, whylen, "colour space '%.4s', expected an RGB profile such as sRGB", p->data + 16);
    errno = EINVAL;
    goto out;
  }
  icc_desc(p->data, p->len, p->name, sizeof(p->name));
  if(pdfa_deflate(NULL, p->data, p->len, &p->z, &p->zlen)) {
    rc = LB_ENOMEM;
    goto out;
  }
  if(!p->name[0])
    snprintf(p->name, sizeof(p->name), "RGB");
  *out = p;
  p = NULL;
  rc = LB_OK;
out:
  if(fp)
    fclose(fp);
  pdfa_profile_free(p);
  return rc;
}

void pdfa_profile_free(pdfa_profile *p)
{
  if(!p)
    return;
  free(p->data);
  free(p->z);
  free(p);
}

const char *pdfa_profile_name(const pdfa_profile *p) { return p->name; }

/* ---- streams --------------------------------------------------------------- */

int pdfa_deflate(struct libdeflate_compressor *z, const void *in, size_t n, unsigned char **out, size_t *outlen)
{
  struct libdeflate_compressor *own = NULL;
  if(!z && !(z = own = libdeflate_alloc_compressor(PDFA_DEFLATE_LEVEL)))
    return LB_ENOMEM;
  size_t cap = libdeflate_zlib_compress_bound(z, n);
  unsigned char *buf = malloc(cap ? cap : 1);
  size_t len = buf ? libdeflate_zlib_compress(z, in, n, buf, cap) : 0;
  libdeflate_free_compressor(own);
  if(!len) {
    free(buf);
    return LB_ENOMEM; /* the bound always fits: only the allocation fails */
  }
  *out = buf;
  *outlen = len;
  return LB_OK;
}

/* libharu drops a /Filter key of a stream it is not to compress, so the key
 * is written from the dictionary's write hook, after the other keys. */
static HPDF_STATUS flate_filter_key(HPDF_Dict obj, HPDF_Stream out)
{
  (void)obj;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

HPDF_Dict pdfa_deflated_stream(HPDF_Doc doc, const unsigned char *z, size_t zlen)
{
  HPDF_Dict s = HPDF_DictStream_New(doc->mmgr, doc->xref);
  if(!s)
    return NULL;
  s->filter = HPDF_STREAM_FILTER_NONE;
  s->write_fn = flate_filter_key;
  if(HPDF_Stream_Write(s->stream, z, (HPDF_UINT)zlen) != HPDF_OK)
    return NULL;
  return s;
}

/* A hex digit's value plus one; 0 for anything else. */
static const unsigned char hex_plus1[256] = {
  ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
  ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
  ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static int hexval(unsigned char c) { return hex_plus1[c] - 1; }

/* libharu prints the text of a Type0 font as a hex string, two digits a byte;
 * the same bytes as a literal string take one (a delimiter, a backslash and
 * a line end escaped: a literal string reads CR and CRLF as LF). Rewritten in
 * place (never longer); anything that is not a whole, even hex string stays
 * as it is. Returns the new length. The bytes between strings move in runs
 * (memchr to the next '<'), not one at a time. */
size_t pdfa_hex_to_literal(unsigned char *s, size_t n)
{
  size_t r = 0, w = 0;
  while(r < n) {
    const unsigned char *lt = memchr(s + r, '<', n - r);
    size_t stop = lt ? (size_t)(lt - s) : n;
    if(stop > r) {
      if(w != r)
        memmove(s + w, s + r, stop - r);
      w += stop - r;
      r = stop;
      if(r == n)
        break;
    }
    /* s[r] is '<' */
    if(r + 1 < n && s[r + 1] == '<') { /* a dictionary's "<<": its first '<' stays */
      s[w++] = s[r++];
      continue;
    }
    size_t e = r + 1;
    while(e < n && hexval(s[e]) >= 0)
      e++;
    if(e >= n || s[e] != '>' || (e - r - 1) % 2) {
      s[w++] = s[r++];
      continue;
    }
    s[w++] = '(';
    for(size_t k = r + 1; k < e; k += 2) {
      unsigned char b = (unsigned char)(hexval(s[k]) << 4 | hexval(s[k + 1]));
      switch(b) {
      case '(': case ')': case '\\': s[w++] = '\\'; s[w++] = b; break;
      case '\r': s[w++] = '\\'; s[w++] = 'r'; break;
      case '\n': s[w++] = '\\'; s[w++] = 'n'; break;
      default: s[w++] = b; break;
      }
    }
    s[w++] = ')';
    r = e + 1;
  }
  return w;
}

int pdfa_deflate_streams(HPDF_Doc doc, struct libdeflate_compressor *z)
{
  unsigned char *raw = NULL, *packed = NULL;
  size_t cap = 0;
  int rc = LB_OK;
  for(HPDF_UINT i = 0; i < doc->xref->entries->count && !rc; i++) {
    HPDF_XrefEntry e = HPDF_List_ItemAt(doc->xref->entries, i);
    HPDF_Dict d = e ? e->obj : NULL;
    if(!d || (d->header.obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT || !d->stream ||
       d->stream->type != HPDF_STREAM_MEMORY || !(d->filter & HPDF_STREAM_FILTER_FLATE_DECODE) || d->write_fn ||
       d->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
      continue;
    /* the stream's bytes in one piece */
    size_t n = 0;
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(d->stream);
    for(HPDF_UINT k = 0; k < nbuf; k++) {
      HPDF_UINT len = 0;
      HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(d->stream, k, &len);
      if(!p)
        continue;
      if(n + len > cap) {
        size_t nc = cap ? cap * 2 : 65536;
        while(nc < n + len)
          nc *= 2;
        unsigned char *nr = realloc(raw, nc);
        if(!nr) {
          rc = LB_ENOMEM;
          goto out;
        }
        raw = nr;
        cap = nc;
      }
      memcpy(raw + n, p, len);
      n += len;
    }
    size_t plen;
    if(raw)
      n = pdfa_hex_to_literal(raw, n); /* page content: its text as literal strings */
    if((rc = pdfa_deflate(z, raw ? raw : (unsigned char *)"", n, &packed, &plen)))
      goto out;
    HPDF_MemStream_FreeData(d->stream);
    if(HPDF_Stream_Write(d->stream, packed, (HPDF_UINT)plen) != HPDF_OK)
      rc = LB_ENOMEM;
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = flate_filter_key;
    free(packed);
    packed = NULL;
  }
out:
  free(raw);
  free(packed);
  return rc;
}

/* Whether font dictionary a names the same fonts as b, and nothing else. */
static int same_fonts(HPDF_Dict a, HPDF_Dict b)
{
  if(!a || !b || a->list->count != b->list->count)
    return 0;
  for(HPDF_UINT i = 0; i < a->list->count; i++) {
    HPDF_DictElement e = HPDF_List_ItemAt(a->list, i);
    if(HPDF_Dict_GetItem(a, e->key, HPDF_OCLASS_DICT) != HPDF_Dict_GetItem(b, e->key, HPDF_OCLASS_DICT))
      return 0;
  }
  return 1;
}

static HPDF_Dict page_fonts(HPDF_Page pg)
{
  HPDF_Dict res = HPDF_Dict_GetItem(pg, "Resources", HPDF_OCLASS_DICT);
  return res ? HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT) : NULL;
}

int pdfa_slim_pages(HPDF_Doc doc)
{
  HPDF_List pages = doc->page_list;
  int same_res = pages->count > 1, same_box = pages->count > 1;
  HPDF_Page first = pages->count ? HPDF_List_ItemAt(pages, 0) : NULL;
  for(HPDF_UINT i = 0; i < pages->count; i++) {
    HPDF_Page pg = HPDF_List_ItemAt(pages, i);
    HPDF_Dict res = HPDF_Dict_GetItem(pg, "Resources", HPDF_OCLASS_DICT);
    if(res)
      HPDF_Dict_RemoveElement(res, "ProcSet");
    if(!res || res->list->count != 1 || !same_fonts(page_fonts(pg), page_fonts(first)))
      same_res = 0;
    if(HPDF_Page_GetWidth(pg) != HPDF_Page_GetWidth(first) || HPDF_Page_GetHeight(pg) != HPDF_Page_GetHeight(first))
      same_box = 0;
    HPDF_Array annots = HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY);
    for(HPDF_UINT k = 0; annots && k < annots->list->count; k++) {
      HPDF_Dict an = HPDF_Array_GetItem(annots, k, HPDF_OCLASS_DICT);
      if(an)
        HPDF_Dict_RemoveElement(an, "P");
    }
  }
  if(same_res) {
    HPDF_Dict shared = HPDF_Dict_New(doc->mmgr), fonts = HPDF_Dict_New(doc->mmgr), f0 = page_fonts(first);
    if(!shared || !fonts || HPDF_Xref_Add(doc->xref, shared) != HPDF_OK ||
       HPDF_Dict_Add(shared, "Font", fonts) != HPDF_OK)
      return LB_ENOMEM; /* libharu frees what it was given on failure; the rest goes with the document */
    for(HPDF_UINT i = 0; i < f0->list->count; i++) {
      HPDF_DictElement e = HPDF_List_ItemAt(f0->list, i);
      if(HPDF_Dict_Add(fonts, e->key, HPDF_Dict_GetItem(f0, e->key, HPDF_OCLASS_DICT)) != HPDF_OK)
        return LB_ENOMEM;
    }
    for(HPDF_UINT i = 0; i < pages->count; i++)
      if(HPDF_Dict_Add(HPDF_List_ItemAt(pages, i), "Resources", shared) != HPDF_OK)
        return LB_ENOMEM;
  }
  if(same_box) {
    HPDF_Array box = HPDF_Array_New(doc->mmgr);
    HPDF_Array first_box = HPDF_Dict_GetItem(first, "MediaBox", HPDF_OCLASS_ARRAY);
    if(!box || !first_box)
      return LB_ENOMEM;
    for(HPDF_UINT k = 0; k < first_box->list->count; k++) {
      HPDF_Real r = HPDF_Array_GetItem(first_box, k, HPDF_OCLASS_REAL);
      if(!r || HPDF_Array_AddReal(box, r->value) != HPDF_OK)
        return LB_ENOMEM;
    }
    if(HPDF_Dict_Add(doc->root_pages, "MediaBox", box) != HPDF_OK)
      return LB_ENOMEM;
    for(HPDF_UINT i = 0; i < pages->count; i++)
      HPDF_Dict_RemoveElement(HPDF_List_ItemAt(pages, i), "MediaBox");
  }
  return LB_OK;
}

/* ---- text ---------------------------------------------------------------- */

size_t pdfa_xml_escape(char *out, size_t cap, const char *s)
{
  size_t need = 0, o = 0;
  int full = 0;
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while(*p) {
    size_t n;
    char buf[8];
    const char *piece = buf;
    size_t plen;
    uint32_t c = utf8_decode(p, strnlen((const char *)p, 4), &n);
    switch(c) {
    case '&': piece = "&amp;"; break;
    case '<': piece = "&lt;"; break;
    case '>': piece = "&gt;"; break;
    case '"': piece = "&quot;"; break;
    case '\'': piece = "&apos;"; break;
    default:
      if(c == 0xFFFD && !(n == 3 && p[0] == 0xEF))
        piece = "\xEF\xBF\xBD"; /* an invalid byte */
      else if((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0))
        piece = " "; /* XML 1.0 has no place for control characters */
      else {
        memcpy(buf, p, n);
        buf[n] = '\0';
      }
    }
    plen = strlen(piece);
    if(out && !full && o + plen < cap) {
      memcpy(out + o, piece, plen);
      o += plen;
    } else
      full = 1; /* write nothing more, so that no piece is cut */
    need += plen;
    p += n;
  }
  if(out && cap)
    out[o] = '\0';
  return need;
}

void *pdfa_text_object(HPDF_Doc doc, const char *utf8)
{
  const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
  size_t len = strlen((const char *)p), o = 0;
  /* PDFDocEncoding: printable ASCII, and U+00A1-U+00FF but U+00AD as in Latin-1 (the "·" and "é" of titles) */
  char *doc_enc = malloc(len + 1);
  if(!doc_enc)
    return NULL;
  for(const unsigned char *q = p; *q;) {
    size_t n;
    uint32_t c = utf8_decode(q, strnlen((const char *)q, 4), &n);
    if((c >= 0x20 && c <= 0x7E) || (c >= 0xA1 && c <= 0xFF && c != 0xAD))
      doc_enc[o++] = (char)c;
    else {
      o = SIZE_MAX;
      break;
    }
    q += n;
  }
  if(o != SIZE_MAX) {
    doc_enc[o] = '\0';
    HPDF_String s = HPDF_String_New(doc->mmgr, doc_enc, NULL); /* a literal string, escaped as needed */
    free(doc_enc);
    return s;
  }
  free(doc_enc);
  o = 0;
  /* BOM + at most 2 UTF-16 units per input byte */
  unsigned char *u = malloc(2 + 4 * len);
  if(!u)
    return NULL;
  u[o++] = 0xFE;
  u[o++] = 0xFF;
  while(*p) {
    size_t n;
    uint32_t c = utf8_decode(p, strnlen((const char *)p, 4), &n);
    if(c < 0x20)
      c = ' ';
    if(c >= 0x10000) {
      uint32_t v = c - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
      u[o++] = (unsigned char)(hi >> 8);
      u[o++] = (unsigned char)hi;
      u[o++] = (unsigned char)(lo >> 8);
      u[o++] = (unsigned char)lo;
    } else {
      u[o++] = (unsigned char)(c >> 8);
      u[o++] = (unsigned char)c;
    }
    p += n;
  }
  HPDF_Binary b = HPDF_Binary_New(doc->mmgr, u, (HPDF_UINT)o);
  free(u);
  return b;
}

/* ---- the document -------------------------------------------------------- */

typedef struct sbuf {
  char *s;
  size_t n, cap;
  int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
  if(b->oom)
    return;
  if(b->n + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap * 2 : 2048;
    while(ncap < b->n + n + 1)
      ncap *= 2;
    char *ns = realloc(b->s, ncap);
    if(!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = ncap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_esc(sbuf *b, const char *s)
{
  size_t need = pdfa_xml_escape(NULL, 0, s);
  char *tmp = malloc(need + 1);
  if(!tmp) {
    b->oom = 1;
    return;
  }
  pdfa_xml_escape(tmp, need + 1, s);
  sb_put(b, tmp, need);
  free(tmp);
}

/* The XMP packet: the Info values again, escaped, plus the PDF/A identification. */
static void xmp_packet(sbuf *b, const pdfa_info *in, const char *producer)
{
  sb_str(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
            "<dc:format>application/pdf</dc:format>\n");
  if(in->title) {
    sb_str(b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    sb_esc(b, in->title);
    sb_str(b, "</rdf:li></rdf:Alt></dc:title>\n");
  }
  if(in->author) {
    sb_str(b, "<dc:creator><rdf:Seq><rdf:li>");
    sb_esc(b, in->author);
    sb_str(b, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  if(in->subject) {
    sb_str(b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    sb_esc(b, in->subject);
    sb_str(b, "</rdf:li></rdf:Alt></dc:description>\n");
  }
  sb_str(b, "</rdf:Description>\n"
            "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
  if(in->creator) {
    sb_str(b, "<xmp:CreatorTool>");
    sb_esc(b, in->creator);
    sb_str(b, "</xmp:CreatorTool>\n");
  }
  if(in->created != DATE_NONE) {
    char d[96];
    int y, m, day;
    date_to_ymd(in->created, &y, &m, &day);
    snprintf(d, sizeof(d), "<xmp:CreateDate>%04d-%02d-%02dT00:00:00Z</xmp:CreateDate>\n", y, m, day);
    sb_str(b, d);
  }
  sb_str(b, "</rdf:Description>\n"
            "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
  if(producer) {
    sb_str(b, "<pdf:Producer>");
    sb_esc(b, producer);
    sb_str(b, "</pdf:Producer>\n");
  }
  if(in->keywords) {
    sb_str(b, "<pdf:Keywords>");
    sb_esc(b, in->keywords);
    sb_str(b, "</pdf:Keywords>\n");
  }
  sb_str(b, "</rdf:Description>\n"
            "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
            "<pdfaid:part>1</pdfaid:part>\n"
            "<pdfaid:conformance>B</pdfaid:conformance>\n"
            "</rdf:Description>\n"
            "</rdf:RDF>\n"
            "</x:xmpmeta>\n"
            "<?xpacket end=\"w\"?>");
}

static int hpdf(HPDF_STATUS st) { return st == HPDF_OK ? LB_OK : st == HPDF_FAILD_TO_ALLOC_MEM ? LB_ENOMEM : LB_EIO; }

static int info_text(HPDF_Doc doc, const char *key, const char *v)
{
  if(!v)
    return LB_OK;
  HPDF_Binary s = pdfa_text_object(doc, v);
  if(!s)
    return LB_ENOMEM;
  return hpdf(HPDF_Dict_Add(doc->info, key, s));
}

int pdfa_prepare(HPDF_Doc doc, const pdfa_profile *icc, const pdfa_info *in)
{
  sbuf x = {0};
  int rc;
  static const HPDF_BYTE zeros[ID_BYTES] = {0};

  doc->pdf_version = HPDF_VER_14;
  /* HPDF_NewDoc wrote the Producer, so the Info dictionary exists; the Producer names the licbill and the
   * rule book that computed the document, before the PDF library (equal in Info and XMP) */
  char producer[256];
  const char *lib = HPDF_GetInfoAttr(doc, HPDF_INFO_PRODUCER);
  if(!doc->info) {
    rc = LB_EIO;
    goto out;
  }
  snprintf(producer, sizeof(producer), "licbill %s (rule book sha256 %s)%s%s", licbill_version, rulebook_sha256,
           lib ? "; " : "", lib ? lib : "");
  if((rc = info_text(doc, "Producer", producer)))
    goto out;
  if(in->created != DATE_NONE) {
    HPDF_Date d;
    memset(&d, 0, sizeof(d));
    date_to_ymd(in->created, &d.year, &d.month, &d.day);
    d.ind = 'Z';
    if((rc = hpdf(HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, d))))
      goto out;
  }
  if((rc = info_text(doc, "Title", in->title)) || (rc = info_text(doc, "Author", in->author)) ||
     (rc = info_text(doc, "Subject", in->subject)) || (rc = info_text(doc, "Keywords", in->keywords)) ||
     (rc = info_text(doc, "Creator", in->creator)))
    goto out;

  /* XMP metadata: PDF/A-1 wants it unfiltered, so that it can be found without a PDF parser */
  xmp_packet(&x, in, producer);
  if(x.oom) {
    rc = LB_ENOMEM;
    goto out;
  }
  HPDF_Dict meta = HPDF_DictStream_New(doc->mmgr, doc->xref);
  if(!meta) {
    rc = LB_ENOMEM;
    goto out;
  }
  meta->filter = HPDF_STREAM_FILTER_NONE;
  if((rc = hpdf(HPDF_Dict_AddName(meta, "Type", "Metadata"))) ||
     (rc = hpdf(HPDF_Dict_AddName(meta, "Subtype", "XML"))) ||
     (rc = hpdf(HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.s, (HPDF_UINT)x.n))) ||
     (rc = hpdf(HPDF_Dict_Add(doc->catalog, "Metadata", meta))))
    goto out;

  /* OutputIntent with the ICC profile, deflated once when it was read */
  HPDF_Dict prof = pdfa_deflated_stream(doc, icc->z, icc->zlen);
  if(!prof) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = hpdf(HPDF_Dict_AddNumber(prof, "N", 3))))
    goto out;
  HPDF_Dict intent = HPDF_Dict_New(doc->mmgr);
  if(!intent) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = hpdf(HPDF_Xref_Add(doc->xref, intent))))
    goto out; /* the xref frees it on failure */
  HPDF_String oci = HPDF_String_New(doc->mmgr, icc->name, NULL);
  HPDF_String oinfo = HPDF_String_New(doc->mmgr, icc->name, NULL);
  if(!oci || !oinfo) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = hpdf(HPDF_Dict_AddName(intent, "Type", "OutputIntent"))) ||
     (rc = hpdf(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"))) ||
     (rc = hpdf(HPDF_Dict_Add(intent, "OutputConditionIdentifier", oci))) ||
     (rc = hpdf(HPDF_Dict_Add(intent, "Info", oinfo))) ||
     (rc = hpdf(HPDF_Dict_Add(intent, "DestOutputProfile", prof))))
    goto out;
  HPDF_Array intents = HPDF_Array_New(doc->mmgr);
  if(!intents) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = hpdf(HPDF_Dict_Add(doc->catalog, "OutputIntents", intents))) ||
     (rc = hpdf(HPDF_Array_Add(intents, intent))))
    goto out;

  /* /ID placeholder: filled from the content by pdfa_finish */
  HPDF_Array id = HPDF_Array_New(doc->mmgr);
  if(!id) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = hpdf(HPDF_Dict_Add(doc->trailer, "ID", id))))
    goto out;
  for(int i = 0; i < 2; i++) {
    HPDF_Binary b = HPDF_Binary_New(doc->mmgr, (HPDF_BYTE *)(uintptr_t)zeros, ID_BYTES);
    if(!b) {
      rc = LB_ENOMEM;
      goto out;
    }
    if((rc = hpdf(HPDF_Array_Add(id, b))))
      goto out;
  }
  rc = LB_OK;
out:
  free(x.s);
  return rc;
}

static int is_hex(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

int pdfa_finish(unsigned char *pdf, size_t len)
{
  static const char hexd[] = "0123456789ABCDEF";
  unsigned char *t = NULL, *p, *slot[2];
  int found = 0;
  /* the last "trailer" keyword: the ID lives in its dictionary */
  for(size_t i = len >= 7 ? len - 7 : 0; i-- > 0;)
    if(!memcmp(pdf + i, "trailer", 7)) {
      t = pdf + i;
      break;
    }
  if(!t)
    return LB_EINPUT;
  p = memmem(t, len - (size_t)(t - pdf), "/ID", 3);
  if(!p)
    return LB_EINPUT;
  p += 3;
  unsigned char *end = pdf + len;
  while(p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
    p++;
  if(p >= end || *p++ != '[')
    return LB_EINPUT;
  for(int k = 0; k < 2; k++) {
    while(p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
      p++;
    if(end - p < 2 + 2 * ID_BYTES || *p != '<' || p[1 + 2 * ID_BYTES] != '>')
      return LB_EINPUT;
    for(int j = 0; j < 2 * ID_BYTES; j++)
      if(p[1 + j] != '0' || !is_hex(p[1 + j]))
        return LB_EINPUT; /* not our placeholder */
    slot[k] = p + 1;
    p += 2 + 2 * ID_BYTES;
    found++;
  }
  struct sha256_ctx ctx;
  uint8_t h[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, pdf);
  sha256_digest(&ctx, sizeof(h), h);
  for(int k = 0; k < found; k++)
    for(int j = 0; j < ID_BYTES; j++) {
      slot[k][2 * j] = (unsigned char)hexd[h[j] >> 4];
      slot[k][2 * j + 1] = (unsigned char)hexd[h[j] & 15];
    }
  return LB_OK;
}
