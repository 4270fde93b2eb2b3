/* test_template.c - template.conf is read strictly: every mistake is pointed at, missing keys fall back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/template.h"
#include "tests/support/e2e.h"

/* A scratch template directory holding one template.conf. */
typedef struct tdir {
  char dir[100];
  char conf[128];
} tdir;

static void tdir_make(tdir *td, const char *text)
{
  snprintf(td->dir, sizeof(td->dir), "%s/lbtplXXXXXX", e2e_tmpdir());
  assert_non_null(mkdtemp(td->dir));
  snprintf(td->conf, sizeof(td->conf), "%s/template.conf", td->dir);
  FILE *fp = fopen(td->conf, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
  assert_int_equal(fclose(fp), 0);
}

static void tdir_remove(tdir *td, const char *extra)
{
  char p[192];
  unlink(td->conf);
  if(extra) {
    snprintf(p, sizeof(p), "%s/%s", td->dir, extra);
    unlink(p);
  }
  assert_int_equal(rmdir(td->dir), 0);
}

/* Load text as a template; returns the rc, the template in *t (or NULL). */
static int load_text(const char *text, lb_template **t, diag_list *d, tdir *td)
{
  *t = NULL;
  diag_init(d);
  tdir_make(td, text);
  return tpl_load(t, td->dir, d);
}

static void tpl_load_reads_the_default_template(void **state)
{
  (void)state;
  lb_template *t = NULL;
  diag_list d;
  diag_init(&d);
  int rc = tpl_load(&t, "templates/default", &d);
  if(rc)
    diag_print(&d, stderr);
  assert_int_equal(rc, LB_OK);
  assert_int_equal(d.n, 0);
  assert_string_equal(tpl_get(t, "label.title"), "Invoice");
  assert_string_equal(tpl_get(t, "label.page"), "Page %d of %d");
  assert_string_equal(tpl_get(t, "currency.EUR"), "\u20ac");
  assert_string_equal(tpl_get(t, "currency.CAD"), "CA$");
  assert_string_equal(tpl_get(t, "page.size"), "A4");
  assert_non_null(strstr(tpl_path(t), "templates/default/template.conf"));
  /* relative font paths come back resolved against the template dir */
  assert_true(tpl_get(t, "font.regular")[0] == '/' ||
              !strncmp(tpl_get(t, "font.regular"), "templates/default/", 18));
  tpl_free(t);
  diag_clear(&d);
}

static void tpl_load_falls_back_to_built_in_defaults_for_missing_keys(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  assert_int_equal(load_text("# only a comment\n\nissuer.name = Acme Lizenz GmbH\n", &t, &d, &td),
                   LB_OK);
  assert_string_equal(tpl_get(t, "issuer.name"), "Acme Lizenz GmbH");
  assert_string_equal(tpl_get(t, "label.total"), "Total");
  assert_string_equal(tpl_get(t, "label.contact"), "Questions about this invoice? Call %s");
  assert_string_equal(tpl_get(t, "number.thousands_sep"), ",");
  assert_string_equal(tpl_get(t, "font.regular"),
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  assert_null(tpl_get(t, "label.no_such_key"));
  tpl_free(t);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_currency_symbol_falls_back_to_the_iso_code(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  assert_int_equal(load_text("currency.CHF = Fr.\n", &t, &d, &td), LB_OK);
  assert_string_equal(tpl_currency_symbol(t, "CHF"), "Fr.");
  assert_string_equal(tpl_currency_symbol(t, "EUR"), "\u20ac"); /* built in */
  assert_string_equal(tpl_currency_symbol(t, "SEK"), "SEK");
  assert_null(tpl_get(t, "currency.SEK"));
  tpl_free(t);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_reports_a_malformed_line_with_path_line_and_column(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  char want[160];
  int rc = load_text("# labels\nlabel.total = Total\nlabel.title Invoice\n", &t, &d, &td);
  assert_int_equal(rc, LB_EINPUT);
  assert_null(t);
  assert_int_equal(d.n, 1);
  snprintf(want, sizeof(want), "%s/template.conf", td.dir);
  assert_string_equal(d.v[0].file, want);
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, 13); /* where '=' was expected */
  assert_string_equal(d.v[0].message,
                      "malformed line: expected '=' after the key \"label.title\" (key = value)");
  assert_null(d.v[0].customer_id);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_reports_an_unknown_key_and_suggests_the_near_one(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  assert_int_equal(load_text("  label.totl = Summe\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 1);
  assert_int_equal(d.v[0].col, 3);
  assert_string_equal(d.v[0].message, "unknown key \"label.totl\"; did you mean \"label.total\"?");
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_rejects_a_label_whose_placeholders_do_not_match(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  /* a %s where the page number (%d) goes would crash a printf-based renderer */
  assert_int_equal(load_text("label.page = Page %s of %d\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 1);
  assert_int_equal(d.v[0].col, 19);
  assert_non_null(strstr(d.v[0].message, "label.page must contain %d then %d"));
  diag_clear(&d);
  tdir_remove(&td, NULL);

  /* R-X4: the contact sentence must have a place for the phone number */
  assert_int_equal(load_text("label.contact = Call us\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].col, 24); /* end of the value: the %s is missing */
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_counts_columns_in_characters_not_bytes(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  /* "Rückfragen: " is 12 characters but 13 bytes */
  assert_int_equal(load_text("label.contact = Rückfragen: %d\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].col, 29);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_reports_every_problem_in_one_pass(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  int rc = load_text("page.size = A5\n"
                     "label.total = Total\n"
                     "label.total = Summe\n"
                     "= value without key\n"
                     "number.decimal_mark = ;\n"
                     "currency.eur = EUR\n"
                     "label.title = \"Invoice\n"
                     "label.subtotal = Sub\xff" "total\n"
                     "date.months = Jan Feb Mar\n",
                     &t, &d, &td);
  assert_int_equal(rc, LB_EINPUT);
  assert_null(t);
  assert_int_equal(d.n, 8);
  assert_int_equal(d.v[0].line, 1);
  assert_int_equal(d.v[0].col, 13);
  assert_string_equal(d.v[0].message, "unknown page size \"A5\"; expected A4 or Letter");
  assert_int_equal(d.v[1].line, 3);
  assert_string_equal(d.v[1].message,
                      "key \"label.total\" already set on line 2; expected each key once");
  assert_int_equal(d.v[2].line, 4);
  assert_int_equal(d.v[2].col, 1);
  assert_int_equal(d.v[3].line, 5);
  assert_int_equal(d.v[3].col, 23);
  assert_int_equal(d.v[4].line, 6);
  assert_non_null(strstr(d.v[4].message, "three-letter ISO 4217 code in capitals"));
  assert_int_equal(d.v[5].line, 7);
  assert_int_equal(d.v[5].col, 15);
  assert_non_null(strstr(d.v[5].message, "unterminated quoted value"));
  assert_int_equal(d.v[6].line, 8);
  assert_int_equal(d.v[6].col, 21);
  assert_string_equal(d.v[6].message, "invalid UTF-8 byte 0xFF; expected UTF-8 text");
  assert_int_equal(d.v[7].line, 9);
  assert_int_equal(d.v[7].col, 15);
  assert_string_equal(d.v[7].message,
                      "3 month names; expected 12 separated by spaces (Jan Feb ... Dec)");
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_keeps_spaces_inside_double_quotes(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  assert_int_equal(load_text("number.thousands_sep = \" \"\r\n"
                             "number.decimal_mark = ,\r\n"
                             "label.title = \"  Facture  \"\r\n"
                             "payment.instructions = Virement # IBAN FR76\r\n",
                             &t, &d, &td),
                   LB_OK);
  assert_string_equal(tpl_get(t, "number.thousands_sep"), " ");
  assert_string_equal(tpl_get(t, "number.decimal_mark"), ",");
  assert_string_equal(tpl_get(t, "label.title"), "  Facture  ");
  assert_string_equal(tpl_get(t, "payment.instructions"), "Virement # IBAN FR76");
  tpl_free(t);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void copy_file(const char *src, const char *dst)
{
  char buf[4096];
  size_t n;
  FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
  assert_non_null(in);
  assert_non_null(out);
  while((n = fread(buf, 1, sizeof(buf), in)) > 0)
    assert_int_equal(fwrite(buf, 1, n, out), n);
  fclose(in);
  assert_int_equal(fclose(out), 0);
}

static void tpl_load_takes_font_paths_relative_to_the_template_dir(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  char font[192];

  assert_int_equal(load_text("font.regular = Sans.ttf\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 1);
  assert_int_equal(d.v[0].col, 16);
  assert_non_null(strstr(d.v[0].message, "/Sans.ttf\" (No such file or directory)"));
  diag_clear(&d);

  /* with the font next to template.conf the same line loads */
  snprintf(font, sizeof(font), "%s/Sans.ttf", td.dir);
  copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", font);
  assert_int_equal(tpl_load(&t, td.dir, &d), LB_OK);
  assert_string_equal(tpl_get(t, "font.regular"), font);
  tpl_free(t);
  diag_clear(&d);
  tdir_remove(&td, "Sans.ttf");
}

static void tpl_load_rejects_a_file_that_is_not_a_truetype_font(void **state)
{
  (void)state;
  lb_template *t;
  diag_list d;
  tdir td;
  char want[200];
  assert_int_equal(load_text("font.bold = template.conf\n", &t, &d, &td), LB_EINPUT);
  assert_int_equal(d.n, 1);
  snprintf(want, sizeof(want),
           "cannot use font file \"%s/template.conf\" (not a TrueType font); expected a "
           "readable TrueType .ttf file",
           td.dir);
  assert_string_equal(d.v[0].message, want);
  diag_clear(&d);
  tdir_remove(&td, NULL);
}

static void tpl_load_of_a_missing_directory_is_an_io_error_with_a_record(void **state)
{
  (void)state;
  lb_template *t = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(tpl_load(&t, "/nonexistent/licbill-template", &d), LB_EIO);
  assert_null(t);
  assert_int_equal(d.n, 1);
  assert_string_equal(d.v[0].file, "/nonexistent/licbill-template/template.conf");
  assert_int_equal(d.v[0].line, 0);
  assert_string_equal(d.v[0].message, "cannot open template: No such file or directory");
  diag_clear(&d);
}

/* Forced allocation failures. The allocator is wrapped only when the test is
 * linked with GNUmakefile's ALLOC_WRAP (-Wl,--wrap=malloc,...); otherwise
 * the weak __real_malloc stays NULL and the test is skipped. */
void *__real_malloc(size_t) __attribute__((weak));
void *__real_calloc(size_t, size_t) __attribute__((weak));
void *__real_realloc(void *, size_t) __attribute__((weak));
char *__real_strdup(const char *) __attribute__((weak));
char *__real_strndup(const char *, size_t) __attribute__((weak));
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long countdown = -1; /* fail the allocation when it reaches 0; -1 = never */
static int failed;

static int should_fail(void)
{
  if(countdown < 0 || countdown-- != 0)
    return 0;
  failed = 1;
  return 1;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { return should_fail() ? NULL : __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return should_fail() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return should_fail() ? NULL : __real_strndup(s, n); }

static void tpl_load_survives_every_allocation_failure(void **state)
{
  (void)state;
  long n;
  if(!__real_malloc)
    skip();
  for(n = 0; n < 1000; n++) {
    lb_template *t = NULL;
    diag_list d;
    diag_init(&d);
    countdown = n;
    failed = 0;
    int rc = tpl_load(&t, "templates/default", &d);
    countdown = -1;
    tpl_free(t);
    diag_clear(&d);
    if(!failed) {
      assert_int_equal(rc, LB_OK);
      break;
    }
    if(rc != LB_ENOMEM)
      fail_msg("allocation %ld failed: got %d, expected LB_ENOMEM", n, rc);
    assert_null(t);
  }
  assert_true(n > 20 && n < 1000); /* the failures really reached the parser */
}

static void tpl_free_accepts_null(void **state)
{
  (void)state;
  tpl_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tpl_load_reads_the_default_template),
    cmocka_unit_test(tpl_load_falls_back_to_built_in_defaults_for_missing_keys),
    cmocka_unit_test(tpl_currency_symbol_falls_back_to_the_iso_code),
    cmocka_unit_test(tpl_load_reports_a_malformed_line_with_path_line_and_column),
    cmocka_unit_test(tpl_load_reports_an_unknown_key_and_suggests_the_near_one),
    cmocka_unit_test(tpl_load_rejects_a_label_whose_placeholders_do_not_match),
    cmocka_unit_test(tpl_load_counts_columns_in_characters_not_bytes),
    cmocka_unit_test(tpl_load_reports_every_problem_in_one_pass),
    cmocka_unit_test(tpl_load_keeps_spaces_inside_double_quotes),
    cmocka_unit_test(tpl_load_takes_font_paths_relative_to_the_template_dir),
    cmocka_unit_test(tpl_load_rejects_a_file_that_is_not_a_truetype_font),
    cmocka_unit_test(tpl_load_of_a_missing_directory_is_an_io_error_with_a_record),
    cmocka_unit_test(tpl_load_survives_every_allocation_failure),
    cmocka_unit_test(tpl_free_accepts_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
