using AuthServer.Backup;
using AuthServer.Core.Data;

namespace AuthServer.Cli;

/// <summary><c>authserver db copy --to-provider PostgreSQL --to CONNECTION</c> (docs/scale-out.md).</summary>
internal sealed class DbCommands(CliContext cli)
{
    private readonly Option<string> _provider = new("--to-provider") { Description = "The target's provider: PostgreSQL", Required = true };
    private readonly Option<string> _to = new("--to") { Description = "The target's connection string (Npgsql form); its database must be empty or missing", Required = true };

    public Command Create()
    {
        var copy = new Command("copy", "Copy this installation's database (users, hashes, groups, rules, robots, tokens, sessions, keys, audit) into an empty PostgreSQL database")
        {
            _provider, _to,
        };
        copy.SetAction((parse, ct) => cli.RunWithHostAsync(parse, async (services, output) =>
        {
            if (DatabaseProviders.Canonical(parse.GetValue(_provider)) != DatabaseProviders.PostgreSQL)
                throw new Hosting.StartupException("--to-provider must be PostgreSQL");
            var source = services.GetRequiredService<DatabaseFile>();
            if (source.IsPostgreSQL) throw new Hosting.StartupException("this installation is on PostgreSQL already: copy from its SQLite settings");
            if (!source.Exists) throw new Hosting.StartupException($"no database at {source.Path}: nothing to copy");
            var summary = await services.GetRequiredService<DatabaseCopy>().CopyToPostgresAsync(parse.GetValue(_to)!, ct);
            var rows = string.Join(", ", summary.Rows.Where(r => r.Value > 0).Select(r => $"{r.Value} {r.Key}"));
            output.Done($"copied to PostgreSQL ({rows}); start the replicas with AuthServer:Database:Provider=PostgreSQL, that connection string " +
                        "and the same key-encryption key as this installation", summary);
            return ExitCodes.Ok;
        }));
        return new Command("db", "Move the database between providers") { copy };
    }
}
