/* font.h - TrueType fonts for libharu documents: measured once, cut per document to the glyphs it shows (HarfBuzz), written as PDF/A-1b CIDFonts. */
#ifndef LB_FONT_H
#define LB_FONT_H

#include <hpdf.h>
#include <stddef.h>

/* One TrueType file, read and measured once: the code of every BMP
 * character to its glyph and its width as libharu 2.3.0 computes them (so
 * that layout, and so the extracted text, is what libharu's own TrueType
 * fonts gave), the descriptor metrics, and the parsed face HarfBuzz cuts
 * subsets from. Read-only after font_face_load. Not shared between threads
 * (HarfBuzz's lazy table loading is, but a face is cheap enough to keep one
 * per renderer). */
typedef struct font_face font_face;

/* Read the TrueType file at path. Returns LB_OK with *out set (free with
 * font_face_free), LB_EIO when the file cannot be read or libharu or
 * HarfBuzz cannot use it, or LB_ENOMEM; *out is untouched on failure. */
int font_face_load(font_face **out, const char *path);

/* NULL-safe. */
void font_face_free(font_face *f);

/* Width of UTF-8 text s[0..n) in 1/1000 em, exactly as libharu's UTF-8
 * Type0 TrueType font measures it (same decoding of odd bytes, characters
 * above U+FFFF as a space). */
unsigned long font_face_text_width(const font_face *f, const char *s, size_t n);

/* Width in 1/1000 em of UTF-8 text s[0..n) in font f: straight from the
 * face for a font of font_doc_begin (the same number libharu's
 * HPDF_Font_TextWidth gives, without its dispatch), else through libharu. */
unsigned long font_text_width(HPDF_Font f, const char *s, size_t n);

/* One face as used by the documents of one renderer, one at a time: the
 * characters the current document shows, and a cache of finished subsets
 * keyed by that character set (the objects written depend only on the face
 * and the set, so a cache hit gives the same bytes as a miss). Not
 * thread-safe; the face must outlive it. */
typedef struct font_doc font_doc;

/* LB_OK with *out set (free with font_doc_free), or LB_ENOMEM. */
int font_doc_new(font_doc **out, const font_face *face);

/* NULL-safe. */
void font_doc_free(font_doc *fd);

/* Let fd draw with the codes of owner (the font_doc of another face for the
 * same documents), so that both fonts share one /Encoding and one ToUnicode
 * CMap. Each document must begin owner before fd, and owner must outlive
 * fd's documents. */
void font_doc_share_codes(font_doc *fd, font_doc *owner);

/* Start a document: forget the characters of the last one and return the
 * Type0 font object of doc that pages select with HPDF_Page_SetFontAndSize
 * and draw UTF-8 with HPDF_Page_ShowText / HPDF_Page_TextOut (codes are
 * one byte for ASCII, two for another character: see font.c). The object belongs to doc;
 * NULL on failure (libharu's error handler has the code). */
HPDF_Font font_doc_begin(font_doc *fd, HPDF_Doc doc);

/* A handle for the bold of fd's face drawn from the face itself: pens draw
 * it with the font of font_doc_begin, its outlines filled and stroked (text
 * render mode 2), so a document needs no second font file. It measures as
 * the face. Only pens take it (pen_put maps it with font_fake_bold_base):
 * libharu must never see it. Valid while fd lives; begin fd first. */
HPDF_Font font_doc_fake_bold(font_doc *fd);
/* The font a handle of font_doc_fake_bold draws with; NULL for any other font. */
HPDF_Font font_fake_bold_base(HPDF_Font f);

/* Before the document is saved: complete the font object of doc with the
 * subset of the glyphs its pages show (FontFile2 without hinting), the
 * widths of the characters shown (/W), a CIDToGIDMap, the /Encoding CMap of
 * its codes, a ToUnicode CMap of bfrange/bfchar entries and the CIDSet PDF/A-1 requires of a CIDFont
 * subset; z deflates a new subset's streams (pdfa_deflate). Returns LB_OK,
 * LB_ENOMEM or LB_EIO (HarfBuzz or libharu failed). */
struct libdeflate_compressor;
int font_doc_finish(font_doc *fd, HPDF_Doc doc, struct libdeflate_compressor *z);

/* Subsets made (cache misses) and reused (hits) so far, for the benchmark. */
void font_doc_stats(const font_doc *fd, unsigned long *made, unsigned long *reused);

#endif
