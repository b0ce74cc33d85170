/* The script lexer: one line into tokens. A token is a run of non-blank characters in which
 * double-quoted parts may hold blanks and escapes; "$name" / "${name}" refer to variables. A token
 * that starts with a key (an identifier, dots allowed: prop.topic_alias) followed by =, !=, ^=, <=,
 * >= or -> is split into key, operator and value
 * ("pid->p", "topic=$topic/a", "payload=\"a b\""). '#' at the start of a token comments out the rest. */
#ifndef CS_LEXER_H
#define CS_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* A value with variable references: literal segments (any bytes) and variable names. */
typedef struct cs_seg {
    const char *text; /* literal bytes, or the variable's name */
    size_t len;
    bool is_var;
} cs_seg;

typedef struct cs_tmpl {
    const cs_seg *segs;
    size_t nsegs;
    bool quoted; /* some part of it was written in quotes */
} cs_tmpl;

typedef enum cs_op {
    CS_OP_NONE = 0, /* a bare word or value */
    CS_OP_EQ,       /* key=value: equals (value may list alternatives a|b) */
    CS_OP_NE,       /* key!=value */
    CS_OP_PREFIX,   /* key^=value: starts with */
    CS_OP_CAPTURE,  /* key->name: store the field in variable name */
    CS_OP_LE,       /* key<=number */
    CS_OP_GE        /* key>=number */
} cs_op;

typedef struct cs_token {
    const char *key; /* NULL unless op != CS_OP_NONE */
    cs_op op;
    cs_tmpl value;
    const char *text; /* the token as written, for messages */
    int col;          /* 1-based column */
} cs_token;

typedef struct cs_lex_error {
    int col;
    char message[160];
} cs_lex_error;

/* Tokenize line (no newline) into an arena-allocated array. Returns the token count, or -1 with
 * *err filled. */
int cs_lex_line(base_arena *arena, const char *line, cs_token **out, cs_lex_error *err);

/* The token's text when it is a single unquoted literal (a keyword, a name, a number), else NULL. */
const char *cs_tok_word(const cs_token *tok);

#endif
