/* wl_model.c - model YAML loading, consistency checks and parameter counts.
 *
 * Parameter counts are derived from the dims and never typed in, so the zoo
 * test can hold every file against its Hugging Face total: a mistyped dim
 * shows up as a wrong count instead of as silently wrong GEMM shapes. */
#include "wl_model.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg_yaml.h"
#include "ps_path.h"

/* Order follows enum wl_model_kind and enum wl_ffn_kind. */
static const char *const kind_names[] = { "decoder", "encoder", NULL };
static const char *const ffn_names[] = { "plain", "gated", NULL };

/* Upper bounds keep every product in wl_model_params and in the op shapes
 * far inside 64 bits (e.g. layers * hidden * ffn * 3 < 2^52) while leaving
 * room for models several times larger than Llama-2-70B. */
#define MAX_HIDDEN 65536.0
#define MAX_LAYERS 4096.0
#define MAX_HEADS 4096.0
#define MAX_HEAD_DIM 4096.0
#define MAX_FFN 1048576.0
#define MAX_VOCAB 4194304.0
#define MAX_SEQ 1048576.0

#define MSIZE(f) sizeof(((struct wl_model *)0)->f)
#define STR(k, f, h) { .key = k, .type = CFG_STR, \
	.offset = offsetof(struct wl_model, f), .size = MSIZE(f), \
	.required = true, .help = h }
#define DIM(k, f, req, hi, h) { .key = k, .type = CFG_UINT, \
	.offset = offsetof(struct wl_model, f), .required = req, \
	.min = 1, .max = hi, .help = h }
#define FLAG(k, f, h) { .key = k, .type = CFG_BOOL, \
	.offset = offsetof(struct wl_model, f), .help = h }

/* The model YAML schema. `name` is not a key: it is the file stem, so a zoo
 * key and its file can never disagree. */
static const struct cfg_field model_fields[] = {
	STR("display", display, "name for reports, e.g. Llama-2-7B"),
	STR("source", source, "where the dims come from"),
	{ .key = "kind", .type = CFG_ENUM,
	  .offset = offsetof(struct wl_model, kind), .required = true,
	  .names = kind_names, .help = "decoder (LLM) or encoder (ViT)" },
	DIM("hidden", hidden, true, MAX_HIDDEN, "model width"),
	DIM("layers", layers, true, MAX_LAYERS, "transformer blocks"),
	DIM("heads", heads, true, MAX_HEADS, "query heads"),
	DIM("kv_heads", kv_heads, true, MAX_HEADS, "key/value heads (GQA)"),
	DIM("head_dim", head_dim, true, MAX_HEAD_DIM, "width of one head"),
	DIM("ffn", ffn, true, MAX_FFN, "FFN inner width"),
	{ .key = "ffn_kind", .type = CFG_ENUM,
	  .offset = offsetof(struct wl_model, ffn_kind), .required = true,
	  .names = ffn_names, .help = "plain (fc1, fc2) or gated (gate, up, down)" },
	DIM("vocab", vocab, false, MAX_VOCAB, "decoders: vocabulary size"),
	FLAG("tied_embeddings", tied_embeddings, "lm_head shares the token embedding"),
	FLAG("bias", bias, "linears carry biases; norms are LayerNorm"),
	FLAG("lm_head_bias", lm_head_bias, "lm_head carries a bias"),
	DIM("learned_positions", learned_positions, false, MAX_SEQ,
	    "rows of a learned position table"),
	DIM("seq_len", seq_len, false, MAX_SEQ, "encoders: tokens per image"),
	DIM("patch", patch, false, 4096.0, "encoders: patch size"),
	DIM("channels", channels, false, 4096.0, "encoders: image channels"),
	DIM("classes", classes, false, MAX_VOCAB, "encoders: classifier outputs"),
	FLAG("uncertain", uncertain, "reference marks the dims uncertain"),
	DIM("norms_per_layer", norms_per_layer, false, 4.0,
	    "norms per block (default 2)"),
	{ .key = NULL, .type = CFG_END },
};

/* Line of a top-level "key:" in the file, for errors found after loading
 * (cfg_yaml has released the document by then). Falls back to line 1 for
 * keys that are absent or written in flow style. */
static int key_line(const char *path, const char *key)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, kl = strlen(key);
	int no = 0, found = 1;

	if (!fp)
		return 1;
	while (getline(&line, &cap, fp) >= 0) {
		const char *p = line + kl;
		no++;
		if (strncmp(line, key, kl) != 0)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ':') {
			found = no;
			break;
		}
	}
	free(line);
	fclose(fp);
	return found;
}

