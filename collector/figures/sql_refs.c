/* sql_refs.c: table references in SQL text (see sql_refs.h). */
#include "collector/figures/sql_refs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

typedef enum { TOK_WORD, TOK_QUOTED, TOK_PUNCT, TOK_OTHER } sql_tok_kind;

typedef struct sql_tok {
    sql_tok_kind kind;
    char *text; /* words and quoted names lowercased, quotes removed */
    char punct;
    int depth; /* parenthesis depth before this token */
} sql_tok;

typedef struct sql_toks {
    sql_tok *v;
    size_t n, cap;
} sql_toks;

static void sql_push(sql_toks *t, sql_tok_kind kind, char *text, char punct, int depth) {
    t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    t->v[t->n++] = (sql_tok){kind, text, punct, depth};
}

static void sql_toks_free(sql_toks *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
}

static char *sql_lower(const char *s, size_t n) {
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* A quoted name from p (at the opening quote q); the doubled quote escapes
 * it. NULL when unclosed. */
static char *sql_quoted(const char **p, char q) {
    const char *s = *p + 1;
    size_t cap = 0, n = 0;
    char *out = NULL;
    for (;;) {
        if (!*s)
            return free(out), NULL;
        if (*s == q) {
            if (s[1] != q)
                break;
            s++;
        }
        out = xgrow(out, &cap, n + 2, 1);
        out[n++] = (char)tolower((unsigned char)*s);
        s++;
    }
    out = xgrow(out, &cap, n + 1, 1);
    out[n] = '\0';
    *p = s + 1;
    return out;
}

static bool sql_tokenize(const char *p, sql_toks *t) {
    int depth = 0;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            p++;
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (c == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            if (!end)
                return false;
            p = end + 2;
        } else if (c == '\'') {
            for (p++;; p++) { /* '' escapes a quote */
                if (!*p)
                    return false;
                if (*p == '\'' && p[1] == '\'')
                    p++;
                else if (*p == '\'')
                    break;
            }
            p++;
            sql_push(t, TOK_OTHER, NULL, 0, depth);
        } else if (c == '"' || c == '`') {
            char *name = sql_quoted(&p, (char)c);
            if (!name)
                return false;
            sql_push(t, TOK_QUOTED, name, 0, depth);
        } else if (isalpha(c) || c == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
                p++;
            sql_push(t, TOK_WORD, sql_lower(s, (size_t)(p - s)), 0, depth);
        } else if (c == '(' || c == ')' || c == ',' || c == '.' || c == ';') {
            if (c == ')' && --depth < 0)
                return false;
            sql_push(t, TOK_PUNCT, NULL, (char)c, c == ')' ? depth + 1 : depth);
            if (c == '(')
                depth++;
            p++;
        } else {
            const char *s = p;
            while (
                *p &&
                (isalnum((unsigned char)*p) || *p == '_' || strchr("+-*/<>=!|%:^~&?[]{}@#", *p)) &&
                !(p[0] == '-' && p[1] == '-') && !(p[0] == '/' && p[1] == '*'))
                p++;
            if (p == s)
                p++;
            sql_push(t, TOK_OTHER, NULL, 0, depth);
        }
    }
    return depth == 0;
}

static bool sql_is_word(const sql_tok *k, const char *w) {
    return k->kind == TOK_WORD && strcmp(k->text, w) == 0;
}

static bool sql_is_punct(const sql_tok *k, char c) {
    return k->kind == TOK_PUNCT && k->punct == c;
}

static bool sql_is_name(const sql_tok *k) {
    return k->kind == TOK_WORD || k->kind == TOK_QUOTED;
}

/* Words that end a FROM item's alias position or start a clause. */
static bool sql_is_clause_word(const sql_tok *k) {
    static const char *const words[] = {"where",       "group",     "order",  "having", "limit",
                                        "join",        "inner",     "left",   "right",  "full",
                                        "cross",       "natural",   "on",     "using",  "union",
                                        "except",      "intersect", "window", "offset", "fetch",
                                        "tablesample", "lateral",   "select", "with",   "as"};
    if (k->kind != TOK_WORD)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(k->text, words[i]) == 0)
            return true;
    return false;
}

