/* test_pdfa.c - every PDF of the sample month holds the PDF/A-1b clauses it relies on, and poppler reads it without a word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/pdfa.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include "support/e2e.h"

/* The sample month billed once for all the tests: OUT/2026-11. What is checked is the files, so the release
 * build bills it (test_golden bills the sample under the sanitizers). */
static char *out_dir;

static int bill_sample(void **state)
{
  (void)state;
  e2e_result r;
  out_dir = e2e_mkdtemp("pdfa");
  if(!out_dir)
    return -1;
  const char *argv[] = {e2e_licbill_rel(), "run", "--input", "sample", "--output", out_dir, "--month", "2026-11", NULL};
  if(e2e_run(&r, NULL, argv) || r.code != 0) {
    fprintf(stderr, "licbill run: exit %d\n%s\n", r.code, r.err);
    e2e_result_clear(&r);
    return -1;
  }
  e2e_result_clear(&r);
  return 0;
}

static int remove_sample(void **state)
{
  (void)state;
  e2e_rm_tree(out_dir);
  free(out_dir);
  return 0;
}

/* The checker prints one line per broken clause (tests/render/pdfa_check.py says which clauses). */
/* The content streams' text: hex strings become literal strings of the same bytes, escaped where a literal
 * string needs it; what is not a whole even hex string stays. */
static void hex_strings_become_literal_strings_of_the_same_bytes(void **state)
{
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
    {"BT\n<48692C>Tj", "BT\n(Hi,)Tj"},
    {"<28295C> Tj", "(\\(\\)\\\\) Tj"},
    {"<0D0A> Tj", "(\\r\\n) Tj"},
    {"<80004100> Tj", "(\x80\0A\0) Tj"},
    {"<> Tj", "() Tj"},
    {"<<abc>> <4> <4G> <41", "<<abc>> <4> <4G> <41"},
    {"0.5 g <4142>Tj <43>Tj", "0.5 g (AB)Tj (C)Tj"},
    {"<<4142> q <4344>Tj Q", "<(AB) q (CD)Tj Q"}, /* only the first '<' of "<<" is a dictionary's */
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t n = strlen(cases[i].in), want = i == 3 ? 9 : strlen(cases[i].out); /* case 3 holds NUL bytes */
    unsigned char buf[64];
    memcpy(buf, cases[i].in, n);
    size_t got = pdfa_hex_to_literal(buf, n);
    assert_int_equal(got, want);
    assert_memory_equal(buf, cases[i].out, want);
  }
}

/* Outline titles and Info values: one byte a character in PDFDocEncoding where it has the character at its
 * Latin-1 code, UTF-16BE (two bytes or four) otherwise. */
static void text_objects_are_pdfdocencoding_strings_where_latin1_codes_fit(void **state)
{
  (void)state;
  static const struct {
    const char *utf8;
    HPDF_UINT32 cls;
    const char *bytes;
    size_t len;
  } cases[] = {
    {"Line 1 \u00b7 Assurances de Montr\u00e9al", HPDF_OCLASS_STRING, "Line 1 \xb7 Assurances de Montr\xe9" "al", 31},
    {"", HPDF_OCLASS_STRING, "", 0},
    {"soft\u00adhyphen", HPDF_OCLASS_BINARY, "\xfe\xff\0s\0o\0f\0t\0\xad\0h\0y\0p\0h\0e\0n", 24},
    {"\u20ac 5", HPDF_OCLASS_BINARY, "\xfe\xff\x20\xac\0 \0\x35", 8},
    {"tab\there", HPDF_OCLASS_BINARY, "\xfe\xff\0t\0a\0b\0 \0h\0e\0r\0e", 18},
  };
  HPDF_Doc doc = HPDF_New(NULL, NULL);
  assert_non_null(doc);
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    HPDF_Obj_Header *o = pdfa_text_object(doc, cases[i].utf8);
    assert_non_null(o);
    assert_int_equal(o->obj_class & HPDF_OCLASS_ANY, cases[i].cls);
    if(cases[i].cls == HPDF_OCLASS_STRING) {
      HPDF_String str = (HPDF_String)o;
      assert_int_equal(str->len, cases[i].len);
      assert_memory_equal(str->value, cases[i].bytes, cases[i].len);
    } else {
      HPDF_Binary b = (HPDF_Binary)o;
      assert_int_equal(b->len, cases[i].len);
      assert_memory_equal(b->value, cases[i].bytes, cases[i].len);
    }
    HPDF_Obj_Free(doc->mmgr, o);
  }
  HPDF_Free(doc);
}

