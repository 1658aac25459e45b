using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver healthcheck</c>: asks the running server's <c>/healthz</c> and exits 0 on 200.
/// It is the container's HEALTHCHECK, since the ASP.NET runtime image has neither curl nor wget.
/// </summary>
internal static partial class HealthCheckCommand
{
    public const int Unhealthy = 1;

    public static Command Create()
    {
        var url = new Option<Uri?>("--url")
        {
            Description = "Address to ask (default: /healthz on the first of the server's Urls, a wildcard host read as 127.0.0.1)",
        };
        var command = new Command("healthcheck", "Exit 0 when the server answers /healthz with 200 (container health check)") { url };
        command.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(url) ?? HealthUrl(ServerUrls(parse.GetValue(CliOptions.Config)));
            using var handler = new HttpClientHandler();
            // Only this machine is asked, to learn whether the process answers, not whom to trust.
            if (target.IsLoopback) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(target, ct);
                if (response.StatusCode == HttpStatusCode.OK) return 0;
                await Console.Error.WriteLineAsync($"unhealthy: {target} answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync($"unhealthy: {target} did not answer ({e.Message})");
            }
            return Unhealthy;
        });
        return command;
    }

    /// <summary>The server's Urls setting, read from the same sources in the same order as the server reads it.</summary>
    internal static string ServerUrls(string? configFile)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables();
        AuthServerConfiguration.AddSources(configuration, [], configFile);
        return configuration["urls"] ?? "http://127.0.0.1:5001";
    }

    /// <summary>/healthz on the first address; Kestrel's wildcard hosts (+, *, 0.0.0.0, [::]) become loopback.</summary>
    internal static Uri HealthUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw new InvalidOperationException("Urls is empty");
        var match = UrlRegex().Match(first);
        if (!match.Success) throw new InvalidOperationException($"Urls entry '{first}' is not an http(s) address");
        var host = match.Groups["host"].Value switch
        {
            "+" or "*" or "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            var h => h,
        };
        return new Uri($"{match.Groups["scheme"].Value}://{host}{match.Groups["port"].Value}/healthz");
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^:/]+)(?<port>:\d+)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlRegex();
}
