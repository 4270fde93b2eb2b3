/* font.c - TrueType fonts measured once per renderer and cut per document to the glyphs it shows.
 *
 * Why not libharu's own TrueType fonts: for every document and font,
 * libharu 2.3.0 maps all 65,536 BMP codes to glyphs (a linear cmap search
 * each), writes a 128 KB CIDToGIDMap and /W over the whole font, embeds
 * every table of the font with only unused outlines blanked, and re-deflates
 * all of it; its ToUnicode uses "begincidrange", which is not a ToUnicode
 * operator (poppler warns), and it writes no CIDSet, which PDF/A-1 requires
 * of a CIDFont subset.
 *
 * Here a face is measured once through libharu itself (so that every width,
 * and so every line break and position, stays what libharu computed), and
 * each document gets a Type0 font object of our own making: libharu draws
 * with it through its usual page operators (the font's width and encode
 * functions are ours), and before the document is saved the font is
 * completed with the subset of the glyphs actually shown (HarfBuzz's
 * subsetter, hinting dropped: PDF viewers rasterise on their own), /W of the
 * characters shown, a CIDToGIDMap, a ToUnicode of bfrange/bfchar and a
 * CIDSet. The finished, deflated streams are cached by character set: what
 * they hold depends on nothing else.
 *
 * The codes in the content streams are one byte for an ASCII character and
 * two for any other, not two-byte CIDs for all: libharu prints them in hex,
 * so an ASCII character takes two digits instead of four. A character
 * outside ASCII gets the code 0x8000 + n, n counting such characters in the
 * order the document first shows them (two bytes at most: poppler reads no
 * longer code in a ToUnicode CMap). The font's /Encoding is an embedded CMap
 * of that code space mapping each code to its character's CID (the BMP code,
 * as before, so the CIDToGIDMap, /W and CIDSet are unchanged); the ToUnicode
 * CMap reads the same codes. Both depend on the order of first use, so they
 * are made for each document (they are small); the subset is cached. */
#include "render/font.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_utils.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "render/pdfa.h"

#define NCODES 65536
#define SET_WORDS (NCODES / 64)
#define CACHE_MAX 128 /* finished subsets kept per face and renderer; then the cache starts over */

struct font_face {
  uint16_t gid[NCODES];    /* glyph of each BMP code, as libharu's cmap lookup gives it (0: none) */
  uint16_t width[NCODES];  /* libharu's width of each code, 1/1000 em */
  hb_face_t *hb;
  char name[64];           /* PostScript name, for /BaseFont and /FontName */
  int ascent, descent, cap_height, italic_angle, stemv;
  unsigned flags;
  int bbox[4];
};

/* What a document's character set turns into; owned by the cache. */
typedef struct font_subset {
  uint64_t hash;
  uint16_t *codes;         /* the set, ascending */
  size_t ncodes;
  char tag[7];             /* the subset tag, from the hash: "ABCDEF" */
  unsigned char *file;     /* deflated FontFile2 */
  size_t file_len, file_raw;
  unsigned char *map;      /* deflated CIDToGIDMap */
  size_t map_len;
  unsigned char *cidset;   /* deflated CIDSet */
  size_t cs_len;
} font_subset;

/* The codes of one document's text, which its fonts may share: then one
 * /Encoding and one ToUnicode CMap serve them all. */
typedef struct font_codes {
  uint16_t code2[NCODES];  /* the two-byte code of each non-ASCII character shown (0: none yet) */
  uint16_t wide[0x8000];   /* the character of code 0x8000 + i */
  unsigned nwide;
  uint64_t ascii[2];       /* the ASCII characters shown */
  int full;                /* more than 32,768 non-ASCII characters: no code left */
  HPDF_Doc doc;            /* the document the CMaps below belong to, once made */
  HPDF_Dict enc, tu;
} font_codes;

struct font_doc {
  HPDF_FontAttr_Rec attr;  /* first: libharu hands our functions the font's attr */
  HPDF_Encoder_Rec enc;
  const font_face *face;
  HPDF_Font font;          /* of the current document */
  uint64_t used[SET_WORDS];
  uint16_t *list;          /* codes in `used`, in order of first use */
  size_t nlist;
  font_codes *codes;      /* the document's codes: its own, or shared (font_doc_share_codes) */
  font_codes *own;
  font_subset *cache[CACHE_MAX];
  size_t ncache;
  struct _HPDF_Dict_Rec bold; /* the synthetic-bold handle (font_doc_fake_bold); never given to libharu */
  unsigned long made, reused;
};

/* ---- libharu's UTF-8 decoding, byte for byte ------------------------------ */

