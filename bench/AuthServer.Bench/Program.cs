using AuthServer.Bench;

// Helpers for bench/run.sh: the load itself comes from wrk.
return args switch
{
    ["bcrypt-time", var workFactor] => BcryptTiming.Run(int.Parse(workFactor)),
    ["seed-cold", var db, var count, var headers] => await Seeder.ColdUsersAsync(db, int.Parse(count), headers),
    ["seed-large", var db, var users, var rules, var groups, var member] =>
        await Seeder.LargeAsync(db, int.Parse(users), int.Parse(rules), int.Parse(groups), member),
    ["login-timing", var baseUrl, var service, var user, var robot] => await LoginTiming.RunAsync(baseUrl, service, user, robot),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: AuthServer.Bench bcrypt-time WORKFACTOR
               AuthServer.Bench seed-cold DB COUNT HEADERS_FILE
               AuthServer.Bench seed-large DB USERS RULES GROUPS MEMBER
               AuthServer.Bench login-timing BASE_URL SERVICE USER ROBOT_LOGIN
        """);
    return 2;
}
