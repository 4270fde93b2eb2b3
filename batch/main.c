/* main.c - the licbill command line: run, check, gen, verify, explain. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../input/diag.h"
#include "../rules/date.h"
#include "gen.h"
#include "run.h"

#define LICBILL_VERSION "0.1.0"

static const char usage_run[] =
  "usage: licbill run --input DIR --output DIR --month YYYY-MM [--jobs N] [--dry-run]\n"
  "                   [--template DIR] [--ledger FILE] [--shard K/N] [--verbose]\n"
  "Bill one month: invoices, charges.csv, invoices.csv, audit.csv, errors.csv under DIR/YYYY-MM/.\n"
  "  --input DIR     the input set (customers.csv, machines.csv, licenses.csv, ..., scrt/)\n"
  "  --output DIR    where the month folder is written; one run at a time per folder\n"
  "  --month YYYY-MM the billing month\n"
  "  --jobs N        price and render N customers in parallel (default 1)\n"
  "  --dry-run       write everything under DIR/dry-run/ instead (a preview)\n"
  "  --template DIR  invoice template folder (default: templates/default next to the program)\n"
  "  --ledger FILE   ledger of issued invoices (reserved: the ledger is not built yet)\n"
  "  --shard K/N     bill only customers K, K+N, K+2N ... (1-based) of customers.csv\n"
  "  --verbose       log each customer to stderr\n"
  "Exit: 0 all invoiced, 1 some customers rejected, 2 usage, 3 input set unusable,\n"
  "      4 I/O or environment failure, 75 another run holds the lock.\n";
static const char usage_check[] =
  "usage: licbill check --input DIR [--month YYYY-MM]\n"
  "Validate the input set and price every customer without writing anything.\n"
  "Exit codes as for run.\n";
static const char usage_gen[] =
  "usage: licbill gen --output DIR --customers N [--seed S] [--month YYYY-MM]\n"
  "Write a synthetic input set (default month 2026-11, seed 1).\n";
static const char usage_verify[] =
  "usage: licbill verify --output DIR [--month YYYY-MM]\n"
  "Re-hash outputs, archives and the manifest chain (not built yet in this version).\n";
static const char usage_explain[] =
  "usage: licbill explain --output DIR --invoice NUMBER [--line N]\n"
  "Print the audit trail of an invoice (or one line) from audit.csv.\n";
static const char usage_top[] =
  "usage: licbill COMMAND [OPTIONS]\n"
  "Month-end billing of mainframe software licenses.\n"
  "Commands:\n"
  "  run      bill a month\n"
  "  check    validate an input set, write nothing\n"
  "  explain  print the audit trail of an invoice\n"
  "  verify   check outputs and archives (not built yet)\n"
  "  gen      write a synthetic input set\n"
  "Run 'licbill COMMAND --help' for a command's options; 'licbill --version'.\n";

enum { O_INPUT = 1, O_OUTPUT, O_MONTH, O_JOBS, O_DRY, O_TEMPLATE, O_LEDGER, O_SHARD, O_VERBOSE, O_HELP,
       O_CUSTOMERS, O_SEED, O_INVOICE, O_LINE };

static const struct option long_opts[] = {
  {"input", required_argument, 0, O_INPUT}, {"output", required_argument, 0, O_OUTPUT},
  {"month", required_argument, 0, O_MONTH}, {"jobs", required_argument, 0, O_JOBS},
  {"dry-run", no_argument, 0, O_DRY}, {"template", required_argument, 0, O_TEMPLATE},
  {"ledger", required_argument, 0, O_LEDGER}, {"shard", required_argument, 0, O_SHARD},
  {"verbose", no_argument, 0, O_VERBOSE}, {"help", no_argument, 0, O_HELP},
  {"customers", required_argument, 0, O_CUSTOMERS}, {"seed", required_argument, 0, O_SEED},
  {"invoice", required_argument, 0, O_INVOICE}, {"line", required_argument, 0, O_LINE},
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

static int cmd_explain(const char *output, const char *number, long line);

int main(int argc, char **argv)
{
  run_opts o;
  const char *cmd, *usage, *month = NULL, *ledger = NULL, *invoice = NULL;
  long customers = -1, seed = 1, line = -1, jobs = 1;
  char *tpl_default = NULL;
  int c, code;

  memset(&o, 0, sizeof(o));
  if(argc < 2)
    return bad_usage(usage_top, "%s", "a command is required");
  cmd = argv[1];
  if(!strcmp(cmd, "--version")) {
    printf("licbill %s\n", LICBILL_VERSION);
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
  else
    return bad_usage(usage_top, "unknown command '%s'", cmd);

  o.jobs = 1;
  o.shard_k = 1;
  o.shard_n = 1;
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
    case O_DRY: o.dry_run = 1; break;
    case O_TEMPLATE: o.template_dir = optarg; break;
    case O_LEDGER: ledger = optarg; break;
    case O_SHARD:
      if(sscanf(optarg, "%d/%d", &o.shard_k, &o.shard_n) != 2 || o.shard_n < 1 || o.shard_k < 1 ||
         o.shard_k > o.shard_n)
        return bad_usage(usage, "--shard '%s': expected K/N with 1 <= K <= N", optarg);
      break;
    case O_VERBOSE: o.verbose = 1; break;
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
  if(optind < argc)
    return bad_usage(usage, "unexpected argument '%s'", argv[optind]);
  o.jobs = (int)jobs;
  if(month) {
    size_t ep;
    if(month_parse(&o.month, month, strlen(month), &ep))
      return bad_usage(usage, "--month '%s': expected YYYY-MM", month);
  }
  (void)ledger;

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
    return cmd_explain(o.output, invoice, line);
  }
  if(!strcmp(cmd, "verify")) {
    fprintf(stderr, "licbill: verify is not available in this version (archives and manifests are not "
            "built yet)\n");
    return EXIT_USAGE;
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
  if(!o.template_dir) {
    tpl_default = default_template();
    o.template_dir = tpl_default ? tpl_default : "templates/default";
  }
  o.progress = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO) && !o.verbose;
  code = run_month(&o);
  free(tpl_default);
  return code;
}

/* ---- explain: the audit trail of one invoice from audit.csv ---- */
#include "../input/table.h"