/* The state of libharu 2.3.0's UTF-8 encoder (hpdf_encoder_utf.c), copied
 * in behaviour so that odd input measures and prints as it did: a stray
 * continuation byte is skipped, a lead byte takes the next bytes whatever
 * they are, and a character above U+FFFF counts as a space. */
typedef struct u8state {
  int cur, end;
  unsigned char b[4];
} u8state;

/* 1 and *code set when byte c completes a character. */
static int u8_step(u8state *st, unsigned char c, unsigned *code)
{
  if(st->cur == 0) {
    st->b[0] = c;
    st->cur = 1;
    if(!(c & 0x80)) {
      st->cur = 0;
      st->end = 0;
      *code = c;
      return 1;
    }
    if((c & 0xf8) == 0xf0)
      st->end = 3;
    else if((c & 0xf0) == 0xe0)
      st->end = 2;
    else if((c & 0xe0) == 0xc0)
      st->end = 1;
    else
      st->cur = 0;
    return 0;
  }
  st->b[st->cur] = c;
  if(st->cur != st->end) {
    st->cur++;
    return 0;
  }
  st->cur = 0;
  unsigned v;
  switch(st->end) {
  case 3:
    v = ((unsigned)(st->b[0] & 0x7) << 18) + ((unsigned)st->b[1] << 12) + ((unsigned)(st->b[2] & 0x3f) << 6) +
        (unsigned)(st->b[3] & 0x3f);
    break;
  case 2: v = ((unsigned)(st->b[0] & 0xf) << 12) + ((unsigned)(st->b[1] & 0x3f) << 6) + (unsigned)(st->b[2] & 0x3f); break;
  case 1: v = ((unsigned)(st->b[0] & 0x1f) << 6) + (unsigned)(st->b[1] & 0x3f); break;
  default: v = st->b[0]; break;
  }
  *code = v > 0xFFFF ? 32 : v;
  return 1;
}

unsigned long font_face_text_width(const font_face *f, const char *s, size_t n)
{
  u8state st = {0, 0, {0}};
  unsigned long w = 0;
  unsigned code;
  for(size_t i = 0; i < n; i++)
    if(u8_step(&st, (unsigned char)s[i], &code))
      w += f->width[code];
  return w;
}

/* ---- the face -------------------------------------------------------------- */

static void hpdf_quiet(HPDF_STATUS e, HPDF_STATUS d, void *data)
{
  (void)d;
  int *err = data;
  if(!*err)
    *err = (int)e;
}

/* Widths, glyphs and descriptor metrics as libharu computes them, from a
 * scratch document that is thrown away afterwards. */
static int measure_with_libharu(font_face *f, const char *path)
{
  int err = 0, rc = LB_EIO;
  HPDF_Doc doc = HPDF_New(hpdf_quiet, &err);
  if(!doc)
    return LB_ENOMEM;
  HPDF_UseUTFEncodings(doc);
  const char *name = HPDF_LoadTTFontFromFile(doc, path, HPDF_FALSE);
  HPDF_Font font = name ? HPDF_GetFont(doc, name, "UTF-8") : NULL;
  if(!font || err)
    goto out;
  HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
  for(unsigned u = 0; u < NCODES; u++) {
    f->gid[u] = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u);
    f->width[u] = (uint16_t)HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)u);
  }
  f->ascent = def->ascent;
  f->descent = def->descent;
  f->cap_height = def->cap_height;
  f->italic_angle = def->italic_angle;
  f->stemv = def->stemv;
  f->flags = def->flags;
  f->bbox[0] = (int)def->font_bbox.left;
  f->bbox[1] = (int)def->font_bbox.bottom;
  f->bbox[2] = (int)def->font_bbox.right;
  f->bbox[3] = (int)def->font_bbox.top;
  if(!f->cap_height)
    f->cap_height = f->ascent; /* a descriptor needs one; libharu reads none from TrueType */
  rc = err ? LB_EIO : LB_OK;
out:
  if(err == HPDF_FAILD_TO_ALLOC_MEM)
    rc = LB_ENOMEM;
  HPDF_Free(doc);
  return rc;
}

int font_face_load(font_face **out, const char *path)
{
  font_face *f = calloc(1, sizeof(*f));
  hb_blob_t *blob = NULL;
  int rc;
  if(!f)
    return LB_ENOMEM;
  rc = measure_with_libharu(f, path);
  if(rc)
    goto out;
  rc = LB_EIO;
  blob = hb_blob_create_from_file_or_fail(path);
  if(!blob)
    goto out;
  f->hb = hb_face_create(blob, 0);
  if(!f->hb || hb_face_get_glyph_count(f->hb) == 0)
    goto out;
  unsigned len = sizeof(f->name) - 1;
  if(!hb_ot_name_get_utf8(f->hb, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, f->name))
    snprintf(f->name, sizeof(f->name), "Font");
  /* a PDF name: printable ASCII without delimiters */
  for(char *p = f->name; *p; p++)
    if(*p <= ' ' || *p > '~' || strchr("()<>[]{}/%#", *p))
      *p = '-';
  *out = f;
  f = NULL;
  rc = LB_OK;
out:
  hb_blob_destroy(blob);
  font_face_free(f);
  return rc;
}