static enum ps_status bad_field(const char *path, const char *key,
				struct ps_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum ps_status bad_field(const char *path, const char *key,
				struct ps_err *err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return ps_errf(err, PS_EINPUT, "%s:%d: %s: %s", path,
		       key_line(path, key), key, what);
}

#define BAD(key, ...) bad_field(path, key, err, __VA_ARGS__)

/* Checks that need several fields at once; single-field ranges are in the
 * schema. */
static enum ps_status check_model(const char *path, struct wl_model *m,
				  struct ps_err *err)
{
	if (m->kv_heads > m->heads || m->heads % m->kv_heads != 0)
		return BAD("kv_heads", "heads (%u) must be a multiple of kv_heads (%u)",
			   m->heads, m->kv_heads);
	if (m->kind == WL_DECODER) {
		if (m->vocab == 0)
			return BAD("vocab", "missing required field for decoders");
		if (m->seq_len)
			return BAD("seq_len", "only for encoders (decoder context comes from the scenario)");
		if (m->patch)
			return BAD("patch", "only for encoders");
		if (m->channels)
			return BAD("channels", "only for encoders");
		if (m->classes)
			return BAD("classes", "only for encoders");
		return PS_OK;
	}
	if (m->vocab)
		return BAD("vocab", "encoders have no vocabulary");
	if (m->tied_embeddings)
		return BAD("tied_embeddings", "encoders have no lm_head");
	if (m->lm_head_bias)
		return BAD("lm_head_bias", "encoders have no lm_head");
	if (!m->seq_len)
		return BAD("seq_len", "missing required field for encoders");
	if (!m->patch)
		return BAD("patch", "missing required field for encoders");
	if (!m->channels)
		return BAD("channels", "missing required field for encoders");
	if (!m->classes)
		return BAD("classes", "missing required field for encoders");
	/* ViT learns one position per token, class token included. */
	if (!m->learned_positions)
		m->learned_positions = m->seq_len;
	else if (m->learned_positions < m->seq_len)
		return BAD("learned_positions", "%u rows cannot cover seq_len %u",
			   m->learned_positions, m->seq_len);
	return PS_OK;
}

/* Zoo key = file name without directory and .yaml/.yml. */
static enum ps_status set_name(const char *path, struct wl_model *m,
			       struct ps_err *err)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	if (len == 0 || len >= sizeof m->name)
		return ps_errf(err, PS_EINPUT,
			       "%s:1: name: file stem must be 1..%zu characters",
			       path, sizeof m->name - 1);
	memcpy(m->name, base, len);
	m->name[len] = '\0';
	return PS_OK;
}

enum ps_status wl_model_load(const char *path, struct wl_model *m,
			     struct ps_err *err)
{
	return wl_model_load_set(path, NULL, m, err);
}

enum ps_status wl_model_value(const struct wl_model *m, const char *path,
			      char *buf, size_t n, struct ps_err *err)
{
	if (!strcmp(path, "name")) {
		snprintf(buf, n, "%s", m->name);
		return PS_OK;
	}
	return cfg_value(model_fields, m, path, buf, n, err);
}

enum ps_status wl_model_load_set(const char *path, const struct cfg_sets *sets,
				 struct wl_model *m, struct ps_err *err)
{
	struct wl_model t;
	enum ps_status st;

	memset(&t, 0, sizeof t);
	t.norms_per_layer = 2;
	st = set_name(path, &t, err);
	if (st)
		return st;
	st = cfg_load_file_set(path, sets, model_fields, &t, err);
	if (st)
		return st;
	st = check_model(path, &t, err);
	if (st)
		return st;
	*m = t;
	return PS_OK;
}

const char *wl_zoo_dir(void)
{
	static char buf[4096];
	return ps_data_dir("PESIM_ZOO", "workloads/models", buf, sizeof buf);
}

