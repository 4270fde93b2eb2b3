/* ledger.c - SQLite ledger: documents with their lines, gapless numbers, carry-forward state, runs. */
#include "output/ledger.h"
#include "output/digest.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ledger {
  char lasterr[256]; /* SQLite's message at the last failure, before any rollback */
  sqlite3 *db;
  char *path;
  ledger_numbering num;
  int have_num;
  int depth; /* open transactions: 1 a BEGIN, more savepoints inside it (tx_begin) */
};

/* ---- migrations: index i brings the schema from version i to i+1 ---- */
static const char *const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE runs(id INTEGER PRIMARY KEY, month TEXT NOT NULL, started_at TEXT NOT NULL,"
  "  ended_at TEXT, inputs_sha256 TEXT NOT NULL, outcome TEXT, invoiced INTEGER, rejected INTEGER);"
  "CREATE TABLE documents("
  "  number TEXT PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK(kind IN ('invoice','credit_note')),"
  "  status TEXT NOT NULL CHECK(status IN ('pending','issued')),"
  "  customer_id TEXT NOT NULL, month TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),"
  "  corrects TEXT REFERENCES documents(number), superseded_by TEXT REFERENCES documents(number),"
  "  currency TEXT, customer_name TEXT, customer_address TEXT, country TEXT, customer_class TEXT,"
  "  contract_number TEXT, contact TEXT, issue_date TEXT, period_start TEXT, period_end TEXT,"
  "  due_date TEXT, payment_terms_days INTEGER, prompt_pay_pct INTEGER, prompt_pay_until TEXT,"
  "  prompt_pay_discount INTEGER, prompt_pay_total INTEGER,"
  "  subtotal INTEGER, discount INTEGER, tax INTEGER, total INTEGER,"
  "  content_sha256 TEXT, pdf_sha256 TEXT, UNIQUE(year, seq));"
  "CREATE INDEX documents_by_customer ON documents(customer_id, month);"
  "CREATE TABLE lines(number TEXT NOT NULL REFERENCES documents(number), line INTEGER NOT NULL,"
  "  serial TEXT, type_model TEXT, sysplex TEXT, product_id TEXT, product_name TEXT, charge_type TEXT,"
  "  order_number TEXT, quantity INTEGER, unit TEXT, has_unit_price INTEGER, unit_price INTEGER,"
  "  amount INTEGER, rules TEXT, note TEXT, tiers TEXT, PRIMARY KEY(number, line));"
  "CREATE TABLE taxes(number TEXT NOT NULL REFERENCES documents(number), idx INTEGER NOT NULL,"
  "  name TEXT, rate_pct INTEGER, base INTEGER, amount INTEGER, PRIMARY KEY(number, idx));"
  "CREATE TABLE audit(number TEXT NOT NULL REFERENCES documents(number), idx INTEGER NOT NULL,"
  "  line INTEGER, step INTEGER, rule TEXT, inputs TEXT, detail TEXT, value TEXT, PRIMARY KEY(number, idx));"
  "CREATE TABLE state(customer_id TEXT NOT NULL, key TEXT NOT NULL, month TEXT NOT NULL, value TEXT NOT NULL,"
  "  PRIMARY KEY(customer_id, key, month));"
  /* amounts are kept in 1/10000 units; this view shows them as decimals for people */
  "CREATE VIEW issued AS SELECT number, kind, customer_id, month, currency, issue_date,"
  "  printf('%s%d.%02d', CASE WHEN total < 0 THEN '-' ELSE '' END, abs(total) / 10000,"
  "         (abs(total) % 10000) / 100) AS total, corrects, superseded_by, pdf_sha256"
  "  FROM documents WHERE status = 'issued' ORDER BY year, seq;",
  /* 1 -> 2: typed audit steps (value kind and number, refs in rows of their own) and carried state by kind
   * and subject; legacy_audit() fills the typed columns of the rows written before */
  "ALTER TABLE audit ADD COLUMN value_kind INTEGER;"
  "ALTER TABLE audit ADD COLUMN value_num INTEGER;"
  "ALTER TABLE audit ADD COLUMN value_places INTEGER;"
  "ALTER TABLE audit ADD COLUMN value_unit TEXT;"
  "CREATE TABLE audit_refs(number TEXT NOT NULL REFERENCES documents(number), idx INTEGER NOT NULL,"
  "  k INTEGER NOT NULL, kind TEXT NOT NULL, line INTEGER NOT NULL, name TEXT, state TEXT, effective TEXT,"
  "  PRIMARY KEY(number, idx, k));"
  "CREATE TABLE carried(customer_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,"
  "  month TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(customer_id, kind, subject, month));"
  "INSERT INTO carried SELECT customer_id, substr(key, 1, instr(key, ':') - 1), substr(key, instr(key, ':') + 1),"
  "  month, value FROM state WHERE instr(key, ':') > 0;"
  "DROP TABLE state;",
  /* 2 -> 3: what the billing team was told about how a document was billed (R-T2 full capacity); compared is NULL
   * when there was nothing to compare with */
  "CREATE TABLE notices(number TEXT NOT NULL REFERENCES documents(number), idx INTEGER NOT NULL,"
  "  rule TEXT NOT NULL, serial TEXT NOT NULL, reason TEXT NOT NULL, billed INTEGER NOT NULL, compared INTEGER,"
  "  PRIMARY KEY(number, idx));",
  /* 3 -> 4: documents over time: the identity version of content_sha256 (recomputed when the code's differs,
   * ledger_open), the issue date set when the number is reserved, the invoice a new one replaces and the one
   * that replaced it, the month folder a document is filed in (a correction of a closed month is filed in the
   * open one); closed months; the licbill version and rule book of each run */
  "ALTER TABLE documents ADD COLUMN identity_version INTEGER;"
  "ALTER TABLE documents ADD COLUMN replaces TEXT REFERENCES documents(number);"
  "ALTER TABLE documents ADD COLUMN replaced_by TEXT REFERENCES documents(number);"
  "ALTER TABLE documents ADD COLUMN filed_in TEXT;"
  "UPDATE documents SET filed_in = month;"
  "UPDATE documents SET replaces = (SELECT c.corrects FROM documents c WHERE c.kind = 'credit_note' AND "
  "  c.customer_id = documents.customer_id AND c.month = documents.month AND c.seq = documents.seq - 1 AND "
  "  c.year = documents.year) WHERE kind = 'invoice';"
  "UPDATE documents SET replaced_by = (SELECT n.number FROM documents n WHERE n.replaces = documents.number) "
  "  WHERE kind = 'invoice';"
  "CREATE TABLE months(month TEXT PRIMARY KEY, closed_run INTEGER REFERENCES runs(id), closed_at TEXT NOT NULL);"
  "ALTER TABLE runs ADD COLUMN licbill_version TEXT;"
  "ALTER TABLE runs ADD COLUMN rulebook_sha256 TEXT;"
  "ALTER TABLE runs ADD COLUMN issue_date TEXT;"
  /* the run whose list of issued documents (OUT/issued/) named the document; NULL: not listed yet */
  "ALTER TABLE documents ADD COLUMN listed_run INTEGER;"
  "UPDATE documents SET listed_run = 0 WHERE status = 'issued';",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int legacy_audit(ledger *l);
static int rehash_identities(ledger *l);
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s);

static int fail(ledger *l, diag_list *d, const char *what)
{
  if(d)
    diag_add(d, l->path, 0, 0, NULL, "%s: %s", what, l->db ? sqlite3_errmsg(l->db) : "cannot open");
  return LB_EIO;
}

static int exec(ledger *l, const char *sql)
{
  return sqlite3_exec(l->db, sql, NULL, NULL, NULL) == SQLITE_OK ? LB_OK : LB_EIO;
}

/* A transaction that nests: the outermost is BEGIN IMMEDIATE ... COMMIT, one
 * inside it (a document issued within ledger_group_begin) a savepoint. */