void font_face_free(font_face *f)
{
  if(!f)
    return;
  hb_face_destroy(f->hb);
  free(f);
}

/* ---- drawing: libharu calls these through the font object ------------------- */

static font_doc *doc_of(HPDF_Font font) { return (font_doc *)font->attr; }

/* libharu's TextWidth of a Type0 font, counts included (the page operators
 * use numchars and numspace with character and word spacing). */
static HPDF_TextWidth text_width(HPDF_Font font, const HPDF_BYTE *text, HPDF_UINT len)
{
  const font_face *f = doc_of(font)->face;
  HPDF_TextWidth tw = {0, 0, 0, 0};
  u8state st = {0, 0, {0}};
  HPDF_BYTE b = 0;
  unsigned code;
  for(HPDF_UINT i = 0; i < len; i++) {
    b = text[i];
    if(u8_step(&st, b, &code)) {
      tw.width += f->width[code];
      tw.numchars++;
    }
    if(HPDF_IS_WHITE_SPACE(b)) {
      tw.numwords++;
      tw.numspace++;
    }
  }
  if(!HPDF_IS_WHITE_SPACE(b))
    tw.numwords++;
  return tw;
}

unsigned long font_text_width(HPDF_Font f, const char *s, size_t n)
{
  if(f && f->attr && ((HPDF_FontAttr)f->attr)->text_width_fn == text_width)
    return font_face_text_width(doc_of(f)->face, s, n);
  return HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)n).width;
}

/* Not used by licbill's pens; present because libharu's font contract has it. */
static HPDF_UINT measure_text(HPDF_Font font, const HPDF_BYTE *text, HPDF_UINT len, HPDF_REAL width, HPDF_REAL size,
                              HPDF_REAL char_space, HPDF_REAL word_space, HPDF_BOOL wordwrap, HPDF_REAL *real_width)
{
  const font_face *f = doc_of(font)->face;
  u8state st = {0, 0, {0}};
  HPDF_REAL w = 0;
  HPDF_UINT fit = 0;
  unsigned code;
  (void)wordwrap;
  for(HPDF_UINT i = 0; i < len; i++) {
    if(HPDF_IS_WHITE_SPACE(text[i])) {
      fit = i + 1;
      w += word_space;
    }
    if(u8_step(&st, text[i], &code))
      w += (HPDF_REAL)f->width[code] * size / 1000 + (i ? char_space : 0);
    if(w > width)
      return fit;
  }
  if(real_width)
    *real_width = w;
  return len;
}

/* The code of a character in this document's content: one byte for ASCII,
 * else two, 0x8000 + its rank among the non-ASCII characters shown. */
static size_t code_bytes(const font_doc *fd, unsigned code, unsigned char *o)
{
  if(code < 0x80) {
    o[0] = (unsigned char)code;
    return 1;
  }
  o[0] = (unsigned char)(fd->codes->code2[code] >> 8);
  o[1] = (unsigned char)fd->codes->code2[code];
  return 2;
}

/* The codes drawn (see the top of this file), noted as used. The characters
 * are those libharu's decoder gives, so odd input shows as it did. libharu
 * frees the result with free(). */
static char *encode_text(HPDF_Encoder enc, const char *text, HPDF_UINT len, HPDF_UINT *out_len)
{
  font_doc *fd = enc->attr;
  unsigned char *out = malloc(2 * (size_t)len + 1), *o = out;
  u8state st = {0, 0, {0}};
  unsigned code;
  *out_len = 0;
  if(!out)
    return NULL;
  for(HPDF_UINT i = 0; i < len; i++) {
    if(!u8_step(&st, (unsigned char)text[i], &code))
      continue;
    font_codes *fc = fd->codes;
    if(code < 0x80)
      fc->ascii[code >> 6] |= (uint64_t)1 << (code & 63);
    else if(!fc->code2[code]) {
      if(fc->nwide == 0x8000) {
        fc->full = 1; /* font_doc_finish fails the document */
        continue;
      }
      fc->wide[fc->nwide] = (uint16_t)code;
      fc->code2[code] = (uint16_t)(0x8000 + fc->nwide++);
    }
    if(!(fd->used[code >> 6] >> (code & 63) & 1)) {
      fd->used[code >> 6] |= (uint64_t)1 << (code & 63);
      fd->list[fd->nlist++] = (uint16_t)code;
    }
    o += code_bytes(fd, code, o);
  }
  *out_len = (HPDF_UINT)(o - out);
  return (char *)out;
}