static void pdfa_1b_clauses_hold_on_every_invoice_and_evidence_pdf(void **state)
{
  (void)state;
  char *out = NULL;
  int rc = e2e_sh(&out, "python3 tests/render/pdfa_check.py templates/default/fonts/DejaVuSans.ttf "
                  "%s/2026-11/invoices/*.pdf %s/2026-11/evidence/*.pdf", out_dir, out_dir);
  if(rc)
    fprintf(stderr, "%s", out);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(out, "pdfa_check: 34 PDFs, 0 problems"));
  free(out);
}

/* Regression: libharu's ToUnicode used "begincidrange", and pdftotext, pdfinfo and pdftoppm printed
 * "Syntax Warning: Invalid 'begincidrange' operator in ToUnicode CMap" for every file. */
static void poppler_prints_no_warning_on_any_pdf(void **state)
{
  (void)state;
  char *out = NULL;
  int rc = e2e_sh(&out, "for f in %s/2026-11/invoices/*.pdf %s/2026-11/evidence/*.pdf; do "
                  "pdftotext -layout \"$f\" /dev/null; pdfinfo \"$f\" >/dev/null; pdffonts \"$f\" >/dev/null; "
                  "pdftoppm -r 10 -f 1 -l 1 \"$f\" >/dev/null; done 2>&1 | head -5", out_dir, out_dir);
  assert_int_equal(rc, 0);
  if(*out)
    fprintf(stderr, "poppler said:\n%s", out);
  assert_string_equal(out, "");
  free(out);
}

static void qpdf_check_passes_on_every_pdf(void **state)
{
  (void)state;
  char *out = NULL;
  int rc = e2e_sh(&out, "for f in %s/2026-11/invoices/*.pdf %s/2026-11/evidence/*.pdf; do "
                  "qpdf --check \"$f\" >/dev/null 2>&1 || echo \"$f\"; done", out_dir, out_dir);
  assert_int_equal(rc, 0);
  if(*out)
    fprintf(stderr, "qpdf --check fails on:\n%s", out);
  assert_string_equal(out, "");
  free(out);
}

/* The fonts are subsets of the glyphs shown, so an invoice stays small (it was ~57 KB with libharu's
 * whole-font embedding). Not a timing: a size, which is part of the document's contract. */
static void invoices_embed_font_subsets_of_a_few_kilobytes(void **state)
{
  (void)state;
  char *out = NULL;
  int rc = e2e_sh(&out, "for f in %s/2026-11/invoices/*.pdf; do stat -c %%s \"$f\"; done | sort -n | "
                  "awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'", out_dir);
  assert_int_equal(rc, 0);
  long median = atol(out);
  assert_true(median > 5000);
  assert_true(median < 25000);
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hex_strings_become_literal_strings_of_the_same_bytes),
    cmocka_unit_test(text_objects_are_pdfdocencoding_strings_where_latin1_codes_fit),
    cmocka_unit_test(pdfa_1b_clauses_hold_on_every_invoice_and_evidence_pdf),
    cmocka_unit_test(poppler_prints_no_warning_on_any_pdf),
    cmocka_unit_test(qpdf_check_passes_on_every_pdf),
    cmocka_unit_test(invoices_embed_font_subsets_of_a_few_kilobytes),
  };
  return cmocka_run_group_tests(tests, bill_sample, remove_sample);
}
