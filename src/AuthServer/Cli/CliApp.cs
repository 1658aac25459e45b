using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>The <c>authserver</c> command line: <c>serve</c> (the default) and the administrative commands.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("AuthServer: token authorization server for Docker/OCI registries")
        {
            Options = { CliOptions.Json, CliOptions.Config },
        };
        var serve = Serve();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(GroupCommands.Create());
        root.Subcommands.Add(RuleCommands.Create());
        root.Subcommands.Add(KeyCommands.Create());
        root.Subcommands.Add(RobotCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(SessionCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(HealthCheckCommand.Create());
        root.Subcommands.Add(RegistryCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());

        // No command means serve; host settings such as --urls pass through to ASP.NET Core.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) =>
        {
            if (parse.UnmatchedTokens is [var first, ..] && !first.StartsWith('-'))
            {
                Console.Error.WriteLine($"error: unknown command '{first}'; see authserver --help");
                return Task.FromResult(CliRunner.Refused);
            }
            return ServeAsync(parse, ct);
        });
        return root.Parse(args).InvokeAsync();
    }

    private static Command Serve()
    {
        var command = new Command("serve", "Run the token server (the default command)") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(ServeAsync);
        return command;
    }

    private static async Task<int> ServeAsync(ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(CliOptions.Config) is { } config) Environment.SetEnvironmentVariable(AuthServerConfiguration.ConfigFileVariable, config);
        return await AuthServerHost.RunAsync(parse.UnmatchedTokens.ToArray(), ct);
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply database migrations and exit");
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var app = AuthServerHost.Build([]);
                await app.Services.GetRequiredService<StartupInitializer>().MigrateAsync(ct);
                Console.WriteLine("database is up to date");
                return 0;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CliRunner.Failed;
            }
        });
        return command;
    }
}
