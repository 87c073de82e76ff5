/* inventory_config.c: ListBucketInventoryConfigurations answers (expat). */
#include "collector/inventory/inventory_config.h"

#include <expat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define CONFIG_MAX_DEPTH 16
#define CONFIG_MAX_TEXT 4096

typedef struct config_reader {
    XML_Parser xml;
    const char *path[CONFIG_MAX_DEPTH];
    int depth;
    bool root_ok;
    char text[CONFIG_MAX_TEXT];
    size_t text_length;
    inventory_config cur;
    inventory_config *configs;
    size_t n, cap;
} config_reader;

static const char *const config_names[] = {"ListInventoryConfigurationsResult",
                                           "InventoryConfiguration",
                                           "Destination",
                                           "S3BucketDestination",
                                           "Id",
                                           "IsEnabled",
                                           "Bucket",
                                           "Prefix",
                                           "Format",
                                           "Filter",
                                           NULL};

/* A name laketop reads (interned), or "" for any other. */
static const char *config_intern(const char *name) {
    for (size_t i = 0; config_names[i]; i++)
        if (strcmp(config_names[i], name) == 0)
            return config_names[i];
    return "";
}

static bool config_at(const config_reader *r, int from_top, const char *name) {
    int i = r->depth - 1 - from_top;
    return i >= 0 && strcmp(r->path[i], name) == 0;
}

static void config_clear_one(inventory_config *c) {
    free(c->id);
    free(c->format);
    free(c->dest_bucket);
    free(c->dest_prefix);
    free(c->filter);
    memset(c, 0, sizeof *c);
}

static void config_start(void *ctx, const char *name, const char **attrs) {
    (void)attrs;
    config_reader *r = ctx;
    if (r->depth == 0 && strcmp(name, "ListInventoryConfigurationsResult") == 0)
        r->root_ok = true;
    if (r->depth >= CONFIG_MAX_DEPTH) {
        XML_StopParser(r->xml, XML_FALSE);
        return;
    }
    r->path[r->depth++] = config_intern(name);
    r->text_length = 0;
}

static void config_set(char **slot, const char *text) {
    free(*slot);
    *slot = xstrdup(text);
}

static void config_end(void *ctx, const char *name) {
    (void)name;
    config_reader *r = ctx;
    if (r->depth <= 0)
        return;
    r->text[r->text_length] = '\0';
    const char *leaf = r->path[r->depth - 1];
    bool in_config = r->depth == 3 && config_at(r, 1, "InventoryConfiguration");
    bool in_dest = r->depth == 5 && config_at(r, 1, "S3BucketDestination") &&
                   config_at(r, 2, "Destination") && config_at(r, 3, "InventoryConfiguration");
    if (in_config && leaf == config_names[4])
        config_set(&r->cur.id, r->text);
    else if (in_config && leaf == config_names[5])
        r->cur.enabled = strcmp(r->text, "true") == 0;
    else if (in_dest && leaf == config_names[6]) {
        const char *b = strncmp(r->text, "arn:aws:s3:::", 13) == 0 ? r->text + 13 : r->text;
        config_set(&r->cur.dest_bucket, b);
    } else if (in_dest && leaf == config_names[7]) {
        size_t n = strlen(r->text);
        while (n && r->text[n - 1] == '/')
            n--;
        free(r->cur.dest_prefix);
        r->cur.dest_prefix = xstrndup(r->text, n);
    } else if (in_dest && leaf == config_names[8])
        config_set(&r->cur.format, r->text);
    else if (r->depth == 4 && leaf == config_names[7] && config_at(r, 1, "Filter") &&
             config_at(r, 2, "InventoryConfiguration"))
        config_set(&r->cur.filter, r->text);
    else if (r->depth == 2 && leaf == config_names[1]) {
        if (r->cur.id && *r->cur.id && r->cur.dest_bucket && *r->cur.dest_bucket) {
            if (!r->cur.dest_prefix)
                r->cur.dest_prefix = xstrdup("");
            if (!r->cur.format)
                r->cur.format = xstrdup("");
            if (!r->cur.filter)
                r->cur.filter = xstrdup("");
            r->configs = xgrow(r->configs, &r->cap, r->n + 1, sizeof *r->configs);
            r->configs[r->n++] = r->cur;
            memset(&r->cur, 0, sizeof r->cur);
        } else {
            config_clear_one(&r->cur);
        }
    }
    r->depth--;
    r->text_length = 0;
}

static void config_text(void *ctx, const char *s, int length) {
    config_reader *r = ctx;
    size_t room = CONFIG_MAX_TEXT - 1 - r->text_length;
    size_t n = (size_t)length < room ? (size_t)length : room;
    memcpy(r->text + r->text_length, s, n);
    r->text_length += n;
}

bool inventory_config_parse(const char *xml, size_t length, inventory_config **configs, size_t *n,
                            char **error) {
    *configs = NULL;
    *n = 0;
    if (length > (size_t)INT32_MAX) {
        *error = xstrdup("ListBucketInventoryConfigurations: the answer is too large");
        return false;
    }
    config_reader *r = xcalloc(1, sizeof *r);
    r->xml = XML_ParserCreate("UTF-8");
    if (!r->xml)
        xfatal("expat: cannot create a parser");
    XML_SetUserData(r->xml, r);
    XML_SetElementHandler(r->xml, config_start, config_end);
    XML_SetCharacterDataHandler(r->xml, config_text);
    bool ok = XML_Parse(r->xml, xml, (int)length, XML_TRUE) != XML_STATUS_ERROR;
    if (!ok)
        *error = xasprintf("malformed ListBucketInventoryConfigurations answer at line %lu: %s",
                           (unsigned long)XML_GetCurrentLineNumber(r->xml),
                           XML_ErrorString(XML_GetErrorCode(r->xml)));
    else if (!r->root_ok) {
        *error = xstrdup("the answer to ListBucketInventoryConfigurations is not a "
                         "ListInventoryConfigurationsResult");
        ok = false;
    }
    XML_ParserFree(r->xml);
    config_clear_one(&r->cur);
    if (ok) {
        *configs = r->configs;
        *n = r->n;
    } else {
        inventory_configs_free(r->configs, r->n);
    }
    free(r);
    return ok;
}

void inventory_configs_free(inventory_config *configs, size_t n) {
    for (size_t i = 0; i < n; i++)
        config_clear_one(&configs[i]);
    free(configs);
}

const inventory_config *inventory_config_pick(const inventory_config *configs, size_t n,
                                              bool athena) {
    /* Athena reads a columnar report's needed columns only: fewer bytes
     * scanned (billed) than the whole CSV rows */
    static const char *const with_athena[] = {"Parquet", "ORC", "CSV"};
    static const char *const streamed[] = {"CSV"};
    const char *const *order = athena ? with_athena : streamed;
    size_t n_order = athena ? 3 : 1;
    for (size_t k = 0; k < n_order; k++)
        for (size_t i = 0; i < n; i++)
            if (configs[i].enabled && strcmp(configs[i].format, order[k]) == 0)
                return &configs[i];
    return NULL;
}
