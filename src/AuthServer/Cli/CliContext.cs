using System.Data.Common;
using AuthServer.Core.Audit;
using AuthServer.Core.Errors;
using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// One run of the command line: where it reads and writes, the options every command takes, and
/// how an administrative command runs against the configured database (the server's settings and
/// domain services, no web server). A refusal or failure is one line and a non-zero exit.
/// </summary>
internal sealed class CliContext(CliEnvironment environment, string[] settingArguments)
{
    public delegate Task Body(ParseResult parse, IServiceProvider services, Output output, CancellationToken ct);

    /// <summary>A body that decides its own exit code (a lint that found errors).</summary>
    public delegate Task<int> CheckBody(ParseResult parse, IServiceProvider services, Output output, CancellationToken ct);

    public CliEnvironment Environment => environment;

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON instead of a table, errors too (for scripts)",
        Recursive = true,
        Arity = ArgumentArity.Zero,
    };

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "An extra JSON settings file (default: the file AUTHSERVER_CONFIG names, if set)",
        Recursive = true,
    };

    public void SetAction(Command command, Body body) =>
        command.SetAction((parse, ct) => RunAsync(parse, async (p, s, o, c) =>
        {
            await body(p, s, o, c);
            return ExitCodes.Ok;
        }, ct));

    public void SetAction(Command command, CheckBody body) => command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    public Output Output(ParseResult parse) => new(parse.GetValue(Json), environment.Out);

    public int Error(ParseResult parse, int exitCode, string kind, string message) =>
        CliErrors.Write(environment.Error, parse.GetValue(Json), exitCode, kind, message);

    /// <summary>Settings in the server's order: files, environment, <c>--Section:Key=value</c>, then those of the environment record.</summary>
    public void AddSettings(IConfigurationManager configuration, ParseResult parse)
    {
        AuthServerConfiguration.AddSources(configuration, settingArguments, parse.GetValue(Config)?.FullName);
        configuration.AddCommandLine(settingArguments);
        if (environment.Settings is { } settings) configuration.AddInMemoryCollection(settings);
    }

    /// <summary>The web server with this command line's settings (serve, migrate, backup).</summary>
    public WebApplication BuildServer(ParseResult parse, params string[] hostArguments) =>
        AuthServerHost.Build([.. settingArguments, .. hostArguments], builder =>
        {
            if (environment.Settings is { } settings) builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(new OperatorTerminal(environment.Error, environment.ErrorIsTerminal));
        }, parse.GetValue(Config)?.FullName);

    private Task<int> RunAsync(ParseResult parse, CheckBody body, CancellationToken ct) =>
        RunWithHostAsync(parse, async (services, output) =>
        {
            await services.GetRequiredService<StartupInitializer>().OpenExistingAsync(ct);
            await using var scope = services.CreateAsyncScope();
            // Every change this command makes is audited under the operating-system account that ran it.
            scope.ServiceProvider.GetRequiredService<AuditActor>().Set($"cli:{System.Environment.UserName}");
            return await body(parse, scope.ServiceProvider, output, ct);
        });

    /// <summary>Runs with the settings and services but without opening the database (backup and restore do that themselves).</summary>
    public async Task<int> RunWithHostAsync(ParseResult parse, Func<IServiceProvider, Output, Task<int>> body)
    {
        try
        {
            using var host = BuildHost(parse);
            host.Services.GetService<IStartupValidator>()?.Validate();
            return await body(host.Services, Output(parse));
        }
        catch (DomainException e)
        {
            return Error(parse, ExitCodes.Refused, CliErrors.Kind(e), e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            return Error(parse, ExitCodes.Refused, "conflict", Admin.AdminProblems.ConcurrentChange);
        }
        catch (Exception e) when (e is StartupException or IOException or UnauthorizedAccessException or DbException
                                      or InvalidOperationException or OptionsValidationException)
        {
            return Error(parse, ExitCodes.Failed, "failed", e.Message);
        }
    }

    private IHost BuildHost(ParseResult parse)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = settingArguments,
            ContentRootPath = AppContext.BaseDirectory,
        });
        AddSettings(builder.Configuration, parse);
        // Warnings only, one line each on stderr: stdout carries the command's answer (and JSON for scripts).
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CliLogger(environment.Error));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(new OperatorTerminal(environment.Error, environment.ErrorIsTerminal));
        builder.Services.AddAuthServerCore(builder.Configuration);
        builder.Services.AddSingleton<Backup.DatabaseBackup>();
        builder.Services.AddSingleton<Backup.DatabaseCopy>();
        return builder.Build();
    }
}