static int cmd_explain(const char *output, const char *number, long line)
{
  /* invoice numbers carry the month: INV-YYYYMM-... */
  const char *p = strchr(number, '-');
  char path[4096];
  diag_list d;
  table t;
  static const col_spec cols[] = {{"invoice_number", 1}, {"line", 1}, {"step", 1}, {"rule", 1},
                                  {"inputs", 1}, {"detail", 1}, {"value", 1}};
  int found = 0, rc;
  if(!p || strlen(p) < 7)
    return bad_usage(usage_explain, "--invoice '%s': expected an invoice number like INV-202611-C1001", number);
  snprintf(path, sizeof(path), "%s/%.4s-%.2s/audit.csv", output, p + 1, p + 5);
  diag_init(&d);
  rc = table_open(&t, path, cols, 7, NULL, NULL, &d);
  if(rc) {
    diag_print(&d, stderr);
    diag_clear(&d);
    return EXIT_IO;
  }
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad || strcmp(tbl_str(&t, 0), number))
      continue;
    long l = atol(tbl_str(&t, 1));
    if(line > 0 && l != line)
      continue;
    found = 1;
    printf("line %-3s step %-2s %-6s %s\n", tbl_str(&t, 1), tbl_str(&t, 2), tbl_str(&t, 3), tbl_str(&t, 5));
    if(*tbl_str(&t, 4))
      printf("                    from: %s\n", tbl_str(&t, 4));
    if(*tbl_str(&t, 6))
      printf("                    = %s\n", tbl_str(&t, 6));
  }
  table_close(&t);
  diag_print(&d, stderr);
  diag_clear(&d);
  if(!found) {
    fprintf(stderr, "licbill: invoice %s%s not found in %s\n", number, line > 0 ? " (that line)" : "", path);
    return 1;
  }
  return 0;
}
