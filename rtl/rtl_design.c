/* rtl_design.c - the design table (rtl_design.h). */
#include "rtl_design.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* FlightLLM's packed INT8 MAC (shared/reference/flightllm_dsp48.md): AREG
 * = 1 via A1, BREG = 2, DREG = ADREG = MREG = PREG = 1, AMULTSEL = "AD",
 * no C register, OPMODE/INMODE/ALUMODE/CARRYIN straight from the fabric.
 * The same settings as pe_dsp48e2_params_packed (pe_models/flightllm/) and
 * the -G flags of the dsp48e2 model in rtl/meson.build: keep them equal. */
#define DSP48E2_PACKED                                                        \
	"-set AREG 1 -set ACASCREG 1 -set BREG 2 -set BCASCREG 2 -set CREG 0 " \
	"-set DREG 1 -set ADREG 1 -set MREG 1 -set PREG 1 -set INMODEREG 0 "   \
	"-set OPMODEREG 0 -set ALUMODEREG 0 -set CARRYINREG 0 "                \
	"-set CARRYINSELREG 0 -set AMULTSEL \"AD\""

const struct rtl_design rtl_designs[] = {
	{
		.name = "fp16_mac",
		.top = "pe_fp16_mac",
		.files = { "baseline/pe_fp16_mac.v", "common/fp16_mul.v",
			   "common/fp16_add.v" },
		.family = "baseline",
		.paper = "bitmod_fp16_mac",
		.what = "FP16 MAC baseline PE: fp16_mul, fp16_add, 2 register stages",
	},
	{
		.name = "int8_mac",
		.top = "pe_int8_mac",
		.files = { "baseline/pe_int8_mac.v" },
		.family = "baseline",
		.what = "INT8 MAC baseline PE: 8x8 multiply, 32-bit accumulator",
	},
	{
		.name = "ant_mac",
		.top = "pe_ant_mac",
		.files = { "baseline/pe_ant_mac.v", "baseline/ant_fma.v",
			   "baseline/ant_decode.v" },
		.family = "baseline",
		.paper = "bitmod_fp16_int8_fma",
		.what = "ANT baseline PE: int4/flint4 ROM, FP16xINT8 FMA, 2 register stages",
	},
	{
		.name = "fp16_add",
		.top = "fp16_add",
		.files = { "common/fp16_add.v" },
		.family = "common",
		.what = "IEEE binary16 adder, RNE, combinational",
	},
	{
		.name = "fp16_mul",
		.top = "fp16_mul",
		.files = { "common/fp16_mul.v" },
		.family = "common",
		.what = "IEEE binary16 multiplier, RNE, combinational",
	},
	{
		.name = "dsp48e2_packed",
		.top = "DSP48E2",
		.files = { "flightllm/DSP48E2.v" },
		.chparam = DSP48E2_PACKED,
		.family = "flightllm",
		.what = "DSP48E2 subset, packed INT8x2 MAC config (an FPGA hard block as logic)",
	},
	{ .name = NULL },
};

const struct rtl_design *rtl_design_find(const char *name)
{
	for (const struct rtl_design *d = rtl_designs; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

#ifdef PESIM_SRCDIR
static int dir_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}
#endif

const char *rtl_dir(void)
{
	static char buf[PATH_MAX];
	static const char rel[] = "/../rtl";
	const char *env = getenv("PESIM_RTL");
	ssize_t len;
	char *slash;

	if (env && *env)
		return env;
#ifdef PESIM_SRCDIR
	if (dir_exists(PESIM_SRCDIR "/rtl"))
		return PESIM_SRCDIR "/rtl";
#endif
	len = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (len > 0) {
		buf[len] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof rel <= sizeof buf) {
			memcpy(slash, rel, sizeof rel);
			return buf;
		}
	}
	return "rtl";
}
