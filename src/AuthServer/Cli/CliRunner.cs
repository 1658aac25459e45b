using System.Data.Common;
using AuthServer.Core.Audit;
using AuthServer.Core.Errors;
using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>
/// Runs one administrative command against the configured database: the same settings and domain
/// services as the server, no web server. A refusal prints one line and exits non-zero.
/// </summary>
internal static class CliRunner
{
    public const int Refused = 1;
    public const int Failed = 2;

    public delegate Task Body(ParseResult parse, IServiceProvider services, Output output, CancellationToken ct);

    public static void SetAction(Command command, Body body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private static async Task<int> RunAsync(ParseResult parse, Body body, CancellationToken ct)
    {
        try
        {
            using var host = BuildHost(parse.GetValue(CliOptions.Config));
            await host.Services.GetRequiredService<StartupInitializer>().InitializeAsync(ct);
            await using var scope = host.Services.CreateAsyncScope();
            // Every change this command makes is audited under the operating-system account that ran it.
            scope.ServiceProvider.GetRequiredService<AuditActor>().Set($"cli:{Environment.UserName}");
            await body(parse, scope.ServiceProvider, new Output(parse.GetValue(CliOptions.Json), Console.Out), ct);
            return 0;
        }
        catch (DomainException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Refused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException or InvalidOperationException
                                      or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Failed;
        }
    }

    private static IHost BuildHost(string? configFile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        AuthServerConfiguration.AddSources(builder.Configuration, [], configFile);
        // Warnings only, on stderr: stdout carries the command's answer (and JSON for scripts).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        builder.Services.AddAuthServerCore(builder.Configuration);
        return builder.Build();
    }
}
