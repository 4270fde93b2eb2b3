/* template.c - reads template.conf strictly so that a typo in a label or a
 * printf placeholder is a pointed-at error at load time, never a broken
 * invoice (or worse, a format-string crash) at render time. */
#include "render/template.h"
#include "core/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csvfile.h"
#include "render/pdfa.h"

#define LINE_MAX_BYTES 4096
#define TPL_FILE "template.conf"

enum kind {
  K_TEXT,     /* any single-line UTF-8 text, may be empty */
  K_FORMAT,   /* text with exactly the %d/%s placeholders in `sig` */
  K_FONT,     /* path of a readable TrueType file */
  K_PAGE,     /* A4 or Letter */
  K_THOUSANDS,/* empty (no grouping) or one ASCII punctuation/space char */
  K_DECIMAL,  /* one ASCII char, '.' or ',' */
  K_POSITION, /* before or after */
  K_MONTHS,   /* twelve month names separated by spaces */
  K_ICC       /* path of a readable ICC v2 RGB colour profile (PDF/A OutputIntent) */
};

typedef struct tpl_key {
  const char *key; /* name in template.conf */
  const char *def; /* built-in default, used when the file does not set the key */
  enum kind kind;  /* how a value is checked */
  const char *sig; /* K_FORMAT only: the conversions in order, 'd' or 's' */
  const char *what;/* K_FORMAT only: what the placeholders stand for, for messages */
} tpl_key;