static bool sql_has(char **names, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static void sql_add(sql_refs *r, size_t *cap, char *name) {
    if (sql_has(r->names, r->n, name)) {
        free(name);
        return;
    }
    r->names = xgrow(r->names, cap, r->n + 1, sizeof *r->names);
    r->names[r->n++] = name;
}

/* CTE names: `name [(cols)] AS (` right after WITH [RECURSIVE] or after a
 * comma that follows a CTE's closing parenthesis at the WITH's depth. */
static void sql_ctes(const sql_toks *t, char ***names, size_t *n, size_t *cap) {
    for (size_t i = 0; i < t->n; i++) {
        if (!sql_is_word(&t->v[i], "with"))
            continue;
        size_t j = i + 1;
        if (j < t->n && sql_is_word(&t->v[j], "recursive"))
            j++;
        int depth = t->v[i].depth;
        while (j < t->n && sql_is_name(&t->v[j])) {
            const char *name = t->v[j].text;
            size_t k = j + 1;
            if (k < t->n && sql_is_punct(&t->v[k], '(')) { /* a column list */
                while (k < t->n && !(sql_is_punct(&t->v[k], ')') && t->v[k].depth == depth + 1))
                    k++;
                k++;
            }
            if (!(k + 1 < t->n && sql_is_word(&t->v[k], "as") && sql_is_punct(&t->v[k + 1], '(')))
                break;
            *names = xgrow(*names, cap, *n + 1, sizeof **names);
            (*names)[(*n)++] = xstrdup(name);
            k += 2; /* past the body */
            while (k < t->n && !(sql_is_punct(&t->v[k], ')') && t->v[k].depth == depth + 1))
                k++;
            k++;
            if (k < t->n && sql_is_punct(&t->v[k], ','))
                j = k + 1;
            else
                break;
        }
    }
}

/* FROM that is not a FROM clause: `a IS DISTINCT FROM b`, and inside
 * extract(), substring(), trim(), position(), overlay(). */
static bool sql_function_from(const sql_toks *t, size_t i) {
    static const char *const functions[] = {"extract",  "substring", "trim",
                                            "position", "overlay",   "normalize"};
    if (i > 0 && sql_is_word(&t->v[i - 1], "distinct"))
        return true;
    for (size_t k = i; k-- > 0;) {
        if (t->v[k].depth < t->v[i].depth - 1)
            return false;
        if (sql_is_punct(&t->v[k], '(') && t->v[k].depth == t->v[i].depth - 1) {
            if (k == 0 || t->v[k - 1].kind != TOK_WORD)
                return false;
            for (size_t f = 0; f < sizeof functions / sizeof functions[0]; f++)
                if (strcmp(t->v[k - 1].text, functions[f]) == 0)
                    return true;
            return false;
        }
    }
    return false;
}

bool sql_refs_extract(const char *sql, const char *default_database, sql_refs *out) {
    memset(out, 0, sizeof *out);
    sql_toks t = {0};
    if (!sql || !sql_tokenize(sql, &t)) {
        sql_toks_free(&t);
        return false;
    }
    char **ctes = NULL;
    size_t n_ctes = 0, cap_ctes = 0, cap = 0;
    sql_ctes(&t, &ctes, &n_ctes, &cap_ctes);
    for (size_t i = 0; i < t.n; i++) {
        if (!sql_is_word(&t.v[i], "from") && !sql_is_word(&t.v[i], "join"))
            continue;
        if (sql_is_word(&t.v[i], "from") && sql_function_from(&t, i))
            continue;
        size_t j = i + 1;
        for (;;) { /* one FROM item, then more after commas */
            if (j >= t.n || !sql_is_name(&t.v[j]) ||
                (t.v[j].kind == TOK_WORD &&
                 (strcmp(t.v[j].text, "unnest") == 0 || strcmp(t.v[j].text, "lateral") == 0 ||
                  strcmp(t.v[j].text, "table") == 0 || strcmp(t.v[j].text, "select") == 0)))
                break;
            const char *parts[3];
            size_t np = 0;
            parts[np++] = t.v[j].text;
            while (np < 3 && j + 2 < t.n && sql_is_punct(&t.v[j + 1], '.') &&
                   sql_is_name(&t.v[j + 2])) {
                parts[np++] = t.v[j + 2].text;
                j += 2;
            }
            j++;
            bool function = j < t.n && sql_is_punct(&t.v[j], '('); /* a table function */
            char *name = NULL;
            if (function)
                name = NULL;
            else if (np >= 2)
                name = xasprintf("%s.%s", parts[np - 2], parts[np - 1]);
            else if (!sql_has(ctes, n_ctes, parts[0]) && default_database && *default_database)
                name = xasprintf("%s.%s", default_database, parts[0]);
            if (name) {
                char *lowered = sql_lower(name, strlen(name));
                free(name);
                sql_add(out, &cap, lowered);
            }
            /* skip an alias: [AS] name [(cols)] */
            if (j < t.n && sql_is_word(&t.v[j], "as"))
                j++;
            if (j < t.n && sql_is_name(&t.v[j]) && !sql_is_clause_word(&t.v[j]))
                j++;
            if (j < t.n && sql_is_punct(&t.v[j], ',') && !function)
                j++;
            else
                break;
        }
    }
    for (size_t i = 0; i < n_ctes; i++)
        free(ctes[i]);
    free(ctes);
    sql_toks_free(&t);
    return true;
}

void sql_refs_free(sql_refs *r) {
    for (size_t i = 0; i < r->n; i++)
        free(r->names[i]);
    free(r->names);
    memset(r, 0, sizeof *r);
}
