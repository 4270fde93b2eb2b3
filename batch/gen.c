/* gen.c - writes a realistic synthetic input set, one customer at a time, from a seeded PRNG. */
#include "batch/gen.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/gen_mix.h"
#include "batch/gen_sink.h"
#include "input/customer.h"
#include "core/diag.h"
#include "core/money.h"

#define GEN_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define GEN_MAX_MACHINES 8
#define GEN_MAX_LICENSES 40

/* ---- deterministic randomness ------------------------------------------ */

/* splitmix64: tiny, full period, good enough for test data, same on every
 * platform. Never rand(), never the clock. */
typedef struct gen_rng {
  uint64_t s;
} gen_rng;

static uint64_t gen_next(gen_rng *r)
{
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* Uniform in lo..hi inclusive (lo <= hi). */
static long gen_range(gen_rng *r, long lo, long hi)
{
  uint64_t n = (uint64_t)(hi - lo) + 1;
  return lo + (long)(((unsigned __int128)gen_next(r) * n) >> 64);
}

/* 1 with probability per_mille / 1000. */
static int gen_chance(gen_rng *r, int per_mille)
{
  return gen_range(r, 0, 999) < per_mille;
}

#define GEN_PICK(r, arr) ((arr)[gen_range((r), 0, GEN_COUNT(arr) - 1)])

/* The stream of customer `ci`: depends on (seed, ci) only, so a customer is
 * the same whatever the size of the set. */
static void gen_rng_customer(gen_rng *r, uint64_t seed, long ci)
{
  gen_rng s = {seed};
  r->s = gen_next(&s) ^ ((uint64_t)ci * 0xD1B54A32D192ED03ULL);
  (void)gen_next(r);
}

static void gen_field_date(gen_sink *s, lb_date d)
{
  char buf[16];
  gen_sink_field(s, date_format(buf, d));
}

/* ---- charge types, products, prices ------------------------------------- */

/* How prices.csv prices a charge type. */
enum gen_shape {
  GEN_TIERS,    /* component monthly, per-MSU tiers (R-W1) */
  GEN_MONTHLY,  /* component monthly, one fixed amount */
  GEN_ONE_TIME  /* component one_time, one fixed amount */
};

/* The charge types the generator licenses. Adding one = one row here, its
 * bit in the products that are sold under it, and a price shape. */
typedef struct gen_ctype {
  const char *name;     /* charge_type in licenses.csv and prices.csv */
  enum gen_shape shape; /* what its price rows look like */
  int wlc;              /* 1: a z/OS-family workload charge, one per machine (R-W9) */
  int awlc;             /* with wlc: 1 only on AWLC-eligible machines, 0 only on the others */
  int needs_wlc_os;     /* 1: only where z/OS has AWLC or VWLC (R-W10) */
  int price_permille;   /* its price relative to the product's base price */
  int this_month;       /* 1: a one-time purchase installed in the billing month */
  int max_per_customer; /* 0: no limit */
  int weight;           /* share of the licenses beyond each machine's z/OS */
} gen_ctype;

static const gen_ctype gen_ctypes[] = {
  /* name   shape         wlc awlc needs price this max weight */
  {"AWLC", GEN_TIERS,    1,  1,   0,    1000, 0,   0,  85},
  {"VWLC", GEN_TIERS,    1,  0,   0,    1100, 0,   0,  85}, /* AWLC is the cheaper successor */
  {"FWLC", GEN_MONTHLY,  0,  0,   1,    1000, 0,   3,  10},
  {"OTC",  GEN_ONE_TIME, 0,  0,   0,    1000, 1,   1,  2},
};
#define SOLD_AWLC (1u << 0)
#define SOLD_VWLC (1u << 1)
#define SOLD_FWLC (1u << 2)
#define SOLD_OTC (1u << 3)
#define SOLD_WLC (SOLD_AWLC | SOLD_VWLC)

enum gen_kind {
  GEN_OS,       /* z/OS: one per machine, first license, never discontinued */
  GEN_PROGRAM,  /* an ordinary program */
  GEN_FEATURE,  /* a priced feature of z/OS: feature_of names the z/OS license (R-W6) */
  GEN_UNITS     /* only ever seen in SCRT's non-MSU table, never licensed */
};

typedef struct gen_product {
  const char *id;       /* product_id */
  const char *name;     /* products.csv name */
  const char *scrt;     /* name as SCRT prints it */
  const char *family;   /* zos, ztpf, zvse, none */
  enum gen_kind kind;
  const char *version;
  int min_msu;          /* 0: not given */
  unsigned ctypes;      /* CT_* it is sold under */
  int weight;           /* share among the extra licenses of its charge type */
  money usd;            /* tier-2 price per MSU (tiers) or the fixed amount, USD */
  money usd_base;       /* fixed base on the first tier (0: none) */
  int raise;            /* 1: a second price book from 1 Jan of the billing year, +3 % */
} gen_product;

#define USD(whole, cents) ((money)(whole) * MONEY_SCALE + (money)(cents) * MONEY_CENT)

static const gen_product gen_products[] = {
  {"5650-ZOS", "z/OS", "z/OS V3", "zos", GEN_OS, "3.1", 3, SOLD_WLC, 0, USD(105, 0), USD(1250, 0), 1},
  {"5655-YA1", "CICS Transaction Server for z/OS", "CICS TS for z/OS V6", "zos", GEN_PROGRAM, "6.1", 3, SOLD_WLC, 30, USD(62, 0), 0, 1},
  {"5698-DB2", "Db2 13 for z/OS", "Db2 13 for z/OS", "zos", GEN_PROGRAM, "13.1", 3, SOLD_WLC, 30, USD(78, 0), 0, 1},
  {"5635-A06", "IMS 15", "IMS V15", "zos", GEN_PROGRAM, "15.4", 3, SOLD_WLC, 12, USD(88, 0), 0, 0},
  {"5655-MQ9", "IBM MQ for z/OS", "IBM MQ for z/OS V9", "zos", GEN_PROGRAM, "9.3", 3, SOLD_WLC, 22, USD(41, 0), 0, 0},
  {"5655-EC6", "Enterprise COBOL for z/OS", "Enterprise COBOL for z/OS V6", "zos", GEN_PROGRAM, "6.4", 3, SOLD_WLC, 25, USD(14, 50), 0, 0},
  {"5655-PL6", "Enterprise PL/I for z/OS", "Enterprise PL/I for z/OS V6", "zos", GEN_PROGRAM, "6.1", 3, SOLD_WLC, 8, USD(16, 25), 0, 0},
  {"5696-234", "High Level Assembler for z/OS", "HLASM V1", "zos", GEN_PROGRAM, "1.6", 3, SOLD_WLC, 8, USD(6, 30), 0, 0},
  {"5697-NV6", "IBM Z NetView", "IBM Z NetView V6", "zos", GEN_PROGRAM, "6.4", 3, SOLD_WLC, 10, USD(22, 0), 0, 0},
  {"5698-T01", "IBM Z OMEGAMON for z/OS", "OMEGAMON for z/OS V5", "zos", GEN_PROGRAM, "5.6", 3, SOLD_WLC, 10, USD(18, 75), 0, 0},
  {"5655-W65", "WebSphere Application Server for z/OS", "WAS for z/OS V9", "zos", GEN_PROGRAM, "9.0", 3, SOLD_WLC, 8, USD(31, 40), 0, 0},
  {"5698-DUS", "Db2 Utilities Suite for z/OS", "Db2 Utilities Suite V13", "zos", GEN_PROGRAM, "13.1", 3, SOLD_WLC, 10, USD(12, 10), 0, 0},
  {"5698-SA4", "IBM Z System Automation", "System Automation for z/OS V4", "zos", GEN_PROGRAM, "4.3", 3, SOLD_WLC, 8, USD(19, 90), 0, 0},
  {"5698-T08", "IBM Z Workload Scheduler", "IBM Z Workload Scheduler V10", "zos", GEN_PROGRAM, "10.2", 3, SOLD_WLC, 8, USD(21, 70), 0, 0},
  {"5650-ZDS", "z/OS DFSMSdss", "z/OS DFSMSdss", "zos", GEN_FEATURE, "3.1", 3, SOLD_WLC, 5, USD(6, 20), 0, 0},
  {"5650-ZHS", "z/OS DFSMShsm", "z/OS DFSMShsm", "zos", GEN_FEATURE, "3.1", 3, SOLD_WLC, 5, USD(9, 80), 0, 0},
  {"5650-ZRA", "z/OS Security Server RACF", "z/OS Security Server RACF", "zos", GEN_FEATURE, "3.1", 3, SOLD_WLC, 5, USD(11, 30), 0, 0},
  {"5650-ZSD", "z/OS SDSF", "z/OS SDSF", "zos", GEN_FEATURE, "3.1", 3, SOLD_WLC, 4, USD(3, 90), 0, 0},
  {"5650-ZRM", "z/OS RMF", "z/OS RMF", "zos", GEN_FEATURE, "3.1", 3, SOLD_WLC, 4, USD(4, 60), 0, 0},
  {"5655-CE3", "z/OS Connect EE", "z/OS Connect EE V3", "zos", GEN_PROGRAM, "3.0", 0, SOLD_FWLC, 10, USD(2150, 0), 0, 1},
  {"5655-AC6", "IBM Application Delivery Foundation for z/OS", "ADFz V6", "zos", GEN_PROGRAM, "6.1", 0, SOLD_FWLC, 6, USD(3275, 0), 0, 0},
  {"5698-LDA", "IBM Z Operational Log and Data Analytics", "IBM Z OLDA V5", "zos", GEN_PROGRAM, "5.1", 0, SOLD_FWLC, 5, USD(1480, 0), 0, 0},
  {"5724-T07", "IBM Developer for z/OS", "IDz V16", "none", GEN_PROGRAM, "16.0", 0, SOLD_OTC, 10, USD(18500, 0), 0, 0},
  {"5737-B16", "IBM Application Discovery Connect", "AD Connect V6", "none", GEN_PROGRAM, "6.1", 0, SOLD_OTC, 6, USD(7200, 0), 0, 0},
  {"5655-Q47", "IBM Migration Utility", "Migration Utility V4", "none", GEN_PROGRAM, "4.1", 0, SOLD_OTC, 6, USD(3950, 0), 0, 0},
  {"5724-V62", "IBM Z Open Editor Enterprise", "Z Open Editor V4", "none", GEN_PROGRAM, "4.0", 0, SOLD_OTC, 4, USD(1275, 50), 0, 0},
  {"5655-AV9", "IBM MQ Advanced Message Security for z/OS", "IBM MQ Advanced Message Security", "zos", GEN_UNITS, "9.3", 0, 0, 0, 0, 0, 0},
};
#define GEN_ZOS 0 /* index of z/OS in gen_products */
#define GEN_MQ 4  /* IBM MQ: its AMS add-on shows in SCRT's units table */
#define GEN_AMS (GEN_COUNT(gen_products) - 1)

/* AWLC/VWLC MSU tiers: contiguous from 1, the last open. */
static const int gen_tier_from[] = {1, 4, 46, 176, 316, 576, 876, 1316, 1976};
static const int gen_tier_to[] = {3, 45, 175, 315, 575, 875, 1315, 1975, 0};
/* Price per MSU of each tier, per mille of the product's tier-2 price. */
static const int gen_tier_permille[] = {1500, 1000, 740, 560, 430, 330, 260, 200, 150};
#define GEN_RAISE_PERMILLE 1030

typedef struct gen_currency {
  const char *code;
  money fx; /* units per 1 USD, 1/10000 */
} gen_currency;

static const gen_currency gen_currencies[] = {
  {"USD", 10000}, {"EUR", 9200}, {"CAD", 13600}, {"GBP", 7900},
};

/* Round num/den half up (num, den > 0). */
static money gen_div_round(int64_t num, int64_t den)
{
  return (num + den / 2) / den;
}

/* USD price `usd` scaled by permille factors and rounded to the cent. */
static money gen_usd_scaled(money usd, int a_permille, int b_permille, int c_permille)
{
  int64_t num = usd * a_permille * b_permille * c_permille;
  return gen_div_round(num, (int64_t)1000000000 * MONEY_CENT) * MONEY_CENT;
}

/* "12.50" for cents, "11.5000" style four places when the conversion left them. */
static char *gen_price_text(char *buf, money v)
{
  return money_format(buf, v, v % MONEY_CENT ? 4 : 2);
}

static void gen_price_row(gen_sink *s, const gen_product *p, const gen_ctype *ct, const char *component,
                          long from, long to, money unit, money fixed, const gen_currency *cur,
                          lb_date effective)
{
  char buf[32];
  gen_sink_field(s, p->id);
  gen_sink_field(s, ct->name);
  gen_sink_field(s, component);
  if(from)
    gen_sink_fieldf(s, "%ld", from);
  else
    gen_sink_field(s, "");
  if(to)
    gen_sink_fieldf(s, "%ld", to);
  else
    gen_sink_field(s, "");
  gen_sink_field(s, unit ? gen_price_text(buf, unit) : "");
  gen_sink_field(s, fixed ? gen_price_text(buf, fixed) : "");
  gen_sink_field(s, cur->code);
  gen_field_date(s, effective);
  gen_sink_end_row(s);
}

/* Every (product, charge type) the generator licenses, in every currency,
 * from 1 Jan two years before the billing year, some raised from 1 Jan of it. */
static void gen_prices(gen_sink *s, lb_month month)
{
  int year = month_year(month);
  lb_date books[2] = {date_from_ymd(year - 2, 1, 1), date_from_ymd(year, 1, 1)};
  for(int pi = 0; pi < GEN_COUNT(gen_products); pi++) {
    const gen_product *p = &gen_products[pi];
    for(int ti = 0; ti < GEN_COUNT(gen_ctypes); ti++) {
      const gen_ctype *ct = &gen_ctypes[ti];
      if(!(p->ctypes & (1u << ti)))
        continue;
      for(int ci = 0; ci < GEN_COUNT(gen_currencies); ci++) {
        const gen_currency *cur = &gen_currencies[ci];
        for(int b = 0; b < 1 + p->raise; b++) {
          int raise = b ? GEN_RAISE_PERMILLE : 1000;
          int uplift = ct->price_permille;
          if(ct->shape != GEN_TIERS) {
            money usd = gen_usd_scaled(p->usd, raise, uplift, 1000);
            money fixed = gen_div_round(usd * cur->fx, MONEY_SCALE);
            gen_price_row(s, p, ct, ct->shape == GEN_MONTHLY ? "monthly" : "one_time", 0, 0, 0, fixed,
                          cur, books[b]);
            continue;
          }
          for(int t = 0; t < GEN_COUNT(gen_tier_from); t++) {
            money usd = gen_usd_scaled(p->usd, gen_tier_permille[t], uplift, raise);
            money unit = gen_div_round(usd * cur->fx, MONEY_SCALE);
            money fixed = 0;
            if(t == 0 && p->usd_base)
              fixed = gen_div_round(gen_usd_scaled(p->usd_base, uplift, raise, 1000) * cur->fx, MONEY_SCALE);
            gen_price_row(s, p, ct, "monthly", gen_tier_from[t], gen_tier_to[t], unit, fixed, cur, books[b]);
          }
        }
      }
    }
  }
}

static void gen_products_csv(gen_sink *s)
{
  for(int pi = 0; pi < GEN_COUNT(gen_products); pi++) {
    const gen_product *p = &gen_products[pi];
    gen_sink_field(s, p->id);
    gen_sink_field(s, p->name);
    gen_sink_field(s, p->family);
    gen_sink_field(s, p->kind == GEN_OS ? "yes" : "no");
    gen_sink_field(s, p->version);
    if(p->min_msu)
      gen_sink_fieldf(s, "%d", p->min_msu);
    else
      gen_sink_field(s, "");
    gen_sink_field(s, "");
    gen_sink_field(s, "");
    gen_sink_end_row(s);
  }
}

/* A small Value Unit Exhibit (R-I5): text so no float ever appears. */
static const char *const gen_vue_rows[][4] = {
  {"VUE007", "1", "3", "1.00"},      {"VUE007", "4", "45", "0.45"},
  {"VUE007", "46", "175", "0.36"},   {"VUE007", "176", "315", "0.27"},
  {"VUE007", "316", "575", "0.20"},  {"VUE007", "576", "875", "0.14"},
  {"VUE007", "876", "1315", "0.10"}, {"VUE007", "1316", "1975", "0.06"},
  {"VUE007", "1976", "", "0.03"},
};

static const char *const gen_tax_rows[][3] = {
  {"US-NY", "Sales Tax", "8.875"}, {"DE", "VAT", "19"},    {"FR", "VAT", "20"},  {"GB", "VAT", "20"},
  {"CA-ON", "HST", "13"},          {"CA-QC", "GST", "5"},  {"CA-QC", "QST", "9.975"},
};

/* ---- customers ----------------------------------------------------------- */

enum gen_region_id { R_US_NY, R_DE, R_FR, R_CA_QC, R_CA_ON, R_GB };

typedef struct gen_region {
  const char *country, *tax_region, *currency;
  int weight;
} gen_region;

static const gen_region gen_regions[] = {
  [R_US_NY] = {"US", "US-NY", "USD", 45}, [R_DE] = {"DE", "DE", "EUR", 15},
  [R_FR] = {"FR", "FR", "EUR", 12},       [R_CA_QC] = {"CA", "CA-QC", "CAD", 6},
  [R_CA_ON] = {"CA", "CA-ON", "CAD", 7},  [R_GB] = {"GB", "GB", "GBP", 15},
};

enum gen_class { C_COMMERCIAL, C_STATE_LOCAL, C_FEDERAL, C_PARTNER };
static const char *const gen_class_names[] = {"commercial", "state_local", "federal", "business_partner"};

/* Names per region: [0] first words, [1] sectors, [2] legal forms, [3] public bodies, [4] partner suffix. */
static const char *const us_first[] = {"Hudson", "Lakeshore", "Pioneer", "Summit", "Evergreen", "Liberty",
                                       "Keystone", "Granite", "Harbor", "Prairie", "Cascade", "Meridian"};
static const char *const us_sector[] = {"Insurance", "Savings Bank", "Logistics", "Health Systems",
                                        "Retail Group", "Mutual Life", "Trust", "Freight Lines"};
static const char *const us_form[] = {", Inc.", " Corporation", " LLC", ", Inc.", " Co."};
static const char *const us_state[] = {"New York State Department of Taxation and Finance",
                                       "City of New York, Department of Finance",
                                       "New York State Department of Motor Vehicles",
                                       "Metropolitan Transportation Authority"};
static const char *const us_federal[] = {"U.S. Department of Agriculture", "U.S. Department of Veterans Affairs",
                                         "Social Security Administration", "U.S. Department of Labor",
                                         "Internal Revenue Service"};
static const char *const de_first[] = {"Müller", "Schäfer", "Köhler", "Bäcker", "Weiß", "Schröder",
                                       "Krüger", "Hoffmann", "Günther", "Förster"};
static const char *const de_sector[] = {"Versicherung", "Bank", "Logistik", "Handelshaus", "Rückversicherung",
                                        "Privatbank"};
static const char *const de_form[] = {" AG", " GmbH", " KGaA", " SE"};
static const char *const de_state[] = {"Landesamt für Steuern Bayern", "Stadtverwaltung Köln",
                                       "Landesbetrieb Straßenbau NRW"};
static const char *const fr_first[] = {"Société Générale", "Compagnie Française", "Banque Régionale",
                                       "Crédit Mutuel", "Mutuelle Générale", "Caisse d'Épargne"};
static const char *const fr_sector[] = {"de Lyon", "du Nord", "d'Aquitaine", "de Bretagne", "d'Île-de-France"};
static const char *const fr_form[] = {" SA", " SAS", ""};
static const char *const fr_state[] = {"Préfecture de la Région Île-de-France", "Ville de Lyon",
                                       "Conseil départemental de la Gironde"};
static const char *const qc_first[] = {"Banque", "Assurances", "Caisse populaire", "Groupe financier",
                                       "Services informatiques"};
static const char *const qc_sector[] = {"du Québec", "de Montréal", "de Laval", "des Laurentides", "de Lévis"};
static const char *const qc_form[] = {" inc.", "", " ltée"};
static const char *const qc_state[] = {"Ministère des Finances du Québec", "Ville de Montréal",
                                       "Société de l'assurance automobile du Québec"};
static const char *const on_first[] = {"Maple Leaf", "Lakeshore", "Algonquin", "Northern Shield", "Huronia"};
static const char *const on_sector[] = {"Insurance", "Financial", "Credit Union", "Trust"};
static const char *const on_form[] = {" Ltd.", " Inc.", " Corporation"};
static const char *const on_state[] = {"Ontario Ministry of Finance", "City of Toronto", "Ontario Health"};
static const char *const gb_first[] = {"Thames", "Pennine", "Albion", "Severn", "Cheviot", "Mercia"};
static const char *const gb_sector[] = {"Building Society", "Insurance", "Bank", "Logistics", "Assurance"};
static const char *const gb_form[] = {" plc", " Ltd", ""};
static const char *const gb_state[] = {"HM Revenue & Customs", "Greater London Authority",
                                       "Leeds City Council"};

typedef struct gen_machine {
  char serial[16];
  char type_model[16];
  int engines, msu;
  int awlc;              /* awlc_eligible */
  int sysplex;           /* 0 standalone, 1 PLEXA, 2 PLEXB */
  int ct;                /* gen_ctypes index of its z/OS-family workload charge */
  lb_date since;         /* machine and its z/OS installed */
  lb_month subcap_start; /* MONTH_NONE: full capacity */
  uint64_t has;          /* bit per gen_products index licensed here */
  int order;             /* order number of its z/OS */
  int zos;               /* index of its z/OS license */
} gen_machine;

typedef struct gen_license {
  int machine, product, ct;
  int feature_of; /* license index, -1: none */
  lb_date installed, discontinued, notice;
  int order;
  int num; /* L number in output order */
} gen_license;

typedef struct gen_customer {
  long ci;
  char id[24];
  enum gen_region_id region;
  enum gen_class cls;
  char name[192];
  char address[256];
  char contract[16];
  int quarterly;
  int terms_days;
  const char *prompt_pct; /* NULL: none */
  int prompt_days;
  int tsad;
  int nmach, nlic;
  gen_machine m[GEN_MAX_MACHINES];
  gen_license l[GEN_MAX_LICENSES];
  int order[GEN_MAX_LICENSES]; /* license indexes in output order */
} gen_customer;

typedef struct gen_ctx {
  const char *outdir;
  FILE *log;
  uint64_t seed;
  lb_month month;
  lb_date period_start, period_end; /* the SCRT reporting period that drives `month` */
  gen_rng rng;                       /* the current customer's stream */
  gen_customer cu;
  gen_sink customers, machines, licenses, support, usage, received, scrt;
  char headers[GA__N][512]; /* header row of each file the archetypes go into */
  gen_mix mix;              /* the sample's archetype customers (every GEN_MIX_EVERY-th) */
} gen_ctx;

/* R-T3: billing month M is charged from the reporting period 2nd of M-2 ..
 * 1st of M-1 (R-T1), whose report is due by the 9th of M-1 (R-T2). */
static void gen_period_of(lb_month month, lb_date *start, lb_date *end)
{
  *start = month_first_day(month - 2) + 1;
  *end = month_first_day(month - 1);
}

/* A bijection of g = customer * 8 + machine (< 90 * 2^20) onto plant
 * 10..99 and five hex digits, keyed by the seed: unique serials that look
 * random. The low 20 bits are permuted; the plant adds the high part to
 * the permuted value mod 90, which is undone given the hex digits. */
static void gen_serial(char *out, size_t cap, uint64_t seed, long g)
{
  gen_rng k = {seed ^ 0x5E71A1ULL};
  uint32_t key = (uint32_t)gen_next(&k) & 0xFFFFFu;
  uint32_t x = (uint32_t)g & 0xFFFFFu;
  x = (x * 0x9E3B5u + key) & 0xFFFFFu; /* odd multiplier: bijective mod 2^20 */
  x ^= x >> 11;
  x = (x * 0x5A3C7u) & 0xFFFFFu;
  x ^= x >> 9;
  unsigned plant = 10 + (unsigned)(((uint64_t)g >> 20) + x) % 90;
  snprintf(out, cap, "%02u-%05X", plant, (unsigned)x);
}

/* A day of month `m`: the 1st with probability first_per_mille, else any other day. */
static lb_date gen_day_in(gen_rng *r, lb_month m, int first_per_mille)
{
  int dim = date_days_in_month(month_year(m), month_number(m));
  if(gen_chance(r, first_per_mille))
    return month_first_day(m);
  return month_first_day(m) + (lb_date)gen_range(r, 1, dim - 1);
}

static void gen_name(gen_customer *cu, gen_rng *r)
{
  const char *first = NULL, *sector = NULL, *form = NULL, *pub = NULL, *partner = NULL;
  switch(cu->region) {
  case R_US_NY:
    first = GEN_PICK(r, us_first), sector = GEN_PICK(r, us_sector), form = GEN_PICK(r, us_form);
    pub = cu->cls == C_FEDERAL ? GEN_PICK(r, us_federal) : GEN_PICK(r, us_state);
    partner = " Mainframe Services, Inc.";
    break;
  case R_DE:
    first = GEN_PICK(r, de_first), sector = GEN_PICK(r, de_sector), form = GEN_PICK(r, de_form);
    pub = GEN_PICK(r, de_state), partner = " IT-Dienstleistungen GmbH";
    break;
  case R_FR:
    first = GEN_PICK(r, fr_first), sector = GEN_PICK(r, fr_sector), form = GEN_PICK(r, fr_form);
    pub = GEN_PICK(r, fr_state), partner = " Informatique SAS";
    break;
  case R_CA_QC:
    first = GEN_PICK(r, qc_first), sector = GEN_PICK(r, qc_sector), form = GEN_PICK(r, qc_form);
    pub = GEN_PICK(r, qc_state), partner = " Solutions TI inc.";
    break;
  case R_CA_ON:
    first = GEN_PICK(r, on_first), sector = GEN_PICK(r, on_sector), form = GEN_PICK(r, on_form);
    pub = GEN_PICK(r, on_state), partner = " Systems Integration Ltd.";
    break;
  case R_GB:
    first = GEN_PICK(r, gb_first), sector = GEN_PICK(r, gb_sector), form = GEN_PICK(r, gb_form);
    pub = GEN_PICK(r, gb_state), partner = " Computer Services Ltd";
    break;
  }
  if(cu->cls == C_STATE_LOCAL || cu->cls == C_FEDERAL)
    snprintf(cu->name, sizeof(cu->name), "%s", pub);
  else if(cu->cls == C_PARTNER)
    snprintf(cu->name, sizeof(cu->name), "%s%s", first, partner);
  else if(cu->region == R_FR && gen_chance(r, 40)) /* a name with quotes in it */
    snprintf(cu->name, sizeof(cu->name), "Mutuelle \"La Prévoyance\" %s%s", sector, form);
  else
    snprintf(cu->name, sizeof(cu->name), "%s %s%s", first, sector, form);
}

/* Draws are made one statement at a time throughout: the order in which a
 * call's arguments are evaluated is unspecified, and the files must not
 * depend on the compiler. */
static void gen_postcode_ca(char *buf, size_t cap, gen_rng *r, char first)
{
  static const char letters[] = "ABCEGHJKLMNPRSTVXY";
  long d1 = gen_range(r, 1, 9);
  char l1 = letters[gen_range(r, 0, 17)];
  long d2 = gen_range(r, 0, 9);
  char l2 = letters[gen_range(r, 0, 17)];
  long d3 = gen_range(r, 0, 9);
  snprintf(buf, cap, "%c%ld%c %ld%c%ld", first, d1, l1, d2, l2, d3);
}

/* Address lines joined with " / " (the town line of US and Ontario has a comma). */
static void gen_address(gen_customer *cu, gen_rng *r)
{
  static const char *const us_street[] = {"Fifth Avenue", "Madison Avenue", "Broadway", "Park Avenue",
                                          "Water Street"};
  static const struct { const char *street, *city; int plz; } de[] = {
    {"Königsallee", "Düsseldorf", 40212}, {"Friedrichstraße", "Berlin", 10117},
    {"Maximilianstraße", "München", 80539}, {"Mönckebergstraße", "Hamburg", 20095},
    {"Hohe Straße", "Köln", 50667},
  };
  static const struct { const char *street, *city; int cp; } fr[] = {
    {"boulevard Haussmann", "Paris", 75009}, {"rue de la République", "Lyon", 69002},
    {"quai des Chartrons", "Bordeaux", 33000}, {"avenue Jean Médecin", "Nice", 6000},
  };
  static const struct { const char *street, *city; char post; } qc[] = {
    {"rue Sainte-Catherine Ouest", "Montréal", 'H'}, {"boulevard René-Lévesque Ouest", "Montréal", 'H'},
    {"Grande Allée Est", "Québec", 'G'}, {"boulevard de l'Avenir", "Laval", 'H'},
  };
  static const struct { const char *street, *city; char post; } on[] = {
    {"Bay Street", "Toronto", 'M'}, {"King Street West", "Toronto", 'M'}, {"Sparks Street", "Ottawa", 'K'},
  };
  static const struct { const char *street, *city, *out; } gb[] = {
    {"Churchill Place", "London", "E14"}, {"Gresham Street", "London", "EC2V"},
    {"Wellington Street", "Leeds", "LS1"}, {"St Andrew Square", "Edinburgh", "EH2"},
  };
  char pc[16];
  long num = gen_range(r, 1, 480);
  int floor = (int)gen_range(r, 2, 40);
  int with_floor = gen_chance(r, 400);
  char *a = cu->address;
  size_t cap = sizeof(cu->address);
  switch(cu->region) {
  case R_US_NY: {
    const char *street = GEN_PICK(r, us_street);
    long zip = gen_range(r, 10001, 10282);
    snprintf(a, cap, "%ld %s%s%.0d / New York, NY %05ld", num, street, with_floor ? " / Floor " : "",
             with_floor ? floor : 0, zip);
    break;
  }
  case R_DE: {
    int i = (int)gen_range(r, 0, GEN_COUNT(de) - 1);
    snprintf(a, cap, "%s %ld%s%.0d / %05ld %s", de[i].street, num % 120 + 1, with_floor ? " / Etage " : "",
             with_floor ? floor % 12 + 1 : 0, de[i].plz + gen_range(r, 0, 9), de[i].city);
    break;
  }
  case R_FR: {
    int i = (int)gen_range(r, 0, GEN_COUNT(fr) - 1);
    snprintf(a, cap, "%ld %s%s%.0d / %05d %s", num % 150 + 1, fr[i].street, with_floor ? " / Étage " : "",
             with_floor ? floor % 20 + 1 : 0, fr[i].cp, fr[i].city);
    break;
  }
  case R_CA_QC: {
    int i = (int)gen_range(r, 0, GEN_COUNT(qc) - 1);
    gen_postcode_ca(pc, sizeof(pc), r, qc[i].post);
    snprintf(a, cap, "%ld %s%s%.0d / %s (Québec) %s", num * 5, qc[i].street, with_floor ? " / Bureau " : "",
             with_floor ? floor * 100 : 0, qc[i].city, pc);
    break;
  }
  case R_CA_ON: {
    int i = (int)gen_range(r, 0, GEN_COUNT(on) - 1);
    gen_postcode_ca(pc, sizeof(pc), r, on[i].post);
    snprintf(a, cap, "%ld %s%s%.0d / %s, ON %s", num * 3, on[i].street, with_floor ? " / Suite " : "",
             with_floor ? floor * 100 : 0, on[i].city, pc);
    break;
  }
  case R_GB: {
    int i = (int)gen_range(r, 0, GEN_COUNT(gb) - 1);
    long sector = gen_range(r, 1, 9);
    char u1 = (char)('A' + gen_range(r, 0, 25));
    char u2 = (char)('A' + gen_range(r, 0, 25));
    snprintf(a, cap, "%ld %s / %s %s %ld%c%c", num % 60 + 1, gb[i].street, gb[i].city, gb[i].out, sector, u1,
             u2);
    break;
  }
  }
}

/* Machine types: capacity settings 4nn..7nn (nn = engines) on the large
 * boxes, A0n..Z0n on the small ones; now and then the hardware model. */
typedef struct gen_mtype {
  const char *type;
  const char *hw;      /* hardware model, e.g. A01 */
  int letters;         /* 1: settings A01..Z06 */
  int max_engines;
  int awlc;            /* awlc_eligible (z196 and later) */
  int top_msu;         /* MSUs per engine at the top setting */
  int weight;
} gen_mtype;

static const gen_mtype gen_mtypes[] = {
  {"3931", "A01", 0, 24, 1, 150, 30}, {"3932", "A02", 1, 6, 1, 70, 10},
  {"8561", "T01", 0, 24, 1, 140, 20}, {"8562", "T02", 1, 6, 1, 60, 8},
  {"3906", "M04", 0, 24, 1, 125, 12}, {"3907", "ZR1", 1, 6, 1, 55, 5},
  {"2964", "NE1", 0, 24, 1, 115, 5},  {"2097", "E26", 0, 24, 0, 95, 6},
  {"2098", "E10", 1, 5, 0, 40, 4},
};

static void gen_machine_make(gen_ctx *g, gen_customer *cu, int mi)
{
  static const int digit_pct[] = {15, 40, 65, 100}; /* settings 4, 5, 6, 7 */
  gen_rng *r = &g->rng;
  gen_machine *m = &cu->m[mi];
  int total = 0, pick;
  for(int i = 0; i < GEN_COUNT(gen_mtypes); i++)
    total += gen_mtypes[i].weight;
  pick = (int)gen_range(r, 0, total - 1);
  const gen_mtype *t = gen_mtypes;
  while(pick >= t->weight)
    pick -= t->weight, t++;

  long e1 = gen_range(r, 1, t->max_engines), e2 = gen_range(r, 1, t->max_engines);
  m->engines = (int)(e1 < e2 ? e1 : e2); /* small boxes are more common */
  int pct;
  if(t->letters) {
    int li = (int)gen_range(r, 0, 25);
    pct = (li + 1) * 100 / 26;
    snprintf(m->type_model, sizeof(m->type_model), "%s-%c%02d", t->type, 'A' + li, m->engines);
  } else {
    int di = (int)gen_range(r, 0, 3);
    pct = digit_pct[di];
    snprintf(m->type_model, sizeof(m->type_model), "%s-%d%02d", t->type, 4 + di, m->engines);
  }
  if(gen_chance(r, 150))
    snprintf(m->type_model, sizeof(m->type_model), "%s-%s", t->type, t->hw);
  long msu = (long)m->engines * t->top_msu * pct / 100 * gen_range(r, 90, 110) / 100;
  m->msu = (int)(msu < 50 ? 50 : msu > 2500 ? 2500 : msu);
  m->awlc = t->awlc;
  m->ct = t->awlc ? 0 : 1; /* R-W9: AWLC where eligible, else VWLC, never both */
  gen_serial(m->serial, sizeof(m->serial), g->seed, cu->ci * GEN_MAX_MACHINES + mi);
  m->sysplex = 0;
  lb_month since = g->month - (lb_month)gen_range(r, 6, 144);
  m->since = gen_day_in(r, since, 100);
  m->subcap_start = MONTH_NONE;
  if(!gen_chance(r, 100)) {
    if(gen_chance(r, 30))
      m->subcap_start = g->month - 2; /* this period's report is its first (R-W3) */
    else
      m->subcap_start = (lb_month)gen_range(r, since, g->month - 3);
  }
  m->has = 0;
  m->order = (int)gen_range(r, 100000, 999999);
}

/* 40 % of customers with two or more machines couple 2..4 of them in
 * PLEXA, and a quarter of those with machines to spare a second PLEXB. */
static void gen_sysplexes(gen_customer *cu, gen_rng *r)
{
  int idx[GEN_MAX_MACHINES];
  if(cu->nmach < 2 || !gen_chance(r, 400))
    return;
  for(int i = 0; i < cu->nmach; i++)
    idx[i] = i;
  for(int i = cu->nmach - 1; i > 0; i--) {
    int j = (int)gen_range(r, 0, i), t = idx[i];
    idx[i] = idx[j], idx[j] = t;
  }
  int used = 0;
  for(int plex = 1; plex <= 2; plex++) {
    int left = cu->nmach - used;
    if(left < 2 || (plex == 2 && !gen_chance(r, 250)))
      break;
    int size = (int)gen_range(r, 2, left < 4 ? left : 4);
    for(int k = 0; k < size; k++)
      cu->m[idx[used++]].sysplex = plex;
  }
}

/* Weighted pick of a product sold under charge type `ti` and not yet on machine m; -1 if none. */
static int gen_pick_product(gen_rng *r, const gen_machine *m, int ti)
{
  int total = 0;
  for(int pi = 0; pi < GEN_COUNT(gen_products); pi++) {
    const gen_product *p = &gen_products[pi];
    if((p->ctypes & (1u << ti)) && p->kind != GEN_OS && !(m->has & (1ULL << pi)))
      total += p->weight;
  }
  if(!total)
    return -1;
  int pick = (int)gen_range(r, 0, total - 1);
  for(int pi = 0; pi < GEN_COUNT(gen_products); pi++) {
    const gen_product *p = &gen_products[pi];
    if(!((p->ctypes & (1u << ti)) && p->kind != GEN_OS && !(m->has & (1ULL << pi))))
      continue;
    if(pick < p->weight)
      return pi;
    pick -= p->weight;
  }
  return -1;
}

/* Weighted pick of a charge type that may go on machine m; `used` counts
 * the customer's licenses per charge type. */
static int gen_pick_ctype(gen_rng *r, const gen_machine *m, const int *used)
{
  int w[GEN_COUNT(gen_ctypes)], total = 0;
  for(int ti = 0; ti < GEN_COUNT(gen_ctypes); ti++) {
    const gen_ctype *ct = &gen_ctypes[ti];
    w[ti] = ct->weight;
    if(ct->max_per_customer && used[ti] >= ct->max_per_customer)
      w[ti] = 0;
    if(ct->wlc && ti != m->ct)
      w[ti] = 0;
    if(ct->needs_wlc_os && !gen_ctypes[m->ct].wlc) /* R-W10 */
      w[ti] = 0;
    total += w[ti];
  }
  int pick = (int)gen_range(r, 0, total - 1);
  int ti = 0;
  while(pick >= w[ti])
    pick -= w[ti], ti++;
  return ti;
}

static void gen_license_add(gen_ctx *g, gen_customer *cu, int mi, int pi, int ti)
{
  gen_rng *r = &g->rng;
  gen_machine *m = &cu->m[mi];
  gen_license *l = &cu->l[cu->nlic];
  const gen_ctype *ct = &gen_ctypes[ti];
  lb_date before_period = month_first_day(g->month - 2) - 1;
  l->machine = mi, l->product = pi, l->ct = ti;
  l->feature_of = -1;
  l->discontinued = l->notice = DATE_NONE;
  l->order = gen_chance(r, 500) ? m->order : (int)gen_range(r, 100000, 999999);
  m->has |= 1ULL << pi;
  if(gen_products[pi].kind == GEN_OS) {
    l->installed = m->since;
    l->order = m->order;
    m->zos = cu->nlic;
    cu->nlic++;
    return;
  }
  if(gen_products[pi].kind == GEN_FEATURE)
    l->feature_of = m->zos; /* R-W6 */
  int recent = 0;
  if(ct->this_month) {
    l->installed = gen_day_in(r, g->month, 100);
    recent = 1;
  } else if(gen_chance(r, 40)) {
    /* R-T4: on the 1st or later in the month before or the billing month */
    l->installed = gen_day_in(r, g->month - (lb_month)gen_range(r, 0, 1), 300);
    recent = 1;
  } else {
    l->installed = m->since + (lb_date)gen_range(r, 0, before_period - m->since);
  }
  if(!recent) {
    if(gen_chance(r, 30))
      l->discontinued = gen_day_in(r, g->month - (lb_month)gen_range(r, 0, 1), 300); /* R-T5 */
    else if(gen_chance(r, 20))
      l->notice = gen_day_in(r, g->month - (lb_month)gen_range(r, 0, 1), 200);
  }
  cu->nlic++;
}

static void gen_customer_make(gen_ctx *g, long ci)
{
  static const int mach_weight[GEN_MAX_MACHINES] = {25, 20, 15, 12, 10, 8, 6, 4};
  gen_customer *cu = &g->cu;
  gen_rng *r = &g->rng;
  gen_rng_customer(r, g->seed, ci);
  cu->ci = ci;
  snprintf(cu->id, sizeof(cu->id), "C%06ld", ci + 1);

  int total = 0, pick;
  for(int i = 0; i < GEN_COUNT(gen_regions); i++)
    total += gen_regions[i].weight;
  pick = (int)gen_range(r, 0, total - 1);
  cu->region = R_US_NY;
  while(pick >= gen_regions[cu->region].weight)
    pick -= gen_regions[cu->region].weight, cu->region++;

  long c = gen_range(r, 0, 999);
  if(cu->region == R_US_NY && c < 70)
    cu->cls = C_FEDERAL;
  else if(c >= 70 && c < 150)
    cu->cls = C_STATE_LOCAL;
  else if(c >= 150 && c < 200)
    cu->cls = C_PARTNER;
  else
    cu->cls = C_COMMERCIAL;
  gen_name(cu, r);
  gen_address(cu, r);
  snprintf(cu->contract, sizeof(cu->contract), "ICA-%07ld", gen_range(r, 1000000, 9999999));
  cu->quarterly = gen_chance(r, 300);
  cu->terms_days = cu->cls == C_FEDERAL ? 30 : (int)GEN_PICK(r, ((const int[]){30, 30, 30, 45, 60}));
  cu->prompt_pct = NULL;
  cu->prompt_days = 0;
  if(gen_chance(r, 200)) {
    cu->prompt_pct = GEN_PICK(r, ((const char *const[]){"2.00", "1.50", "1.00", "0.50"}));
    cu->prompt_days = (int)GEN_PICK(r, ((const int[]){10, 15, 20}));
  }
  cu->tsad = !gen_chance(r, 20);

  total = 0;
  for(int i = 0; i < GEN_MAX_MACHINES; i++)
    total += mach_weight[i];
  pick = (int)gen_range(r, 0, total - 1);
  cu->nmach = 0;
  while(pick >= mach_weight[cu->nmach])
    pick -= mach_weight[cu->nmach], cu->nmach++;
  cu->nmach++;
  for(int mi = 0; mi < cu->nmach; mi++)
    gen_machine_make(g, cu, mi);
  gen_sysplexes(cu, r);

  /* Every machine runs z/OS under its workload charge; the rest are spread. */
  cu->nlic = 0;
  for(int mi = 0; mi < cu->nmach; mi++)
    gen_license_add(g, cu, mi, GEN_ZOS, cu->m[mi].ct);
  int used[GEN_COUNT(gen_ctypes)] = {0};
  int want = (int)gen_range(r, 5, GEN_MAX_LICENSES);
  for(int k = cu->nlic; k < want; k++) {
    for(int tries = 0; tries < 16; tries++) {
      int mi = (int)gen_range(r, 0, cu->nmach - 1);
      int ti = gen_pick_ctype(r, &cu->m[mi], used);
      int pi = gen_pick_product(r, &cu->m[mi], ti);
      if(pi >= 0) {
        gen_license_add(g, cu, mi, pi, ti);
        used[ti]++;
        break;
      }
    }
  }
  /* Output order: grouped by machine, z/OS first; number them so. */
  int k = 0;
  for(int mi = 0; mi < cu->nmach; mi++)
    for(int li = 0; li < cu->nlic; li++)
      if(cu->l[li].machine == mi) {
        cu->order[k++] = li;
        cu->l[li].num = k;
      }
}

/* ---- per-customer rows ---------------------------------------------------- */

static void gen_license_id(char *buf, size_t cap, const gen_customer *cu, int li)
{
  snprintf(buf, cap, "%s-L%02d", cu->id, cu->l[li].num);
}

/* End a row of gen's own after padding it with empty cells to the file's
 * full header (the columns the archetypes use beyond gen's). */
static void gen_end_padded(gen_ctx *g, gen_sink *s, enum gen_arch_file f)
{
  while(s->col < g->mix.ncols[f])
    gen_sink_field(s, "");
  gen_sink_end_row(s);
}

static void gen_customer_rows(gen_ctx *g)
{
  gen_customer *cu = &g->cu;
  const gen_region *rg = &gen_regions[cu->region];
  gen_sink *s = &g->customers;
  gen_sink_field(s, cu->id);
  gen_sink_field(s, cu->name);
  gen_sink_field(s, gen_class_names[cu->cls]);
  gen_sink_field(s, cu->address);
  gen_sink_field(s, rg->country);
  gen_sink_field(s, rg->tax_region);
  gen_sink_field(s, rg->currency);
  gen_sink_field(s, cu->contract);
  gen_sink_field(s, cu->quarterly ? "quarterly" : "monthly");
  gen_sink_fieldf(s, "%d", cu->terms_days);
  gen_sink_field(s, cu->prompt_pct ? cu->prompt_pct : "");
  if(cu->prompt_pct)
    gen_sink_fieldf(s, "%d", cu->prompt_days);
  else
    gen_sink_field(s, "");
  gen_sink_field(s, cu->tsad ? "yes" : "no");
  gen_end_padded(g, s, GA_CUSTOMERS);

  s = &g->machines;
  for(int mi = 0; mi < cu->nmach; mi++) {
    const gen_machine *m = &cu->m[mi];
    char ym[8];
    gen_sink_field(s, cu->id);
    gen_sink_field(s, m->serial);
    gen_sink_field(s, m->type_model);
    gen_sink_fieldf(s, "%d", m->msu);
    gen_sink_fieldf(s, "%d", m->engines);
    gen_sink_field(s, m->sysplex ? (m->sysplex == 1 ? "PLEXA" : "PLEXB") : "");
    gen_sink_field(s, m->awlc ? "yes" : "no");
    for(int i = 0; i < 4; i++) /* processor_group, golc_category, zelc_category, twlc_tier */
      gen_sink_field(s, "");
    gen_sink_field(s, m->subcap_start == MONTH_NONE ? "" : month_format(ym, m->subcap_start));
    gen_end_padded(g, s, GA_MACHINES);
  }

  s = &g->licenses;
  for(int k = 0; k < cu->nlic; k++) {
    const gen_license *l = &cu->l[cu->order[k]];
    const gen_machine *m = &cu->m[l->machine];
    char id[48];
    gen_sink_field(s, cu->id);
    gen_license_id(id, sizeof(id), cu, cu->order[k]);
    gen_sink_field(s, id);
    gen_sink_field(s, m->serial);
    gen_sink_field(s, gen_products[l->product].id);
    gen_sink_field(s, gen_ctypes[l->ct].name);
    if(l->feature_of >= 0)
      gen_license_id(id, sizeof(id), cu, l->feature_of);
    gen_sink_field(s, l->feature_of >= 0 ? id : "");
    gen_field_date(s, l->installed);
    gen_field_date(s, l->discontinued);
    gen_field_date(s, l->notice);
    gen_sink_fieldf(s, "ORD-%06d", l->order);
    gen_sink_field(s, ""); /* subcap_terms */
    gen_sink_field(s, ""); /* entitled_msu */
    gen_sink_field(s, ""); /* replaces */
    gen_sink_field(s, "no");
    /* R-W18: one pricing for the whole z/OS family of a machine */
    gen_sink_field(s, gen_ctypes[l->ct].wlc && m->subcap_start != MONTH_NONE ? "subcap" : "full");
    gen_end_padded(g, s, GA_LICENSES);
  }
}

/* ---- SCRT reports ----------------------------------------------------------- */

static const char *const gen_mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "2 Sep, 2026" as SCRT writes dates. */
static char *gen_scrt_date(char *buf, size_t cap, lb_date d)
{
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  snprintf(buf, cap, "%d %s, %04d", dd, gen_mon[m - 1], y);
  return buf;
}

/* UTF-8 to ISO-8859-1; characters above U+00FF become '?'. */
static void gen_latin1(char *dst, size_t cap, const char *src)
{
  const unsigned char *u = (const unsigned char *)src;
  size_t n = 0;
  while(*u && n + 1 < cap) {
    if(*u < 0x80) {
      dst[n++] = (char)*u++;
    } else if((*u & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
      unsigned c = ((unsigned)(*u & 0x1F) << 6) | (u[1] & 0x3F);
      dst[n++] = c <= 0xFF ? (char)c : '?';
      u += 2;
    } else {
      dst[n++] = '?';
      u++;
      while((*u & 0xC0) == 0x80)
        u++;
    }
  }
  dst[n] = '\0';
}

/* Blank separator rows in one of three house styles: none, `""`, empty line. */
static void gen_scrt_blank(gen_sink *s, int style)
{
  if(style == 1)
    gen_sink_puts(s, "\"\"");
  if(style)
    gen_sink_end_row(s);
}

static void gen_kv(gen_sink *s, const char *key, const char *value)
{
  gen_sink_field(s, key);
  gen_sink_field(s, value);
  gen_sink_end_row(s);
}

static void gen_row1(gen_sink *s, const char *v)
{
  gen_sink_field(s, v);
  gen_sink_end_row(s);
}

/* received.csv row and the SCRT report of machine mi for the period that
 * drives the billing month. MSUs: LPAR peaks <= CPC peak <= rated
 * capacity; z/OS = CPC peak; other programs <= z/OS. */
static int gen_scrt_report(gen_ctx *g, int mi)
{
  static const char *const lpar_sys[] = {"SYSA", "SYSB", "SYSC", "SYSD", "SYSE"};
  static const char *const lpar_env[] = {"PRD1", "PRD2", "DEV1", "TST1", "QA01"};
  static const char *const comments[] = {
    "Test LPAR TST1 excluded, capped by agreement",
    "Excluded DR test window 14-15 Sep per IBM approval",
    "Program not active in LPAR SYSB; see case TS012345",
  };
  gen_customer *cu = &g->cu;
  gen_machine *m = &cu->m[mi];
  gen_rng *r = &g->rng;
  gen_sink *s = &g->scrt;
  char buf[128], when[48], name[192];
  int msu[GEN_MAX_LICENSES], cust[GEN_MAX_LICENSES], shown[GEN_MAX_LICENSES];
  int lpar[5];
  lb_date lpar_day[5];
  int lpar_hour[5];

  /* received.csv: due the 2nd..9th of the month the period ends in (R-T2) */
  int late = gen_chance(r, 30);
  int ext = late && gen_chance(r, 500);
  int py, pm, pd;
  date_to_ymd(g->period_end, &py, &pm, &pd);
  int rday = (int)(late ? gen_range(r, 10, 20) : gen_range(r, 2, 9));
  lb_date received = date_from_ymd(py, pm, rday);
  gen_sink *rs = &g->received;
  gen_sink_field(rs, m->serial);
  gen_field_date(rs, g->period_end);
  gen_field_date(rs, received);
  gen_sink_field(rs, ext ? "yes" : "no");
  gen_sink_end_row(rs);

  /* house style of this file */
  s->n = 0;
  s->col = 0;
  s->delim = gen_chance(r, 500) ? ';' : ',';
  s->quote_all = gen_chance(r, 500);
  s->eol = gen_chance(r, 500) ? "\r\n" : "\n";
  int blanks = (int)gen_range(r, 0, 2);
  int ascii = 1;
  for(const char *c = cu->name; *c; c++)
    ascii &= (unsigned char)*c < 0x80;
  if(!ascii && gen_chance(r, 400))
    gen_latin1(name, sizeof(name), cu->name);
  else
    snprintf(name, sizeof(name), "%s", cu->name);

  /* measurements */
  int days = (int)(g->period_end - g->period_start) + 1;
  int cpc = m->msu * (int)gen_range(r, 25, 95) / 100;
  if(cpc < 1)
    cpc = 1;
  int nlpar = (int)gen_range(r, 1, 5);
  const char *const *lnames = gen_chance(r, 500) ? lpar_sys : lpar_env;
  for(int i = 0; i < nlpar; i++) {
    lpar[i] = i == 0 ? (nlpar == 1 ? cpc : cpc * (int)gen_range(r, 60, 100) / 100)
                     : cpc * (int)gen_range(r, 5, 90) / 100;
    if(lpar[i] < 1)
      lpar[i] = 1;
    lpar_day[i] = g->period_start + (lb_date)gen_range(r, 0, days - 1);
    lpar_hour[i] = (int)gen_range(r, 0, 23);
  }
  /* the machine's peak cannot exceed the LPAR peaks added up */
  int sum = 0;
  for(int i = 0; i < nlpar; i++)
    sum += lpar[i];
  for(int i = 1; i < nlpar && sum < cpc; i++) {
    int add = cpc - sum < cpc - lpar[i] ? cpc - sum : cpc - lpar[i];
    lpar[i] += add, sum += add;
  }
  int candidates = 0;
  for(int li = 0; li < cu->nlic; li++) {
    const gen_license *l = &cu->l[li];
    const gen_product *p = &gen_products[l->product];
    shown[li] = l->machine == mi && gen_ctypes[l->ct].wlc && l->installed <= g->period_end;
    if(!shown[li])
      continue;
    msu[li] = p->kind == GEN_PROGRAM ? cpc * (int)gen_range(r, 20, 100) / 100 : cpc; /* R-W6 */
    if(msu[li] < 1)
      msu[li] = 1;
    cust[li] = -1;
    candidates += p->kind == GEN_PROGRAM;
  }
  if(candidates && gen_chance(r, 20)) { /* R-W5: a licensed program missing */
    int drop = (int)gen_range(r, 0, candidates - 1);
    for(int li = 0; li < cu->nlic; li++)
      if(shown[li] && gen_products[cu->l[li].product].kind == GEN_PROGRAM && drop-- == 0)
        shown[li] = 0, candidates--;
  }
  const char *comment = NULL;
  if(candidates && gen_chance(r, 10)) { /* R-T2a: an explained override */
    int pick = (int)gen_range(r, 0, candidates - 1);
    for(int li = 0; li < cu->nlic; li++)
      if(shown[li] && gen_products[cu->l[li].product].kind == GEN_PROGRAM && pick-- == 0 && msu[li] > 1) {
        cust[li] = (int)gen_range(r, 1, msu[li] - 1);
        comment = GEN_PICK(r, comments);
      }
  }
  int ams = -1;
  for(int li = 0; li < cu->nlic; li++)
    if(shown[li] && cu->l[li].product == GEN_MQ && gen_chance(r, 500))
      ams = (int)gen_range(r, 1, 40);

  /* B5 header */
  gen_row1(s, "==B5========= SCRT SUB-CAPACITY REPORT ========================");
  gen_kv(s, "Customer Number", cu->id);
  gen_kv(s, "Customer Name", name);
  gen_kv(s, "Machine Serial Number", m->serial);
  gen_kv(s, "Machine Type and Model", m->type_model);
  snprintf(buf, sizeof(buf), "%d", m->msu);
  gen_kv(s, "Machine Rated Capacity (MSUs)", buf);
  char d1[24], d2[24];
  snprintf(buf, sizeof(buf), "%s - %s inclusive (%d days)", gen_scrt_date(d1, sizeof(d1), g->period_start),
           gen_scrt_date(d2, sizeof(d2), g->period_end), days);
  gen_kv(s, "Reporting Period", buf);
  const char *release_key = gen_chance(r, 200) ? "Tool Release" : "SCRT Tool Release";
  gen_kv(s, release_key, GEN_PICK(r, ((const char *const[]){"29.1.0", "29.2.0", "28.3.1"})));
  lb_date run = date_from_ymd(py, pm, (int)gen_range(r, 2, rday));
  int hh = (int)gen_range(r, 0, 23);
  int mm = (int)gen_range(r, 0, 59);
  snprintf(when, sizeof(when), "%s %02d:%02d", gen_scrt_date(d1, sizeof(d1), run), hh, mm);
  gen_kv(s, "Run Date/Time", when);
  gen_scrt_blank(s, blanks);

  /* E5 product summary: z/OS first, then the others in license order */
  gen_row1(s, "==E5==========");
  gen_row1(s, "PRODUCT SUMMARY INFORMATION");
  /* header rows go through gen_field so that they get the house quoting */
  for(const char *h = "Product Name\0Product ID\0Tool MSUs\0Customer MSUs\0Customer Comment\0Footnotes\0"; *h;
      h += strlen(h) + 1)
    gen_sink_field(s, h);
  gen_sink_end_row(s);
  for(int pass = 0; pass < 2; pass++)
    for(int k = 0; k < cu->nlic; k++) {
      int li = cu->order[k];
      const gen_product *p = &gen_products[cu->l[li].product];
      if(!shown[li] || (p->kind == GEN_OS) != (pass == 0))
        continue;
      gen_sink_field(s, p->scrt);
      gen_sink_field(s, p->id);
      gen_sink_fieldf(s, "%d", msu[li]);
      if(cust[li] >= 0)
        gen_sink_fieldf(s, "%d", cust[li]);
      else
        gen_sink_field(s, "");
      gen_sink_field(s, cust[li] >= 0 ? comment : "");
      gen_sink_field(s, "");
      gen_sink_end_row(s);
    }
  if(ams >= 0) {
    gen_scrt_blank(s, blanks);
    for(const char *h = "Product Name\0Product ID\0Tool Units\0Customer Units\0Customer Comment\0Footnotes\0"; *h;
        h += strlen(h) + 1)
      gen_sink_field(s, h);
    gen_sink_end_row(s);
    gen_sink_field(s, gen_products[GEN_AMS].scrt);
    gen_sink_field(s, gen_products[GEN_AMS].id);
    gen_sink_fieldf(s, "%d", ams);
    gen_sink_field(s, "");
    gen_sink_field(s, "");
    gen_sink_field(s, "");
    gen_sink_end_row(s);
  }
  gen_scrt_blank(s, blanks);

  /* N5 LPAR peaks and the CPC row (the machine peak, when the top LPAR peaked) */
  gen_row1(s, "==N5==========");
  gen_row1(s, "DETAIL LPAR DATA");
  gen_sink_field(s, "LPAR Name");
  gen_sink_field(s, "Highest 4HRA MSUs");
  gen_sink_field(s, "Date/Time of Highest");
  gen_sink_end_row(s);
  int top = 0;
  for(int i = 0; i < nlpar; i++) {
    gen_sink_field(s, lnames[i]);
    gen_sink_fieldf(s, "%d", lpar[i]);
    gen_sink_fieldf(s, "%s %02d:00", gen_scrt_date(d1, sizeof(d1), lpar_day[i]), lpar_hour[i]);
    gen_sink_end_row(s);
    if(lpar[i] > lpar[top])
      top = i;
  }
  gen_sink_field(s, "CPC");
  gen_sink_fieldf(s, "%d", cpc);
  gen_sink_fieldf(s, "%s %02d:00", gen_scrt_date(d1, sizeof(d1), lpar_day[top]), lpar_hour[top]);
  gen_sink_end_row(s);
  gen_scrt_blank(s, blanks);

  /* P5: a section readers do not need and must skip */
  gen_row1(s, "==P5==========");
  gen_row1(s, "LPAR HOURLY DETAIL");
  gen_sink_field(s, "Date");
  gen_sink_field(s, "Hour");
  gen_sink_field(s, "LPAR Name");
  gen_sink_field(s, "4HRA MSUs");
  gen_sink_end_row(s);
  for(int h = 0; h < 4; h++) {
    gen_sink_field(s, gen_scrt_date(d1, sizeof(d1), g->period_start));
    gen_sink_fieldf(s, "%02d", h);
    gen_sink_field(s, lnames[h % nlpar]);
    gen_sink_fieldf(s, "%d", lpar[h % nlpar] * (int)gen_range(r, 50, 100) / 100);
    gen_sink_end_row(s);
  }

  char pe[16];
  if(snprintf(s->path, sizeof(s->path), "%s/scrt/%s-%s.csv", g->outdir, m->serial,
              date_format(pe, g->period_end)) >= (int)sizeof(s->path)) {
    gen_sink_log(g->log, "%s/scrt: path too long", g->outdir);
    return LB_EIO;
  }
  return gen_sink_save(s, g->log);
}

/* ---- files and directories ------------------------------------------------ */

/* Like `mkdir -p`: an existing directory is fine. */
static int gen_mkdirs(gen_ctx *g, const char *dir)
{
  char path[PATH_MAX];
  int rc = LB_EIO;
  if(snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
    errno = ENAMETOOLONG;
    goto fail;
  }
  for(char *p = path + 1; *p; p++) {
    if(*p != '/')
      continue;
    *p = '\0';
    if(mkdir(path, 0777) && errno != EEXIST)
      goto fail;
    *p = '/';
  }
  if(mkdir(path, 0777) && errno != EEXIST)
    goto fail;
  struct stat st;
  if(stat(path, &st))
    goto fail;
  if(!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    goto fail;
  }
  rc = LB_OK;
  goto out;
fail:
  gen_sink_log(g->log, "%s: %s", path, strerror(errno));
out:
  return rc;
}

/* A stale report of another run would be read as part of this set. */
static int gen_scrt_empty(gen_ctx *g, const char *dir)
{
  int rc = LB_EIO;
  DIR *d = opendir(dir);
  struct dirent *e;
  if(!d) {
    gen_sink_log(g->log, "%s: %s", dir, strerror(errno));
    goto out;
  }
  rc = LB_OK;
  while((e = readdir(d)))
    if(strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      gen_sink_log(g->log, "%s is not empty; remove it or choose another output directory", dir);
      rc = LB_EINPUT;
      break;
    }
  closedir(d);
out:
  return rc;
}

/* gen's own columns; the per-customer files get the reader's full column
 * list (cust_file_columns), of which these must be the first. */
#define H_CUSTOMERS                                                                                  \
  "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"      \
  "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad"
#define H_MACHINES                                                                                   \
  "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,processor_group," \
  "golc_category,zelc_category,twlc_tier,subcap_start"
#define H_LICENSES                                                                                   \
  "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,discontinued_on,"  \
  "notice_received_on,order_number,subcap_terms,entitled_msu,replaces,secure_support,pricing"
#define H_PRODUCTS "product_id,name,family,is_os,version,min_msu,vue,parent_product"
#define H_PRICES "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from"
#define H_VALUE_UNITS "vue,from_msu,to_msu,vu_per_msu"
#define H_TAXES "tax_region,tax_name,rate_pct,effective_from"
#define H_MODELS "type_model,product_group,msu_rating"
#define H_RECEIVED "serial,period_end,received_on,extension"

/* The header row of every file the archetypes go into; gen's own columns
 * of each per-customer file must start the reader's list. */
static int gen_headers(gen_ctx *g)
{
  static const struct {
    enum gen_arch_file f;
    cust_file cf;
    const char *own;
  } per_customer[] = {
    {GA_CUSTOMERS, CF_CUSTOMERS, H_CUSTOMERS}, {GA_MACHINES, CF_MACHINES, H_MACHINES},
    {GA_LICENSES, CF_LICENSES, H_LICENSES},    {GA_SUPPORT, CF_SUPPORT, ""},
    {GA_USAGE, CF_USAGE, ""},
  };
  static const struct {
    enum gen_arch_file f;
    const char *header;
  } fixed[] = {
    {GA_RECEIVED, H_RECEIVED}, {GA_PRODUCTS, H_PRODUCTS}, {GA_PRICES, H_PRICES},
    {GA_VALUE_UNITS, H_VALUE_UNITS}, {GA_TAXES, H_TAXES}, {GA_MODELS, H_MODELS},
  };
  for(int i = 0; i < GEN_COUNT(per_customer); i++) {
    char *h = g->headers[per_customer[i].f];
    size_t cap = sizeof(g->headers[0]), k = 0;
    int n;
    const col_spec *cols = cust_file_columns(per_customer[i].cf, &n);
    for(int c = 0; c < n && k < cap; c++)
      k += (size_t)snprintf(h + k, cap - k, "%s%s", c ? "," : "", cols[c].name);
    size_t own = strlen(per_customer[i].own);
    if(k >= cap || (own && (strncmp(h, per_customer[i].own, own) || (h[own] != ',' && h[own] != '\0')))) {
      gen_sink_log(g->log, "the columns of %s that gen writes are not the first ones licbill reads",
              cust_file_names[per_customer[i].cf]);
      return LB_EINPUT;
    }
  }
  for(int i = 0; i < GEN_COUNT(fixed); i++)
    snprintf(g->headers[fixed[i].f], sizeof(g->headers[0]), "%s", fixed[i].header);
  return LB_OK;
}

/* ---- what gen writes itself (the archetypes' rows for these are left out) ---- */

static int gen_own_product_index(const char *id)
{
  for(int pi = 0; pi < GEN_COUNT(gen_products); pi++)
    if(!strcmp(gen_products[pi].id, id))
      return pi;
  return -1;
}

static int gen_own_product(const char *id)
{
  return gen_own_product_index(id) >= 0;
}

static int gen_own_book(const char *product_id, const char *ct, const char *component,
                        const char *currency)
{
  int pi = gen_own_product_index(product_id), cur = 0;
  for(int ci = 0; ci < GEN_COUNT(gen_currencies); ci++)
    cur |= !strcmp(gen_currencies[ci].code, currency);
  if(pi < 0 || !cur)
    return 0;
  for(int ti = 0; ti < GEN_COUNT(gen_ctypes); ti++)
    if((gen_products[pi].ctypes & (1u << ti)) && !strcmp(gen_ctypes[ti].name, ct))
      return !strcmp(component, gen_ctypes[ti].shape == GEN_ONE_TIME ? "one_time" : "monthly");
  return 0;
}

static int gen_own_vue(const char *vue)
{
  for(int i = 0; i < GEN_COUNT(gen_vue_rows); i++)
    if(!strcmp(gen_vue_rows[i][0], vue))
      return 1;
  return 0;
}

static int gen_own_tax_region(const char *region)
{
  for(int i = 0; i < GEN_COUNT(gen_tax_rows); i++)
    if(!strcmp(gen_tax_rows[i][0], region))
      return 1;
  return 0;
}

static const gen_mix_own gen_own = {
  gen_own_product,    /* product */
  gen_own_book,       /* book */
  gen_own_vue,        /* vue */
  gen_own_tax_region, /* tax_region */
};

/* The shared files that do not depend on the customers: gen's rows, then
 * the rows the archetypes need that do not collide with them. */
static int gen_fixed_files(gen_ctx *g)
{
  gen_sink s;
  int rc, rc2;
  lb_date tax_from = date_from_ymd(month_year(g->month) - 5, 1, 1);

  if((rc = gen_sink_open(&s, g->outdir, "products.csv", g->headers[GA_PRODUCTS])) == LB_OK) {
    gen_products_csv(&s);
    rc = gen_mix_shared(&g->mix, &s, GA_PRODUCTS, &gen_own);
  }
  rc2 = gen_sink_close(&s, g->log);
  if((rc = rc ? rc : rc2) != LB_OK)
    goto out;
  if((rc = gen_sink_open(&s, g->outdir, "prices.csv", g->headers[GA_PRICES])) == LB_OK) {
    gen_prices(&s, g->month);
    rc = gen_mix_shared(&g->mix, &s, GA_PRICES, &gen_own);
  }
  rc2 = gen_sink_close(&s, g->log);
  if((rc = rc ? rc : rc2) != LB_OK)
    goto out;
  if((rc = gen_sink_open(&s, g->outdir, "value_units.csv", g->headers[GA_VALUE_UNITS])) == LB_OK) {
    for(int i = 0; i < GEN_COUNT(gen_vue_rows); i++) {
      for(int j = 0; j < 4; j++)
        gen_sink_field(&s, gen_vue_rows[i][j]);
      gen_sink_end_row(&s);
    }
    rc = gen_mix_shared(&g->mix, &s, GA_VALUE_UNITS, &gen_own);
  }
  rc2 = gen_sink_close(&s, g->log);
  if((rc = rc ? rc : rc2) != LB_OK)
    goto out;
  if((rc = gen_sink_open(&s, g->outdir, "taxes.csv", g->headers[GA_TAXES])) == LB_OK) {
    for(int i = 0; i < GEN_COUNT(gen_tax_rows); i++) {
      for(int j = 0; j < 3; j++)
        gen_sink_field(&s, gen_tax_rows[i][j]);
      gen_field_date(&s, tax_from);
      gen_sink_end_row(&s);
    }
    rc = gen_mix_shared(&g->mix, &s, GA_TAXES, &gen_own);
  }
  rc2 = gen_sink_close(&s, g->log);
  if((rc = rc ? rc : rc2) != LB_OK)
    goto out;
  /* the price list's machine table: only the archetypes' machines (R-L1, R-L3) */
  if((rc = gen_sink_open(&s, g->outdir, "machine_models.csv", g->headers[GA_MODELS])) == LB_OK)
    rc = gen_mix_shared(&g->mix, &s, GA_MODELS, &gen_own);
  rc2 = gen_sink_close(&s, g->log);
  rc = rc ? rc : rc2;
out:
  return rc;
}

/* Customer ci as a clone of archetype a: its id and fresh serials from the
 * same bijection as gen's own machines. */
static int gen_archetype_customer(gen_ctx *g, long ci, int a)
{
  char id[24], serials[GEN_MAX_MACHINES][16];
  const char *sp[GEN_MAX_MACHINES];
  gen_sink *const files[GA__CUSTOMER_FILES] = {
    [GA_CUSTOMERS] = &g->customers, [GA_MACHINES] = &g->machines, [GA_LICENSES] = &g->licenses,
    [GA_SUPPORT] = &g->support,     [GA_USAGE] = &g->usage,       [GA_RECEIVED] = &g->received,
  };
  snprintf(id, sizeof(id), "C%06ld", ci + 1);
  for(int k = 0; k < gen_mix_machines(a) && k < GEN_MAX_MACHINES; k++) {
    gen_serial(serials[k], sizeof(serials[k]), g->seed, ci * GEN_MAX_MACHINES + k);
    sp[k] = serials[k];
  }
  return gen_mix_customer(&g->mix, a, id, sp, files, &g->scrt, g->outdir);
}

int gen_write(const char *outdir, long customers, uint64_t seed, lb_month month, FILE *log)
{
  int rc = LB_EINPUT;
  gen_ctx *g = NULL;
  char dir[PATH_MAX];

  if(!outdir || !*outdir) {
    gen_sink_log(log, "no output directory given");
    goto out;
  }
  if(customers < 0 || customers > GEN_MAX_CUSTOMERS) {
    gen_sink_log(log, "--customers %ld is out of range, expected 0..%ld", customers, GEN_MAX_CUSTOMERS);
    goto out;
  }
  if(month < month_from_ym(1950, 1) || month > month_from_ym(9998, 12)) {
    gen_sink_log(log, "billing month out of range, expected 1950-01..9998-12");
    goto out;
  }
  g = calloc(1, sizeof(*g));
  if(!g) {
    rc = LB_ENOMEM;
    gen_sink_log(log, "out of memory");
    goto out;
  }
  g->outdir = outdir;
  g->log = log;
  g->seed = seed;
  g->month = month;
  gen_period_of(month, &g->period_start, &g->period_end);
  gen_sink *const streams[] = {&g->customers, &g->machines, &g->licenses, &g->support, &g->usage, &g->received};
  static const struct {
    const char *name;
    enum gen_arch_file f;
  } stream_files[] = {
    {"customers.csv", GA_CUSTOMERS}, {"machines.csv", GA_MACHINES}, {"licenses.csv", GA_LICENSES},
    {"support.csv", GA_SUPPORT},     {"usage.csv", GA_USAGE},       {"scrt/received.csv", GA_RECEIVED},
  };
  for(int i = 0; i < GEN_COUNT(streams); i++)
    gen_sink_init(streams[i]);
  gen_sink_init(&g->scrt);
  gen_sink_init(&g->mix.cell);

  if(snprintf(dir, sizeof(dir), "%s/scrt", outdir) >= (int)sizeof(dir)) {
    rc = LB_EIO;
    gen_sink_log(log, "%s: path too long", outdir);
    goto out;
  }
  if((rc = gen_headers(g)) != LB_OK)
    goto out;
  {
    const char *headers[GA__N];
    for(int f = 0; f < GA__N; f++)
      headers[f] = g->headers[f];
    if((rc = gen_mix_init(&g->mix, headers, month, log)) != LB_OK)
      goto out;
  }
  if((rc = gen_mkdirs(g, dir)) != LB_OK || (rc = gen_scrt_empty(g, dir)) != LB_OK)
    goto out;
  if((rc = gen_fixed_files(g)) != LB_OK)
    goto out;
  for(int i = 0; i < GEN_COUNT(streams); i++)
    if((rc = gen_sink_open(streams[i], g->outdir, stream_files[i].name, g->headers[stream_files[i].f])) != LB_OK)
      goto out;

  for(long ci = 0; ci < customers; ci++) {
    int a = gen_mix_pick(ci, seed, month);
    if(a >= 0) {
      if((rc = gen_archetype_customer(g, ci, a)) != LB_OK)
        goto out;
    } else {
      gen_customer_make(g, ci);
      gen_customer_rows(g);
      for(int mi = 0; mi < g->cu.nmach; mi++)
        if(g->cu.m[mi].subcap_start != MONTH_NONE && (rc = gen_scrt_report(g, mi)) != LB_OK)
          goto out;
    }
    int failed = 0;
    for(int i = 0; i < GEN_COUNT(streams); i++)
      failed |= streams[i]->err != 0;
    if(failed)
      break; /* reported by gen_sink_close below */
  }
  rc = LB_OK;
  for(int i = 0; i < GEN_COUNT(streams); i++) {
    int rc2 = gen_sink_close(streams[i], g->log);
    rc = rc ? rc : rc2;
  }

out:
  if(g) {
    for(int i = 0; i < GEN_COUNT(streams); i++)
      gen_sink_close(streams[i], g->log);
    free(g->scrt.p);
    gen_mix_clear(&g->mix);
    free(g);
  }
  return rc;
}