/* The keys a template may set. The renderer reads them by name. */
static const tpl_key KEYS[] = {
  {"issuer.name", "", K_TEXT, NULL, NULL},
  {"issuer.address.1", "", K_TEXT, NULL, NULL},
  {"issuer.address.2", "", K_TEXT, NULL, NULL},
  {"issuer.address.3", "", K_TEXT, NULL, NULL},
  {"issuer.address.4", "", K_TEXT, NULL, NULL},
  {"issuer.address.5", "", K_TEXT, NULL, NULL},
  {"issuer.address.6", "", K_TEXT, NULL, NULL},
  {"issuer.tax_id", "", K_TEXT, NULL, NULL},
  {"payment.instructions", "", K_TEXT, NULL, NULL},
  {"label.title", "Invoice", K_TEXT, NULL, NULL},
  {"label.title_credit_note", "Credit note", K_TEXT, NULL, NULL},
  {"label.corrects", "Credits invoice", K_TEXT, NULL, NULL},
  {"label.corrects_of", "%s of %s", K_FORMAT, "ss", "the credited invoice's number and its issue date"},
  {"label.replaces", "Replaces invoice", K_TEXT, NULL, NULL},
  {"label.credit_note_number", "Credit note number", K_TEXT, NULL, NULL},
  {"label.credit_note_date", "Credit note date", K_TEXT, NULL, NULL},
  {"credit_note.instructions",
   "No payment is due on a credit note: its total is credited to your account against the invoice it names.",
   K_TEXT, NULL, NULL},
  {"label.contact_credit_note", "Questions about this credit note? Call %s", K_FORMAT, "s",
   "the billing-questions phone number"},
  {"label.draft", "DRAFT", K_TEXT, NULL, NULL},
  {"label.draft_note", "Draft for review: not issued, no number reserved, not payable", K_TEXT, NULL, NULL},
  {"label.bill_to", "Bill to", K_TEXT, NULL, NULL},
  {"label.invoice_number", "Invoice number", K_TEXT, NULL, NULL},
  {"label.invoice_date", "Invoice date", K_TEXT, NULL, NULL},
  {"label.customer_number", "Customer number", K_TEXT, NULL, NULL},
  {"label.contract_number", "Contract number", K_TEXT, NULL, NULL},
  {"label.billing_period", "Billing period", K_TEXT, NULL, NULL},
  {"label.due_date", "Due date", K_TEXT, NULL, NULL},
  {"label.order_numbers", "Order numbers", K_TEXT, NULL, NULL},
  {"label.currency", "Currency", K_TEXT, NULL, NULL},
  {"label.col.line", "#", K_TEXT, NULL, NULL},
  {"label.col.machine", "Machine", K_TEXT, NULL, NULL},
  {"label.col.product", "Product", K_TEXT, NULL, NULL},
  {"label.col.charge_type", "Charge type", K_TEXT, NULL, NULL},
  {"label.col.quantity", "Quantity", K_TEXT, NULL, NULL},
  {"label.col.unit_price", "Unit price", K_TEXT, NULL, NULL},
  {"label.col.amount", "Amount", K_TEXT, NULL, NULL},
  {"label.tiered", "tiered", K_TEXT, NULL, NULL},
  {"label.tier_base", "base charge", K_TEXT, NULL, NULL},
  {"label.sysplex", "Sysplex %s", K_FORMAT, "s", "the sysplex name"},
  {"label.order", "Order %s", K_FORMAT, "s", "the order number"},
  {"label.subtotal", "Subtotal", K_TEXT, NULL, NULL},
  {"label.discount", "Discount", K_TEXT, NULL, NULL},
  {"label.total", "Total", K_TEXT, NULL, NULL},
  {"label.page", "Page %d of %d", K_FORMAT, "dd", "the page number and the page count"},
  {"label.continued", "Continued on next page", K_TEXT, NULL, NULL},
  {"label.prompt_pay", "Pay by %s and deduct %s: pay %s", K_FORMAT, "sss",
   "the last day, the discount amount and the discounted total"},
  {"label.prompt_pay_discount", "Prompt payment discount %s of %s = %s", K_FORMAT, "sss",
   "the percentage, the base and the discount amount"},
  {"label.prompt_pay_less", "%s (the total less line %s and its taxes, R-M2)", K_FORMAT, "ss",
   "the base amount and the lines left out of it"},
  {"label.payment_terms", "Payment terms: net %d days, due %s", K_FORMAT, "ds",
   "the number of days and the due date"},
  {"label.contact", "Questions about this invoice? Call %s", K_FORMAT, "s",
   "the billing-questions phone number"},
  {"number.thousands_sep", ",", K_THOUSANDS, NULL, NULL},
  {"number.decimal_mark", ".", K_DECIMAL, NULL, NULL},
  {"currency.position", "before", K_POSITION, NULL, NULL},
  {"date.months", "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", K_MONTHS, NULL, NULL},
  {"font.regular", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", K_FONT, NULL, NULL},
  {"font.bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", K_FONT, NULL, NULL},
  {"page.size", "A4", K_PAGE, NULL, NULL},
  {"pdfa.icc_profile", PDFA_DEFAULT_ICC, K_ICC, NULL, NULL},
};
#define NKEYS (sizeof(KEYS) / sizeof(KEYS[0]))

/* Symbols known without a template line; anything else prints its ISO code. */
static const struct {
  const char *code, *sym;
} CURRENCY_DEFAULTS[] = {
  {"EUR", "\u20ac"}, {"USD", "$"}, {"CAD", "CA$"}, {"GBP", "\u00a3"}, {"JPY", "\u00a5"},
};
#define NCURDEF (sizeof(CURRENCY_DEFAULTS) / sizeof(CURRENCY_DEFAULTS[0]))

typedef struct cur_sym {
  char key[13]; /* "currency.EUR" */
  char *sym;
  long line;    /* where the file set it, for duplicate messages */
} cur_sym;

struct lb_template {
  char *path;
  char *val[NKEYS]; /* value from the file; NULL = built-in default */
  long line[NKEYS]; /* line that set val[i], 0 when not set */
  cur_sym *cur;
  size_t ncur, curcap;
};

static int key_index(const char *key)
{
  for(size_t i = 0; i < NKEYS; i++)
    if(!strcmp(KEYS[i].key, key))
      return (int)i;
  return -1;
}

static int is_currency_key(const char *key)
{
  return !strncmp(key, "currency.", 9) && strlen(key) == 12 && key[9] >= 'A' && key[9] <= 'Z' &&
         key[10] >= 'A' && key[10] <= 'Z' && key[11] >= 'A' && key[11] <= 'Z';
}

const char *tpl_get(const lb_template *t, const char *key)
{
  int i = key_index(key);
  if(i >= 0)
    return t->val[i] ? t->val[i] : KEYS[i].def;
  if(!is_currency_key(key))
    return NULL;
  for(size_t k = 0; k < t->ncur; k++)
    if(!strcmp(t->cur[k].key, key))
      return t->cur[k].sym;
  for(size_t k = 0; k < NCURDEF; k++)
    if(!strcmp(CURRENCY_DEFAULTS[k].code, key + 9))
      return CURRENCY_DEFAULTS[k].sym;
  return NULL;
}

const char *tpl_currency_symbol(const lb_template *t, const char *code)
{
  char key[32];
  const char *s = NULL;
  if(code && strlen(code) == 3) {
    snprintf(key, sizeof(key), "currency.%s", code);
    s = tpl_get(t, key);
  }
  return s ? s : (code ? code : "");
}

const char *tpl_path(const lb_template *t) { return t->path; }

void tpl_free(lb_template *t)
{
  if(!t)
    return;
  for(size_t i = 0; i < NKEYS; i++)
    free(t->val[i]);
  for(size_t k = 0; k < t->ncur; k++)
    free(t->cur[k].sym);
  free(t->cur);
  free(t->path);
  free(t);
}

/* 1-based column in characters of byte offset `off` of `s`. */
static long col_of(const char *s, size_t off)
{
  long col = 1;
  for(size_t i = 0; i < off; i++)
    if(((unsigned char)s[i] & 0xC0) != 0x80)
      col++;
  return col;
}

/* Check that `v` holds exactly the conversions of `sig` in order ("%%" is a
 * literal percent sign). On mismatch returns 1 and sets *bad to the byte
 * offset to point at. */
static int format_mismatch(const char *v, const char *sig, size_t *bad)
{
  size_t k = 0;
  for(size_t i = 0; v[i]; i++) {
    if(v[i] != '%')
      continue;
    if(v[i + 1] == '%') {
      i++;
      continue;
    }
    if((v[i + 1] != 'd' && v[i + 1] != 's') || sig[k] != v[i + 1]) {
      *bad = i;
      return 1;
    }
    k++;
    i++;
  }
  if(sig[k]) {
    *bad = strlen(v);
    return 1;
  }
  return 0;
}

static const char *sig_words(const char *sig)
{
  if(!strcmp(sig, "s"))
    return "one %s";
  if(!strcmp(sig, "dd"))
    return "%d then %d";
  if(!strcmp(sig, "sss"))
    return "%s, %s and %s";
  if(!strcmp(sig, "ds"))
    return "%d then %s";
  return sig;
}

/* Smallest edit distance, for the "did you mean" of an unknown key. */
static size_t edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
  if(la >= 63 || lb >= 63)
    return 99;
  for(size_t j = 0; j <= lb; j++)
    prev[j] = j;
  for(size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for(size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, sizeof(size_t) * (lb + 1));
  }
  return prev[lb];
}

