/* iceberg_driver.c: reads one Iceberg table with laketop's readers
 * (collector/formats/iceberg.h) and prints what they found as JSON, for
 * test_iceberg_writer.sh to compare with the fixture writer's own figures.
 *
 *     iceberg_driver PREFIX DIR METADATA_ADDRESS
 *
 * Addresses starting with PREFIX are files under DIR. Prints the current
 * snapshot's summary (objects, bytes, records, delete_files), the same
 * summed over its manifests (sum_*), the snapshot count, the current
 * snapshot's time, the partition spec, the columns, and every file that an
 * entry of a manifest of any snapshot names, with its status and whether
 * the current snapshot holds it. Exit status 1 with the error on stderr
 * when a reader fails. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/iceberg.h"

static const char *driver_prefix;
static const char *driver_dir;

static char *driver_read(const char *address, size_t *length) {
    size_t plen = strlen(driver_prefix);
    if (strncmp(address, driver_prefix, plen) != 0) {
        fprintf(stderr, "iceberg_driver: %s is not under %s\n", address, driver_prefix);
        exit(1);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", driver_dir, address + plen);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(1);
    }
    fclose(f);
    data[n] = '\0';
    *length = (size_t)n;
    return data;
}

static void driver_fail(const char *what, char *error) {
    fprintf(stderr, "iceberg_driver: %s: %s\n", what, error);
    free(error);
    exit(1);
}

/* The manifests of a snapshot: its manifest list's entries, or (v1) its
 * own list of manifests. */
static char **driver_manifests(const iceberg_snapshot *s, size_t *n) {
    char **out;
    if (!s->manifest_list) {
        out = calloc(s->n_manifests + 1, sizeof *out);
        for (size_t i = 0; i < s->n_manifests; i++)
            out[i] = strdup(s->manifests[i]);
        *n = s->n_manifests;
        return out;
    }
    size_t length;
    char *data = driver_read(s->manifest_list, &length), *error = NULL;
    iceberg_manifest_ref *refs;
    if (!iceberg_manifest_list_read(data, length, &refs, n, &error))
        driver_fail(s->manifest_list, error);
    out = calloc(*n + 1, sizeof *out);
    for (size_t i = 0; i < *n; i++)
        out[i] = strdup(refs[i].path);
    iceberg_manifest_refs_free(refs, *n);
    free(data);
    return out;
}

/* Adds the entries of the manifests of `s` to `files` (path -> status) and,
 * for the current snapshot, sums the live ones. */
static void driver_snapshot(const iceberg_snapshot *s, bool current, json_object *files,
                            int64_t sums[4]) {
    size_t n;
    char **manifests = driver_manifests(s, &n);
    for (size_t m = 0; m < n; m++) {
        size_t length, k;
        char *data = driver_read(manifests[m], &length), *error = NULL;
        iceberg_file *entries;
        if (!iceberg_manifest_read(data, length, &entries, &k, &error))
            driver_fail(manifests[m], error);
        for (size_t i = 0; i < k; i++) {
            const iceberg_file *e = &entries[i];
            json_object *f = NULL;
            if (!json_object_object_get_ex(files, e->path, &f)) {
                f = json_object_new_object();
                json_object_object_add(f, "referenced", json_object_new_boolean(0));
                json_object_object_add(f, "live", json_object_new_boolean(0));
                json_object_object_add(f, "size", json_object_new_int64(e->size));
                json_object_object_add(files, e->path, f);
            }
            if (e->status != 2) {
                json_object_object_add(f, "referenced", json_object_new_boolean(1));
                if (current) {
                    json_object_object_add(f, "live", json_object_new_boolean(1));
                    sums[1] += e->size;
                    if (e->content == 0) {
                        sums[0]++;
                        sums[2] += e->records;
                    } else {
                        sums[3]++;
                    }
                }
            }
        }
        iceberg_files_free(entries, k);
        free(data);
        free(manifests[m]);
    }
    free(manifests);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: iceberg_driver PREFIX DIR METADATA_ADDRESS\n");
        return 2;
    }
    driver_prefix = argv[1];
    driver_dir = argv[2];
    size_t length;
    char *text = driver_read(argv[3], &length), *error = NULL;
    iceberg_metadata m;
    if (!iceberg_metadata_parse(text, length, &m, &error))
        driver_fail(argv[3], error);
    free(text);
    const iceberg_snapshot *current = iceberg_current_snapshot(&m);
    json_object *out = json_object_new_object(), *files = json_object_new_object();
    int64_t sums[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < m.n_snapshots; i++)
        driver_snapshot(&m.snapshots[i], &m.snapshots[i] == current, files, sums);
    json_object_object_add(out, "format_version", json_object_new_int(m.format_version));
    json_object_object_add(out, "objects",
                           json_object_new_int64(current ? current->total_data_files : 0));
    json_object_object_add(out, "bytes",
                           json_object_new_int64(current ? current->total_files_size : 0));
    json_object_object_add(out, "records",
                           json_object_new_int64(current ? current->total_records : 0));
    json_object_object_add(out, "delete_files",
                           json_object_new_int64(current ? current->total_delete_files : 0));
    json_object_object_add(out, "sum_objects", json_object_new_int64(sums[0]));
    json_object_object_add(out, "sum_bytes", json_object_new_int64(sums[1]));
    json_object_object_add(out, "sum_records", json_object_new_int64(sums[2]));
    json_object_object_add(out, "sum_delete_files", json_object_new_int64(sums[3]));
    json_object_object_add(out, "snapshots", json_object_new_int64((int64_t)m.n_snapshots));
    json_object_object_add(out, "last_commit_ms",
                           current ? json_object_new_int64(current->timestamp_ms) : NULL);
    json_object *commits = json_object_new_array();
    for (size_t i = 0; i < m.n_snapshots; i++) {
        const iceberg_snapshot *s = &m.snapshots[i];
        json_object *c = json_object_new_object();
        json_object_object_add(c, "at_ms", json_object_new_int64(s->timestamp_ms));
        json_object_object_add(c, "operation",
                               s->operation ? json_object_new_string(s->operation) : NULL);
        json_object_object_add(c, "total_files", json_object_new_int64(s->total_data_files));
        json_object_object_add(c, "total_bytes", json_object_new_int64(s->total_files_size));
        json_object_object_add(c, "total_records", json_object_new_int64(s->total_records));
        json_object_array_add(commits, c);
    }
    json_object_object_add(out, "commits", commits);
    json_object_object_add(out, "partition_spec", json_object_new_string(m.partition_spec));
    json_object *columns = json_object_new_array();
    for (size_t i = 0; i < m.n_columns; i++) {
        json_object *c = json_object_new_array();
        json_object_array_add(c, json_object_new_string(m.columns[i].name));
        json_object_array_add(c, json_object_new_string(m.columns[i].type));
        json_object_array_add(columns, c);
    }
    json_object_object_add(out, "columns", columns);
    json_object_object_add(out, "files", files);
    puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
    json_object_put(out);
    iceberg_metadata_clear(&m);
    return 0;
}
