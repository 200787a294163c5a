/* swp_expr.c - the where: constraints of a sweep file: arithmetic and
 * comparisons over field paths, e.g.
 *   array.prefill.rows * array.prefill.cols * pe.area_um2 <= 1.6e6
 * Grammar (lowest precedence first):
 *   or:   and (('||' | 'or') and)*
 *   and:  not (('&&' | 'and') not)*
 *   not:  ('!' | 'not') not | cmp
 *   cmp:  sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
 *   sum:  prod (('+' | '-') prod)*
 *   prod: unary (('*' | '/' | '%') unary)*
 *   unary: '-' unary | number | 'string' | path | '(' or ')'
 *          | min(a, b) | max(a, b) | log2(a)
 * A path's value is the point's (swept, set: or the config's after its
 * overrides, defaults included): a number when it reads as one
 * (true/false as 1/0), else a string; strings compare with == and !=. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swp.h"

enum { E_NUM, E_STR, E_NAME, E_NEG, E_NOT, E_BIN, E_CALL };

struct swp_expr {
	int kind;
	char op[4];		/* E_BIN: "+", "<=", "&&", ...; E_CALL: name */
	double num;
	char *text;		/* E_STR, E_NAME */
	struct swp_expr *a, *b;
};

struct parser {
	const char *s, *p;
	struct ps_err *err;
	int fail;
};

struct val {
	bool is_str;
	double num;
	char str[CFG_SET_VALUE];
};

void swp_expr_free(struct swp_expr *e)
{
	if (!e)
		return;
	swp_expr_free(e->a);
	swp_expr_free(e->b);
	free(e->text);
	free(e);
}

static struct swp_expr *node(struct parser *P, int kind)
{
	struct swp_expr *e = calloc(1, sizeof *e);
	if (!e && !P->fail) {
		ps_errf(P->err, PS_ENOMEM, "out of memory");
		P->fail = 1;
	}
	if (e)
		e->kind = kind;
	return e;
}

static void perr(struct parser *P, const char *what)
{
	if (!P->fail)
		ps_errf(P->err, PS_EINPUT, "column %d: %s in '%s'",
			(int)(P->p - P->s) + 1, what, P->s);
	P->fail = 1;
}

static void skip(struct parser *P)
{
	while (isspace((unsigned char)*P->p))
		P->p++;
}

/* Consume tok (a word must not run on into a name). */
static bool eat(struct parser *P, const char *tok)
{
	size_t n = strlen(tok);
	skip(P);
	if (strncmp(P->p, tok, n))
		return false;
	if (isalpha((unsigned char)tok[0]) &&
	    (isalnum((unsigned char)P->p[n]) || P->p[n] == '_' || P->p[n] == '.'))
		return false;
	P->p += n;
	return true;
}

static struct swp_expr *p_or(struct parser *P);

static struct swp_expr *bin(struct parser *P, const char *op,
			    struct swp_expr *a, struct swp_expr *b)
{
	struct swp_expr *e = node(P, E_BIN);
	if (!e || !a || !b) {
		swp_expr_free(a);
		swp_expr_free(b);
		free(e);
		return NULL;
	}
	snprintf(e->op, sizeof e->op, "%s", op);
	e->a = a;
	e->b = b;
	return e;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '[' ||
	       c == ']';
}

