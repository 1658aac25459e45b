-- POST grant_type=refresh_token, as docker sends it with the identity token from its login.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("BENCH_REFRESH_BODY")