int font_doc_new(font_doc **out, const font_face *face)
{
  font_doc *fd = calloc(1, sizeof(*fd));
  if(!fd)
    return LB_ENOMEM;
  fd->list = malloc(NCODES * sizeof(*fd->list));
  if(!fd->list) {
    free(fd);
    return LB_ENOMEM;
  }
  fd->own = fd->codes = calloc(1, sizeof(*fd->own));
  if(!fd->own) {
    free(fd->list);
    free(fd);
    return LB_ENOMEM;
  }
  fd->face = face;
  fd->attr.type = HPDF_FONT_TYPE0_TT;
  fd->attr.writing_mode = HPDF_WMODE_HORIZONTAL;
  fd->attr.text_width_fn = text_width;
  fd->attr.measure_text_fn = measure_text;
  fd->attr.encoder = &fd->enc;
  fd->enc.sig_bytes = HPDF_ENCODER_SIG_BYTES;
  snprintf(fd->enc.name, sizeof(fd->enc.name), "Licbill-H");
  fd->enc.type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
  fd->enc.encode_text_fn = encode_text;
  fd->enc.attr = fd;
  *out = fd;
  return LB_OK;
}

static void subset_free(font_subset *s)
{
  if(!s)
    return;
  free(s->codes);
  free(s->file);
  free(s->map);
  free(s->cidset);
  free(s);
}

void font_doc_free(font_doc *fd)
{
  if(!fd)
    return;
  for(size_t i = 0; i < fd->ncache; i++)
    subset_free(fd->cache[i]);
  free(fd->list);
  free(fd->own);
  free(fd);
}

void font_doc_share_codes(font_doc *fd, font_doc *owner) { fd->codes = owner->own; }

HPDF_Font font_doc_fake_bold(font_doc *fd)
{
  memset(&fd->bold, 0, sizeof(fd->bold));
  fd->bold.header.obj_class = HPDF_OCLASS_DICT | HPDF_OSUBCLASS_FONT;
  fd->bold.attr = &fd->attr; /* measures as the face (font_text_width) */
  return &fd->bold;
}

HPDF_Font font_fake_bold_base(HPDF_Font f)
{
  if(!f || !f->attr || ((HPDF_FontAttr)f->attr)->text_width_fn != text_width)
    return NULL;
  font_doc *fd = doc_of(f);
  return f == &fd->bold ? fd->font : NULL;
}

void font_doc_stats(const font_doc *fd, unsigned long *made, unsigned long *reused)
{
  *made = fd->made;
  *reused = fd->reused;
}

HPDF_Font font_doc_begin(font_doc *fd, HPDF_Doc doc)
{
  for(size_t i = 0; i < fd->nlist; i++)
    fd->used[fd->list[i] >> 6] = 0;
  fd->nlist = 0;
  if(fd->codes == fd->own) { /* the owner of shared codes starts first (font_doc_share_codes) */
    font_codes *fc = fd->own;
    for(unsigned i = 0; i < fc->nwide; i++)
      fc->code2[fc->wide[i]] = 0;
    fc->nwide = 0;
    fc->ascii[0] = fc->ascii[1] = 0;
    fc->full = 0;
    fc->doc = NULL;
    fc->enc = fc->tu = NULL;
  }
  fd->font = NULL;
  HPDF_Font font = HPDF_Dict_New(doc->mmgr);
  if(!font)
    return NULL;
  font->header.obj_class |= HPDF_OSUBCLASS_FONT;
  font->attr = &fd->attr;
  fd->attr.xref = doc->xref;
  if(HPDF_Xref_Add(doc->xref, font) != HPDF_OK) /* frees it on failure */
    return NULL;
  if(HPDF_Dict_AddName(font, "Type", "Font") != HPDF_OK || HPDF_Dict_AddName(font, "Subtype", "Type0") != HPDF_OK)
    return NULL; /* /Encoding: the CMap of the characters shown, when the document is finished */
  fd->font = font;
  return font;
}

/* ---- the subset ---------------------------------------------------------------- */

typedef struct buf {
  char *s;
  size_t n, cap;
  int oom;
} buf;

