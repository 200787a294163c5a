/* trace.c - record codec, CRC-32, streaming writer and reader. */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ps_file.h"

const struct trace_opinfo trace_ops[TRACE_OPCODE_N] = {
#define X(id, mn, q, lbuf, lfmt, la, lb, lc, laddr, lbytes, sum) \
	[TRACE_##id] = { mn, q, { lbuf, lfmt, la, lb, lc, laddr, lbytes }, sum },
#include "isa.def"
#undef X
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void trace_encode(const struct trace_insn *in, uint8_t out[TRACE_RECORD_SIZE])
{
	out[0] = in->opcode;
	out[1] = in->flags;
	out[2] = in->buf;
	out[3] = in->fmt;
	put32(out + 4, in->repeat);
	put32(out + 8, in->op);
	put32(out + 12, in->a);
	put32(out + 16, in->b);
	put32(out + 20, in->c);
	put64(out + 24, in->addr);
	put64(out + 32, in->bytes);
}

void trace_decode(const uint8_t in[TRACE_RECORD_SIZE], struct trace_insn *out)
{
	out->opcode = in[0];
	out->flags = in[1];
	out->buf = in[2];
	out->fmt = in[3];
	out->repeat = get32(in + 4);
	out->op = get32(in + 8);
	out->a = get32(in + 12);
	out->b = get32(in + 16);
	out->c = get32(in + 20);
	out->addr = get64(in + 24);
	out->bytes = get64(in + 32);
}

bool trace_insn_valid(const struct trace_insn *in, char *msg, size_t n)
{
	const struct trace_opinfo *o;
	uint64_t v[7];
	if (in->opcode >= TRACE_OPCODE_N) {
		snprintf(msg, n, "unknown opcode %u", in->opcode);
		return false;
	}
	o = &trace_ops[in->opcode];
	if (in->flags & ~(0x3fu | (in->opcode == TRACE_OP ? TRACE_OP_PIPELINED : 0))) {
		snprintf(msg, n, "%s: undefined flag bits 0x%02x", o->mnemonic, in->flags);
		return false;
	}
	if (in->repeat == 0 && in->opcode != TRACE_END) {
		snprintf(msg, n, "%s: repeat is 0", o->mnemonic);
		return false;
	}
	v[0] = in->buf;
	v[1] = in->fmt;
	v[2] = in->a;
	v[3] = in->b;
	v[4] = in->c;
	v[5] = in->addr;
	v[6] = in->bytes;
	for (int i = 0; i < 7; i++) {
		if (!o->label[i] && v[i]) {
			static const char *const names[] = { "buf", "fmt", "a", "b", "c", "addr", "bytes" };
			snprintf(msg, n, "%s: field %s must be 0", o->mnemonic, names[i]);
			return false;
		}
	}
	/* tile dims are never 0 (a, b and c when labelled, except OP's class
	 * and layer which may be 0) */
	if (in->opcode != TRACE_OP && in->opcode != TRACE_END)
		for (int i = 2; i < 5; i++)
			if (o->label[i] && !v[i]) {
				snprintf(msg, n, "%s: %s is 0", o->mnemonic, o->label[i]);
				return false;
			}
	if (in->opcode == TRACE_OP && (!in->a || !in->b || !in->addr)) {
		snprintf(msg, n, "op: M, K and N must be > 0");
		return false;
	}
	if (in->opcode == TRACE_OP && in->fmt > 1) {
		snprintf(msg, n, "op: phase %u is not 0 (prefill) or 1 (decode)", in->fmt);
		return false;
	}
	if (in->buf >= 8 && trace_ops[in->opcode].label[0] &&
	    strcmp(trace_ops[in->opcode].label[0], "buf") == 0) {
		snprintf(msg, n, "%s: buffer index %u >= 8", o->mnemonic, in->buf);
		return false;
	}
	return true;
}

/* CRC-32 (IEEE), table-driven; the table is built once on first use. */
uint32_t trace_crc32(uint32_t crc, const void *data, size_t n)
{
	static uint32_t table[256];
	static int ready;
	const uint8_t *p = data;
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---------------- writer ---------------- */

struct trace_writer {
	struct ps_out out;
	struct trace_header h;
	uint8_t buf[TRACE_RECORD_SIZE * 1024];
	size_t fill;
};

static void header_bytes(const struct trace_header *h, uint8_t out[TRACE_HEADER_SIZE])
{
	memset(out, 0, TRACE_HEADER_SIZE);
	memcpy(out, TRACE_MAGIC, 8);
	put32(out + 8, h->version);
	put32(out + 12, TRACE_RECORD_SIZE);
	put64(out + 16, h->arch_digest);
	put64(out + 24, h->workload_digest);
	put64(out + 32, h->count);
	put32(out + 40, h->crc);
	put32(out + 44, h->flags);
}

enum ps_status trace_writer_open(struct trace_writer **wp, const char *path,
				 uint64_t arch_digest, uint64_t workload_digest,
				 uint32_t flags, struct ps_err *err)
{
	struct trace_writer *w = calloc(1, sizeof *w);
	uint8_t hdr[TRACE_HEADER_SIZE];
	enum ps_status st;
	if (!w)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	st = ps_out_open(&w->out, path, err);
	if (st) {
		free(w);
		return st;
	}
	w->h.version = TRACE_VERSION;
	w->h.arch_digest = arch_digest;
	w->h.workload_digest = workload_digest;
	w->h.flags = flags;
	header_bytes(&w->h, hdr);	/* placeholder, rewritten at close */
	fwrite(hdr, 1, sizeof hdr, w->out.fp);
	*wp = w;
	return PS_OK;
}

static enum ps_status flush(struct trace_writer *w, struct ps_err *err)
{
	if (w->fill && fwrite(w->buf, 1, w->fill, w->out.fp) != w->fill)
		return ps_errf(err, PS_EIO, "%s: write failed: %s", w->out.path,
			       strerror(errno));
	w->h.crc = trace_crc32(w->h.crc, w->buf, w->fill);
	w->fill = 0;
	return PS_OK;
}

enum ps_status trace_write(struct trace_writer *w, const struct trace_insn *in,
			   struct ps_err *err)
{
	if (w->fill == sizeof w->buf && flush(w, err))
		return PS_EIO;
	trace_encode(in, w->buf + w->fill);
	w->fill += TRACE_RECORD_SIZE;
	w->h.count++;
	return PS_OK;
}

uint64_t trace_writer_count(const struct trace_writer *w)
{
	return w->h.count;
}

enum ps_status trace_writer_finish(struct trace_writer *w, struct ps_err *err)
{
	struct trace_insn end = { .opcode = TRACE_END };
	uint8_t hdr[TRACE_HEADER_SIZE];
	enum ps_status st;
	if (w->out.finished)
		return PS_OK;
	st = trace_write(w, &end, err);
	if (!st)
		st = flush(w, err);
	if (!st) {
		header_bytes(&w->h, hdr);
		if (fseek(w->out.fp, 0, SEEK_SET) != 0 ||
		    fwrite(hdr, 1, sizeof hdr, w->out.fp) != sizeof hdr)
			st = ps_errf(err, PS_EIO, "%s: cannot write header: %s", w->out.path,
				     strerror(errno));
	}
	if (!st)
		st = ps_out_finish(&w->out, err);
	if (st)
		ps_out_abort(&w->out);
	return st;
}

enum ps_status trace_writer_close(struct trace_writer *w, struct ps_err *err)
{
	enum ps_status st = trace_writer_finish(w, err);
	if (!st)
		st = ps_out_commit(&w->out, err);
	free(w);
	return st;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (!w)
		return;
	ps_out_abort(&w->out);
	free(w);
}

/* ---------------- reader ---------------- */

struct trace_reader {
	FILE *fp;
	char path[512];
	struct trace_header h;
	uint64_t next;		/* index of the next record */
	bool ended;
	uint8_t buf[TRACE_RECORD_SIZE * 1024];
	size_t have, pos;
};

static enum ps_status parse_header(const uint8_t *p, size_t n, const char *name,
				   struct trace_header *h, struct ps_err *err)
{
	if (n < TRACE_HEADER_SIZE)
		return ps_errf(err, PS_EINPUT, "%s: offset %zu: truncated header (%d bytes needed)",
			       name, n, TRACE_HEADER_SIZE);
	if (memcmp(p, TRACE_MAGIC, 8))
		return ps_errf(err, PS_EINPUT, "%s: offset 0: bad magic (not a pesim trace)", name);
	h->version = get32(p + 8);
	if (h->version != TRACE_VERSION)
		return ps_errf(err, PS_EINPUT, "%s: offset 8: unsupported version %u (this pesim reads %d)",
			       name, h->version, TRACE_VERSION);
	if (get32(p + 12) != TRACE_RECORD_SIZE)
		return ps_errf(err, PS_EINPUT, "%s: offset 12: record size %u, expected %d",
			       name, get32(p + 12), TRACE_RECORD_SIZE);
	h->arch_digest = get64(p + 16);
	h->workload_digest = get64(p + 24);
	h->count = get64(p + 32);
	h->crc = get32(p + 40);
	h->flags = get32(p + 44);
	if (h->flags & ~(TRACE_FLAG_BIT_TRUE | TRACE_FLAG_COMPAT))
		return ps_errf(err, PS_EINPUT, "%s: offset 44: undefined flags 0x%x", name, h->flags);
	for (int i = 48; i < 64; i++)
		if (p[i])
			return ps_errf(err, PS_EINPUT, "%s: offset %d: reserved byte not zero", name, i);
	if (h->count == 0)
		return ps_errf(err, PS_EINPUT, "%s: offset 32: instruction count is 0 (no END)", name);
	return PS_OK;
}

static enum ps_status check_size(const char *name, const struct trace_header *h,
				 uint64_t body, struct ps_err *err)
{
	if (h->count > UINT64_MAX / TRACE_RECORD_SIZE ||
	    body != h->count * TRACE_RECORD_SIZE)
		return ps_errf(err, PS_EINPUT,
			       "%s: offset %llu: body is %llu bytes, header promises %llu records of %d",
			       name, (unsigned long long)(TRACE_HEADER_SIZE + body),
			       (unsigned long long)body, (unsigned long long)h->count,
			       TRACE_RECORD_SIZE);
	return PS_OK;
}

enum ps_status trace_reader_open(struct trace_reader **rp, const char *path,
				 struct ps_err *err)
{
	struct trace_reader *r = calloc(1, sizeof *r);
	uint8_t hdr[TRACE_HEADER_SIZE];
	uint64_t body = 0;
	uint32_t crc = 0;
	size_t n;
	enum ps_status st;

	if (!r)
		return ps_errf(err, PS_ENOMEM, "out of memory");
	snprintf(r->path, sizeof r->path, "%s", path);
	if ((st = ps_in_check(path, err))) {
		free(r);
		return st;
	}
	r->fp = fopen(path, "rb");
	if (!r->fp) {
		free(r);
		return ps_errf(err, PS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
	}
	n = fread(hdr, 1, sizeof hdr, r->fp);
	if (n < sizeof hdr && ferror(r->fp))
		st = ps_errf(err, PS_EINPUT, "%s: cannot read: %s", path, strerror(errno));
	else
		st = parse_header(hdr, n, path, &r->h, err);
	while (!st && (n = fread(r->buf, 1, sizeof r->buf, r->fp)) > 0) {
		crc = trace_crc32(crc, r->buf, n);
		body += n;
	}
	if (!st && ferror(r->fp))
		st = ps_errf(err, PS_EINPUT, "%s: cannot read: %s", path, strerror(errno));
	if (!st)
		st = check_size(path, &r->h, body, err);
	if (!st && crc != r->h.crc)
		st = ps_errf(err, PS_EINPUT, "%s: offset 40: body CRC 0x%08x does not match header 0x%08x",
			     path, crc, r->h.crc);
	if (!st && fseek(r->fp, TRACE_HEADER_SIZE, SEEK_SET) != 0)
		st = ps_errf(err, PS_EIO, "%s: cannot seek", path);
	if (st) {
		fclose(r->fp);
		free(r);
		return st;
	}
	*rp = r;
	return PS_OK;
}

int trace_read(struct trace_reader *r, struct trace_insn *in, struct ps_err *err)
{
	char msg[200];
	uint64_t off;
	if (r->ended)
		return 0;
	if (r->pos == r->have) {
		r->have = fread(r->buf, 1, sizeof r->buf, r->fp);
		r->pos = 0;
		if (r->have == 0 || r->have % TRACE_RECORD_SIZE) {
			ps_errf(err, PS_EINPUT, "%s: offset %llu: file changed while reading",
				r->path, (unsigned long long)(TRACE_HEADER_SIZE + r->next * TRACE_RECORD_SIZE));
			return -1;
		}
	}
	off = TRACE_HEADER_SIZE + r->next * TRACE_RECORD_SIZE;
	trace_decode(r->buf + r->pos, in);
	r->pos += TRACE_RECORD_SIZE;
	r->next++;
	if (!trace_insn_valid(in, msg, sizeof msg)) {
		ps_errf(err, PS_EINPUT, "%s: offset %llu: %s", r->path, (unsigned long long)off, msg);
		return -1;
	}
	if (in->opcode == TRACE_END) {
		if (r->next != r->h.count) {
			ps_errf(err, PS_EINPUT, "%s: offset %llu: END before the last record",
				r->path, (unsigned long long)off);
			return -1;
		}
		r->ended = true;
		return 0;
	}
	if (r->next == r->h.count) {
		ps_errf(err, PS_EINPUT, "%s: offset %llu: last record is not END",
			r->path, (unsigned long long)off);
		return -1;
	}
	return 1;
}

const struct trace_header *trace_reader_header(const struct trace_reader *r)
{
	return &r->h;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	fclose(r->fp);
	free(r);
}

enum ps_status trace_parse_buffer(const void *buf, size_t n, const char *name,
				  uint64_t *count, struct ps_err *err)
{
	const uint8_t *p = buf;
	struct trace_header h;
	enum ps_status st = parse_header(p, n, name, &h, err);
	char msg[200];
	if (st)
		return st;
	st = check_size(name, &h, n - TRACE_HEADER_SIZE, err);
	if (st)
		return st;
	if (trace_crc32(0, p + TRACE_HEADER_SIZE, n - TRACE_HEADER_SIZE) != h.crc)
		return ps_errf(err, PS_EINPUT, "%s: offset 40: body CRC does not match", name);
	for (uint64_t i = 0; i < h.count; i++) {
		struct trace_insn in;
		size_t off = TRACE_HEADER_SIZE + (size_t)i * TRACE_RECORD_SIZE;
		trace_decode(p + off, &in);
		if (!trace_insn_valid(&in, msg, sizeof msg))
			return ps_errf(err, PS_EINPUT, "%s: offset %zu: %s", name, off, msg);
		if ((in.opcode == TRACE_END) != (i + 1 == h.count))
			return ps_errf(err, PS_EINPUT, "%s: offset %zu: END must be the last record and only there",
				       name, off);
	}
	*count = h.count;
	return PS_OK;
}
