/* aws_source.c: the AWS source (aws_source.h): made from the resolved
 * configuration, with its sub-tables from the files of one job each; a
 * refresh queues the Glue scan (which starts each table's S3 scan), runs
 * the HTTP client until every request is answered, sends the parts that
 * failed with a retryable error again in rounds (aws_rounds.h), then adds
 * the query counts and remembers what the next refresh may reuse. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/aws_sts.h"
#include "collector/formats/formats.h"
#include "common/clock.h"
#include "common/redact.h"
#include "common/xalloc.h"

aws_source *aws_source_ready(lake_source *self, char **error) {
    aws_source *src = (aws_source *)self;
    return aws_config_refresh(&src->config, clock_now(), error) ? src : NULL;
}

bool aws_source_sign_in(lake_source *self, char **error) {
    return aws_source_ready(self, error) != NULL;
}

/* GetCallerIdentity for the current credentials, into a snapshot's shape
 * (the one place that calls STS for it). */
static snapshot_identity *aws_source_who_am_i(const aws_config *config) {
    snapshot_identity *out = xcalloc(1, sizeof *out);
    out->profile = xstrdup(config->profile ? config->profile : "default");
    out->region = config->region ? xstrdup(config->region) : NULL;
    const char *method = aws_config_credential_method(config);
    out->credentials = method ? xstrdup(method) : NULL;
    aws_identity id = {0};
    char *error = NULL;
    if (aws_sts_caller_identity(config, &id, &error) && id.account && *id.account) {
        out->account = xstrdup(id.account);
        out->arn = id.arn ? xstrdup(id.arn) : NULL;
        out->name = id.name ? xstrdup(id.name) : aws_identity_name(id.arn);
    } else {
        out->error = redact_take(error ? error : xstrdup("STS GetCallerIdentity gave no account"));
        error = NULL;
    }
    free(error);
    aws_identity_clear(&id);
    return out;
}

/* The identity of the credentials now held, asked again only when they
 * are another set (another access key id); true when it asked. */
static bool aws_source_identify(aws_source *src) {
    const char *key = src->config.credentials.access_key_id;
    if (src->identity && key && src->identity_key && strcmp(key, src->identity_key) == 0)
        return false;
    snapshot_identity_free(src->identity);
    free(src->identity_key);
    src->identity = aws_source_who_am_i(&src->config);
    src->identity_key = key ? xstrdup(key) : NULL;
    return true;
}

snapshot_identity *aws_source_identity(lake_source *self, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return NULL;
    aws_source_identify(src);
    return snapshot_identity_copy(src->identity);
}

