/* catalog.h - the shared input files (products, prices, value units, taxes), loaded once per run. */
#ifndef LB_CATALOG_H
#define LB_CATALOG_H

#include "core/arena.h"
#include "core/diag.h"
#include "input/model.h"

typedef struct catalog {
  arena mem;
  product *products;
  size_t nproducts; /* sorted by product_id */
  price *prices;
  size_t nprices;   /* sorted by product, charge type, component, currency, effective_from, from_qty */
  vu_tier *vus;
  size_t nvus;      /* sorted by vue, from_msu; each exhibit checked contiguous (R-I5) */
  const char *vu_path; /* value_units.csv as opened, for errors about an exhibit */
  tax_rate *taxes;
  size_t ntaxes;    /* sorted by region, name, effective_from */
  machine_model *models;
  size_t nmodels;   /* sorted by type_model; empty when machine_models.csv is absent */
} catalog;

/* Load DIR/products.csv, prices.csv, value_units.csv, taxes.csv and the
 * optional machine_models.csv (a missing file is an empty table). Any
 * problem is reported in d and gives LB_EINPUT: shared files reject the
 * whole run (README, "Bad input"). Price books (R-W1) are checked for gaps and
 * overlaps; so are Value Unit Exhibits (R-I5), but a defective exhibit is
 * only marked (vu_tier.defect) so that the customers using it are rejected
 * and the others billed. Caller clears with catalog_clear. */
int catalog_load(catalog *c, const char *dir, diag_list *d);
void catalog_clear(catalog *c);

const product *catalog_product(const catalog *c, const char *product_id);

/* R-W1: the price book of (product, charge type, component, currency) in
 * effect on `on`: the rows with the latest effective_from <= on, sorted by
 * from_qty. *first/n set on success; returns 0, or -1 when there is none. */
int catalog_price_book(const catalog *c, const char *product_id, charge_type ct, const char *component,
                       const char *currency, lb_date on, const price **first, size_t *n);

/* 1 when prices.csv has a row of product_id under charge type ct (the
 * product is sold that way), else 0. */
int catalog_sold_as(const catalog *c, const char *product_id, charge_type ct);

/* R-L1, R-L3: the price list's machine table row of type_model ("9672-RX6"),
 * NULL when the model is not listed. Points into the catalog. */
const machine_model *catalog_machine_model(const catalog *c, const char *type_model);

/* R-L1, R-L3: the row with the highest msu_rating among the models of
 * product_group (NULL: the whole table); the first by type_model on a tie.
 * NULL when no model of the group has a rating. Points into the catalog. */
const machine_model *catalog_model_highest(const catalog *c, const char *product_group);

/* R-I5: the tiers of Value Unit Exhibit `vue` (sorted by from_msu, checked
 * at load for gaps and overlaps). *first/n set when found; returns 0, -1
 * when value_units.csv has no row for it, or -2 when the exhibit has a
 * defect ((*first)->defect says what and where). */
int catalog_vu_exhibit(const catalog *c, const char *vue, const vu_tier **first, size_t *n);

/* Taxes of a region in effect on `on` (one row per tax name, latest
 * effective_from <= on). Writes up to max pointers; returns the count, or
 * -1 when the region has no rates at all. */
int catalog_taxes(const catalog *c, const char *region, lb_date on, const tax_rate **out, int max);

#endif
