using AuthServer.Bench;

// Helpers for bench/run.sh: the load itself comes from wrk.
return args switch
{
    ["bcrypt-time", var workFactor] => BcryptTiming.Run(int.Parse(workFactor)),
    ["seed-cold", var db, var count, var headers] => await Seeder.ColdUsersAsync(db, int.Parse(count), headers),
    ["seed-large", var db, var users, var rules, var groups, var member] =>
        await Seeder.LargeAsync(db, int.Parse(users), int.Parse(rules), int.Parse(groups), member),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: AuthServer.Bench bcrypt-time WORKFACTOR
               AuthServer.Bench seed-cold DB COUNT HEADERS_FILE
               AuthServer.Bench seed-large DB USERS RULES GROUPS MEMBER
        """);
    return 2;
}