static bool is_yaml(const char *name)
{
	size_t len = strlen(name);
	return len > 5 && strcmp(name + len - 5, ".yaml") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* File names of the zoo's *.yaml files, sorted so that listings and the
 * first load error are the same on every file system. */
static enum ps_status zoo_files(const char *dir, char ***out, size_t *n,
				struct ps_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cnt = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return ps_errf(err, PS_EIO,
			       "%s: cannot read the model zoo: %s (set PESIM_ZOO)",
			       dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !is_yaml(de->d_name))
			continue;
		if (cnt == cap) {
			size_t nc = cap ? 2 * cap : 16;
			char **nn = realloc(names, nc * sizeof *nn);
			if (!nn)
				goto oom;
			names = nn;
			cap = nc;
		}
		names[cnt] = strdup(de->d_name);
		if (!names[cnt])
			goto oom;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(names, cnt, sizeof *names, cmp_str);
	*out = names;
	*n = cnt;
	return PS_OK;
oom:
	closedir(d);
	free_names(names, cnt);
	return ps_errf(err, PS_ENOMEM, "%s: out of memory listing the zoo", dir);
}

static enum ps_status unknown_model(const char *name, const char *zoo,
				    struct ps_err *err)
{
	char list[768] = "";
	char **files;
	size_t n, used = 0;
	enum ps_status st = zoo_files(zoo, &files, &n, err);

	if (st)
		return ps_err_prefix(err, PS_EINPUT, "unknown model '%s'", name);
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%.*s",
				 i ? ", " : "", (int)(strlen(files[i]) - 5),
				 files[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	free_names(files, n);
	return ps_errf(err, PS_EINPUT, "unknown model '%s' (zoo %s: %s)", name,
		       zoo, n ? list : "empty");
}

enum ps_status wl_model_find(const char *name_or_path, struct wl_model *m,
			     struct ps_err *err)
{
	return wl_model_find_set(name_or_path, NULL, m, err);
}

enum ps_status wl_model_find_set(const char *name_or_path,
				 const struct cfg_sets *sets,
				 struct wl_model *m, struct ps_err *err)
{
	const char *zoo;
	char path[PATH_MAX];
	int w;

	if (!name_or_path || !*name_or_path)
		return ps_errf(err, PS_EINPUT, "model: empty name");
	if (strchr(name_or_path, '/') || is_yaml(name_or_path))
		return wl_model_load_set(name_or_path, sets, m, err);
	zoo = wl_zoo_dir();
	w = snprintf(path, sizeof path, "%s/%s.yaml", zoo, name_or_path);
	if (w < 0 || (size_t)w >= sizeof path)
		return ps_errf(err, PS_EINPUT, "model '%s': path too long",
			       name_or_path);
	if (access(path, F_OK) != 0)
		return unknown_model(name_or_path, zoo, err);
	return wl_model_load_set(path, sets, m, err);
}

static int cmp_params(const void *a, const void *b)
{
	const struct wl_model *x = a, *y = b;
	uint64_t px = wl_model_params(x), py = wl_model_params(y);

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->name, y->name);
}

enum ps_status wl_zoo_list(struct wl_model **out, size_t *n,
			   struct ps_err *err)
{
	const char *zoo = wl_zoo_dir();
	struct wl_model *ms = NULL;
	char **files, path[PATH_MAX];
	size_t cnt;
	enum ps_status st;

	*out = NULL;
	*n = 0;
	st = zoo_files(zoo, &files, &cnt, err);
	if (st)
		return st;
	if (cnt) {
		ms = calloc(cnt, sizeof *ms);
		if (!ms) {
			free_names(files, cnt);
			return ps_errf(err, PS_ENOMEM, "%s: out of memory", zoo);
		}
	}
	for (size_t i = 0; i < cnt; i++) {
		int w = snprintf(path, sizeof path, "%s/%s", zoo, files[i]);
		if (w < 0 || (size_t)w >= sizeof path)
			st = ps_errf(err, PS_EINPUT, "%s/%s: path too long", zoo,
				     files[i]);
		else
			st = wl_model_load(path, &ms[i], err);
		if (st) {
			free(ms);
			free_names(files, cnt);
			return st;
		}
	}
	free_names(files, cnt);
	if (cnt)
		qsort(ms, cnt, sizeof *ms, cmp_params);
	*out = ms;
	*n = cnt;
	return PS_OK;
}

/* Hugging Face counting: every nn.Parameter once (a tied lm_head is the
 * embedding). LayerNorm has weight and bias, RMSNorm only a weight; models
 * with biased linears (OPT, Phi-2, ViT) use LayerNorm, the others RMSNorm. */
uint64_t wl_model_params(const struct wl_model *m)
{
	uint64_t h = m->hidden, q = wl_q_dim(m), kv = wl_kv_dim(m);
	uint64_t f = m->ffn, v = m->vocab;
	bool layernorm = m->bias || m->kind == WL_ENCODER;
	uint64_t norm = layernorm ? 2 * h : h;
	uint64_t layer, p;

	/* attention: q, k, v, o */
	layer = h * q + 2 * h * kv + q * h;
	if (m->bias)
		layer += q + 2 * kv + h;
	/* FFN: biases are the output widths of each linear */
	if (m->ffn_kind == WL_FFN_GATED) {
		layer += 3 * h * f;
		if (m->bias)
			layer += 2 * f + h;
	} else {
		layer += 2 * h * f;
		if (m->bias)
			layer += f + h;
	}
	layer += m->norms_per_layer * norm;

	p = m->layers * layer + norm;	/* + the final norm */
	p += (uint64_t)m->learned_positions * h;
	if (m->kind == WL_ENCODER) {
		uint64_t pp = (uint64_t)m->patch * m->patch;
		/* patch embedding is a conv: channels x patch x patch -> hidden */
		p += m->channels * pp * h + (m->bias ? h : 0);
		p += h;		/* class token */
		p += h * m->classes + (m->bias ? m->classes : 0);
		return p;
	}
	p += v * h;
	if (!m->tied_embeddings)
		p += v * h;
	if (m->lm_head_bias)
		p += v;
	return p;
}
