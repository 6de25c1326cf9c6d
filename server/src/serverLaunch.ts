// How the language server's process is started, in one place: the VS Code client starts
// dist/server.js with this environment, and so do the test and bench harness, so that what the
// bench measures is what users run. It takes effect only when a process starts, so `vibeguard lsp`
// (one process with the CLI) cannot set it for itself; the README shows other editors how.
//
// MALLOC_ARENA_MAX=1: glibc gives each thread that allocates while another does an arena of its
// own, and keeps their pages after a burst of work (V8's compiler and GC threads, the analysis
// threads that are replaced once the burst is over). The bench's memory stage (5,000 files opened
// and analysed, then idle): 266–268 MB without it, 214–239 MB with two arenas, 193–206 MB with
// one; the time to open and analyse them (about 10.0 s) and on-type latency (p95 16.1–16.5 ms
// against 16.0–16.4) did not change. V8 keeps its heaps in pages of its own, outside malloc.
//
// Not here: --max-semi-space-size, which would cap the protocol thread's nursery (32 MB resident
// after a burst), because a process-wide V8 flag overrides the young generation each analysis
// thread asks for (limits.ts); with it, on-type p95 rose by about 1.5 ms.

/** Environment added to the server process's own. */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };
