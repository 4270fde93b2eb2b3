/* main.c - the licbill command line: run, plan, render, seal, check, close, gen, verify, explain, archive. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/about.h"
#include "core/diag.h"
#include "core/date.h"
#include "core/money.h"
#include "batch/gen.h"
#include "batch/verify.h"
#include "batch/run.h"


static const char usage_run[] =
  "usage: licbill run --input DIR --output DIR --month YYYY-MM [--jobs N] [--dry-run]\n"
  "                   [--issue-date YYYY-MM-DD] [--allow-open-month]\n"
  "                   [--template DIR] [--ledger FILE] [--verbose]\n"
  "                   [--no-corrections] [--number-prefix P] [--number-width N] [--number-year yes|no]\n"
  "Bill one month: invoices, charges.csv, invoices.csv, audit.csv, errors.csv under DIR/YYYY-MM/.\n"
  "  --input DIR     the input set (customers.csv, machines.csv, licenses.csv, ..., scrt/)\n"
  "  --output DIR    where the month folder is written; one run at a time per folder\n"
  "  --month YYYY-MM the billing month\n"
  "  --jobs N        price and render N customers in parallel (default 1)\n"
  "  --dry-run       a preview: DRAFT numbers, files under DIR/dry-run/, the ledger untouched\n"
  "  --template DIR  invoice template folder (default: templates/default next to the program)\n"
  "  --ledger FILE   the ledger of issued documents (default DIR/ledger.db, SQLite)\n"
  "  --no-corrections  when an invoiced customer's inputs changed, report it and exit 1\n"
  "                  instead of issuing a credit note and a new invoice\n"
  "  --number-prefix P, --number-width N, --number-year yes|no\n"
  "                  numbering of a new ledger (default INV-, 6 digits, with the year:\n"
  "                  INV-2026-000001); fixed once the ledger exists\n"
  "  --issue-date YYYY-MM-DD  the date on the documents (default today); due dates follow from it;\n"
  "                  never before the ledger's latest document, never after today\n"
  "  --allow-open-month  bill a month that has not ended by the issue date (previews, tests)\n"
  "  --verbose       log each customer to stderr\n"
  "Exit: 0 all invoiced, 1 some customers rejected, 2 usage, 3 input set unusable,\n"
  "      4 I/O or environment failure, 75 another run holds the lock.\n";
static const char usage_plan[] =
  "usage: licbill plan --input DIR --output DIR --month YYYY-MM [--parts N] [--jobs N]\n"
  "                    [--issue-date YYYY-MM-DD] [--allow-open-month] [--template DIR] [--ledger FILE]\n"
  "                    [--no-corrections] [--number-prefix P] [--number-width N] [--number-year yes|no] [--verbose]\n"
  "The first step of a month on several machines (README, \"More machines\"): price every customer with the\n"
  "ledger's history, reserve the invoice numbers in customer order as `run` does, issue the credit notes of\n"
  "corrections, and write the plan of the invoices to render in N parts under DIR/.parts/YYYY-MM/.\n"
  "  --parts N       how many parts `licbill render --part K/N` will draw (1-100000, default 1)\n"
  "Other options as for `licbill run`. Planning again (after an input fix) keeps the numbers reserved.\n"
  "Exit: 0 all planned, 1 some customers rejected (the others planned), 2 usage, 3 input set unusable,\n"
  "4 I/O or environment, 75 locked.\n";
static const char usage_render[] =
  "usage: licbill render --input DIR --output DIR --month YYYY-MM --part K/N [--jobs N] [--template DIR]\n"
  "                      [--verbose]\n"
  "Draw part K of N of the planned invoices (every N-th from the K-th) and their evidence into\n"
  "DIR/YYYY-MM/, without the ledger, then write the part's receipt. Run on any machine that sees the input\n"
  "set, the template and DIR/.parts/YYYY-MM/ as the plan saw them; a part run again gives the same files.\n"
  "Exit: 0 the part is drawn (or the plan is sealed already), 2 usage, 4 I/O or environment, or a plan,\n"
  "input set or template that does not match, 75 this part is being drawn by another process.\n";
static const char usage_seal[] =
  "usage: licbill seal --input DIR --output DIR --month YYYY-MM [--jobs N] [--ledger FILE] [--verbose]\n"
  "Check every part of the plan (its receipt, each PDF's sha256), then issue the documents in the ledger\n"
  "and write the month's CSV files, MANIFEST, archive and delivery list, as `run` does.\n"
  "Exit: 0 every customer invoiced, 1 some customers rejected, 2 usage, 3 input set unusable,\n"
  "4 a part missing or damaged (each listed; nothing issued) or I/O, 75 locked.\n";
static const char usage_check[] =
  "usage: licbill check --input DIR --month YYYY-MM [--issue-date YYYY-MM-DD] [--allow-open-month]\n"
  "Validate the input set and price every customer without writing anything.\n"
  "Exit codes as for run.\n";
static const char usage_close[] =
  "usage: licbill close --output DIR --month YYYY-MM [--ledger FILE]\n"
  "Close every month up to YYYY-MM: their folders and archives never change again; a later\n"
  "document for one of them (a correction) is filed in the first open month. Billing a month\n"
  "closes the months before it. Exit 0, 2 usage, 4 I/O.\n";
static const char usage_gen[] =
  "usage: licbill gen --output DIR --customers N [--seed S] [--month YYYY-MM]\n"
  "Write a synthetic input set (default month 2026-11, seed 1).\n";
static const char usage_verify[] =
  "usage: licbill verify --output DIR [--month YYYY-MM]\n"
  "       licbill verify --reprice (--output DIR [--month YYYY-MM] [--ledger FILE] | ARCHIVE)\n"
  "Re-hash every file of each month (or one month) against its MANIFEST, re-read every archive\n"
  "(gzip CRC and length, every tar member), check the chain of manifests and the ledger's PDF hashes.\n"
  "Each mismatch is printed with the file and the expected and actual values. Exit 0 all good, 1 a mismatch.\n"
  "--reprice: extract the month's archive (default the latest) alone, price the month again from the inputs\n"
  "it holds (with the ledger's carried state when there is one; nothing written), and print each amount that\n"
  "differs from what was issued (NUMBER line N: amount OLD -> NEW). Exit 0 all equal, 1 a difference,\n"
  "2 usage, 4 the archive cannot be read or priced.\n";
static const char usage_archive[] =
  "usage: licbill archive --output DIR --prune-older-than N [--month YYYY-MM]\n"
  "Remove loose month folders more than N months before the latest month (or --month), only when\n"
  "their archive verifies. Exit 0, 1 when a month was kept because its archive does not verify.\n";
static const char usage_explain[] =
  "usage: licbill explain --output DIR --invoice NUMBER [--line N] [--ledger FILE]\n"
  "Print the audit trail of an invoice or credit note (or one line) from the ledger.\n";
static const char usage_top[] =
  "usage: licbill COMMAND [OPTIONS]\n"
  "Month-end billing of mainframe software licenses.\n"
  "Commands:\n"
  "  run      bill a month\n"
  "  plan     bill a month on several machines: price, number, plan the parts (coordinator)\n"
  "  render   draw one part of a planned month (any machine)\n"
  "  seal     check the parts, issue, write the month's files and archive (coordinator)\n"
  "  check    validate an input set, write nothing\n"
  "  explain  print the audit trail of an invoice\n"
  "  verify   check outputs, archives, the manifest chain and the ledger\n"
  "  close    close months: their files never change again\n"
  "  archive  prune loose month folders whose archive verifies\n"
  "  gen      write a synthetic input set\n"
  "Run 'licbill COMMAND --help' for a command's options; 'licbill --version'.\n";

enum { O_INPUT = 1, O_OUTPUT, O_MONTH, O_JOBS, O_DRY, O_TEMPLATE, O_LEDGER, O_SHARD, O_VERBOSE, O_HELP,
       O_CUSTOMERS, O_SEED, O_INVOICE, O_LINE, O_NO_CORR, O_NPREFIX, O_NWIDTH, O_NYEAR, O_PRUNE, O_ISSUE,
       O_OPEN_MONTH, O_PARTS, O_PART, O_REPRICE };

static const struct option long_opts[] = {
  {"input", required_argument, 0, O_INPUT}, {"output", required_argument, 0, O_OUTPUT},
  {"month", required_argument, 0, O_MONTH}, {"jobs", required_argument, 0, O_JOBS},
  {"dry-run", no_argument, 0, O_DRY}, {"template", required_argument, 0, O_TEMPLATE},
  {"ledger", required_argument, 0, O_LEDGER}, {"shard", required_argument, 0, O_SHARD},
  {"verbose", no_argument, 0, O_VERBOSE}, {"help", no_argument, 0, O_HELP},
  {"customers", required_argument, 0, O_CUSTOMERS}, {"seed", required_argument, 0, O_SEED},
  {"invoice", required_argument, 0, O_INVOICE}, {"line", required_argument, 0, O_LINE},
  {"no-corrections", no_argument, 0, O_NO_CORR}, {"number-prefix", required_argument, 0, O_NPREFIX},
  {"number-width", required_argument, 0, O_NWIDTH}, {"number-year", required_argument, 0, O_NYEAR},
  {"prune-older-than", required_argument, 0, O_PRUNE}, {"issue-date", required_argument, 0, O_ISSUE},
  {"allow-open-month", no_argument, 0, O_OPEN_MONTH}, {"parts", required_argument, 0, O_PARTS},
  {"part", required_argument, 0, O_PART}, {"reprice", no_argument, 0, O_REPRICE},
  {0, 0, 0, 0}};

static int bad_usage(const char *usage, const char *fmt, const char *arg)
{
  fprintf(stderr, "licbill: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n%s", usage);
  return EXIT_USAGE;
}

static int parse_long(const char *s, long min, long max, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if(errno || end == s || *end || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

/* templates/default next to the binary, so cron can start it from anywhere */
static char *default_template(void)
{
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  char *s = NULL;
  if(n <= 0)
    return strdup("templates/default");
  exe[n] = '\0';
  char *dir = dirname(exe);
  /* build/licbill-san lives one level down */
  if(asprintf(&s, "%s/templates/default", dir) < 0)
    return NULL;
  if(access(s, R_OK) != 0) {
    free(s);
    if(asprintf(&s, "%s/../templates/default", dir) < 0)
      return NULL;
  }
  return s;
}

