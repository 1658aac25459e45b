using System.Net;
using System.Text.RegularExpressions;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver healthcheck</c>: asks the running server's <c>/healthz</c> and exits 0 on 200.
/// It is the container's HEALTHCHECK, since the ASP.NET runtime image has neither curl nor wget.
/// </summary>
internal sealed partial class HealthCheckCommand(CliContext cli)
{
    public Command Create()
    {
        var url = new Option<string?>("--url")
        {
            Description = "Address to ask (default: /healthz on the first of the server's Urls, a wildcard host read as 127.0.0.1)",
        };
        url.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                r.AddError($"--url '{text}' is not an absolute http or https URL");
        });
        var command = new Command("healthcheck", "Exit 0 when the server answers /healthz with 200, 1 otherwise (container health check)") { url };
        command.SetAction(async (parse, ct) =>
        {
            Uri target;
            try
            {
                target = parse.GetValue(url) is { } given ? new Uri(given) : HealthUrl(ServerUrls(parse));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                return cli.Error(parse, ExitCodes.Failed, "failed", e.Message);
            }
            using var handler = new HttpClientHandler();
            // Only this machine is asked, to learn whether the process answers, not whom to trust.
            if (target.IsLoopback) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(target, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    cli.Output(parse).Done($"healthy: {target} answered 200", new { url = target, healthy = true });
                    return ExitCodes.Ok;
                }
                return cli.Error(parse, ExitCodes.Refused, "unhealthy", $"unhealthy: {target} answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return cli.Error(parse, ExitCodes.Refused, "unhealthy", $"unhealthy: {target} did not answer ({e.Message})");
            }
        });
        return command;
    }

    /// <summary>The server's Urls setting, read from the same sources in the same order as the server reads it.</summary>
    private string ServerUrls(ParseResult parse)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables();
        cli.AddSettings(configuration, parse);
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
