/* aws_profiles_list.h: the names of the AWS profiles a user has, as the
 * AWS CLI's `aws configure list-profiles` gives them: the sections of the
 * shared config file ("default" and "profile NAME"; not "sso-session" or
 * "services") and every section of the shared credentials file, each name
 * once, sorted. For the dashboard's P key (switching profiles). */
#ifndef LAKETOP_AWS_PROFILES_LIST_H
#define LAKETOP_AWS_PROFILES_LIST_H

#include <stdbool.h>
#include <stddef.h>

/* The pure part: from the files' texts (either may be NULL: no such file),
 * `config_path` and `credentials_path` for messages. *names gets a
 * NULL-terminated array (free with aws_profiles_list_free), *n its length.
 * False with *error "FILE:LINE: why" on a broken file. */
bool aws_profiles_list(const char *config_text, const char *config_path,
                       const char *credentials_text, const char *credentials_path, char ***names,
                       size_t *n, char **error);
/* The same from the files themselves: AWS_CONFIG_FILE (else
 * ~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (else
 * ~/.aws/credentials); a missing file is no profile. */
bool aws_profiles_list_read(char ***names, size_t *n, char **error);
void aws_profiles_list_free(char **names);

#endif