static int tx_begin(ledger *l)
{
  if(exec(l, l->depth ? "SAVEPOINT tx" : "BEGIN IMMEDIATE"))
    return LB_EIO;
  l->depth++;
  return LB_OK;
}

/* LB_EIO leaves it open: the caller rolls it back. */
static int tx_commit(ledger *l)
{
  if(exec(l, l->depth > 1 ? "RELEASE tx" : "COMMIT"))
    return LB_EIO;
  l->depth--;
  return LB_OK;
}

static void tx_rollback(ledger *l)
{
  if(!l->depth)
    return;
  if(l->depth > 1) {
    exec(l, "ROLLBACK TO tx");
    exec(l, "RELEASE tx");
  } else
    exec(l, "ROLLBACK");
  l->depth--;
}

static void remember(ledger *l);

int ledger_group_begin(ledger *l) { return l->depth ? LB_EIO : tx_begin(l); }

int ledger_group_commit(ledger *l)
{
  if(l->depth != 1)
    return LB_EIO;
  if(tx_commit(l)) {
    remember(l);
    tx_rollback(l);
    return LB_EIO;
  }
  return LB_OK;
}

void ledger_group_rollback(ledger *l)
{
  if(l->depth == 1)
    tx_rollback(l);
}

static int schema_version(ledger *l, int *v)
{
  sqlite3_stmt *st;
  *v = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'", -1, &st, NULL))
    return LB_EIO;
  int step = sqlite3_step(st);
  int has = step == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
  sqlite3_finalize(st);
  if(step != SQLITE_ROW)
    return LB_EIO;
  if(!has)
    return LB_OK;
  if(sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL))
    return LB_EIO;
  step = sqlite3_step(st);
  if(step == SQLITE_ROW)
    *v = atoi((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return step == SQLITE_ROW || step == SQLITE_DONE ? LB_OK : LB_EIO;
}

static int ledger_setup(ledger *l, const char *path, diag_list *d);

int ledger_open(ledger **out, const char *path, diag_list *d)
{
  ledger *l = calloc(1, sizeof(*l));
  int rc = LB_EIO;
  if(!l || !(l->path = strdup(path))) {
    free(l);
    return LB_ENOMEM;
  }
  if(sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL)) {
    rc = fail(l, d, "cannot open the ledger");
    goto out;
  }
  sqlite3_busy_timeout(l->db, 10000);
  /* WAL with full sync: a commit is durable when it returns */
  if(exec(l, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")) {
    rc = fail(l, d, "cannot set up the ledger");
    goto out;
  }
  if((rc = ledger_setup(l, path, d)))
    goto out;
  *out = l;
  return LB_OK;
out:
  ledger_close(l);
  return rc;
}

int ledger_open_copy(ledger **out, const char *path, diag_list *d)
{
  ledger *l = calloc(1, sizeof(*l));
  sqlite3 *src = NULL;
  sqlite3_backup *b;
  int rc = LB_EIO;
  if(!l || !(l->path = strdup(path))) {
    free(l);
    return LB_ENOMEM;
  }
  /* the ledger read, never written: a copy in memory, brought to this licbill's schema */
  if(sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) ||
     sqlite3_open_v2(":memory:", &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL)) {
    rc = fail(l, d, "cannot open the ledger to read it");
    goto out;
  }
  sqlite3_busy_timeout(src, 10000);
  if(!(b = sqlite3_backup_init(l->db, "main", src, "main")) || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
     sqlite3_backup_finish(b) != SQLITE_OK) {
    if(b)
      sqlite3_backup_finish(b);
    diag_add(d, path, 0, 0, NULL, "cannot read the ledger: %s", sqlite3_errmsg(l->db));
    goto out;
  }
  if(exec(l, "PRAGMA foreign_keys=ON;") || (rc = ledger_setup(l, path, d)))
    goto out;
  sqlite3_close(src);
  *out = l;
  return LB_OK;
out:
  sqlite3_close(src);
  ledger_close(l);
  return rc ? rc : LB_EIO;
}

/* Migrations and identity hashes, in one transaction. */
static int ledger_setup(ledger *l, const char *path, diag_list *d)
{
  int v, rc = LB_EIO;
  if(exec(l, "BEGIN IMMEDIATE") || schema_version(l, &v)) {
    rc = fail(l, d, "cannot read the ledger's schema version");
    goto out;
  }
  if(v > NMIGRATIONS) {
    exec(l, "ROLLBACK");
    diag_add(d, path, 0, 0, NULL, "ledger schema version %d is newer than this licbill understands (%d), "
             "expected a ledger written by this or an older version", v, NMIGRATIONS);
    rc = LB_EIO;
    goto out;
  }
  for(; v < NMIGRATIONS; v++) {
    char sql[96];
    if(exec(l, migrations[v]) || (v == 1 && legacy_audit(l))) {
      exec(l, "ROLLBACK");
      rc = fail(l, d, "cannot migrate the ledger");
      goto out;
    }
    snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO meta VALUES('schema_version', '%d')", v + 1);
    if(exec(l, sql)) {
      exec(l, "ROLLBACK");
      rc = fail(l, d, "cannot migrate the ledger");
      goto out;
    }
  }
  if(rehash_identities(l)) {
    exec(l, "ROLLBACK");
    if(l->lasterr[0]) {
      diag_add(d, l->path, 0, 0, NULL, "cannot bring the documents' identity hashes to this licbill's version: %s",
               l->lasterr);
      rc = LB_EIO;
    } else
      rc = fail(l, d, "cannot bring the documents' identity hashes to this licbill's version");
    goto out;
  }
  if(exec(l, "COMMIT")) {
    rc = fail(l, d, "cannot migrate the ledger");
    goto out;
  }
  return LB_OK;
out:
  return rc;
}

void ledger_close(ledger *l)
{
  if(!l)
    return;
  sqlite3_close(l->db);
  free(l->path);
  free(l);
}

const char *ledger_errmsg(const ledger *l)
{
  if(!l || !l->db)
    return "not open";
  return l->lasterr[0] ? l->lasterr : sqlite3_errmsg(l->db);
}

/* Keep SQLite's own words for the failure: a ROLLBACK would replace them. */
static void remember(ledger *l)
{
  snprintf(l->lasterr, sizeof(l->lasterr), "%s", sqlite3_errmsg(l->db));
}
const char *ledger_path(const ledger *l) { return l ? l->path : ""; }

static const char *col_text(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? s : "";
}

static int meta_get(ledger *l, const char *key, char *buf, size_t n)
{
  sqlite3_stmt *st;
  int found = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  if(step == SQLITE_ROW) {
    snprintf(buf, n, "%s", col_text(st, 0));
    found = 1;
  } else if(step != SQLITE_DONE)
    found = LB_EIO;
  sqlite3_finalize(st);
  return found;
}

