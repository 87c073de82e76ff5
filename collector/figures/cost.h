/* cost.h: what storage and queries cost, by S3's and Athena's billing rules
 * (issue 14's cost part; pure arithmetic). Listings gather price-free
 * figures (cost_storage, billed query bytes); derive.c prices them.
 *
 * Prices are USD: per GB-month of storage with GB = 2^30 bytes, per TB
 * scanned by Athena with TB = 2^40 bytes, per 1000 LIST and GET requests.
 * The built-in defaults are the us-east-1 list prices (README, "Cost").
 * Billing rules applied:
 *  - STANDARD_IA, ONEZONE_IA and GLACIER_IR bill at least 128 KiB per object;
 *  - GLACIER and DEEP_ARCHIVE add 40 KiB per object: 32 KiB at the class's
 *    price and 8 KiB at the STANDARD price;
 *  - an Athena query bills its DataScannedInBytes rounded up to a whole MiB,
 *    at least 10 MiB; FAILED queries are free, CANCELLED ones are billed. */
#ifndef LAKETOP_COST_H
#define LAKETOP_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cost_class {
    COST_STANDARD = 0,
    COST_STANDARD_IA,
    COST_ONEZONE_IA,
    COST_INTELLIGENT_TIERING,
    COST_GLACIER_IR,
    COST_GLACIER,
    COST_DEEP_ARCHIVE,
    COST_REDUCED_REDUNDANCY,
    COST_EXPRESS_ONEZONE,
    COST_CLASS_COUNT
} cost_class;

typedef struct cost_prices {
    double gb_month[COST_CLASS_COUNT];
    double athena_per_tb;
    double list_per_1000;
    double get_per_1000;
} cost_prices;

/* Dollars for a column of people: "-" unknown (negative), "$0",
 * "<$0.01", "$4.20", "$42.0", "$420", "$4.2k", "$4.2M". Returns buf. */
const char *cost_format_usd(double usd, char *buf, size_t size);

/* The us-east-1 list prices. */
void cost_prices_default(cost_prices *prices);

/* The class S3 names ("STANDARD", "GLACIER_IR", ...; NULL or "" is
 * STANDARD, as ListObjectsV2 leaves it out for some stores); false for a
 * name S3 does not have. */
bool cost_class_from_s3(const char *name, cost_class *out);
/* The name S3 gives a class ("GLACIER_IR"). */
const char *cost_class_s3(cost_class c);
/* The lower-case key of a class in [prices] ("standard_ia"), and back. */
const char *cost_class_key(cost_class c);
bool cost_class_from_key(const char *key, cost_class *out);

/* A month of one object of `size` bytes in class `c`, with the minimum
 * size and the archive overhead above (a listing sums these per object, as
 * the minimum applies to each object, not to a table's total). */
double cost_object_month(const cost_prices *prices, cost_class c, int64_t size);

/* What one Athena query is billed: `state` as Athena says it (SUCCEEDED,
 * FAILED, CANCELLED); 0 for FAILED and for a query still running. */
double cost_query(const cost_prices *prices, const char *state, int64_t scanned_bytes);

/* A day of refreshes every `interval_seconds`, each sending `lists`
 * requests billed at the LIST price and `gets` at the GET price. */
double cost_refresh_day(const cost_prices *prices, int64_t lists, int64_t gets,
                        int64_t interval_seconds);

/* A table's storage per class, price-free: the bytes stored, the objects,
 * and the bytes billed at each class's price, the minimum size and the
 * archive overhead applied object by object (an archived object's 8 KiB
 * billed at the STANDARD price count in billed[COST_STANDARD]). */
typedef struct cost_storage {
    int64_t bytes[COST_CLASS_COUNT];
    int64_t objects[COST_CLASS_COUNT];
    int64_t billed[COST_CLASS_COUNT];
} cost_storage;

/* Adds one object of `size` bytes (negative: 0) in class `c`. */
void cost_storage_add(cost_storage *storage, cost_class c, int64_t size);
/* Adds `from` to `to`. */
void cost_storage_merge(cost_storage *to, const cost_storage *from);
/* A month of it at `prices`: the sum of billed[c] / 2^30 * gb_month[c]. */
double cost_storage_month(const cost_prices *prices, const cost_storage *storage);

/* The part of that month owed to the objects of class `c`, the archive
 * overhead billed at the STANDARD price counted with its archive class (the
 * classes' parts add up to cost_storage_month). */
double cost_storage_class_month(const cost_prices *prices, const cost_storage *storage,
                                cost_class c);

/* The bytes one Athena query is billed for (the rules above): 0 for FAILED
 * and for a query not finished; `state` NULL is taken as SUCCEEDED (a log
 * of queries that ran). */
int64_t cost_query_billed_bytes(const char *state, int64_t scanned_bytes);
/* Billed Athena bytes (a share of a query may be a fraction) in USD. */
double cost_scanned_usd(const cost_prices *prices, double billed_bytes);

#endif
