namespace AuthServer.Hosting;

/// <summary>Which reverse proxies may tell us the client's address (X-Forwarded-For).</summary>
public sealed class NetworkOptions
{
    public const string Section = "AuthServer:Network";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> TrustedNetworks { get; set; } = [];
}
