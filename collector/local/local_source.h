/* local_source.h: the local lake (local_lake.h) as a lake_source: figures
 * from its catalog, a scan of every table and the query log
 * (.laketop/queries.jsonl, when the lake keeps one), the catalog's dump and
 * restore writes, and the crawlers and jobs declared in the config. */
#ifndef LAKETOP_LOCAL_SOURCE_H
#define LAKETOP_LOCAL_SOURCE_H

#include "collector/source.h"

/* The local lake in `lake_dir`. */
lake_source *local_source_new(const char *lake_dir);
/* Declares one of the local lake's crawlers (see local_crawler.h). */
void local_source_add_crawler(lake_source *source, const char *name, const char *path,
                              const char *database);
/* Declares one of the local lake's jobs: a [job NAME] section's command,
 * run with /bin/sh -c in the lake directory (local_job_runner.h); its
 * runs are read from LAKE/.laketop/jobs.jsonl into snapshot->jobs, with
 * `description` (NULL or empty: the command) as the job's description. */
void local_source_add_job(lake_source *source, const char *name, const char *command,
                          const char *description);

#endif
