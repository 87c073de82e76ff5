/* config_accounts.c: protected_accounts' value (see config_accounts.h). */
#include "app/config_accounts.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

bool config_accounts_parse(const char *value, char ***out, size_t *n_out, char **error) {
    char **ids = NULL;
    size_t n = 0;
    const char *at = value;
    for (;;) {
        while (*at == ' ' || *at == '\t')
            at++;
        size_t len = strcspn(at, ",");
        size_t trimmed = len;
        while (trimmed > 0 && (at[trimmed - 1] == ' ' || at[trimmed - 1] == '\t'))
            trimmed--;
        bool digits = trimmed == 12;
        for (size_t i = 0; digits && i < trimmed; i++)
            digits = at[i] >= '0' && at[i] <= '9';
        if (!digits) {
            *error = xasprintf("protected_accounts: \"%.*s\" is not an AWS account id (12 "
                               "digits; separate them with commas)",
                               (int)trimmed, at);
            for (size_t i = 0; i < n; i++)
                free(ids[i]);
            free(ids);
            return false;
        }
        ids = xrealloc(ids, (n + 1) * sizeof *ids);
        ids[n++] = xstrndup(at, trimmed);
        if (at[len] != ',')
            break;
        at += len + 1;
    }
    *out = ids;
    *n_out = n;
    return true;
}