static void bput(buf *b, const char *s, size_t n)
{
  if(b->oom)
    return;
  if(b->n + n > b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 4096;
    while(nc < b->n + n)
      nc *= 2;
    char *ns = realloc(b->s, nc);
    if(!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = nc;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
}

static void bstr(buf *b, const char *s) { bput(b, s, strlen(s)); }

static void bhex4(buf *b, unsigned v)
{
  char t[8];
  snprintf(t, sizeof(t), "<%04X>", v & 0xFFFF);
  bput(b, t, 6);
}

/* The code space of both CMaps: see the top of this file. */
static const char CODE_SPACE[] = "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n";

/* Entries of a CMap, at most 100 per block as the format wants: op is
 * "bfrange", "bfchar", "cidrange" or "cidchar". A range maps codes lo..hi
 * to consecutive values from val; a bf value is written as UTF-16, a cid
 * value as a number. */
typedef struct cmap_block {
  buf *b;
  const char *op;
  size_t n;
  struct {
    unsigned char lo[2], hi[2];
    size_t len;
    unsigned val;
  } e[100];
} cmap_block;

static void bhexbytes(buf *b, const unsigned char *p, size_t n)
{
  char t[8];
  size_t k = 0;
  t[k++] = '<';
  for(size_t i = 0; i < n; i++)
    k += (size_t)snprintf(t + k, sizeof(t) - k, "%02X", p[i]);
  t[k++] = '>';
  bput(b, t, k);
}

static void block_flush(cmap_block *k)
{
  char t[48];
  int range = strstr(k->op, "range") != NULL, bf = k->op[0] == 'b';
  if(!k->n)
    return;
  snprintf(t, sizeof(t), "%zu begin%s\n", k->n, k->op);
  bstr(k->b, t);
  for(size_t i = 0; i < k->n; i++) {
    bhexbytes(k->b, k->e[i].lo, k->e[i].len);
    bput(k->b, " ", 1);
    if(range) {
      bhexbytes(k->b, k->e[i].hi, k->e[i].len);
      bput(k->b, " ", 1);
    }
    if(bf)
      bhex4(k->b, k->e[i].val);
    else {
      snprintf(t, sizeof(t), "%u", k->e[i].val);
      bstr(k->b, t);
    }
    bput(k->b, "\n", 1);
  }
  snprintf(t, sizeof(t), "end%s\n", k->op);
  bstr(k->b, t);
  k->n = 0;
}

static void block_add(cmap_block *k, const unsigned char *lo, const unsigned char *hi, size_t len, unsigned val)
{
  memcpy(k->e[k->n].lo, lo, len);
  memcpy(k->e[k->n].hi, hi, len);
  k->e[k->n].len = len;
  k->e[k->n++].val = val;
  if(k->n == 100)
    block_flush(k);
}

/* The entries of both CMaps for the characters of the document: runs of
 * ASCII codes as ranges, every other code alone. The value of a character is
 * its CID (cid) or its Unicode value (bf: U+FFFD for a surrogate, which
 * libharu decodes from CESU-style bytes). */
static void cmap_entries(buf *b, const font_codes *fc, int bf)
{
  cmap_block *r = calloc(1, sizeof(*r)), *c = calloc(1, sizeof(*c));
  if(!r || !c) {
    b->oom = 1;
    free(r);
    free(c);
    return;
  }
  r->b = c->b = b;
  r->op = bf ? "bfrange" : "cidrange";
  c->op = bf ? "bfchar" : "cidchar";
  for(unsigned i = 0; i < 0x80;) {
    if(!(fc->ascii[i >> 6] >> (i & 63) & 1)) {
      i++;
      continue;
    }
    unsigned j = i;
    while(j + 1 < 0x80 && fc->ascii[(j + 1) >> 6] >> ((j + 1) & 63) & 1)
      j++;
    unsigned char lo = (unsigned char)i, hi = (unsigned char)j;
    if(j > i)
      block_add(r, &lo, &hi, 1, i);
    else
      block_add(c, &lo, &lo, 1, i);
    i = j + 1;
  }
  block_flush(r);
  for(unsigned i = 0; i < fc->nwide; i++) {
    unsigned u = fc->wide[i], code = 0x8000 + i;
    unsigned char k[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    block_add(c, k, k, 2, bf && u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u);
  }
  block_flush(c);
  free(r);
  free(c);
}

/* The ToUnicode CMap: each code shown to its character. */
static void tounicode(buf *b, const font_codes *fc)
{
  bstr(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
          "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
          "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n");
  bstr(b, CODE_SPACE);
  cmap_entries(b, fc, 1);
  bstr(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* The fonts' /Encoding: each code shown to the CID of its character (its
 * BMP code). */
#define CMAP_NAME "Licbill-H"
static void encoding_cmap(buf *b, const font_codes *fc)
{
  bstr(b, "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
          "/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n/Ordering (Identity) def\n/Supplement 0 def\nend def\n"
          "/CMapName /" CMAP_NAME " def\n/CMapType 1 def\n/WMode 0 def\n");
  bstr(b, CODE_SPACE);
  cmap_entries(b, fc, 0);
  bstr(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static uint64_t set_hash(const uint16_t *codes, size_t n)
{
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for(size_t i = 0; i < n; i++) {
    h = (h ^ (codes[i] & 0xFF)) * 1099511628211ULL;
    h = (h ^ (codes[i] >> 8)) * 1099511628211ULL;
  }
  return h;
}

/* Cut the face to the glyphs of codes[0..n) and prepare every stream. */
static int subset_make(const font_face *f, const uint16_t *codes, size_t n, uint64_t hash, struct libdeflate_compressor *z,
                       font_subset **out)
{
  int rc = LB_ENOMEM;
  font_subset *s = calloc(1, sizeof(*s));
  hb_subset_input_t *in = NULL;
  hb_subset_plan_t *plan = NULL;
  hb_face_t *sub = NULL;
  hb_blob_t *blob = NULL;
  unsigned char *map = NULL, *cidset = NULL;
  unsigned maxc = n ? codes[n - 1] : 0;
  if(!s || !(s->codes = malloc((n ? n : 1) * sizeof(*codes))))
    goto out;
  memcpy(s->codes, codes, n * sizeof(*codes));
  s->ncodes = n;
  s->hash = hash;
  for(int k = 0; k < 6; k++)
    s->tag[k] = (char)('A' + (hash >> (8 * k)) % 26);

  in = hb_subset_input_create_or_fail();
  if(!in)
    goto out;
  hb_set_t *glyphs = hb_subset_input_glyph_set(in);
  hb_set_add(glyphs, 0);
  for(size_t i = 0; i < n; i++)
    hb_set_add(glyphs, f->gid[codes[i]]);
  /* no hinting: a third of the bytes and no use in a PDF; the notdef box
   * stays, so a character the font lacks shows as it did */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
  /* a CIDFontType2 program is read through the CIDToGIDMap: no cmap, no
   * glyph names (post) and no rasteriser hints (gasp) are needed. The name
   * table stays: it carries the copyright notice the Bitstream Vera / DejaVu
   * licence wants in every copy of the fonts */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_set_add(drop, HB_TAG('c', 'm', 'a', 'p'));
  hb_set_add(drop, HB_TAG('p', 'o', 's', 't'));
  hb_set_add(drop, HB_TAG('g', 'a', 's', 'p'));
  /* of the name table, the copyright notice (id 0) and the family and style
   * names (1, 2): HarfBuzz would keep ids 0-6 */
  hb_set_t *names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
  hb_set_clear(names);
  hb_set_add(names, 0);
  hb_set_add(names, 1);
  hb_set_add(names, 2);
  rc = LB_EIO;
  plan = hb_subset_plan_create_or_fail(f->hb, in);
  if(!plan)
    goto out;
  const hb_map_t *old2new = hb_subset_plan_old_to_new_glyph_mapping(plan);
  sub = hb_subset_plan_execute_or_fail(plan);
  if(!sub)
    goto out;
  blob = hb_face_reference_blob(sub);
  unsigned flen;
  const char *fdata = hb_blob_get_data(blob, &flen);
  if(!fdata || !flen)
    goto out;

  rc = LB_ENOMEM;
  size_t mlen = 2 * ((size_t)maxc + 1), clen = (size_t)maxc / 8 + 1;
  map = calloc(1, mlen);
  cidset = calloc(1, clen);
  if(!map || !cidset)
    goto out;
  cidset[0] |= 0x80; /* CID 0, the notdef glyph, is in every font program */
  for(size_t i = 0; i < n; i++) {
    unsigned c = codes[i];
    hb_codepoint_t g = hb_map_get(old2new, f->gid[c]);
    if(g == HB_MAP_VALUE_INVALID)
      g = 0;
    map[2 * c] = (unsigned char)(g >> 8);
    map[2 * c + 1] = (unsigned char)g;
    cidset[c / 8] |= (unsigned char)(0x80 >> (c % 8));
  }
  s->file_raw = flen;
  if((rc = pdfa_deflate(z, fdata, flen, &s->file, &s->file_len)) ||
     (rc = pdfa_deflate(z, map, mlen, &s->map, &s->map_len)) ||
     (rc = pdfa_deflate(z, cidset, clen, &s->cidset, &s->cs_len)))
    goto out;
  *out = s;
  s = NULL;
  rc = LB_OK;
out:
  subset_free(s);
  free(map);
  free(cidset);
  hb_blob_destroy(blob);
  hb_face_destroy(sub);
  hb_subset_plan_destroy(plan);
  hb_subset_input_destroy(in);
  return rc;
}

/* The subset of the current document's characters, from the cache or made. */
static int subset_for(font_doc *fd, const uint16_t *codes, size_t n, struct libdeflate_compressor *z, font_subset **out)
{
  uint64_t h = set_hash(codes, n);
  for(size_t i = 0; i < fd->ncache; i++) {
    font_subset *s = fd->cache[i];
    if(s->hash == h && s->ncodes == n && !memcmp(s->codes, codes, n * sizeof(*codes))) {
      fd->reused++;
      *out = s;
      return LB_OK;
    }
  }
  if(fd->ncache == CACHE_MAX) {
    /* start over: simpler than an eviction order, and the bytes do not depend on it */
    for(size_t i = 0; i < fd->ncache; i++)
      subset_free(fd->cache[i]);
    fd->ncache = 0;
  }
  int rc = subset_make(fd->face, codes, n, h, z, out);
  if(rc)
    return rc;
  fd->cache[fd->ncache++] = *out;
  fd->made++;
  return LB_OK;
}

static int hpdf(HPDF_STATUS st) { return st == HPDF_OK ? LB_OK : st == HPDF_FAILD_TO_ALLOC_MEM ? LB_ENOMEM : LB_EIO; }

/* /W: the width of every code shown, one array per run of consecutive codes. */
static int widths(HPDF_Doc doc, HPDF_Dict cid, const font_face *f, const uint16_t *codes, size_t n)
{
  HPDF_Array w = HPDF_Array_New(doc->mmgr), run = NULL;
  int rc;
  if(!w)
    return LB_ENOMEM;
  if((rc = hpdf(HPDF_Dict_Add(cid, "W", w))))
    return rc;
  for(size_t i = 0; i < n; i++) {
    if(!run || codes[i] != codes[i - 1] + 1) {
      if((rc = hpdf(HPDF_Array_AddNumber(w, codes[i]))))
        return rc;
      run = HPDF_Array_New(doc->mmgr);
      if(!run)
        return LB_ENOMEM;
      if((rc = hpdf(HPDF_Array_Add(w, run))))
        return rc;
    }
    if((rc = hpdf(HPDF_Array_AddNumber(run, f->width[codes[i]]))))
      return rc;
  }
  return LB_OK;
}

int font_doc_finish(font_doc *fd, HPDF_Doc doc, struct libdeflate_compressor *z)
{
  const font_face *f = fd->face;
  uint16_t *codes = NULL;
  size_t n = 0;
  font_subset *s = NULL;
  char name[80];
  buf tub = {0}, cmb = {0};
  unsigned char *tuz = NULL, *cmz = NULL;
  size_t tuz_len = 0, cmz_len = 0;
  int rc = LB_ENOMEM;
  if(!fd->font || fd->codes->full)
    return LB_EIO; /* full: more than 32,768 different non-ASCII characters in one document */
  /* the set in code order: the cache key, and the order of /W and ToUnicode */
  codes = malloc((fd->nlist ? fd->nlist : 1) * sizeof(*codes));
  if(!codes)
    goto out;
  for(size_t w = 0; w < SET_WORDS; w++)
    for(uint64_t bits = fd->used[w]; bits; bits &= bits - 1)
      codes[n++] = (uint16_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
  if((rc = subset_for(fd, codes, n, z, &s)))
    goto out;
  snprintf(name, sizeof(name), "%s+%s", s->tag, f->name);
  font_codes *fc = fd->codes;
  if(fc->doc != doc) { /* the first font of the document to finish makes the CMaps its fonts share */
    tounicode(&tub, fc);
    encoding_cmap(&cmb, fc);
    rc = LB_ENOMEM;
    if(tub.oom || cmb.oom)
      goto out;
    if((rc = pdfa_deflate(z, tub.s, tub.n, &tuz, &tuz_len)) || (rc = pdfa_deflate(z, cmb.s, cmb.n, &cmz, &cmz_len)))
      goto out;
  }

  rc = LB_ENOMEM;
  HPDF_Dict cid = HPDF_Dict_New(doc->mmgr), desc = HPDF_Dict_New(doc->mmgr), sysinfo;
  HPDF_Array desc_fonts = HPDF_Array_New(doc->mmgr), bbox;
  if(!cid || !desc || !desc_fonts) {
    HPDF_Dict_Free(cid);
    HPDF_Dict_Free(desc);
    HPDF_Array_Free(desc_fonts);
    goto out;
  }
  /* the xref frees what it cannot take */
  if((rc = hpdf(HPDF_Xref_Add(doc->xref, cid)))) {
    HPDF_Dict_Free(desc);
    HPDF_Array_Free(desc_fonts);
    goto out;
  }
  if((rc = hpdf(HPDF_Xref_Add(doc->xref, desc)))) {
    HPDF_Array_Free(desc_fonts);
    goto out;
  }
  HPDF_Dict file = pdfa_deflated_stream(doc, s->file, s->file_len);
  HPDF_Dict map = pdfa_deflated_stream(doc, s->map, s->map_len);
  HPDF_Dict cidset = pdfa_deflated_stream(doc, s->cidset, s->cs_len);
  sysinfo = HPDF_Dict_New(doc->mmgr);
  bbox = HPDF_Array_New(doc->mmgr);
  if(!file || !map || !cidset || !sysinfo || !bbox) {
    HPDF_Dict_Free(sysinfo);
    HPDF_Array_Free(bbox);
    rc = LB_ENOMEM;
    goto out;
  }
  if(fc->doc != doc) {
    HPDF_Dict tu = pdfa_deflated_stream(doc, tuz, tuz_len);
    HPDF_Dict cmap = pdfa_deflated_stream(doc, cmz, cmz_len);
    HPDF_Dict cmsys = HPDF_Dict_New(doc->mmgr);
    if(!tu || !cmap || !cmsys) {
      HPDF_Dict_Free(cmsys);
      rc = LB_ENOMEM;
      goto out;
    }
    /* the CMap's dictionary says what its program says (PDF/A-1: the same WMode) */
    if((rc = hpdf(HPDF_Dict_Add(cmap, "CIDSystemInfo", cmsys))) ||
       (rc = hpdf(HPDF_Dict_Add(cmsys, "Registry", HPDF_String_New(doc->mmgr, "Adobe", NULL)))) ||
       (rc = hpdf(HPDF_Dict_Add(cmsys, "Ordering", HPDF_String_New(doc->mmgr, "Identity", NULL)))) ||
       (rc = hpdf(HPDF_Dict_AddNumber(cmsys, "Supplement", 0))) ||
       (rc = hpdf(HPDF_Dict_AddName(cmap, "Type", "CMap"))) ||
       (rc = hpdf(HPDF_Dict_AddName(cmap, "CMapName", CMAP_NAME))) || (rc = hpdf(HPDF_Dict_AddNumber(cmap, "WMode", 0))))
      goto out;
    fc->doc = doc;
    fc->enc = cmap;
    fc->tu = tu;
  }
  rc = LB_OK;
  if((rc = hpdf(HPDF_Dict_Add(fd->font, "Encoding", fc->enc))) ||
     (rc = hpdf(HPDF_Dict_AddName(fd->font, "BaseFont", name))) ||
     (rc = hpdf(HPDF_Dict_Add(fd->font, "DescendantFonts", desc_fonts))) ||
     (rc = hpdf(HPDF_Array_Add(desc_fonts, cid))) || (rc = hpdf(HPDF_Dict_Add(fd->font, "ToUnicode", fc->tu))) ||
     (rc = hpdf(HPDF_Dict_AddName(cid, "Type", "Font"))) || (rc = hpdf(HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2"))) ||
     (rc = hpdf(HPDF_Dict_AddName(cid, "BaseFont", name))) || (rc = hpdf(HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo))) ||
     (rc = hpdf(HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(doc->mmgr, "Adobe", NULL)))) ||
     (rc = hpdf(HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(doc->mmgr, "Identity", NULL)))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(sysinfo, "Supplement", 0))) ||
     (rc = hpdf(HPDF_Dict_Add(cid, "FontDescriptor", desc))) || (rc = hpdf(HPDF_Dict_Add(cid, "CIDToGIDMap", map))) ||
     (rc = widths(doc, cid, f, codes, n)) || (rc = hpdf(HPDF_Dict_AddName(desc, "Type", "FontDescriptor"))) ||
     (rc = hpdf(HPDF_Dict_AddName(desc, "FontName", name))) || (rc = hpdf(HPDF_Dict_AddNumber(desc, "Flags", f->flags))) ||
     (rc = hpdf(HPDF_Dict_Add(desc, "FontBBox", bbox))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(desc, "ItalicAngle", f->italic_angle))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(desc, "Ascent", f->ascent))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(desc, "Descent", f->descent))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(desc, "CapHeight", f->cap_height))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(desc, "StemV", f->stemv))) ||
     (rc = hpdf(HPDF_Dict_Add(desc, "FontFile2", file))) ||
     (rc = hpdf(HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)s->file_raw))) ||
     (rc = hpdf(HPDF_Dict_Add(desc, "CIDSet", cidset))))
    goto out;
  for(int k = 0; k < 4; k++)
    if((rc = hpdf(HPDF_Array_AddNumber(bbox, f->bbox[k]))))
      goto out;
  rc = LB_OK;
out:
  free(codes);
  free(tub.s);
  free(cmb.s);
  free(tuz);
  free(cmz);
  return rc;
}
