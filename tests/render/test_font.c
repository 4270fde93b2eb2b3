/* test_font.c - font faces measure text exactly as libharu's own TrueType fonts did, odd bytes included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>

#include "core/errors.h"
#include "render/font.h"

#define FONT "templates/default/fonts/DejaVuSans.ttf"

static void quiet(HPDF_STATUS e, HPDF_STATUS d, void *data)
{
  (void)e;
  (void)d;
  (void)data;
}

/* Layout (and so the extracted text) stays what it was only if every width is libharu's. */
static void text_width_equals_libharus_for_every_kind_of_text(void **state)
{
  (void)state;
  static const char *const texts[] = {
    "Invoice INV-2026-000001", "Müller Versicherung AG", "Zweigniederlassung Québec", "€1,234.56 – 3 × 104.00 → …",
    "Ελληνικά Кириллица", "中文 not in the subset", "\xF0\x9F\x98\x80 above the BMP",
    "stray \x80\xBF continuation", "cut lead \xC3", "lead then ASCII \xC3" "A", "\xFF\xFE bytes", "", " ",
  };
  font_face *f = NULL;
  assert_int_equal(font_face_load(&f, FONT), LB_OK);
  HPDF_Doc doc = HPDF_New(quiet, NULL);
  assert_non_null(doc);
  HPDF_UseUTFEncodings(doc);
  HPDF_Font ref = HPDF_GetFont(doc, HPDF_LoadTTFontFromFile(doc, FONT, HPDF_FALSE), "UTF-8");
  assert_non_null(ref);
  for(size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    size_t n = strlen(texts[i]);
    HPDF_TextWidth w = HPDF_Font_TextWidth(ref, (const HPDF_BYTE *)texts[i], (HPDF_UINT)n);
    assert_int_equal(font_face_text_width(f, texts[i], n), w.width);
  }
  HPDF_Free(doc);
  font_face_free(f);
}

/* The same text through the font object a document draws with: libharu's page operators call it. */
static void a_documents_font_measures_like_its_face(void **state)
{
  (void)state;
  font_face *f = NULL;
  font_doc *fd = NULL;
  assert_int_equal(font_face_load(&f, FONT), LB_OK);
  assert_int_equal(font_doc_new(&fd, f), LB_OK);
  HPDF_Doc doc = HPDF_New(quiet, NULL);
  HPDF_Font font = font_doc_begin(fd, doc);
  assert_non_null(font);
  const char *s = "Königinstraße 28 / 80802 München";
  assert_int_equal(HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)strlen(s)).width,
                   font_face_text_width(f, s, strlen(s)));
  assert_int_equal(font_text_width(font, s, strlen(s)), font_face_text_width(f, s, strlen(s)));
  HPDF_Free(doc);
  font_doc_free(fd);
  font_face_free(f);
}

static void a_missing_font_file_is_an_io_error(void **state)
{
  (void)state;
  font_face *f = (font_face *)0x1;
  assert_int_equal(font_face_load(&f, "/nonexistent/font.ttf"), LB_EIO);
  assert_ptr_equal(f, (font_face *)0x1); /* untouched */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(text_width_equals_libharus_for_every_kind_of_text),
    cmocka_unit_test(a_documents_font_measures_like_its_face),
    cmocka_unit_test(a_missing_font_file_is_an_io_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