static struct swp_expr *p_unary(struct parser *P)
{
	struct swp_expr *e;
	skip(P);
	if (P->fail)
		return NULL;
	if (eat(P, "-")) {
		e = node(P, E_NEG);
		if (e && !(e->a = p_unary(P))) {
			free(e);
			return NULL;
		}
		return e;
	}
	if (eat(P, "(")) {
		e = p_or(P);
		if (e && !eat(P, ")")) {
			perr(P, "expected ')'");
			swp_expr_free(e);
			return NULL;
		}
		return e;
	}
	if (*P->p == '\'' || *P->p == '"') {
		char q = *P->p++;
		const char *end = strchr(P->p, q);
		if (!end) {
			perr(P, "unterminated string");
			return NULL;
		}
		e = node(P, E_STR);
		if (e && !(e->text = strndup(P->p, (size_t)(end - P->p)))) {
			free(e);
			return NULL;
		}
		P->p = end + 1;
		return e;
	}
	if (isdigit((unsigned char)*P->p) || (*P->p == '.' && isdigit((unsigned char)P->p[1]))) {
		char *end;
		e = node(P, E_NUM);
		if (e)
			e->num = strtod(P->p, &end);
		if (e)
			P->p = end;
		return e;
	}
	if (isalpha((unsigned char)*P->p) || *P->p == '_') {
		static const char *const fns[] = { "min", "max", "log2", NULL };
		const char *st = P->p;
		size_t n = 0;
		while (name_char(st[n]))
			n++;
		for (int f = 0; fns[f]; f++) {
			if (n == strlen(fns[f]) && !strncmp(st, fns[f], n)) {
				P->p += n;
				if (!eat(P, "(")) {
					perr(P, "expected '(' after a function name");
					return NULL;
				}
				e = node(P, E_CALL);
				if (!e)
					return NULL;
				snprintf(e->op, sizeof e->op, "%.3s", fns[f]);
				e->a = p_or(P);
				if (f < 2 && !P->fail && !eat(P, ","))
					perr(P, "expected ','");
				if (f < 2 && !P->fail)
					e->b = p_or(P);
				if (!P->fail && !eat(P, ")"))
					perr(P, "expected ')'");
				if (P->fail) {
					swp_expr_free(e);
					return NULL;
				}
				return e;
			}
		}
		e = node(P, E_NAME);
		if (e && !(e->text = strndup(st, n))) {
			free(e);
			return NULL;
		}
		P->p += n;
		return e;
	}
	perr(P, *P->p ? "unexpected character" : "unexpected end");
	return NULL;
}

static struct swp_expr *p_prod(struct parser *P)
{
	struct swp_expr *e = p_unary(P);
	for (;;) {
		const char *op = eat(P, "*") ? "*" : eat(P, "/") ? "/" : eat(P, "%") ? "%" : NULL;
		if (!op || !e)
			return e;
		e = bin(P, op, e, p_unary(P));
	}
}

static struct swp_expr *p_sum(struct parser *P)
{
	struct swp_expr *e = p_prod(P);
	for (;;) {
		const char *op = eat(P, "+") ? "+" : eat(P, "-") ? "-" : NULL;
		if (!op || !e)
			return e;
		e = bin(P, op, e, p_prod(P));
	}
}

static struct swp_expr *p_cmp(struct parser *P)
{
	static const char *const ops[] = { "<=", ">=", "==", "!=", "<", ">", NULL };
	struct swp_expr *e = p_sum(P);
	for (int i = 0; e && ops[i]; i++)
		if (eat(P, ops[i]))
			return bin(P, ops[i], e, p_sum(P));
	return e;
}

static struct swp_expr *p_not(struct parser *P)
{
	if (eat(P, "!") || eat(P, "not")) {
		struct swp_expr *e = node(P, E_NOT);
		if (e && !(e->a = p_not(P))) {
			free(e);
			return NULL;
		}
		return e;
	}
	return p_cmp(P);
}

static struct swp_expr *p_and(struct parser *P)
{
	struct swp_expr *e = p_not(P);
	while (e && (eat(P, "&&") || eat(P, "and")))
		e = bin(P, "&&", e, p_not(P));
	return e;
}

static struct swp_expr *p_or(struct parser *P)
{
	struct swp_expr *e = p_and(P);
	while (e && (eat(P, "||") || eat(P, "or")))
		e = bin(P, "||", e, p_and(P));
	return e;
}

enum ps_status swp_expr_parse(const char *text, struct swp_expr **out,
			      struct ps_err *err)
{
	struct parser P = { text, text, err, 0 };
	struct swp_expr *e = p_or(&P);
	skip(&P);
	if (e && *P.p)
		perr(&P, "unexpected text after the expression");
	if (P.fail || !e) {
		swp_expr_free(e);
		*out = NULL;
		if (!P.fail)
			perr(&P, "empty expression");
		return PS_EINPUT;
	}
	*out = e;
	return PS_OK;
}

struct ectx {
	swp_lookup_fn look;
	void *ctx;
	struct ps_err *err;
};

static enum ps_status eval(const struct swp_expr *e, struct ectx *X,
			   struct val *v);