static char *join_path(const char *dir, const char *name)
{
  size_t n = strlen(dir);
  char *p = malloc(n + strlen(name) + 2);
  if(!p)
    return NULL;
  memcpy(p, dir, n);
  if(n && dir[n - 1] != '/')
    p[n++] = '/';
  strcpy(p + n, name);
  return p;
}

/* A font file is checked at load so that a wrong path is reported with its
 * line rather than as a failed render of the first invoice. */
static int font_problem(const char *path, char *why, size_t whylen)
{
  unsigned char magic[4];
  FILE *fp = fopen(path, "rb");
  if(!fp) {
    snprintf(why, whylen, "%s", strerror(errno));
    return 1;
  }
  size_t n = fread(magic, 1, 4, fp);
  fclose(fp);
  if(n != 4 || !((magic[0] == 0 && magic[1] == 1 && magic[2] == 0 && magic[3] == 0) ||
                 !memcmp(magic, "true", 4))) {
    snprintf(why, whylen, "not a TrueType font");
    return 1;
  }
  return 0;
}

/* Check value `v` for key k; on a problem, report it at the value's column.
 * May replace *v (font paths are resolved against dir). */
static int check_value(const tpl_key *k, char **v, const char *dir, const char *path, long lineno,
                       const char *line, size_t voff, diag_list *d)
{
  size_t bad = 0;
  char why[256];
  const char *s = *v;
  long col = col_of(line, voff);
  switch(k->kind) {
  case K_TEXT:
    return LB_OK;
  case K_FORMAT:
    if(format_mismatch(s, k->sig, &bad))
      return diag_add(d, path, lineno, col_of(line, voff + bad), NULL,
                      "%s must contain %s (%s) and no other %% placeholder; write %%%% for a "
                      "percent sign",
                      k->key, sig_words(k->sig), k->what);
    return LB_OK;
  case K_FONT: {
    char *full = s[0] == '/' ? strdup(s) : join_path(dir, s), *abs;
    if(!full)
      return LB_ENOMEM;
    /* absolute, so that the path still holds if the process changes directory */
    if(s[0] && (abs = realpath(full, NULL)) != NULL) {
      free(full);
      full = abs;
    }
    if(!s[0] || font_problem(full, why, sizeof(why))) {
      int rc = diag_add(d, path, lineno, col, NULL,
                        "cannot use font file \"%s\" (%s); expected a readable TrueType .ttf file",
                        full, s[0] ? why : "empty path");
      free(full);
      return rc;
    }
    free(*v);
    *v = full;
    return LB_OK;
  }
  case K_ICC: {
    /* checked here, like a font, so that a wrong path is reported with its line */
    char *full = s[0] == '/' ? strdup(s) : join_path(dir, s), *abs;
    pdfa_profile *icc = NULL;
    if(!full)
      return LB_ENOMEM;
    if(s[0] && (abs = realpath(full, NULL)) != NULL) {
      free(full);
      full = abs;
    }
    int prc = s[0] ? pdfa_profile_load(&icc, full, why, sizeof(why)) : LB_EIO;
    pdfa_profile_free(icc);
    if(prc == LB_ENOMEM) {
      free(full);
      return LB_ENOMEM;
    }
    if(prc) {
      int rc = diag_add(d, path, lineno, col, NULL,
                        "cannot use colour profile \"%s\" (%s); expected a readable ICC version 2 RGB "
                        "profile such as " PDFA_DEFAULT_ICC " (Debian package icc-profiles-free)",
                        full, s[0] ? why : "empty path");
      free(full);
      return rc;
    }
    free(*v);
    *v = full;
    return LB_OK;
  }
  case K_PAGE:
    if(!strcmp(s, "A4") || !strcmp(s, "Letter"))
      return LB_OK;
    return diag_add(d, path, lineno, col, NULL, "unknown page size \"%s\"; expected A4 or Letter",
                    s);
  case K_THOUSANDS:
    if(!s[0] || (!s[1] && (s[0] == ',' || s[0] == '.' || s[0] == ' ' || s[0] == '\'' ||
                           s[0] == '_')))
      return LB_OK;
    return diag_add(d, path, lineno, col, NULL,
                    "thousands separator \"%s\" is not supported; expected one of , . ' _ or \" \" "
                    "(quoted space), or nothing for no grouping",
                    s);
  case K_DECIMAL:
    if(!strcmp(s, ".") || !strcmp(s, ","))
      return LB_OK;
    return diag_add(d, path, lineno, col, NULL,
                    "decimal mark \"%s\" is not supported; expected . or ,", s);
  case K_POSITION:
    if(!strcmp(s, "before") || !strcmp(s, "after"))
      return LB_OK;
    return diag_add(d, path, lineno, col, NULL,
                    "currency position \"%s\" is unknown; expected before or after", s);
  case K_MONTHS: {
    int words = 0;
    for(const char *p = s; *p;) {
      while(*p == ' ' || *p == '\t')
        p++;
      if(!*p)
        break;
      words++;
      while(*p && *p != ' ' && *p != '\t')
        p++;
    }
    if(words == 12)
      return LB_OK;
    return diag_add(d, path, lineno, col, NULL,
                    "%d month names; expected 12 separated by spaces (Jan Feb ... Dec)", words);
  }
  }
  return LB_OK;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_keychar(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/* Parse one physical line (without its newline) into t. Problems go to d and
 * make the function return LB_EINPUT; LB_ENOMEM stops the load. */
static int parse_line(lb_template *t, const char *dir, char *line, size_t len, long lineno,
                      diag_list *d)
{
  const char *path = t->path;
  size_t bad, i = 0, kbeg, kend, vbeg, vend;
  char *val = NULL;
  int rc;

  if(len && line[len - 1] == '\r')
    line[--len] = '\0';
  if(lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3))
    i = 3; /* a BOM from an editor is not part of the first key */
  if(!utf8_valid(line, len, &bad))
    return diag_add(d, path, lineno, col_of(line, bad), NULL,
                    "invalid UTF-8 byte 0x%02X; expected UTF-8 text",
                    (unsigned)(unsigned char)line[bad]);
  if(strlen(line) != len)
    return diag_add(d, path, lineno, col_of(line, strlen(line)), NULL,
                    "NUL byte in line; expected text");
  while(i < len && is_blank(line[i]))
    i++;
  if(i == len || line[i] == '#')
    return LB_OK;

  kbeg = i;
  while(i < len && is_keychar(line[i]))
    i++;
  kend = i;
  if(kend == kbeg)
    return diag_add(d, path, lineno, col_of(line, i), NULL,
                    "malformed line: expected a key such as label.total at the start of the line, "
                    "or # for a comment");
  while(i < len && is_blank(line[i]))
    i++;
  if(i == len || line[i] != '=')
    return diag_add(d, path, lineno, col_of(line, i), NULL,
                    "malformed line: expected '=' after the key \"%.*s\" (key = value)",
                    (int)(kend - kbeg), line + kbeg);
  i++;
  while(i < len && is_blank(line[i]))
    i++;
  vbeg = i;
  vend = len;
  while(vend > vbeg && is_blank(line[vend - 1]))
    vend--;
  if(vend > vbeg && line[vbeg] == '"') {
    if(vend - vbeg < 2 || line[vend - 1] != '"')
      return diag_add(d, path, lineno, col_of(line, vbeg), NULL,
                      "unterminated quoted value; expected a closing '\"' at the end of the line");
    vbeg++;
    vend--;
  }
  for(size_t k = vbeg; k < vend; k++)
    if((unsigned char)line[k] < 0x20 || line[k] == 0x7F)
      return diag_add(d, path, lineno, col_of(line, k), NULL,
                      "control character 0x%02X in value; expected printable text",
                      (unsigned)(unsigned char)line[k]);

  line[kend] = '\0'; /* the key ends before any blank or '=' */
  const char *key = line + kbeg;
  int ki = key_index(key);

  if(ki < 0 && !is_currency_key(key)) {
    const char *best = NULL;
    size_t bestd = 4; /* only suggest near misses */
    for(size_t k = 0; k < NKEYS; k++) {
      size_t dist = edit_distance(key, KEYS[k].key);
      if(dist < bestd) {
        bestd = dist;
        best = KEYS[k].key;
      }
    }
    if(!strncmp(key, "currency.", 9))
      return diag_add(d, path, lineno, col_of(line, kbeg), NULL,
                      "unknown key \"%s\"; expected currency.position or currency.XXX with a "
                      "three-letter ISO 4217 code in capitals",
                      key);
    if(best)
      return diag_add(d, path, lineno, col_of(line, kbeg), NULL,
                      "unknown key \"%s\"; did you mean \"%s\"?", key, best);
    return diag_add(d, path, lineno, col_of(line, kbeg), NULL,
                    "unknown key \"%s\"; expected one of the keys of templates/default/template.conf",
                    key);
  }

  val = strndup(line + vbeg, vend - vbeg);
  if(!val)
    return LB_ENOMEM;

  if(ki < 0) {
    for(size_t k = 0; k < t->ncur; k++)
      if(!strcmp(t->cur[k].key, key)) {
        rc = diag_add(d, path, lineno, col_of(line, kbeg), NULL,
                      "key \"%s\" already set on line %ld; expected each key once", key,
                      t->cur[k].line);
        goto out;
      }
    if(!val[0]) {
      rc = diag_add(d, path, lineno, col_of(line, vbeg), NULL,
                    "empty currency symbol; expected a symbol such as \u20ac, or leave the line out "
                    "to print the ISO code");
      goto out;
    }
    if(t->ncur == t->curcap) {
      size_t ncap = t->curcap ? t->curcap * 2 : 8;
      cur_sym *nc = realloc(t->cur, ncap * sizeof(*nc));
      if(!nc) {
        rc = LB_ENOMEM;
        goto out;
      }
      t->cur = nc;
      t->curcap = ncap;
    }
    cur_sym *c = &t->cur[t->ncur++];
    memcpy(c->key, key, 13);
    c->sym = val;
    c->line = lineno;
    val = NULL;
    rc = LB_OK;
    goto out;
  }

  if(t->line[ki]) {
    rc = diag_add(d, path, lineno, col_of(line, kbeg), NULL,
                  "key \"%s\" already set on line %ld; expected each key once", key, t->line[ki]);
    goto out;
  }
  rc = check_value(&KEYS[ki], &val, dir, path, lineno, line, vbeg, d);
  if(rc)
    goto out;
  t->val[ki] = val;
  t->line[ki] = lineno;
  val = NULL;
out:
  free(val);
  return rc;
}

/* The built-in defaults are checked like file values once per load, so that
 * an edit of the table above cannot ship a label that breaks rendering. */
static int check_defaults(const lb_template *t, diag_list *d)
{
  size_t bad;
  for(size_t i = 0; i < NKEYS; i++)
    if(KEYS[i].kind == K_FORMAT && format_mismatch(KEYS[i].def, KEYS[i].sig, &bad))
      return diag_add(d, t->path, 0, 0, NULL, "built-in default of %s is invalid", KEYS[i].key);
  return LB_OK;
}

int tpl_load(lb_template **out, const char *dir, diag_list *d)
{
  int rc = LB_ENOMEM, bad = 0;
  FILE *fp = NULL;
  char *line = NULL;
  size_t cap = 0;
  long lineno = 0;
  lb_template *t = calloc(1, sizeof(*t));
  if(!t)
    goto out;
  t->path = join_path(dir, TPL_FILE);
  if(!t->path)
    goto out;
  fp = fopen(t->path, "r");
  if(!fp) {
    diag_add(d, t->path, 0, 0, NULL, "cannot open template: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  for(;;) {
    errno = 0;
    ssize_t n = getline(&line, &cap, fp);
    if(n < 0) {
      if(errno == ENOMEM) {
        rc = LB_ENOMEM;
        goto out;
      }
      break;
    }
    lineno++;
    if(n && line[n - 1] == '\n')
      line[--n] = '\0';
    if(n > LINE_MAX_BYTES) {
      diag_add(d, t->path, lineno, 0, NULL, "line of %zd bytes; expected at most %d", n,
               LINE_MAX_BYTES);
      bad = 1;
      continue;
    }
    rc = parse_line(t, dir, line, (size_t)n, lineno, d);
    if(rc == LB_ENOMEM)
      goto out;
    if(rc)
      bad = 1;
  }
  if(ferror(fp)) {
    diag_add(d, t->path, 0, 0, NULL, "cannot read template: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  if(check_defaults(t, d))
    bad = 1;
  if(bad) {
    rc = LB_EINPUT;
    goto out;
  }
  *out = t;
  t = NULL;
  rc = LB_OK;
out:
  if(fp)
    fclose(fp);
  free(line);
  tpl_free(t);
  return rc;
}
