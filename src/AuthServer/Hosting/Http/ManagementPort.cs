using System.Net;
using AuthServer.Telemetry;

namespace AuthServer.Hosting;

/// <summary>
/// <c>AuthServer:Management:Urls</c>: when set, the server also listens there, serves /metrics
/// only there and nothing but /metrics, /healthz and /readyz there. A scraper then reaches a port
/// the firewall keeps inside, and the public port shows no metrics. Health stays on both ports: a
/// load balancer probes the port it sends traffic to.
/// </summary>
public static class ManagementPort
{
    public const string UrlsSetting = "AuthServer:Management:Urls";

    // Kestrel's own default, which the management addresses would otherwise replace.
    private const string DefaultUrls = "http://localhost:5000";

    private static readonly PathString[] Paths = [TelemetrySetup.MetricsPath, HealthEndpoints.LivenessPath, HealthEndpoints.ReadinessPath];

    /// <summary>Adds the management addresses to the ones Kestrel listens on (and ListenAddresses checks).</summary>
    public static void Listen(WebApplicationBuilder builder)
    {
        var management = builder.Configuration[UrlsSetting];
        if (string.IsNullOrWhiteSpace(management)) return;
        builder.WebHost.UseSetting("urls", $"{builder.Configuration["urls"] ?? DefaultUrls};{management}");
    }

    public static void UseManagementPort(this WebApplication app)
    {
        var management = app.Configuration[UrlsSetting];
        if (string.IsNullOrWhiteSpace(management)) return;
        var addresses = Parse(management);
        app.Use((http, next) =>
        {
            var onManagement = addresses.Any(a => a.Matches(http.Connection.LocalIpAddress, http.Connection.LocalPort));
            var path = http.Request.Path;
            var allowed = onManagement
                ? Paths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase))
                : !path.Equals(TelemetrySetup.MetricsPath, StringComparison.OrdinalIgnoreCase);
            if (allowed) return next(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>Each address must name its port: a scraper is pointed at a fixed one, and an unknown port could not be told apart.</summary>
    private static List<Address> Parse(string urls)
    {
        var list = new List<Address>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException e)
            {
                throw new StartupException($"{UrlsSetting}: cannot listen on '{url}': {e.Message}");
            }
            if (address.Port == 0)
                throw new StartupException($"{UrlsSetting}: '{url}' must name a port (give http://HOST:PORT)");
            IPAddress? ip = address.Host is "localhost" or "*" or "+" ? null
                : IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) && !parsed.Equals(IPAddress.Any) && !parsed.Equals(IPAddress.IPv6Any) ? parsed : null;
            list.Add(new Address(ip, address.Port));
        }
        return list;
    }

    /// <summary>A management address; no IP means any local address on that port (a wildcard or a name).</summary>
    private sealed record Address(IPAddress? Ip, int Port)
    {
        public bool Matches(IPAddress? local, int port) =>
            port == Port && (Ip is null || (local is not null && (local.Equals(Ip) || (local.IsIPv4MappedToIPv6 && local.MapToIPv4().Equals(Ip)))));
    }
}
