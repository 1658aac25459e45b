-- GET with the headers given by -H (the warm phases and /healthz).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
