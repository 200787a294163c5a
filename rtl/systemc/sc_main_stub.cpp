// sc_main_stub.cpp - the sc_main libsystemc.so asks for.
//
// libsystemc.so defines main() (which calls sc_elab_and_sim, which calls
// sc_main) and so references sc_main: every executable that links the
// library needs the symbol, even when, as here, its own main() is C and
// SystemC is driven from a library function instead (rtl_sc_run
// elaborates the array itself and advances time with sc_start). This stub
// satisfies the linker and is never called: our executables' main() wins
// over the library's, so nothing reaches sc_elab_and_sim. It is linked
// whole (meson.build) so the symbol is there whatever else is pulled in.
#include <cstdio>

// declared as SystemC does (sysc/kernel/sc_externs.h)
extern "C" int sc_main(int argc, char *argv[]);

int sc_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	std::fputs("pesim: sc_main is a stub; SystemC is driven by rtl_sc_run\n", stderr);
	return 1;
}
