using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// The <c>authserver</c> command line: <c>serve</c> (also what runs with no command at all, the
/// container's command) and the administrative commands. Parsing is strict everywhere: an unknown
/// command or option, an extra argument or a value of the wrong type is one line on stderr and
/// exit 2. Settings are the one exception, given as <c>--Section:Key=value</c> to any command.
/// </summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliEnvironment.FromConsole(), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken ct)
    {
        var (settings, rest) = SettingArguments.Split(args);
        var cli = new CliContext(environment, settings);
        var root = Build(cli);
        var parse = root.Parse(rest);
        var invocation = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            // The host handles SIGTERM and Ctrl-C itself and stops gracefully within its own
            // timeout; System.CommandLine's handler would end the process after 2 s with 143.
            ProcessTerminationTimeout = null,
        };
        if (parse.Action is ParseErrorAction)
        {
            var where = string.Join(' ', ["authserver", .. CommandPath(parse.CommandResult)]);
            return CliErrors.Write(environment.Error, rest.Contains("--json"), ExitCodes.Usage, "usage",
                $"{Lowercase(parse.Errors[0].Message)} (see: {where} --help)");
        }
        return await parse.InvokeAsync(invocation, ct);
    }

    private static RootCommand Build(CliContext cli)
    {
        var serve = new ServeCommand(cli);
        var root = new RootCommand(
            "AuthServer: token authorization server for Docker/OCI registries. With no command it serves. " +
            "Any command takes settings as --Section:Key=value, e.g. --AuthServer:DataDirectory=/srv/authserver")
        {
            Options = { cli.Json, cli.Config, serve.Urls },
        };
        root.Subcommands.Add(serve.Create());
        root.Subcommands.Add(Migrate(cli));
        root.Subcommands.Add(new UserCommands(cli).Create());
        root.Subcommands.Add(new LdapCommands(cli).Create());
        root.Subcommands.Add(new GroupCommands(cli).Create());
        root.Subcommands.Add(new RuleCommands(cli).Create());
        root.Subcommands.Add(new KeyCommands(cli).Create());
        root.Subcommands.Add(new RobotCommands(cli).Create());
        root.Subcommands.Add(new TrustCommands(cli).Create());
        root.Subcommands.Add(new TokenCommands(cli).Create());
        root.Subcommands.Add(new SessionCommands(cli).Create());
        root.Subcommands.Add(new AuditCommands(cli).Create());
        root.Subcommands.Add(new ImportCommands(cli).Create());
        root.Subcommands.Add(new BackupCommands(cli).Backup());
        root.Subcommands.Add(new BackupCommands(cli).Restore());
        root.Subcommands.Add(new DbCommands(cli).Create());
        root.Subcommands.Add(new HealthCheckCommand(cli).Create());
        root.Subcommands.Add(new DoctorCommand(cli).Create());
        root.Subcommands.Add(new RegistryCommand(cli).Create());
        root.Subcommands.Add(new DemoCommand(cli).Create());
        root.SetAction(serve.RunAsync);
        return root;
    }

    private static Command Migrate(CliContext cli)
    {
        var command = new Command("migrate", "Create the database or bring it up to date, and exit");
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var app = cli.BuildServer(parse);
                app.Services.GetService<IStartupValidator>()?.Validate();
                await app.Services.GetRequiredService<StartupInitializer>().MigrateAsync(ct);
                cli.Output(parse).Done("database is up to date", new { migrated = true });
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is StartupException or System.Data.Common.DbException or IOException or InvalidOperationException or OptionsValidationException)
            {
                return cli.Error(parse, ExitCodes.Failed, "failed", e.Message);
            }
        });
        return command;
    }

    private static Stack<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as CommandResult) names.Push(r.Command.Name);
        return names;
    }

    private static string Lowercase(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.') : message.TrimEnd('.');
}
