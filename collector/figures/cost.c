/* cost.c: S3 storage and Athena query billing (cost.h). */
#include "collector/figures/cost.h"

#include <stdio.h>
#include <string.h>

#define COST_GB (1024.0 * 1024.0 * 1024.0)
#define COST_TB (COST_GB * 1024.0)
#define COST_MIB (1024 * 1024)

static const struct {
    const char *s3;  /* as S3 names it */
    const char *key; /* in [prices] */
    double price;    /* us-east-1, per GB-month */
} cost_classes[COST_CLASS_COUNT] = {
    [COST_STANDARD] = {"STANDARD", "standard", 0.023},
    [COST_STANDARD_IA] = {"STANDARD_IA", "standard_ia", 0.0125},
    [COST_ONEZONE_IA] = {"ONEZONE_IA", "onezone_ia", 0.01},
    [COST_INTELLIGENT_TIERING] = {"INTELLIGENT_TIERING", "intelligent_tiering", 0.023},
    [COST_GLACIER_IR] = {"GLACIER_IR", "glacier_ir", 0.004},
    [COST_GLACIER] = {"GLACIER", "glacier", 0.0036},
    [COST_DEEP_ARCHIVE] = {"DEEP_ARCHIVE", "deep_archive", 0.00099},
    [COST_REDUCED_REDUNDANCY] = {"REDUCED_REDUNDANCY", "reduced_redundancy", 0.024},
    [COST_EXPRESS_ONEZONE] = {"EXPRESS_ONEZONE", "express_onezone", 0.16},
};

const char *cost_format_usd(double usd, char *buf, size_t size) {
    if (usd < 0)
        snprintf(buf, size, "-");
    else if (usd == 0)
        snprintf(buf, size, "$0");
    else if (usd < 0.005)
        snprintf(buf, size, "<$0.01");
    else if (usd < 9.995)
        snprintf(buf, size, "$%.2f", usd);
    else if (usd < 99.95)
        snprintf(buf, size, "$%.1f", usd);
    else if (usd < 9999.5)
        snprintf(buf, size, "$%.0f", usd);
    else if (usd < 999950)
        snprintf(buf, size, "$%.1fk", usd / 1000);
    else
        snprintf(buf, size, "$%.1fM", usd / 1e6);
    return buf;
}

void cost_prices_default(cost_prices *prices) {
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        prices->gb_month[c] = cost_classes[c].price;
    prices->athena_per_tb = 5.0;
    prices->list_per_1000 = 0.005;
    prices->get_per_1000 = 0.0004;
}

bool cost_class_from_s3(const char *name, cost_class *out) {
    if (!name || !*name) {
        *out = COST_STANDARD;
        return true;
    }
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        if (strcmp(name, cost_classes[c].s3) == 0) {
            *out = (cost_class)c;
            return true;
        }
    return false;
}

const char *cost_class_s3(cost_class c) {
    return c >= 0 && c < COST_CLASS_COUNT ? cost_classes[c].s3 : "STANDARD";
}

const char *cost_class_key(cost_class c) {
    return c >= 0 && c < COST_CLASS_COUNT ? cost_classes[c].key : "standard";
}

bool cost_class_from_key(const char *key, cost_class *out) {
    for (int c = 0; key && c < COST_CLASS_COUNT; c++)
        if (strcmp(key, cost_classes[c].key) == 0) {
            *out = (cost_class)c;
            return true;
        }
    return false;
}

/* The bytes billed at the class's price and at the STANDARD price. */
static void cost_object_billed(cost_class c, int64_t size, int64_t *at_class,
                               int64_t *at_standard) {
    *at_class = size < 0 ? 0 : size;
    *at_standard = 0;
    switch (c) {
    case COST_STANDARD_IA:
    case COST_ONEZONE_IA:
    case COST_GLACIER_IR:
        if (*at_class < 128 * 1024)
            *at_class = 128 * 1024;
        break;
    case COST_GLACIER:
    case COST_DEEP_ARCHIVE:
        *at_class += 32 * 1024;
        *at_standard = 8 * 1024;
        break;
    default: break;
    }
}

double cost_object_month(const cost_prices *prices, cost_class c, int64_t size) {
    if (c < 0 || c >= COST_CLASS_COUNT || size < 0)
        return 0;
    int64_t billed, standard;
    cost_object_billed(c, size, &billed, &standard);
    return (double)billed / COST_GB * prices->gb_month[c] +
           (double)standard / COST_GB * prices->gb_month[COST_STANDARD];
}

void cost_storage_add(cost_storage *s, cost_class c, int64_t size) {
    if (c < 0 || c >= COST_CLASS_COUNT)
        c = COST_STANDARD;
    int64_t billed, standard;
    cost_object_billed(c, size, &billed, &standard);
    s->bytes[c] += size < 0 ? 0 : size;
    s->objects[c]++;
    s->billed[c] += billed;
    s->billed[COST_STANDARD] += standard;
}

void cost_storage_merge(cost_storage *to, const cost_storage *from) {
    for (int c = 0; c < COST_CLASS_COUNT; c++) {
        to->bytes[c] += from->bytes[c];
        to->objects[c] += from->objects[c];
        to->billed[c] += from->billed[c];
    }
}

double cost_storage_month(const cost_prices *prices, const cost_storage *s) {
    double usd = 0;
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        usd += (double)s->billed[c] / COST_GB * prices->gb_month[c];
    return usd;
}

double cost_storage_class_month(const cost_prices *prices, const cost_storage *s, cost_class c) {
    if (c < 0 || c >= COST_CLASS_COUNT)
        return 0;
    double standard = prices->gb_month[COST_STANDARD] / COST_GB;
    int64_t archived = s->objects[COST_GLACIER] + s->objects[COST_DEEP_ARCHIVE];
    if (c == COST_STANDARD)
        return (double)(s->billed[c] - archived * 8 * 1024) * standard;
    double usd = (double)s->billed[c] / COST_GB * prices->gb_month[c];
    if (c == COST_GLACIER || c == COST_DEEP_ARCHIVE)
        usd += (double)(s->objects[c] * 8 * 1024) * standard;
    return usd;
}

int64_t cost_query_billed_bytes(const char *state, int64_t scanned_bytes) {
    if (state && strcmp(state, "SUCCEEDED") != 0 && strcmp(state, "CANCELLED") != 0)
        return 0;
    if (scanned_bytes < 0)
        scanned_bytes = 0;
    int64_t mib = scanned_bytes / COST_MIB + (scanned_bytes % COST_MIB != 0); /* no overflow */
    if (mib < 10)
        mib = 10;
    return mib > INT64_MAX / COST_MIB ? INT64_MAX : mib * COST_MIB;
}

double cost_scanned_usd(const cost_prices *prices, double billed_bytes) {
    return billed_bytes / COST_TB * prices->athena_per_tb;
}

double cost_query(const cost_prices *prices, const char *state, int64_t scanned_bytes) {
    if (!state)
        return 0;
    return cost_scanned_usd(prices, (double)cost_query_billed_bytes(state, scanned_bytes));
}

double cost_refresh_day(const cost_prices *prices, int64_t lists, int64_t gets,
                        int64_t interval_seconds) {
    if (lists < 0 || gets < 0 || interval_seconds <= 0)
        return 0;
    double refreshes = 86400.0 / (double)interval_seconds;
    return refreshes / 1000.0 *
           ((double)lists * prices->list_per_1000 + (double)gets * prices->get_per_1000);
}
