using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// X-Forwarded-For is honoured only from the configured trusted proxies. ASP.NET Core trusts
/// loopback by default; that default is removed, because a header anyone can send must never
/// decide whose failed logins are counted (or whose address the audit log records).
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetworkOptions>().Bind(configuration.GetSection(NetworkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((forwarded, network) =>
        {
            var trusted = network.Value.TrustedProxies.Count + network.Value.TrustedNetworks.Count > 0;
            // With both lists empty the middleware trusts every peer, so no proxy means no forwarding at all.
            forwarded.ForwardedHeaders = trusted ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in network.Value.TrustedProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            foreach (var net in network.Value.TrustedNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(net.Trim()));
            // Walk the whole chain of trusted proxies, right to left, and stop at the first untrusted hop.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    private sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
    {
        public ValidateOptionsResult Validate(string? name, NetworkOptions options)
        {
            var failures = new List<string>();
            for (var i = 0; i < options.TrustedProxies.Count; i++)
                if (!IPAddress.TryParse(options.TrustedProxies[i].Trim(), out _))
                    failures.Add($"{NetworkOptions.Section}:TrustedProxies:{i} '{options.TrustedProxies[i]}' is not an IP address");
            for (var i = 0; i < options.TrustedNetworks.Count; i++)
                if (!System.Net.IPNetwork.TryParse(options.TrustedNetworks[i].Trim(), out _))
                    failures.Add($"{NetworkOptions.Section}:TrustedNetworks:{i} '{options.TrustedNetworks[i]}' is not a network in CIDR form (e.g. 10.0.0.0/24)");
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