static enum ps_status num_of(const struct swp_expr *e, struct ectx *X,
			     double *x)
{
	struct val v;
	enum ps_status st = eval(e, X, &v);
	if (st)
		return st;
	if (v.is_str)
		return ps_errf(X->err, PS_EINPUT, "'%s' is not a number%s%s",
			       v.str, e->kind == E_NAME ? " (" : "",
			       e->kind == E_NAME ? "a string field)" : "");
	*x = v.num;
	return PS_OK;
}

static enum ps_status eval(const struct swp_expr *e, struct ectx *X,
			   struct val *v)
{
	double a, b;
	enum ps_status st;
	memset(v, 0, sizeof *v);
	switch (e->kind) {
	case E_NUM:
		v->num = e->num;
		return PS_OK;
	case E_STR:
		v->is_str = true;
		snprintf(v->str, sizeof v->str, "%s", e->text);
		return PS_OK;
	case E_NAME: {
		char *end;
		if ((st = X->look(X->ctx, e->text, v->str, sizeof v->str, X->err)))
			return ps_err_prefix(X->err, st, "%s", e->text);
		if (!strcmp(v->str, "true") || !strcmp(v->str, "false")) {
			v->num = v->str[0] == 't';
			return PS_OK;
		}
		v->num = strtod(v->str, &end);
		v->is_str = !v->str[0] || *end;
		return PS_OK;
	}
	case E_NEG:
		if ((st = num_of(e->a, X, &a)))
			return st;
		v->num = -a;
		return PS_OK;
	case E_NOT:
		if ((st = num_of(e->a, X, &a)))
			return st;
		v->num = a == 0;
		return PS_OK;
	case E_CALL:
		if ((st = num_of(e->a, X, &a)) || (e->b && (st = num_of(e->b, X, &b))))
			return st;
		v->num = !strcmp(e->op, "min") ? fmin(a, b) :
			 !strcmp(e->op, "max") ? fmax(a, b) : log2(a);
		return PS_OK;
	}
	/* E_BIN: == and != also compare strings */
	if (!strcmp(e->op, "==") || !strcmp(e->op, "!=")) {
		struct val x, y;
		if ((st = eval(e->a, X, &x)) || (st = eval(e->b, X, &y)))
			return st;
		if (x.is_str != y.is_str) {
			char ns[64];
			snprintf(ns, sizeof ns, "%.17g", x.is_str ? y.num : x.num);
			return ps_errf(X->err, PS_EINPUT, "compares the string '%s' with the number %s",
				       x.is_str ? x.str : y.str, ns);
		}
		v->num = x.is_str ? !strcmp(x.str, y.str) : x.num == y.num;
		if (e->op[0] == '!')
			v->num = !v->num;
		return PS_OK;
	}
	if (!strcmp(e->op, "&&") || !strcmp(e->op, "||")) {
		if ((st = num_of(e->a, X, &a)))
			return st;
		if ((e->op[0] == '&' && a == 0) || (e->op[0] == '|' && a != 0)) {
			v->num = a != 0;
			return PS_OK;
		}
		if ((st = num_of(e->b, X, &b)))
			return st;
		v->num = b != 0;
		return PS_OK;
	}
	if ((st = num_of(e->a, X, &a)) || (st = num_of(e->b, X, &b)))
		return st;
	switch (e->op[0]) {
	case '+': v->num = a + b; break;
	case '-': v->num = a - b; break;
	case '*': v->num = a * b; break;
	case '/': v->num = a / b; break;
	case '%': v->num = fmod(a, b); break;
	case '<': v->num = e->op[1] ? a <= b : a < b; break;
	case '>': v->num = e->op[1] ? a >= b : a > b; break;
	}
	return PS_OK;
}

enum ps_status swp_expr_eval(const struct swp_expr *e, swp_lookup_fn look,
			     void *ctx, bool *keep, struct ps_err *err)
{
	struct ectx X = { look, ctx, err };
	struct val v;
	enum ps_status st = eval(e, &X, &v);
	if (st)
		return st;
	if (v.is_str)
		return ps_errf(err, PS_EINPUT, "the expression gives the string '%s', not a truth value",
			       v.str);
	*keep = v.num != 0;
	return PS_OK;
}