static bool aws_source_refresh(lake_source *self, lake_snapshot *s, const bool *stop,
                               char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    /* first: at start, and for new credentials (one STS request, sent
     * outside the client: counted here) */
    int64_t asked = aws_source_identify(src) ? 1 : 0;
    aws_refresh r = {.src = src, .snap = s};
    aws_incremental_begin(src);
    http_stats before = http_client_stats(src->http);
    uint64_t sent = before.requests;
    aws_catalog_scan_start(&r);
    /* jobs and state machines, and Athena's query history: beside the
     * listing, filled in at the end */
    struct aws_pipeline_scan *pipeline = aws_pipeline_scan_start(src);
    struct aws_athena_scan *athena = aws_athena_scan_start(src);
    struct aws_s3tables_first *s3tables = aws_s3tables_start(src);
    http_client_run(src->http, stop);
    /* the first pass made progress when the catalog's databases came in */
    aws_rounds_run(&r.rounds, src->http, src->options.retry_base_ms, s->n_databases > 0, stop);
    aws_rounds_clear(&r.rounds);
    aws_catalog_scan_end(&r);
    src->stop = stop;              /* Athena's polls (aws_inventory_athena.c) end on it */
    aws_inventory_apply(&r, stop); /* the tables left to an S3 Inventory */
    src->stop = NULL;
    bool ok = false;
    if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
        *error = NULL;
    } else if (r.fatal) {
        *error = r.fatal;
        r.fatal = NULL;
    } else {
        if (r.crawler_error) {
            s->error = r.crawler_error; /* shown, not fatal */
            r.crawler_error = NULL;
        }
        ok = true;
        aws_incremental_prune(src, s); /* tables dropped from the catalog */
        aws_incremental_save(src);
        aws_ranges_save(src, s);
    }
    free(r.fatal);
    free(r.crawler_error);
    if (ok) {
        aws_formats_measure(src, s, stop);
        src->stop = stop;
        aws_s3tables_scan(&r, s3tables); /* table buckets: their own databases */
        src->stop = NULL;
    } else {
        aws_s3tables_discard(s3tables); /* answered (the client has run), dropped */
    }
    aws_pipeline_scan_finish(pipeline, ok ? s : NULL, stop);
    if (!ok && src->identity && src->identity->error) {
        /* the account could not be read either (unreachable, say): ask
         * again with the next refresh, not only for new credentials */
        snapshot_identity_free(src->identity);
        src->identity = NULL;
    }
    aws_athena_scan_finish(src, athena, ok ? s : NULL, stop);
    if (!ok)
        return false;
    aws_memo_remember(&src->memo, s);
    http_stats after = http_client_stats(src->http);
    s->requests = (int64_t)(after.requests - sent) + asked;
    s->s3_list_requests = (int64_t)(after.s3_list_requests - before.s3_list_requests);
    /* the kinds in http_kind's order, then the rest ("other": STS, the
     * identity asked outside the client) */
    for (int k = 0; k + 1 < SNAPSHOT_REQUEST_KINDS; k++)
        s->requests_by_kind[k] =
            (int64_t)(after.by_kind[HTTP_KIND_LISTING + k] - before.by_kind[HTTP_KIND_LISTING + k]);
    s->requests_by_kind[SNAPSHOT_REQUEST_KINDS - 1] =
        (int64_t)(after.by_kind[HTTP_KIND_NONE] - before.by_kind[HTTP_KIND_NONE]) + asked;
    s->s3_get_requests = (int64_t)(after.s3_get_requests - before.s3_get_requests);
    s->identity = snapshot_identity_copy(src->identity);
    return true;
}

static void aws_source_free(lake_source *self) {
    aws_source *src = (aws_source *)self;
    http_client_free(src->http);
    aws_memo_free(&src->memo);
    formats_cache_free(src->formats);
    aws_athena_forget(&src->athena);
    for (size_t i = 0; i < src->athena_done_n; i++)
        free(src->athena_done[i]);
    free(src->athena_done);
    aws_config_free(&src->config);
    snapshot_identity_free(src->identity);
    free(src->identity_key);
    free(src->incr_path);
    incremental_state_free(&src->incr_state);
    ranges_state_free(&src->ranges);
    incremental_settings_free(&src->incr);
    free(src->base.name);
    free(src);
}

lake_source *aws_source_new(const aws_source_options *o, char **error) {
    aws_source *src = xcalloc(1, sizeof *src);
    src->options = *o;
    if (!aws_config_resolve(&o->request, &src->config, error)) {
        free(src);
        return NULL;
    }
    http_options ho = {.max_in_flight = o->concurrency > 0 ? o->concurrency : 32,
                       .ca_bundle = src->config.ca_bundle,
                       .retry_base_ms = o->retry_base_ms};
    src->http = http_client_new(&ho);
    src->formats = formats_cache_new();
    bool custom = src->config.endpoint_overridden_s3 || o->request.endpoint_url;
    src->base.name = custom ? xasprintf("aws:%s@%s (%s)", src->config.profile, src->config.region,
                                        src->config.endpoint_glue)
                            : xasprintf("aws:%s@%s", src->config.profile, src->config.region);
    src->base.refresh = aws_source_refresh;
    src->base.read_catalog = NULL;
    src->base.dump_catalog = aws_catalog_dump;
    src->base.writes = &aws_catalog_writes;
    src->base.crawlers = &aws_crawlers;
    src->base.pipeline = &aws_pipeline;
    src->base.objects = &aws_object_store;
    src->base.free = aws_source_free;
    return &src->base;
}