static int cmd_explain(const char *output, const char *ledger_path, const char *number, long line);
static int cmd_reprice(const char *archive, const char *output, const char *ledger_path, lb_month m);

/* Today on the local calendar: the default issue date. */
static lb_date today(void)
{
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The issue date: given or today; a month is billed once it has ended by
 * then, and no document is dated after today (the override is for
 * previews and tests, which bill a month ahead). 0 or EXIT_USAGE. */
static int settle_issue_date(run_opts *o, const char *given, const char *usage)
{
  lb_date now = today(), end = month_last_day(o->month);
  char a[11], b[11], m[8], msg[300];
  if(!given)
    o->issue_date = now;
  if(o->issue_date > now && !o->allow_open_month) {
    snprintf(msg, sizeof(msg), "--issue-date %s is after today (%s), expected today or an earlier day (a "
             "document is dated the day it is issued)", date_format(a, o->issue_date), date_format(b, now));
    return bad_usage(usage, "%s", msg);
  }
  if(o->issue_date <= end) {
    if(!o->allow_open_month) {
      snprintf(msg, sizeof(msg), "month %s has not ended by the issue date %s, expected a month that ended "
               "before it (--allow-open-month bills it anyway, for a preview)", month_format(m, o->month),
               date_format(a, o->issue_date));
      return bad_usage(usage, "%s", msg);
    }
    o->issue_date = end + 1; /* a preview of an open month is dated the day after it */
  }
  return 0;
}

int main(int argc, char **argv)
{
  run_opts o;
  const char *cmd, *usage, *month = NULL, *invoice = NULL, *issue = NULL;
  long customers = -1, seed = 1, line = -1, jobs = 1, prune = -1;
  int reprice = 0;
  char *tpl_default = NULL;
  int c, code;
  /* options given, for the phases of a month on several machines: what only plan decides, and the rest */
  enum { G_PLANNED = 1, G_LEDGER = 2, G_TEMPLATE = 4, G_PARTS = 8, G_PART = 16 };
  int given = 0;

  memset(&o, 0, sizeof(o));
  if(argc < 2)
    return bad_usage(usage_top, "%s", "a command is required");
  cmd = argv[1];
  if(!strcmp(cmd, "--version")) {
    printf("licbill %s (rule book sha256 %s)\n", licbill_version, rulebook_sha256);
    return 0;
  }
  if(!strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    fputs(usage_top, stdout);
    return 0;
  }
  if(!strcmp(cmd, "run"))
    usage = usage_run;
  else if(!strcmp(cmd, "check"))
    usage = usage_check;
  else if(!strcmp(cmd, "gen"))
    usage = usage_gen;
  else if(!strcmp(cmd, "verify"))
    usage = usage_verify;
  else if(!strcmp(cmd, "explain"))
    usage = usage_explain;
  else if(!strcmp(cmd, "archive"))
    usage = usage_archive;
  else if(!strcmp(cmd, "close"))
    usage = usage_close;
  else if(!strcmp(cmd, "plan"))
    usage = usage_plan;
  else if(!strcmp(cmd, "render"))
    usage = usage_render;
  else if(!strcmp(cmd, "seal"))
    usage = usage_seal;
  else
    return bad_usage(usage_top, "unknown command '%s'", cmd);

  o.jobs = 1;
  o.number_year = -1;
  o.phase = !strcmp(cmd, "plan") ? RUN_PLAN : !strcmp(cmd, "render") ? RUN_RENDER : !strcmp(cmd, "seal") ? RUN_SEAL
            : RUN_WHOLE;
  optind = 2;
  opterr = 0;
  while((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
    switch(c) {
    case O_INPUT: o.input = optarg; break;
    case O_OUTPUT: o.output = optarg; break;
    case O_MONTH: month = optarg; break;
    case O_JOBS:
      if(parse_long(optarg, 1, 256, &jobs))
        return bad_usage(usage, "--jobs '%s': expected a whole number from 1 to 256", optarg);
      break;
    case O_DRY: o.dry_run = 1; given |= G_PLANNED; break;
    case O_LEDGER: o.ledger_path = optarg; given |= G_LEDGER; break;
    case O_NO_CORR: o.no_corrections = 1; given |= G_PLANNED; break;
    case O_PRUNE:
      if(parse_long(optarg, 0, 1200, &prune))
        return bad_usage(usage, "--prune-older-than '%s': expected a number of months, 0 to 1200", optarg);
      break;
    case O_NPREFIX:
      if(strlen(optarg) > 20 || strpbrk(optarg, "/\\ "))
        return bad_usage(usage, "--number-prefix '%s': expected at most 20 characters without '/', '\\' "
                         "or spaces", optarg);
      o.number_prefix = optarg;
      given |= G_PLANNED;
      break;
    case O_NWIDTH: {
      long w;
      if(parse_long(optarg, 1, 12, &w))
        return bad_usage(usage, "--number-width '%s': expected a whole number from 1 to 12", optarg);
      o.number_width = (int)w;
      given |= G_PLANNED;
      break;
    }
    case O_NYEAR:
      if(strcmp(optarg, "yes") && strcmp(optarg, "no"))
        return bad_usage(usage, "--number-year '%s': expected yes or no", optarg);
      o.number_year = !strcmp(optarg, "yes");
      given |= G_PLANNED;
      break;
    case O_SHARD:
      /* retired: shards by row position with a ledger each billed customers twice (issue 16) */
      return bad_usage(usage, "--shard %s is retired: shards took customers by their row in customers.csv and kept "
                       "a ledger each, so a customer who moved between shards was billed twice. Expected `licbill "
                       "plan --parts N`, then `licbill render --part K/N` on each machine, then `licbill seal` "
                       "(README, \"More machines\")", optarg);
    case O_PARTS: {
      long n;
      if(parse_long(optarg, 1, 100000, &n))
        return bad_usage(usage, "--parts '%s': expected a whole number from 1 to 100000", optarg);
      o.part_n = (int)n;
      given |= G_PARTS;
      break;
    }
    case O_REPRICE: reprice = 1; break;
    case O_PART: {
      char tail;
      if(sscanf(optarg, "%d/%d%c", &o.part_k, &o.part_n, &tail) != 2 || o.part_n < 1 || o.part_n > 100000 ||
         o.part_k < 1 || o.part_k > o.part_n)
        return bad_usage(usage, "--part '%s': expected K/N with 1 <= K <= N <= 100000", optarg);
      given |= G_PART;
      break;
    }
    case O_VERBOSE: o.verbose = 1; break;
    case O_ISSUE: {
      size_t ep;
      issue = optarg;
      if(date_parse(&o.issue_date, optarg, strlen(optarg), &ep))
        return bad_usage(usage, "--issue-date '%s': expected a date YYYY-MM-DD", optarg);
      given |= G_PLANNED;
      break;
    }
    case O_OPEN_MONTH: o.allow_open_month = 1; given |= G_PLANNED; break;
    case O_TEMPLATE: o.template_dir = optarg; given |= G_TEMPLATE; break;
    case O_HELP: fputs(usage, stdout); return 0;
    case O_CUSTOMERS:
      if(parse_long(optarg, 0, GEN_MAX_CUSTOMERS, &customers))
        return bad_usage(usage, "--customers '%s': expected a whole number, 0 or more", optarg);
      break;
    case O_SEED:
      if(parse_long(optarg, 0, LONG_MAX, &seed))
        return bad_usage(usage, "--seed '%s': expected a whole number", optarg);
      break;
    case O_INVOICE: invoice = optarg; break;
    case O_LINE:
      if(parse_long(optarg, 1, 100000, &line))
        return bad_usage(usage, "--line '%s': expected a line number, 1 or more", optarg);
      break;
    default:
      return bad_usage(usage, "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  /* verify --reprice ARCHIVE: the one argument that is not an option */
  const char *archive_arg = NULL;
  if(reprice && !strcmp(cmd, "verify") && optind == argc - 1)
    archive_arg = argv[optind++];
  if(optind < argc)
    return bad_usage(usage, "unexpected argument '%s'", argv[optind]);
  o.jobs = (int)jobs;
  if(month) {
    size_t ep;
    if(month_parse(&o.month, month, strlen(month), &ep))
      return bad_usage(usage, "--month '%s': expected YYYY-MM", month);
  }

  if(!strcmp(cmd, "gen")) {
    if(!o.output || customers < 0)
      return bad_usage(usage, "%s", "--output and --customers are required");
    if(!month)
      o.month = month_from_ym(2026, 11);
    code = gen_write(o.output, customers, (uint64_t)seed, o.month, stderr);
    return code == LB_OK ? 0 : code == LB_EINPUT ? EXIT_USAGE : EXIT_IO;
  }
  if(!strcmp(cmd, "explain")) {
    if(!o.output || !invoice)
      return bad_usage(usage, "%s", "--output and --invoice are required");
    return cmd_explain(o.output, o.ledger_path, invoice, line);
  }
  if(!strcmp(cmd, "verify") && reprice)
    return cmd_reprice(archive_arg, o.output, o.ledger_path, month ? o.month : MONTH_NONE);
  if(reprice)
    return bad_usage(usage, "%s", "--reprice is an option of verify");
  if(!strcmp(cmd, "verify")) {
    if(!o.output)
      return bad_usage(usage, "%s", "--output is required");
    return verify_run(o.output, month, stdout);
  }
  if(!strcmp(cmd, "archive")) {
    if(!o.output || prune < 0)
      return bad_usage(usage, "%s", "--output and --prune-older-than are required");
    return verify_prune(o.output, (int)prune, month ? o.month : MONTH_NONE, stdout);
  }
  if(!strcmp(cmd, "close")) {
    if(!o.output || !month)
      return bad_usage(usage, "%s", "--output and --month are required");
    return run_close(o.output, o.ledger_path, o.month);
  }
  if(!strcmp(cmd, "check")) {
    if(!o.input)
      return bad_usage(usage, "%s", "--input is required");
    o.check_only = 1;
    if(!month)
      return bad_usage(usage, "%s", "--month is required to price the customers");
  } else {
    if(!o.input || !o.output || !month)
      return bad_usage(usage, "%s", "--input, --output and --month are required");
  }
  if(o.phase == RUN_WHOLE && (given & (G_PARTS | G_PART)))
    return bad_usage(usage, "%s", "--parts and --part are for `licbill plan` and `licbill render`");
  if(o.phase == RUN_PLAN && (o.dry_run || (given & G_PART)))
    return bad_usage(usage, "%s", o.dry_run ? "--dry-run: a preview is `licbill run --dry-run`; plan reserves numbers"
                                            : "--part is for `licbill render`; plan takes --parts N");
  if(o.phase == RUN_RENDER && (!(given & G_PART) || (given & (G_PLANNED | G_LEDGER | G_PARTS))))
    return bad_usage(usage, "%s", !(given & G_PART) ? "--part K/N is required" :
                     "render takes the issue date, numbering and corrections from the plan and never opens the "
                     "ledger: expected only --input, --output, --month, --part, --jobs, --template, --verbose");
  if(o.phase == RUN_SEAL && (given & (G_PLANNED | G_PARTS | G_PART | G_TEMPLATE)))
    return bad_usage(usage, "%s", "seal takes the issue date, numbering, corrections and parts from the plan: "
                     "expected only --input, --output, --month, --jobs, --ledger, --verbose");
  if(o.phase == RUN_PLAN && !o.part_n)
    o.part_n = 1;
  if(o.phase != RUN_RENDER && o.phase != RUN_SEAL && (code = settle_issue_date(&o, issue, usage)))
    return code;
  if(!o.template_dir) {
    tpl_default = default_template();
    o.template_dir = tpl_default ? tpl_default : "templates/default";
  }
  o.progress = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO) && !o.verbose;
  code = run_month(&o);
  free(tpl_default);
  return code;
}

/* ---- explain: the audit trail of one document, from the ledger ---- */
#include "output/ledger.h"

static int cmd_explain(const char *output, const char *ledger_path, const char *number, long line)
{
  char *path = NULL;
  diag_list d;
  ledger *lg = NULL;
  invoice inv;
  ledger_doc doc;
  int found = 0, code = 0;
  char buf[16], total[40];
  diag_init(&d);
  if(!ledger_path && asprintf(&path, "%s/ledger.db", output) < 0)
    return EXIT_IO;
  if(access(ledger_path ? ledger_path : path, R_OK) != 0) {
    fprintf(stderr, "licbill: %s: no ledger there, expected the --output folder of a run\n",
            ledger_path ? ledger_path : path);
    free(path);
    return EXIT_USAGE;
  }
  if(ledger_open(&lg, ledger_path ? ledger_path : path, &d)) {
    diag_print(&d, stderr);
    diag_clear(&d);
    free(path);
    return EXIT_IO;
  }
  free(path);
  if(ledger_load(lg, number, &inv, &doc)) {
    fprintf(stderr, "licbill: document %s is not in the ledger\n", number);
    ledger_close(lg);
    return 1;
  }
  printf("%s %s, customer %s, month %s, total %s %s%s%s\n", doc.kind == DOC_CREDIT_NOTE ? "credit note" : "invoice",
         inv.number, inv.customer_id, month_format(buf, inv.month), money_format(total, inv.total, 2), inv.currency,
         doc.corrects[0] ? ", cancels " : "", doc.corrects);
  for(size_t i = 0; i < inv.naudit; i++) {
    const audit_step *a = &inv.audit[i];
    if(line > 0 && a->line != line)
      continue;
    found = 1;
    char val[AUDIT_VALUE_MAX], *inputs = audit_inputs_text(a);
    if(!inputs) {
      code = EXIT_IO;
      break;
    }
    printf("line %-3d step %-2d %-6s %s\n", a->line, a->step, rule_id_text(a->rule), a->detail);
    if(*inputs)
      printf("                    from: %s\n", inputs);
    if(*audit_value_format(val, sizeof(val), &a->value))
      printf("                    = %s\n", val);
    free(inputs);
  }
  if(!found) {
    fprintf(stderr, "licbill: document %s has no line %ld\n", number, line);
    code = 1;
  }
  invoice_clear(&inv);
  ledger_close(lg);
  return code;
}

/* ---- verify --reprice: the archive of a month (given, or the month's or latest of --output), priced again ---- */
#include "batch/reprice.h"
#include "output/archive.h"

static int cmd_reprice(const char *archive, const char *output, const char *ledger_path, lb_month m)
{
  char *apath = NULL, *lpath = NULL;
  int code;
  if(!archive == !output) {
    fprintf(stderr, "licbill: verify --reprice: expected either --output DIR or an archive YYYY-MM.tar.gz\n%s",
            usage_verify);
    return EXIT_USAGE;
  }
  if(output) {
    if(m == MONTH_NONE) {
      lb_month *months = NULL;
      size_t n = 0;
      if(archive_months(output, &months, &n) || !n) {
        free(months);
        fprintf(stderr, "licbill: %s: no month there, expected the --output folder of a run\n", output);
        return EXIT_IO;
      }
      m = months[n - 1];
      free(months);
    }
    if(!(apath = archive_month_path(output, m)))
      return EXIT_IO;
    archive = apath;
    if(!ledger_path && asprintf(&lpath, "%s/ledger.db", output) >= 0 && access(lpath, R_OK) == 0)
      ledger_path = lpath;
  }
  if(access(archive, R_OK) != 0) {
    fprintf(stderr, "licbill: %s: %s, expected a sealed month's archive\n", archive, strerror(errno));
    code = EXIT_IO;
  } else
    code = reprice_archive(archive, ledger_path, stdout);
  free(apath);
  free(lpath);
  return code;
}
