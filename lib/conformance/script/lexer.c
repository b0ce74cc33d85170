#include "lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/hex.h"

typedef struct seg_list {
    cs_seg items[32];
    size_t n;
} seg_list;

typedef struct lexer {
    base_arena *arena;
    const char *line;
    size_t pos;
    cs_lex_error *err;
    base_strbuf lit; /* the literal being collected */
    seg_list segs;
    bool quoted;
} lexer;

static int fail(lexer *lx, size_t at, const char *fmt, const char *arg)
{
    lx->err->col = (int)at + 1;
    snprintf(lx->err->message, sizeof lx->err->message, fmt, arg);
    return -1;
}

static int flush_literal(lexer *lx)
{
    if (lx->lit.len == 0)
        return 0;
    if (lx->segs.n == sizeof lx->segs.items / sizeof lx->segs.items[0])
        return fail(lx, lx->pos, "%s", "too many parts in one token (at most 32)");
    cs_seg *s = &lx->segs.items[lx->segs.n++];
    s->text = base_arena_strndup(lx->arena, lx->lit.data, lx->lit.len);
    s->len = lx->lit.len;
    s->is_var = false;
    base_sb_reset(&lx->lit);
    return 0;
}

static bool is_ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* At '$': read $name or ${name} into a variable segment. */
static int lex_variable(lexer *lx)
{
    size_t start = lx->pos;
    const char *l = lx->line;
    size_t p = lx->pos + 1;
    bool braced = l[p] == '{';
    if (braced)
        p++;
    size_t name_start = p;
    if (!is_ident_start(l[p]))
        return fail(lx, start, "%s", "expected a variable name after '$' (write \"\\$\" for a dollar sign)");
    while (is_name_char(l[p]))
        p++;
    size_t name_end = p;
    if (braced) {
        if (l[p] != '}')
            return fail(lx, p, "%s", "expected '}' to close '${'");
        p++;
    } else {
        while (name_end > name_start && l[name_end - 1] == '.')
            name_end--; /* "$topic." : the dot is punctuation */
        p = name_end;
    }
    if (flush_literal(lx) < 0)
        return -1;
    if (lx->segs.n == sizeof lx->segs.items / sizeof lx->segs.items[0])
        return fail(lx, start, "%s", "too many parts in one token (at most 32)");
    cs_seg *s = &lx->segs.items[lx->segs.n++];
    s->text = base_arena_strndup(lx->arena, l + name_start, name_end - name_start);
    s->len = name_end - name_start;
    s->is_var = true;
    lx->pos = p;
    return 0;
}

/* Inside quotes at a backslash. */
static int lex_escape(lexer *lx)
{
    const char *l = lx->line;
    size_t at = lx->pos;
    char c = l[at + 1];
    char out;
    switch (c) {
    case '\\': out = '\\'; break;
    case '"': out = '"'; break;
    case '$': out = '$'; break;
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    case '0': out = '\0'; break;
    case 'x': {
        int hi = base_hex_digit_value((unsigned char)l[at + 2]);
        int lo = hi < 0 ? -1 : base_hex_digit_value((unsigned char)l[at + 3]);
        if (hi < 0 || lo < 0)
            return fail(lx, at, "%s", "expected two hex digits after \\x");
        out = (char)(hi * 16 + lo);
        lx->pos += 2;
        break;
    }
    default:
        return fail(lx, at, "%s", "unknown escape (expected one of \\\\ \\\" \\$ \\n \\r \\t \\0 \\xHH)");
    }
    base_sb_putc(&lx->lit, out);
    lx->pos += 2;
    return 0;
}

