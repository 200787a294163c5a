/* trace.h - the binary instruction trace (.pest): encoder, decoder, streaming
 * writer and reader. Opcodes and fields: isa.def.
 *
 * File: a 64-byte header, then `count` records of TRACE_RECORD_SIZE bytes.
 *
 *   off size field
 *     0   8  magic "PEST\r\n\x1a\n"
 *     8   4  format version (TRACE_VERSION)
 *    12   4  record size (40)
 *    16   8  arch digest (FNV-1a of the arch config file)
 *    24   8  workload digest (FNV-1a of model file, scenario and options)
 *    32   8  instruction count
 *    40   4  CRC-32 (IEEE 802.3, reflected, as zlib) of the body
 *    44   4  flags: bit 0 = bit-true (operand data in "<trace>.h5"),
 *              bit 1 = compat policy (ops are single tiles, buffers unchecked)
 *    48  16  reserved, zero
 *
 * All integers little-endian. The writer streams records to a temporary
 * file, then fills count and CRC and renames it into place. */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ps_status.h"

#define TRACE_MAGIC "PEST\r\n\x1a\n"
#define TRACE_VERSION 1
#define TRACE_HEADER_SIZE 64
#define TRACE_RECORD_SIZE 40
#define TRACE_FLAG_BIT_TRUE 1u
#define TRACE_FLAG_COMPAT 2u	/* compat mapping policy: one tile per op */

enum trace_queue { TRACE_Q_NONE, TRACE_Q_LOAD, TRACE_Q_COMPUTE, TRACE_Q_STORE };

enum trace_opcode {
#define X(id, mn, q, lbuf, lfmt, la, lb, lc, laddr, lbytes, sum) TRACE_##id,
#include "isa.def"
#undef X
	TRACE_OPCODE_N
};

/* dependency-token flags (isa.def) */
#define TRACE_POP_PREV 1u
#define TRACE_POP_NEXT 2u
#define TRACE_PUSH_PREV 4u
#define TRACE_PUSH_NEXT 8u
/* OP only: the block iterates its `repeat` copies itself (heads one
 * after another, tokens flowing across them), instead of being run
 * `repeat` times */
#define TRACE_OP_PIPELINED 0x40u
#define TRACE_ZIP_SHIFT 4
#define TRACE_ZIP_MASK 0x30u
#define TRACE_ZIP(f) (((f) & TRACE_ZIP_MASK) >> TRACE_ZIP_SHIFT)

struct trace_insn {
	uint8_t opcode, flags, buf, fmt;
	uint32_t repeat;
	uint32_t op;
	uint32_t a, b, c;
	uint64_t addr, bytes;
};

struct trace_header {
	uint32_t version;
	uint64_t arch_digest, workload_digest;
	uint64_t count;
	uint32_t crc;
	uint32_t flags;
};

struct trace_opinfo {
	const char *mnemonic;
	int queue;		/* enum trace_queue */
	const char *label[7];	/* buf, fmt, a, b, c, addr, bytes (NULL: unused) */
	const char *summary;
};

extern const struct trace_opinfo trace_ops[TRACE_OPCODE_N];

void trace_encode(const struct trace_insn *in, uint8_t out[TRACE_RECORD_SIZE]);
void trace_decode(const uint8_t in[TRACE_RECORD_SIZE], struct trace_insn *out);

/* Check one decoded record: known opcode, flag bits, unused fields zero,
 * repeat >= 1, non-zero tile dims. msg gets the problem. */
bool trace_insn_valid(const struct trace_insn *in, char *msg, size_t n);

uint32_t trace_crc32(uint32_t crc, const void *data, size_t n);

/* --- streaming writer --- */
struct trace_writer;
enum ps_status trace_writer_open(struct trace_writer **w, const char *path,
				 uint64_t arch_digest, uint64_t workload_digest,
				 uint32_t flags, struct ps_err *err);
enum ps_status trace_write(struct trace_writer *w, const struct trace_insn *in,
			   struct ps_err *err);
/* finish: END, header, flush, fsync; the file stays under its temporary
 * name (to commit files that belong together last). close: finish and
 * rename into place, and free. */
enum ps_status trace_writer_finish(struct trace_writer *w, struct ps_err *err);
enum ps_status trace_writer_close(struct trace_writer *w, struct ps_err *err);
void trace_writer_abort(struct trace_writer *w);
uint64_t trace_writer_count(const struct trace_writer *w);

/* --- streaming reader --- */
struct trace_reader;
/* Validates the header and, in one streaming pass, the body's size and CRC,
 * before any record is returned. Errors: "file: offset N: problem". */
enum ps_status trace_reader_open(struct trace_reader **r, const char *path,
				 struct ps_err *err);
/* 1 with a record, 0 at the end (after END), or -1 with err set (a record
 * that fails trace_insn_valid, or records after END). */
int trace_read(struct trace_reader *r, struct trace_insn *in,
	       struct ps_err *err);
const struct trace_header *trace_reader_header(const struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

/* Parse a whole trace held in memory (fuzzing, tests): header, CRC and every
 * record; counts records into *n. */
enum ps_status trace_parse_buffer(const void *buf, size_t n, const char *name,
				  uint64_t *count, struct ps_err *err);

/* One instruction per line: "mnemonic field=value ...". */
void trace_dis_insn(FILE *fp, const struct trace_insn *in);
/* Parse a line of trace_dis_insn output back into a record. */
bool trace_dis_parse(const char *line, struct trace_insn *in);
/* The opcode table as Markdown (README "Trace format"). */
void trace_isa_markdown(FILE *fp);

#endif
