/* The script lexer: one line into tokens. A token is a run of non-blank characters in which
 * double-quoted parts may hold blanks and escapes; "$name" / "${name}" refer to variables. A token
 * that starts with a key (an identifier, dots allowed: prop.topic_alias) followed by =, !=, ^=, <=,
 * >= or -> is split into key, operator and value
 * ("pid->p", "topic=$topic/a", "payload=\"a b\""). '#' at the start of a token comments out the rest. */
#ifndef CF_LEXER_H
#define CF_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* A value with variable references: literal segments (any bytes) and variable names. */
typedef struct cf_seg {
    const char *text; /* literal bytes, or the variable's name */
    size_t len;
    bool is_var;
} cf_seg;

typedef struct cf_tmpl {
    const cf_seg *segs;
    size_t nsegs;
    bool quoted; /* some part of it was written in quotes */
} cf_tmpl;

typedef enum cf_op {
    CF_OP_NONE = 0, /* a bare word or value */
    CF_OP_EQ,       /* key=value: equals (value may list alternatives a|b) */
    CF_OP_NE,       /* key!=value */
    CF_OP_PREFIX,   /* key^=value: starts with */
    CF_OP_CAPTURE,  /* key->name: store the field in variable name */
    CF_OP_LE,       /* key<=number */
    CF_OP_GE        /* key>=number */
} cf_op;

typedef struct cf_token {
    const char *key; /* NULL unless op != CF_OP_NONE */
    cf_op op;
    cf_tmpl value;
    const char *text; /* the token as written, for messages */
    int col;          /* 1-based column */
} cf_token;

typedef struct cf_lex_error {
    int col;
    char message[160];
} cf_lex_error;

/* Tokenize line (no newline) into an arena-allocated array. Returns the token count, or -1 with
 * *err filled. */
int cf_lex_line(cf_arena *arena, const char *line, cf_token **out, cf_lex_error *err);

/* The token's text when it is a single unquoted literal (a keyword, a name, a number), else NULL. */
const char *cf_tok_word(const cf_token *tok);

#endif
