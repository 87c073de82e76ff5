/* aws_profile.h: the shared credentials and config files as the AWS CLI
 * reads them: the INI syntax, the profiles ("[NAME]" in the credentials
 * file; "[default]" and "[profile NAME]" in the config file) and the
 * "[sso-session NAME]" sections, each with its settings. A setting in the
 * credentials file wins over the same one in the config file, as in
 * botocore. No value is ever quoted in a message (they hold secrets). */
#ifndef LAKETOP_AWS_PROFILE_H
#define LAKETOP_AWS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/* An INI file as the AWS CLI writes them: [section] and key = value lines,
 * '#' and ';' comments, indented continuation lines (nested settings such as
 * "s3 =" blocks) accepted and ignored. The callback gets each value; it
 * returns false to stop. False with *error "FILE:LINE: why" on a junk line. */
typedef bool (*aws_ini_fn)(void *ctx, const char *section, const char *key, const char *value,
                           int line);
bool aws_ini_parse(const char *text, const char *path, aws_ini_fn fn, void *ctx, char **error);

typedef struct aws_profiles aws_profiles;

/* Reads both files (either path NULL or missing: none); NULL with *error
 * "FILE:LINE: why" on a broken one. The paths are kept for messages. */
aws_profiles *aws_profiles_load(const char *credentials_path, const char *config_path,
                                char **error);
void aws_profiles_free(aws_profiles *profiles);

/* Whether a profile of that name is in either file. */
bool aws_profiles_has(const aws_profiles *profiles, const char *profile);
/* A profile's setting (NULL when not set), the credentials file's first. */
const char *aws_profiles_get(const aws_profiles *profiles, const char *profile, const char *key);
/* The same from the credentials file only. */
const char *aws_profiles_get_credentials_file(const aws_profiles *profiles, const char *profile,
                                              const char *key);
/* Whether an [sso-session NAME] section is there, and its settings. */
bool aws_profiles_has_sso_session(const aws_profiles *profiles, const char *session);
const char *aws_profiles_sso_session_get(const aws_profiles *profiles, const char *session,
                                         const char *key);
/* The profiles' names, each once, in the order the files give them (the
 * credentials file's first); `i` below aws_profiles_count. */
size_t aws_profiles_count(const aws_profiles *profiles);
const char *aws_profiles_name(const aws_profiles *profiles, size_t i);
/* "~/.aws/credentials or ~/.aws/config" as they were given, for messages. */
const char *aws_profiles_where(const aws_profiles *profiles);

#endif