/* Split "key<op>" off the literal collected so far when it is an identifier. */
static bool try_operator(lexer *lx, cs_token *tok)
{
    const char *l = lx->line;
    size_t p = lx->pos;
    cs_op op = CS_OP_NONE;
    size_t oplen = 0;
    if (l[p] == '=') {
        op = CS_OP_EQ;
        oplen = 1;
    } else if (l[p] == '!' && l[p + 1] == '=') {
        op = CS_OP_NE;
        oplen = 2;
    } else if (l[p] == '^' && l[p + 1] == '=') {
        op = CS_OP_PREFIX;
        oplen = 2;
    } else if (l[p] == '-' && l[p + 1] == '>') {
        op = CS_OP_CAPTURE;
        oplen = 2;
    } else if ((l[p] == '<' || l[p] == '>') && l[p + 1] == '=') {
        op = l[p] == '<' ? CS_OP_LE : CS_OP_GE;
        oplen = 2;
    }
    if (op == CS_OP_NONE || tok->op != CS_OP_NONE || lx->segs.n != 0 || lx->lit.len == 0 || lx->quoted)
        return false;
    if (!is_ident_start(lx->lit.data[0]))
        return false;
    for (size_t i = 1; i < lx->lit.len; i++)
        if (!isalnum((unsigned char)lx->lit.data[i]) && lx->lit.data[i] != '_' && lx->lit.data[i] != '.')
            return false;
    tok->key = base_arena_strndup(lx->arena, lx->lit.data, lx->lit.len);
    tok->op = op;
    base_sb_reset(&lx->lit);
    lx->pos += oplen;
    return true;
}

static int lex_token(lexer *lx, cs_token *tok)
{
    const char *l = lx->line;
    size_t start = lx->pos;
    bool in_quotes = false;
    size_t quote_start = 0;
    lx->segs.n = 0;
    lx->quoted = false;
    base_sb_reset(&lx->lit);
    memset(tok, 0, sizeof *tok);
    tok->col = (int)start + 1;
    while (l[lx->pos] && (in_quotes || !isspace((unsigned char)l[lx->pos]))) {
        char c = l[lx->pos];
        if (c == '"') {
            in_quotes = !in_quotes;
            quote_start = lx->pos;
            lx->quoted = true;
            lx->pos++;
        } else if (c == '$') {
            if (lex_variable(lx) < 0)
                return -1;
        } else if (in_quotes && c == '\\') {
            if (lex_escape(lx) < 0)
                return -1;
        } else if (!in_quotes && try_operator(lx, tok)) {
            continue;
        } else {
            base_sb_putc(&lx->lit, c);
            lx->pos++;
        }
    }
    if (in_quotes)
        return fail(lx, quote_start, "%s", "unterminated string: expected a closing '\"'");
    if (flush_literal(lx) < 0)
        return -1;
    cs_seg *segs = base_arena_alloc(lx->arena, sizeof(cs_seg) * (lx->segs.n ? lx->segs.n : 1));
    memcpy(segs, lx->segs.items, sizeof(cs_seg) * lx->segs.n);
    tok->value.segs = segs;
    tok->value.nsegs = lx->segs.n;
    tok->value.quoted = lx->quoted;
    tok->text = base_arena_strndup(lx->arena, l + start, lx->pos - start);
    return 0;
}

int cs_lex_line(base_arena *arena, const char *line, cs_token **out, cs_lex_error *err)
{
    lexer lx = {.arena = arena, .line = line, .err = err};
    cs_token toks[128];
    int n = 0;
    int rc = 0;
    for (;;) {
        while (line[lx.pos] && isspace((unsigned char)line[lx.pos]))
            lx.pos++;
        if (!line[lx.pos] || line[lx.pos] == '#')
            break;
        if (n == (int)(sizeof toks / sizeof toks[0])) {
            rc = fail(&lx, lx.pos, "%s", "too many tokens on one line (at most 128)");
            break;
        }
        if (lex_token(&lx, &toks[n]) < 0) {
            rc = -1;
            break;
        }
        n++;
    }
    base_sb_free(&lx.lit);
    if (rc < 0)
        return -1;
    *out = base_arena_alloc(arena, sizeof(cs_token) * (size_t)(n ? n : 1));
    memcpy(*out, toks, sizeof(cs_token) * (size_t)n);
    return n;
}

const char *cs_tok_word(const cs_token *tok)
{
    if (tok->op != CS_OP_NONE || tok->value.quoted || tok->value.nsegs != 1 || tok->value.segs[0].is_var)
        return NULL;
    return tok->value.segs[0].text;
}