/* Run a statement that returns no rows with two text parameters. LB_OK or LB_EIO. */
static int exec2(ledger *l, const char *sql, const char *a, const char *b)
{
  sqlite3_stmt *st;
  int rc;
  if(sqlite3_prepare_v2(l->db, sql, -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  sqlite3_finalize(st);
  return rc;
}

static int meta_set(ledger *l, const char *key, const char *value)
{
  return exec2(l, "INSERT OR REPLACE INTO meta VALUES(?, ?)", key, value);
}

int ledger_numbering_use(ledger *l, const ledger_numbering *want, ledger_numbering *got, diag_list *d)
{
  char prefix[32], year[8], width[8];
  ledger_numbering def = {"INV-", 1, 6};
  int hp = meta_get(l, "number_prefix", prefix, sizeof(prefix)), hy = meta_get(l, "number_year", year, sizeof(year)),
      hw = meta_get(l, "number_width", width, sizeof(width));
  if(hp < 0 || hy < 0 || hw < 0)
    return fail(l, d, "cannot read the numbering");
  int have = hp == 1 && hy == 1 && hw == 1;
  if(!have) {
    const ledger_numbering *n = want ? want : &def;
    char w[8];
    snprintf(w, sizeof(w), "%d", n->width);
    if(exec(l, "BEGIN IMMEDIATE") || meta_set(l, "number_prefix", n->prefix) ||
       meta_set(l, "number_year", n->with_year ? "yes" : "no") || meta_set(l, "number_width", w) ||
       exec(l, "COMMIT")) {
      exec(l, "ROLLBACK");
      return fail(l, d, "cannot store the numbering");
    }
    l->num = *n;
  } else {
    snprintf(l->num.prefix, sizeof(l->num.prefix), "%s", prefix);
    l->num.with_year = strcmp(year, "yes") == 0;
    l->num.width = atoi(width);
    if(want && (strcmp(want->prefix, l->num.prefix) || want->with_year != l->num.with_year ||
                want->width != l->num.width))
      return diag_add(d, l->path, 0, 0, NULL,
                      "this ledger numbers documents as prefix '%s', %s year, %d digits; a different numbering "
                      "was asked for, expected the same options as when the ledger was created",
                      l->num.prefix, l->num.with_year ? "with" : "without", l->num.width);
  }
  l->have_num = 1;
  if(got)
    *got = l->num;
  return LB_OK;
}

static void now_text(char *buf, size_t n)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ledger_run_begin(ledger *l, lb_month m, const char *inputs_sha, long long *run_id)
{
  sqlite3_stmt *st;
  char when[32], mon[8];
  int rc;
  now_text(when, sizeof(when));
  if(sqlite3_prepare_v2(l->db, "INSERT INTO runs(month, started_at, inputs_sha256) VALUES(?, ?, ?)", -1, &st,
                        NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, month_format(mon, m), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, inputs_sha, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  sqlite3_finalize(st);
  *run_id = sqlite3_last_insert_rowid(l->db);
  return rc;
}

int ledger_run_about(ledger *l, long long run_id, const char *version, const char *rulebook_sha, lb_date issue)
{
  sqlite3_stmt *st;
  char d[11];
  int rc;
  if(sqlite3_prepare_v2(l->db, "UPDATE runs SET licbill_version = ?, rulebook_sha256 = ?, issue_date = ? WHERE id = ?",
                        -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, version, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, rulebook_sha, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, date_format(d, issue), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, run_id);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  sqlite3_finalize(st);
  return rc;
}

int ledger_run_end(ledger *l, long long run_id, const char *outcome, long invoiced, long rejected)
{
  sqlite3_stmt *st;
  char when[32];
  int rc;
  now_text(when, sizeof(when));
  if(sqlite3_prepare_v2(l->db, "UPDATE runs SET ended_at = ?, outcome = ?, invoiced = ?, rejected = ? WHERE id = ?",
                        -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, outcome, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, invoiced);
  sqlite3_bind_int64(st, 4, rejected);
  sqlite3_bind_int64(st, 5, run_id);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  sqlite3_finalize(st);
  return rc;
}


#define DOC_COLS "number, seq, kind, status, customer_id, month, content_sha256, pdf_sha256, corrects, " \
                 "superseded_by, replaces, replaced_by, identity_version, issue_date, filed_in, currency, total"
#define DOC_NCOLS 17

static void read_doc(sqlite3_stmt *st, ledger_doc *doc)
{
  /* columns: DOC_COLS */
  size_t ep;
  memset(doc, 0, sizeof(*doc));
  snprintf(doc->number, sizeof(doc->number), "%s", col_text(st, 0));
  doc->seq = sqlite3_column_int64(st, 1);
  doc->kind = strcmp(col_text(st, 2), "credit_note") == 0 ? DOC_CREDIT_NOTE : DOC_INVOICE;
  doc->status = strcmp(col_text(st, 3), "issued") == 0 ? DOC_ISSUED : DOC_PENDING;
  snprintf(doc->customer_id, sizeof(doc->customer_id), "%s", col_text(st, 4));
  month_parse(&doc->month, col_text(st, 5), strlen(col_text(st, 5)), &ep);
  snprintf(doc->content_sha, sizeof(doc->content_sha), "%s", col_text(st, 6));
  snprintf(doc->pdf_sha, sizeof(doc->pdf_sha), "%s", col_text(st, 7));
  snprintf(doc->corrects, sizeof(doc->corrects), "%s", col_text(st, 8));
  snprintf(doc->superseded_by, sizeof(doc->superseded_by), "%s", col_text(st, 9));
  snprintf(doc->replaces, sizeof(doc->replaces), "%s", col_text(st, 10));
  snprintf(doc->replaced_by, sizeof(doc->replaced_by), "%s", col_text(st, 11));
  doc->identity_version = sqlite3_column_int(st, 12);
  doc->issue_date = DATE_NONE;
  if(sqlite3_column_type(st, 13) != SQLITE_NULL)
    date_parse(&doc->issue_date, col_text(st, 13), strlen(col_text(st, 13)), &ep);
  doc->filed_in = doc->month;
  if(sqlite3_column_type(st, 14) != SQLITE_NULL)
    month_parse(&doc->filed_in, col_text(st, 14), strlen(col_text(st, 14)), &ep);
  snprintf(doc->currency, sizeof(doc->currency), "%s", col_text(st, 15));
  doc->total = sqlite3_column_int64(st, 16);
}

/* The one row a look-up may find: 1 (read into *out), 0 none, LB_EIO on an SQLite error (never "none"). */
static int step_one(ledger *l, sqlite3_stmt *st, ledger_doc *out)
{
  int step = sqlite3_step(st);
  if(step == SQLITE_ROW) {
    read_doc(st, out);
    return 1;
  }
  if(step == SQLITE_DONE)
    return 0;
  remember(l);
  return LB_EIO;
}


int ledger_current_invoice(ledger *l, const char *customer_id, lb_month m, ledger_doc *out)
{
  sqlite3_stmt *st;
  char mon[8];
  int found = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT " DOC_COLS " FROM documents WHERE customer_id = ? AND month = ? AND "
                        "kind = 'invoice' AND superseded_by IS NULL ORDER BY year DESC, seq DESC LIMIT 1",
                        -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, month_format(mon, m), -1, SQLITE_TRANSIENT);
  found = step_one(l, st, out);
  sqlite3_finalize(st);
  return found;
}

/* A pending credit note (a crash between reserving and issuing it) is reused. */
static int pending_credit(ledger *l, const char *corrects, ledger_doc *out)
{
  sqlite3_stmt *st;
  int found = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT " DOC_COLS " FROM documents WHERE kind = 'credit_note' AND "
                        "corrects = ? AND status = 'pending'", -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, corrects, -1, SQLITE_TRANSIENT);
  found = step_one(l, st, out);
  sqlite3_finalize(st);
  return found;
}

int ledger_reserve(ledger *l, const ledger_new *n, ledger_doc *out)
{
  sqlite3_stmt *st = NULL;
  char mon[8], filed[8], issued[11];
  long long seq = 1;
  int year = month_year(month_of(n->issue_date)), rc = LB_EIO;
  if(!l->have_num && ledger_numbering_use(l, NULL, NULL, NULL))
    return LB_EIO;
  if(n->kind == DOC_CREDIT_NOTE && n->corrects) {
    int r = pending_credit(l, n->corrects, out);
    if(r)
      return r < 0 ? r : LB_OK;
  }
  if(tx_begin(l))
    return LB_EIO;
  /* gapless: the next number of the sequence, within the transaction */
  if(sqlite3_prepare_v2(l->db, "SELECT coalesce(max(seq), 0) + 1 FROM documents WHERE year = ?", -1, &st, NULL))
    goto out;
  sqlite3_bind_int(st, 1, l->num.with_year ? year : 0);
  if(sqlite3_step(st) != SQLITE_ROW)
    goto out;
  seq = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  st = NULL;
  memset(out, 0, sizeof(*out));
  if(l->num.with_year)
    snprintf(out->number, sizeof(out->number), "%s%04d-%0*lld", l->num.prefix, year, l->num.width, seq);
  else
    snprintf(out->number, sizeof(out->number), "%s%0*lld", l->num.prefix, l->num.width, seq);
  out->seq = seq;
  out->kind = n->kind;
  out->status = DOC_PENDING;
  out->month = n->month;
  out->issue_date = n->issue_date;
  out->filed_in = n->filed_in;
  snprintf(out->customer_id, sizeof(out->customer_id), "%s", n->customer_id);
  if(n->corrects)
    snprintf(out->corrects, sizeof(out->corrects), "%s", n->corrects);
  if(n->replaces)
    snprintf(out->replaces, sizeof(out->replaces), "%s", n->replaces);
  if(sqlite3_prepare_v2(l->db, "INSERT INTO documents(number, year, seq, kind, status, customer_id, month, run_id, "
                        "corrects, replaces, issue_date, filed_in) VALUES(?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
                        -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, out->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, l->num.with_year ? year : 0);
  sqlite3_bind_int64(st, 3, seq);
  sqlite3_bind_text(st, 4, n->kind == DOC_CREDIT_NOTE ? "credit_note" : "invoice", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, n->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, month_format(mon, n->month), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 7, n->run_id);
  bind_text_or_null(st, 8, n->corrects);
  bind_text_or_null(st, 9, n->replaces);
  sqlite3_bind_text(st, 10, date_format(issued, n->issue_date), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 11, month_format(filed, n->filed_in), -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_DONE)
    goto out;
  ledger_crash_point("reserve: inside the transaction");
  rc = tx_commit(l);
  if(rc)
    remember(l);
out:
  if(rc)
    remember(l);
  sqlite3_finalize(st);
  if(rc)
    tx_rollback(l);
  return rc;
}

/* The one text value of a one-row query such as "SELECT max(x) FROM t" into
 * buf (empty for NULL). LB_OK or LB_EIO (remembered). */
static int query_text(ledger *l, const char *sql, char *buf, size_t cap)
{
  sqlite3_stmt *st;
  int rc = LB_EIO;
  buf[0] = '\0';
  if(sqlite3_prepare_v2(l->db, sql, -1, &st, NULL))
    return LB_EIO;
  if(sqlite3_step(st) == SQLITE_ROW) {
    rc = LB_OK;
    if(sqlite3_column_type(st, 0) != SQLITE_NULL)
      snprintf(buf, cap, "%s", col_text(st, 0));
  }
  if(rc)
    remember(l);
  sqlite3_finalize(st);
  return rc;
}

int ledger_latest_issue(ledger *l, lb_date *out)
{
  char v[32];
  size_t ep;
  *out = DATE_NONE;
  if(query_text(l, "SELECT max(issue_date) FROM documents", v, sizeof(v)))
    return LB_EIO;
  return v[0] && date_parse(out, v, strlen(v), &ep) ? LB_EIO : LB_OK;
}

int ledger_month_closed(ledger *l, lb_month m, int *closed)
{
  sqlite3_stmt *st;
  char mon[8];
  int step;
  if(sqlite3_prepare_v2(l->db, "SELECT 1 FROM months WHERE month = ?", -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, month_format(mon, m), -1, SQLITE_TRANSIENT);
  step = sqlite3_step(st);
  *closed = step == SQLITE_ROW;
  sqlite3_finalize(st);
  if(step != SQLITE_ROW && step != SQLITE_DONE) {
    remember(l);
    return LB_EIO;
  }
  return LB_OK;
}

int ledger_first_open(ledger *l, lb_month *out)
{
  char v[32];
  size_t ep;
  lb_month m;
  *out = MONTH_NONE;
  if(query_text(l, "SELECT max(month) FROM months", v, sizeof(v)))
    return LB_EIO;
  if(!v[0])
    return LB_OK;
  if(month_parse(&m, v, strlen(v), &ep))
    return LB_EIO;
  *out = m + 1;
  return LB_OK;
}

int ledger_close_through(ledger *l, lb_month m, long long run_id)
{
  sqlite3_stmt *st = NULL;
  char mon[8], when[32];
  int rc = LB_EIO;
  now_text(when, sizeof(when));
  /* every month up to m with a document filed in it, and m itself */
  if(tx_begin(l))
    return LB_EIO;
  if(sqlite3_prepare_v2(l->db, "SELECT number, filed_in FROM documents WHERE status = 'pending' AND filed_in <= ? "
                        "ORDER BY number LIMIT 1", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, month_format(mon, m), -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st);
  if(step == SQLITE_ROW) {
    snprintf(l->lasterr, sizeof(l->lasterr), "month %s cannot be closed: document %s was reserved by a run that did "
             "not finish, expected that month run again first", col_text(st, 1), col_text(st, 0));
    rc = LB_EINPUT;
    sqlite3_finalize(st);
    tx_rollback(l);
    return rc;
  }
  if(step != SQLITE_DONE)
    goto out;
  sqlite3_finalize(st);
  st = NULL;
  if(sqlite3_prepare_v2(l->db, "INSERT OR IGNORE INTO months(month, closed_run, closed_at) SELECT DISTINCT filed_in, "
                        "?1, ?2 FROM documents WHERE filed_in <= ?3 UNION SELECT ?3, ?1, ?2", -1, &st, NULL))
    goto out;
  if(run_id > 0)
    sqlite3_bind_int64(st, 1, run_id);
  else
    sqlite3_bind_null(st, 1); /* licbill close */
  sqlite3_bind_text(st, 2, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, month_format(mon, m), -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_DONE)
    goto out;
  rc = tx_commit(l);
out:
  if(rc)
    remember(l);
  sqlite3_finalize(st);
  if(rc)
    tx_rollback(l);
  return rc;
}

static char *tiers_text(const charge_line *c)
{
  char *s = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&s, &n);
  if(!fp)
    return NULL;
  for(int i = 0; i < c->ntiers; i++)
    fprintf(fp, "%s%ld %ld %ld %lld %lld", i ? ";" : "", c->tiers[i].from_qty, c->tiers[i].to_qty, c->tiers[i].qty,
            (long long)c->tiers[i].unit_price, (long long)c->tiers[i].fixed_price);
  fclose(fp);
  return s;
}

static int parse_tiers(charge_line *c, const char *s)
{
  size_t n = 1;
  for(const char *p = s ? s : ""; *p; p++)
    n += *p == ';';
  if(invoice_line_tiers(c, n))
    return LB_ENOMEM;
  while(s && *s && (size_t)c->ntiers < n) {
    tier_part *t = &c->tiers[c->ntiers];
    long long up, fx;
    int used = 0;
    if(sscanf(s, "%ld %ld %ld %lld %lld%n", &t->from_qty, &t->to_qty, &t->qty, &up, &fx, &used) != 5)
      break;
    t->unit_price = up;
    t->fixed_price = fx;
    c->ntiers++;
    s += used;
    if(*s == ';')
      s++;
  }
  return LB_OK;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
  if(s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i, lb_date dt)
{
  char buf[16];
  if(dt == DATE_NONE || dt == 0)
    sqlite3_bind_null(st, i);
  else
    sqlite3_bind_text(st, i, date_format(buf, dt), -1, SQLITE_TRANSIENT);
}

/* The audit steps of a document: the readable columns (rule, inputs, detail, value as audit.csv writes them)
 * and the typed ones (value kind, number, places, unit; refs in audit_refs). */
static int insert_notices(ledger *l, const char *number, const invoice *inv)
{
  sqlite3_stmt *st = NULL;
  int rc = LB_EIO;
  if(sqlite3_prepare_v2(l->db, "INSERT INTO notices VALUES(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL))
    goto out;
  for(size_t i = 0; i < inv->nnotices; i++) {
    const invoice_notice *n = &inv->notices[i];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (long long)i);
    sqlite3_bind_text(st, 3, rule_id_text(n->rule), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, n->serial, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, n->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, n->billed);
    if(n->has_compared)
      sqlite3_bind_int64(st, 7, n->compared);
    else
      sqlite3_bind_null(st, 7);
    if(sqlite3_step(st) != SQLITE_DONE)
      goto out;
  }
  rc = LB_OK;
out:
  sqlite3_finalize(st);
  return rc;
}

static int load_notices(ledger *l, const char *number, invoice *inv)
{
  sqlite3_stmt *st = NULL;
  int rc = LB_EIO, step;
  if(sqlite3_prepare_v2(l->db, "SELECT rule, serial, reason, billed, compared FROM notices WHERE number = ? "
                        "ORDER BY idx", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    rule_id rule;
    const char *rt = col_text(st, 0);
    if(rule_id_parse(&rule, rt, strlen(rt))) {
      snprintf(l->lasterr, sizeof(l->lasterr), "a notice of %s names rule '%s', expected a rule id this licbill "
               "declares", number, rt);
      goto out;
    }
    int has = sqlite3_column_type(st, 4) != SQLITE_NULL;
    if((rc = invoice_notice_add(inv, rule, col_text(st, 1), sqlite3_column_int64(st, 3),
                                has ? sqlite3_column_int64(st, 4) : 0, has, col_text(st, 2))))
      goto out;
    rc = LB_EIO;
  }
  rc = step == SQLITE_DONE ? LB_OK : LB_EIO;
out:
  sqlite3_finalize(st);
  return rc;
}

static int insert_audit(ledger *l, const char *number, const invoice *inv)
{
  sqlite3_stmt *st = NULL, *rs = NULL;
  char val[AUDIT_VALUE_MAX];
  int rc = LB_EIO;
  if(sqlite3_prepare_v2(l->db, "INSERT INTO audit(number, idx, line, step, rule, inputs, detail, value, value_kind, "
                        "value_num, value_places, value_unit) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
                        NULL) ||
     sqlite3_prepare_v2(l->db, "INSERT INTO audit_refs VALUES(?, ?, ?, ?, ?, ?, ?, ?)", -1, &rs, NULL))
    goto out;
  for(size_t i = 0; i < inv->naudit; i++) {
    const audit_step *a = &inv->audit[i];
    char *inputs = audit_inputs_text(a);
    if(!inputs) {
      rc = LB_ENOMEM;
      goto out;
    }
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (long long)i);
    sqlite3_bind_int(st, 3, a->line);
    sqlite3_bind_int(st, 4, a->step);
    sqlite3_bind_text(st, 5, rule_id_text(a->rule), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, inputs, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 7, a->detail);
    sqlite3_bind_text(st, 8, audit_value_format(val, sizeof(val), &a->value), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 9, (int)a->value.kind);
    sqlite3_bind_int64(st, 10, a->value.num);
    sqlite3_bind_int(st, 11, a->value.places);
    bind_text_or_null(st, 12, a->value.text);
    int step = sqlite3_step(st);
    free(inputs);
    if(step != SQLITE_DONE)
      goto out;
    for(size_t k = 0; k < a->nrefs; k++) {
      const input_ref *f = &a->refs[k];
      sqlite3_reset(rs);
      sqlite3_bind_text(rs, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(rs, 2, (long long)i);
      sqlite3_bind_int64(rs, 3, (long long)k);
      sqlite3_bind_text(rs, 4, src_file_name(f->kind), -1, SQLITE_STATIC);
      sqlite3_bind_int64(rs, 5, f->line);
      bind_text_or_null(rs, 6, f->name);
      bind_text_or_null(rs, 7, f->state < CARRY__COUNT ? carry_name(f->state) : NULL);
      bind_date(rs, 8, f->effective);
      if(sqlite3_step(rs) != SQLITE_DONE)
        goto out;
    }
  }
  rc = LB_OK;
out:
  sqlite3_finalize(st);
  sqlite3_finalize(rs);
  return rc;
}

/* ---- ledgers of schema 1: their audit rows had text only ---- */

static int legacy_audit(ledger *l)
{
  sqlite3_stmt *sel = NULL, *upd = NULL, *ins = NULL;
  int rc = LB_EIO, step;
  if(sqlite3_prepare_v2(l->db, "SELECT number, idx, inputs, detail, value FROM audit WHERE value_kind IS NULL", -1,
                        &sel, NULL) ||
     sqlite3_prepare_v2(l->db, "UPDATE audit SET value_kind = ?, value_num = ?, value_places = ?, value_unit = ? "
                        "WHERE number = ? AND idx = ?", -1, &upd, NULL) ||
     sqlite3_prepare_v2(l->db, "INSERT INTO audit_refs VALUES(?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL))
    goto out;
  while((step = sqlite3_step(sel)) == SQLITE_ROW) {
    const char *number = col_text(sel, 0), *inputs = col_text(sel, 2), *detail = col_text(sel, 3);
    long long idx = sqlite3_column_int64(sel, 1);
    const char *eff = strstr(detail, "effective ");
    lb_date effective = DATE_NONE;
    input_ref *refs;
    size_t nrefs, ep;
    audit_value v;
    if(eff && strlen(eff + 10) >= 10)
      date_parse(&effective, eff + 10, 10, &ep);
    if(audit_value_parse(col_text(sel, 4), &v) || audit_refs_parse(inputs, effective, &refs, &nrefs)) {
      if(v.text)
        free((char *)v.text);
      goto out;
    }
    sqlite3_reset(upd);
    sqlite3_bind_int(upd, 1, (int)v.kind);
    sqlite3_bind_int64(upd, 2, v.num);
    sqlite3_bind_int(upd, 3, v.places);
    bind_text_or_null(upd, 4, v.text);
    sqlite3_bind_text(upd, 5, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(upd, 6, idx);
    int ok = sqlite3_step(upd) == SQLITE_DONE;
    free((char *)v.text);
    for(size_t k = 0; ok && k < nrefs; k++) {
      const input_ref *f = &refs[k];
      sqlite3_reset(ins);
      sqlite3_bind_text(ins, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(ins, 2, idx);
      sqlite3_bind_int64(ins, 3, (long long)k);
      sqlite3_bind_text(ins, 4, src_file_name(f->kind), -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 5, f->line);
      bind_text_or_null(ins, 6, f->name);
      bind_text_or_null(ins, 7, f->state < CARRY__COUNT ? carry_name(f->state) : NULL);
      bind_date(ins, 8, f->effective);
      ok = sqlite3_step(ins) == SQLITE_DONE;
    }
    input_refs_free(refs, nrefs);
    if(!ok)
      goto out;
  }
  rc = step == SQLITE_DONE ? LB_OK : LB_EIO;
out:
  sqlite3_finalize(sel);
  sqlite3_finalize(upd);
  sqlite3_finalize(ins);
  return rc;
}

int ledger_issue(ledger *l, ledger_doc *doc, const invoice *inv, const char *content_sha, const char *pdf_sha)
{
  sqlite3_stmt *st = NULL;
  int rc = LB_EIO;
  if(tx_begin(l))
    return LB_EIO;
  if(sqlite3_prepare_v2(l->db,
                        "UPDATE documents SET status = 'issued', currency = ?, customer_name = ?, customer_address = ?, "
                        "country = ?, customer_class = ?, contract_number = ?, contact = ?, issue_date = ?, "
                        "period_start = ?, period_end = ?, due_date = ?, payment_terms_days = ?, prompt_pay_pct = ?, "
                        "prompt_pay_until = ?, prompt_pay_discount = ?, prompt_pay_total = ?, subtotal = ?, "
                        "discount = ?, tax = ?, total = ?, content_sha256 = ?, pdf_sha256 = ?, identity_version = ? "
                        "WHERE number = ? AND status = 'pending'", -1, &st, NULL))
    goto out;
  bind_text_or_null(st, 1, inv->currency);
  bind_text_or_null(st, 2, inv->customer_name);
  bind_text_or_null(st, 3, inv->customer_address);
  bind_text_or_null(st, 4, inv->country);
  bind_text_or_null(st, 5, inv->customer_class);
  bind_text_or_null(st, 6, inv->contract_number);
  bind_text_or_null(st, 7, inv->contact);
  bind_date(st, 8, inv->issue_date);
  bind_date(st, 9, inv->period_start);
  bind_date(st, 10, inv->period_end);
  bind_date(st, 11, inv->due_date);
  sqlite3_bind_int(st, 12, inv->payment_terms_days);
  sqlite3_bind_int64(st, 13, inv->prompt_pay_pct);
  bind_date(st, 14, inv->prompt_pay_pct ? inv->prompt_pay_until : DATE_NONE);
  sqlite3_bind_int64(st, 15, inv->prompt_pay_discount);
  sqlite3_bind_int64(st, 16, inv->prompt_pay_total);
  sqlite3_bind_int64(st, 17, inv->subtotal);
  sqlite3_bind_int64(st, 18, inv->discount);
  sqlite3_bind_int64(st, 19, inv->tax);
  sqlite3_bind_int64(st, 20, inv->total);
  sqlite3_bind_text(st, 21, content_sha, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 22, pdf_sha, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 23, INVOICE_IDENTITY_VERSION);
  sqlite3_bind_text(st, 24, doc->number, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(l->db) != 1)
    goto out;
  sqlite3_finalize(st);
  st = NULL;
  if(sqlite3_prepare_v2(l->db, "INSERT INTO lines VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st,
                        NULL))
    goto out;
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *c = &inv->lines[i];
    char rules[RULE_SET_TEXT_MAX];
    char *tiers = tiers_text(c);
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, doc->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, c->line);
    bind_text_or_null(st, 3, c->serial);
    bind_text_or_null(st, 4, c->type_model);
    bind_text_or_null(st, 5, c->sysplex);
    bind_text_or_null(st, 6, c->product_id);
    bind_text_or_null(st, 7, c->product_name);
    bind_text_or_null(st, 8, line_charge_type(c));
    bind_text_or_null(st, 9, c->order_number);
    sqlite3_bind_int64(st, 10, c->quantity);
    bind_text_or_null(st, 11, c->unit);
    sqlite3_bind_int(st, 12, c->has_unit_price);
    sqlite3_bind_int64(st, 13, c->unit_price);
    sqlite3_bind_int64(st, 14, c->amount);
    bind_text_or_null(st, 15, rule_set_format(&c->rules, rules, sizeof(rules)));
    bind_text_or_null(st, 16, c->note);
    bind_text_or_null(st, 17, tiers);
    int step = sqlite3_step(st);
    free(tiers);
    if(step != SQLITE_DONE)
      goto out;
  }
  sqlite3_finalize(st);
  st = NULL;
  if(sqlite3_prepare_v2(l->db, "INSERT INTO taxes VALUES(?, ?, ?, ?, ?, ?)", -1, &st, NULL))
    goto out;
  for(size_t i = 0; i < inv->ntaxes; i++) {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, doc->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (long long)i);
    bind_text_or_null(st, 3, inv->taxes[i].name);
    sqlite3_bind_int64(st, 4, inv->taxes[i].rate_pct);
    sqlite3_bind_int64(st, 5, inv->taxes[i].base);
    sqlite3_bind_int64(st, 6, inv->taxes[i].amount);
    if(sqlite3_step(st) != SQLITE_DONE)
      goto out;
  }
  sqlite3_finalize(st);
  st = NULL;
  if((rc = insert_audit(l, doc->number, inv)) || (rc = insert_notices(l, doc->number, inv)))
    goto out;
  rc = LB_EIO;
  /* both ways: the cancelled invoice names its credit note, the replaced one its replacement */
  if(doc->kind == DOC_CREDIT_NOTE && doc->corrects[0] &&
     exec2(l, "UPDATE documents SET superseded_by = ? WHERE number = ?", doc->number, doc->corrects))
    goto out;
  if(doc->kind == DOC_INVOICE && doc->replaces[0] &&
     exec2(l, "UPDATE documents SET replaced_by = ? WHERE number = ?", doc->number, doc->replaces))
    goto out;
  ledger_crash_point("issue: inside the transaction");
  rc = tx_commit(l);
  if(rc)
    remember(l);
  if(!rc) {
    doc->status = DOC_ISSUED;
    snprintf(doc->content_sha, sizeof(doc->content_sha), "%s", content_sha);
    snprintf(doc->pdf_sha, sizeof(doc->pdf_sha), "%s", pdf_sha);
  }
out:
  if(rc)
    remember(l);
  sqlite3_finalize(st);
  if(rc)
    tx_rollback(l);
  return rc;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? strdup(s) : NULL;
}

static lb_date date_col(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  lb_date d = DATE_NONE;
  size_t ep;
  if(s)
    date_parse(&d, s, strlen(s), &ep);
  return d;
}

/* The typed audit steps of a document, with their refs. */
static int load_audit(ledger *l, const char *number, invoice *inv)
{
  sqlite3_stmt *st = NULL, *rs = NULL;
  input_ref *refs = NULL;
  size_t cap = 0;
  int rc = LB_EIO, step;
  if(sqlite3_prepare_v2(l->db, "SELECT idx, line, step, rule, detail, value_kind, value_num, value_places, value_unit "
                        "FROM audit WHERE number = ? ORDER BY idx", -1, &st, NULL) ||
     sqlite3_prepare_v2(l->db, "SELECT kind, line, name, state, effective FROM audit_refs WHERE number = ? AND "
                        "idx = ? ORDER BY k", -1, &rs, NULL))
    goto out;
  sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    rule_id rule;
    size_t n = 0;
    const char *rt = col_text(st, 3);
    audit_value v = {(value_kind)sqlite3_column_int(st, 5), sqlite3_column_int(st, 7), sqlite3_column_int64(st, 6),
                     (const char *)sqlite3_column_text(st, 8)};
    if(rule_id_parse(&rule, rt, strlen(rt))) {
      snprintf(l->lasterr, sizeof(l->lasterr), "an audit step of %s names rule '%s', expected a rule id this licbill "
               "declares", number, rt);
      goto out;
    }
    sqlite3_reset(rs);
    sqlite3_bind_text(rs, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(rs, 2, sqlite3_column_int64(st, 0));
    int rstep;
    while((rstep = sqlite3_step(rs)) == SQLITE_ROW) {
      if(n == cap) {
        size_t ncap = cap ? cap * 2 : 8;
        input_ref *nr = realloc(refs, ncap * sizeof(*nr));
        if(!nr) {
          rc = LB_ENOMEM;
          goto out;
        }
        refs = nr;
        cap = ncap;
      }
      input_ref *f = &refs[n++];
      const char *state = (const char *)sqlite3_column_text(rs, 3);
      *f = REF_LEDGER;
      if(src_kind_parse(&f->kind, col_text(rs, 0)) || (state && carry_kind_parse(&f->state, state, strlen(state)))) {
        snprintf(l->lasterr, sizeof(l->lasterr), "an audit step of %s refers to '%s' '%s', expected an input kind "
                 "this licbill declares", number, col_text(rs, 0), state ? state : "");
        goto out;
      }
      f->line = (long)sqlite3_column_int64(rs, 1);
      f->name = sqlite3_column_type(rs, 2) == SQLITE_NULL ? NULL : strdup(col_text(rs, 2));
      f->effective = date_col(rs, 4);
      if(sqlite3_column_type(rs, 2) != SQLITE_NULL && !f->name) {
        n--;
        rc = LB_ENOMEM;
        goto out;
      }
    }
    int e = rstep != SQLITE_DONE ? LB_EIO
                                 : invoice_audit_v(inv, sqlite3_column_int(st, 1), rule, refs, n, v, "%s",
                                                   col_text(st, 4));
    for(size_t k = 0; k < n; k++)
      free((char *)refs[k].name);
    n = 0;
    if(e) {
      rc = e;
      goto out;
    }
    inv->audit[inv->naudit - 1].step = sqlite3_column_int(st, 2);
  }
  rc = step == SQLITE_DONE ? LB_OK : LB_EIO;
out:
  free(refs);
  sqlite3_finalize(st);
  sqlite3_finalize(rs);
  return rc;
}

int ledger_load(ledger *l, const char *number, invoice *inv, ledger_doc *doc)
{
  sqlite3_stmt *st = NULL;
  int rc = LB_EIO, step;
  memset(inv, 0, sizeof(*inv));
  if(sqlite3_prepare_v2(l->db, "SELECT " DOC_COLS ", currency, customer_name, customer_address, country, "
                        "customer_class, contract_number, contact, issue_date, period_start, period_end, due_date, "
                        "payment_terms_days, prompt_pay_pct, prompt_pay_until, prompt_pay_discount, "
                        "prompt_pay_total, subtotal, discount, tax, total, "
                        "(SELECT o.issue_date FROM documents o WHERE o.number = documents.corrects) "
                        "FROM documents WHERE number = ?",
                        -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
  if(sqlite3_step(st) != SQLITE_ROW)
    goto out;
  read_doc(st, doc);
  inv->number = strdup(doc->number);
  inv->customer_id = strdup(doc->customer_id);
  inv->month = doc->month;
  inv->currency = dup_col(st, DOC_NCOLS + 0);
  inv->customer_name = dup_col(st, DOC_NCOLS + 1);
  inv->customer_address = dup_col(st, DOC_NCOLS + 2);
  inv->country = dup_col(st, DOC_NCOLS + 3);
  inv->customer_class = dup_col(st, DOC_NCOLS + 4);
  inv->contract_number = dup_col(st, DOC_NCOLS + 5);
  inv->contact = dup_col(st, DOC_NCOLS + 6);
  inv->issue_date = date_col(st, DOC_NCOLS + 7);
  inv->period_start = date_col(st, DOC_NCOLS + 8);
  inv->period_end = date_col(st, DOC_NCOLS + 9);
  inv->due_date = date_col(st, DOC_NCOLS + 10);
  inv->payment_terms_days = sqlite3_column_int(st, DOC_NCOLS + 11);
  inv->prompt_pay_pct = sqlite3_column_int64(st, DOC_NCOLS + 12);
  inv->prompt_pay_until = date_col(st, DOC_NCOLS + 13);
  inv->prompt_pay_discount = sqlite3_column_int64(st, DOC_NCOLS + 14);
  inv->prompt_pay_total = sqlite3_column_int64(st, DOC_NCOLS + 15);
  inv->subtotal = sqlite3_column_int64(st, DOC_NCOLS + 16);
  inv->discount = sqlite3_column_int64(st, DOC_NCOLS + 17);
  inv->tax = sqlite3_column_int64(st, DOC_NCOLS + 18);
  inv->total = sqlite3_column_int64(st, DOC_NCOLS + 19);
  if(doc->corrects[0]) {
    inv->corrects = strdup(doc->corrects);
    inv->corrects_issued = date_col(st, DOC_NCOLS + 20);
  }
  if(doc->replaces[0])
    inv->replaces = strdup(doc->replaces);
  inv->is_credit_note = doc->kind == DOC_CREDIT_NOTE;
  sqlite3_finalize(st);
  st = NULL;
  if(sqlite3_prepare_v2(l->db, "SELECT line, serial, type_model, sysplex, product_id, product_name, charge_type, "
                        "order_number, quantity, unit, has_unit_price, unit_price, amount, rules, note, tiers "
                        "FROM lines WHERE number = ? ORDER BY line", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    charge_line *c = invoice_add_line(inv);
    if(!c) {
      rc = LB_ENOMEM;
      goto out;
    }
    c->line = sqlite3_column_int(st, 0);
    c->sysplex = dup_col(st, 3);
    c->product_id = dup_col(st, 4);
    c->product_name = dup_col(st, 5);
    c->order_number = dup_col(st, 7);
    c->quantity = (long)sqlite3_column_int64(st, 8);
    c->unit = dup_col(st, 9);
    c->has_unit_price = sqlite3_column_int(st, 10);
    c->unit_price = sqlite3_column_int64(st, 11);
    c->amount = sqlite3_column_int64(st, 12);
    c->note = dup_col(st, 14);
    if(invoice_line_machines_text(c, col_text(st, 1), col_text(st, 2)) || parse_tiers(c, col_text(st, 15))) {
      rc = LB_ENOMEM;
      goto out;
    }
    /* the ledger writes declared charge types and rule ids only; anything else is a damaged ledger */
    if(charge_type_parse(col_text(st, 6), &c->ct) || rule_set_parse(&c->rules, col_text(st, 13), NULL)) {
      snprintf(l->lasterr, sizeof(l->lasterr), "line %d of %s has charge type '%s' and rules '%s', expected those "
               "this licbill declares", c->line, number, col_text(st, 6), col_text(st, 13));
      goto out;
    }
  }
  if(step != SQLITE_DONE)
    goto out;
  sqlite3_finalize(st);
  st = NULL;
  if(sqlite3_prepare_v2(l->db, "SELECT name, rate_pct, base, amount FROM taxes WHERE number = ? ORDER BY idx", -1,
                        &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    tax_line *t = invoice_add_tax(inv);
    if(!t) {
      rc = LB_ENOMEM;
      goto out;
    }
    t->name = dup_col(st, 0);
    t->rate_pct = sqlite3_column_int64(st, 1);
    t->base = sqlite3_column_int64(st, 2);
    t->amount = sqlite3_column_int64(st, 3);
  }
  if(step != SQLITE_DONE)
    goto out;
  sqlite3_finalize(st);
  st = NULL;
  if((rc = load_audit(l, number, inv)) || (rc = load_notices(l, number, inv)))
    goto out;
  rc = LB_OK;
out:
  sqlite3_finalize(st);
  return rc;
}

/* fn for every document a prepared SELECT DOC_COLS statement yields; finalizes it. */
static int each_doc_of(sqlite3_stmt *st, int (*fn)(void *ctx, const ledger_doc *doc), void *ctx)
{
  int rc = LB_OK, step;
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    ledger_doc doc;
    read_doc(st, &doc);
    if((rc = fn(ctx, &doc)))
      break;
  }
  if(!rc && step != SQLITE_DONE)
    rc = LB_EIO;
  sqlite3_finalize(st);
  return rc;
}

int ledger_each_unlisted(ledger *l, int (*fn)(void *ctx, const ledger_doc *doc), void *ctx)
{
  sqlite3_stmt *st;
  if(sqlite3_prepare_v2(l->db, "SELECT " DOC_COLS " FROM documents WHERE listed_run IS NULL AND status = 'issued' "
                        "ORDER BY year, seq", -1, &st, NULL))
    return LB_EIO;
  return each_doc_of(st, fn, ctx);
}

int ledger_mark_listed(ledger *l, long long run_id)
{
  sqlite3_stmt *st;
  int rc;
  if(sqlite3_prepare_v2(l->db, "UPDATE documents SET listed_run = ? WHERE listed_run IS NULL AND status = 'issued'",
                        -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_int64(st, 1, run_id);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  sqlite3_finalize(st);
  return rc;
}

int ledger_each_doc(ledger *l, lb_month m, int (*fn)(void *ctx, const ledger_doc *doc), void *ctx)
{
  sqlite3_stmt *st;
  char mon[8];
  if(sqlite3_prepare_v2(l->db, "SELECT " DOC_COLS " FROM documents WHERE filed_in = ? AND status = 'issued' "
                        "ORDER BY year, seq", -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, month_format(mon, m), -1, SQLITE_TRANSIENT);
  return each_doc_of(st, fn, ctx);
}

int ledger_carried(ledger *l, const char *customer_id, lb_month before, ledger_history_set *out)
{
  sqlite3_stmt *st = NULL;
  carried *v = NULL;
  char mon[8];
  size_t cap = 0;
  int rc = LB_EIO, step;
  memset(out, 0, sizeof(*out));
  /* the latest month of each (kind, subject) before `before`: rows come newest first per pair */
  if(sqlite3_prepare_v2(l->db, "SELECT kind, subject, month, value FROM carried WHERE customer_id = ? AND month < ? "
                        "ORDER BY kind, subject, month DESC", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, month_format(mon, before), -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *kind = col_text(st, 0), *subject = col_text(st, 1), *month = col_text(st, 2);
    carry_kind k;
    size_t ep;
    if(carry_kind_parse(&k, kind, strlen(kind)))
      continue; /* a kind of a later licbill: not this version's business */
    if(out->n && v[out->n - 1].kind == k && !strcmp(v[out->n - 1].subject, subject))
      continue; /* an older month of the same state */
    if(out->n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      carried *nv = realloc(v, ncap * sizeof(*nv));
      if(!nv) {
        rc = LB_ENOMEM;
        goto out;
      }
      out->v = v = nv;
      cap = ncap;
    }
    carried *c = &v[out->n];
    c->kind = k;
    if(!(c->subject = strdup(subject))) {
      rc = LB_ENOMEM;
      goto out;
    }
    out->n++;
    if(month_parse(&c->set_in, month, strlen(month), &ep) || carry_parse(&c->value, k, col_text(st, 3))) {
      snprintf(l->lasterr, sizeof(l->lasterr), "carried state %s %s of customer %s set in '%s' is '%s', expected "
               "what licbill records for that kind", kind, subject, customer_id, month, col_text(st, 3));
      goto out;
    }
  }
  rc = step == SQLITE_DONE ? LB_OK : LB_EIO;
out:
  if(rc == LB_EIO && !l->lasterr[0])
    remember(l);
  sqlite3_finalize(st);
  if(rc)
    ledger_history_set_clear(out);
  return rc;
}

void ledger_history_set_clear(ledger_history_set *h)
{
  if(!h)
    return;
  for(size_t i = 0; i < h->n; i++)
    free((char *)h->v[i].subject);
  free((carried *)h->v);
  memset(h, 0, sizeof(*h));
}

int ledger_carry(ledger *l, const char *customer_id, lb_month m, const carry_item *c)
{
  sqlite3_stmt *st;
  char mon[8], val[CARRY_TEXT_MAX];
  int rc;
  if(sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO carried VALUES(?, ?, ?, ?, ?)", -1, &st, NULL))
    return LB_EIO;
  sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, carry_name(c->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, c->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, month_format(mon, m), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, carry_format(val, sizeof(val), c->kind, &c->value), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st) == SQLITE_DONE ? LB_OK : LB_EIO;
  if(rc)
    remember(l);
  sqlite3_finalize(st);
  return rc;
}

int ledger_history(ledger *l, const char *customer_id, lb_month from, lb_month to, ledger_line_hist **lines,
                   size_t *nlines, ledger_capacity **caps, size_t *ncaps)
{
  sqlite3_stmt *st = NULL;
  char a[8], b[8];
  size_t cap = 0;
  size_t ep;
  int rc = LB_EIO, step;
  *lines = NULL;
  *caps = NULL;
  *nlines = *ncaps = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT d.month, li.serial, li.product_id, li.quantity, li.amount FROM lines li "
                        "JOIN documents d ON d.number = li.number WHERE d.customer_id = ? AND d.kind = 'invoice' "
                        "AND d.status = 'issued' AND d.superseded_by IS NULL AND d.month BETWEEN ? AND ? "
                        "ORDER BY d.month, li.line", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, month_format(a, from), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, month_format(b, to), -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    if(*nlines == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      ledger_line_hist *nl = realloc(*lines, ncap * sizeof(*nl));
      if(!nl) {
        rc = LB_ENOMEM;
        goto out;
      }
      *lines = nl;
      cap = ncap;
    }
    ledger_line_hist *h = &(*lines)[(*nlines)++];
    month_parse(&h->month, col_text(st, 0), 7, &ep);
    h->serial = strdup(col_text(st, 1));
    h->product_id = strdup(col_text(st, 2));
    if(!h->serial || !h->product_id) {
      rc = LB_ENOMEM;
      goto out;
    }
    h->quantity = (long)sqlite3_column_int64(st, 3);
    h->amount = sqlite3_column_int64(st, 4);
  }
  if(step != SQLITE_DONE)
    goto out;
  sqlite3_finalize(st);
  st = NULL;
  cap = 0;
  if(sqlite3_prepare_v2(l->db, "SELECT month, subject, value FROM carried WHERE customer_id = ? AND "
                        "kind = 'capacity' AND month BETWEEN ? AND ? ORDER BY month, subject", -1, &st, NULL))
    goto out;
  sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    if(*ncaps == cap) {
      size_t ncap = cap ? cap * 2 : 32;
      ledger_capacity *nc = realloc(*caps, ncap * sizeof(*nc));
      if(!nc) {
        rc = LB_ENOMEM;
        goto out;
      }
      *caps = nc;
      cap = ncap;
    }
    ledger_capacity *c = &(*caps)[(*ncaps)++];
    month_parse(&c->month, col_text(st, 0), 7, &ep);
    if(!(c->serial = strdup(col_text(st, 1)))) {
      rc = LB_ENOMEM;
      goto out;
    }
    c->msus = atol(col_text(st, 2));
  }
  if(step != SQLITE_DONE)
    goto out;
  rc = LB_OK;
out:
  sqlite3_finalize(st);
  if(rc) {
    ledger_history_free(*lines, *nlines, *caps, *ncaps);
    *lines = NULL;
    *caps = NULL;
    *nlines = *ncaps = 0;
  }
  return rc;
}

void ledger_history_free(ledger_line_hist *lines, size_t nlines, ledger_capacity *caps, size_t ncaps)
{
  for(size_t i = 0; lines && i < nlines; i++) {
    free(lines[i].serial);
    free(lines[i].product_id);
  }
  for(size_t i = 0; caps && i < ncaps; i++)
    free(caps[i].serial);
  free(lines);
  free(caps);
}

/* An identity version other than this licbill's (an older ledger, or one
 * written before the identity changed): every issued document's hash is
 * computed again from what the ledger holds of it, so that an upgrade by
 * itself never makes a document look changed (R-M8). Inside ledger_open's
 * transaction. */
static int rehash_identities(ledger *l)
{
  sqlite3_stmt *st = NULL, *up = NULL;
  int rc = LB_EIO, step;
  if(sqlite3_prepare_v2(l->db, "SELECT number FROM documents WHERE status = 'issued' AND (identity_version IS NULL "
                        "OR identity_version != ?) ORDER BY number", -1, &st, NULL) ||
     sqlite3_prepare_v2(l->db, "UPDATE documents SET content_sha256 = ?, identity_version = ? WHERE number = ?", -1,
                        &up, NULL))
    goto out;
  sqlite3_bind_int(st, 1, INVOICE_IDENTITY_VERSION);
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    char number[64], sha[65];
    invoice inv;
    ledger_doc doc;
    snprintf(number, sizeof(number), "%s", col_text(st, 0));
    if(ledger_load(l, number, &inv, &doc)) {
      invoice_clear(&inv);
      goto out;
    }
    char *id = invoice_identity(&inv);
    invoice_clear(&inv);
    if(!id)
      goto out;
    digest_sha256_hex(id, strlen(id), sha);
    free(id);
    sqlite3_reset(up);
    sqlite3_bind_text(up, 1, sha, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(up, 2, INVOICE_IDENTITY_VERSION);
    sqlite3_bind_text(up, 3, number, -1, SQLITE_TRANSIENT);
    if(sqlite3_step(up) != SQLITE_DONE)
      goto out;
  }
  rc = step == SQLITE_DONE ? LB_OK : LB_EIO;
out:
  sqlite3_finalize(st);
  sqlite3_finalize(up);
  return rc;
}

void ledger_crash_point(const char *where)
{
  static long at = -2, count = 0;
  if(at == -2) {
    const char *e = getenv("LICBILL_CRASH_AT");
    at = e ? atol(e) : -1;
  }
  if(at < 0)
    return;
  if(__atomic_add_fetch(&count, 1, __ATOMIC_SEQ_CST) == at) {
    fprintf(stderr, "licbill: crash point %ld reached (%s): killing the process\n", at, where);
    raise(SIGKILL);
  }
}
