using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Hosting;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>, how clients reach this server: TLS here (<c>AuthServer:Tls</c> and an
/// https address) or a TLS proxy in front that the server trusts for the client's address. An
/// untrusted proxy is not only a logging problem: every client then has the proxy's address, so
/// the lockout and the rate limit count all of them as one source.
/// </summary>
internal sealed class TransportCheck(IConfiguration configuration, TimeProvider time)
{
    /// <summary>A TLS certificate this close to its end is a warning: renewal has failed or is not set up.</summary>
    private static readonly TimeSpan RenewalWarning = TimeSpan.FromDays(21);

    /// <param name="publicUrls">Where clients reach this server: AuthServer:Admin:PublicUrl, a registry's realm.</param>
    public void Check(Findings findings, IEnumerable<(string What, string Url)> publicUrls)
    {
        var listen = ListenAddresses(findings);
        var https = listen.Where(a => a.Scheme == "https").ToList();
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var proxied = network.TrustedProxies.Count + network.TrustedNetworks.Count > 0;
        var certificate = CheckCertificate(findings, https.Count > 0);
        CheckProxies(findings, network);

        var publicHttps = false;
        foreach (var (what, url) in publicUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "https") continue;
            publicHttps = true;
            if (https.Count == 0 && !proxied)
                findings.Error($"{what} {url} is https, but this server serves plain http and trusts no proxy: the TLS proxy in front is not trusted, " +
                               $"so every client has the proxy's address (one lockout and rate-limit count for all); list it in {NetworkOptions.Section}:TrustedProxies " +
                               $"(or TrustedNetworks), or serve TLS here ({TlsCertificate.Section}:CertificatePath and KeyPath, an https address in Urls)");
            else if (https.Count > 0 && !proxied && certificate is not null && !certificate.MatchesHostname(uri.IdnHost))
                findings.Error($"{what} {url} names {uri.Host}, which the TLS certificate ({certificate.Subject}) does not: clients refuse it; " +
                               $"get a certificate for {uri.Host} or point the URL at a name the certificate holds");
            else findings.Ok($"{what} {url} is served with TLS {(https.Count > 0 ? "here" : "by a trusted proxy")}");
        }
        if (https.Count > 0 || proxied || publicHttps) return;
        var exposed = listen.Where(a => !IsLoopback(a.Host)).ToList();
        foreach (var address in exposed)
            findings.Warn($"{address.Scheme}://{address.Host}:{address.Port} is plain http on the network, with no TLS here and no trusted proxy: " +
                          $"passwords cross the network readable; serve TLS ({TlsCertificate.Section}) or put a TLS proxy in front and list it in {NetworkOptions.Section}:TrustedProxies");
        if (exposed.Count == 0)
            findings.Ok($"listens on loopback only ({string.Join(", ", listen.Select(a => $"{a.Scheme}://{a.Host}:{a.Port}"))}); a TLS proxy on this host must be listed in {NetworkOptions.Section}:TrustedProxies (127.0.0.1)");
    }

    /// <summary>The addresses the server listens on: Urls, or Kestrel's endpoints, or Kestrel's default.</summary>
    private List<BindingAddress> ListenAddresses(Findings findings)
    {
        var urls = (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        if (urls.Count == 0) urls.Add("http://localhost:5000");
        var addresses = new List<BindingAddress>();
        foreach (var url in urls)
        {
            try
            {
                addresses.Add(BindingAddress.Parse(url));
            }
            catch (FormatException e)
            {
                findings.Error($"cannot listen on '{url}': {e.Message} (give http(s)://HOST:PORT in Urls)");
            }
        }
        return addresses;
    }

    /// <summary>AuthServer:Tls: both files given, loadable as a pair, current, the key private. Returns the certificate when it loads.</summary>
    private X509Certificate2? CheckCertificate(Findings findings, bool httpsAddress)
    {
        var section = configuration.GetSection(TlsCertificate.Section);
        var certificatePath = section["CertificatePath"];
        var keyPath = section["KeyPath"];
        var kestrelOwn = configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 }
                         || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => e["Certificate:Path"] is { Length: > 0 } || e["Certificate:Subject"] is { Length: > 0 });
        if (string.IsNullOrWhiteSpace(certificatePath) && string.IsNullOrWhiteSpace(keyPath))
        {
            if (httpsAddress && !kestrelOwn)
                findings.Error($"Urls has an https address but no certificate is configured: the server cannot start; set {TlsCertificate.Section}:CertificatePath and KeyPath (PEM)");
            return null;
        }
        if (string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath))
        {
            findings.Error($"{TlsCertificate.Section}:CertificatePath and KeyPath go together: set both (PEM files)");
            return null;
        }
        if (!httpsAddress)
            findings.Warn($"{TlsCertificate.Section} names a certificate, but no address in Urls is https: it is served nowhere; listen on https://HOST:PORT");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            findings.Error($"the TLS certificate {certificatePath} with key {keyPath} cannot be loaded ({e.Message}): the server cannot start; give a PEM certificate and its unencrypted key");
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var notAfter = certificate.NotAfter.ToUniversalTime();
        if (notAfter <= now)
            findings.Error($"the TLS certificate {certificate.Subject} expired on {notAfter:u}: clients refuse it; renew {certificatePath} (the server reloads it without a restart)");
        else if (notAfter - now < RenewalWarning)
            findings.Warn($"the TLS certificate {certificate.Subject} ends on {notAfter:u}, in {(notAfter - now).TotalDays:0} days: check that its renewal runs");
        else findings.Ok($"the TLS certificate {certificate.Subject} is valid until {notAfter:u}");
        PrivateFiles.Check(findings, Path.GetFullPath(keyPath), "the TLS private key");
        return certificate;
    }

    private static void CheckProxies(Findings findings, NetworkOptions network)
    {
        foreach (var text in network.TrustedNetworks)
            if (System.Net.IPNetwork.TryParse(text.Trim(), out var net) && net.PrefixLength == 0)
                findings.Error($"{NetworkOptions.Section}:TrustedNetworks has {text}, every address: any client can name its own address in X-Forwarded-For " +
                               "and so dodge the lockout and the rate limit; list only the proxies' addresses");
        if (network.TrustedProxies.Count + network.TrustedNetworks.Count > 0)
            findings.Ok($"X-Forwarded-For is taken from {string.Join(", ", network.TrustedProxies.Concat(network.TrustedNetworks))} only");
    }

    /// <summary>localhost or a loopback address: traffic that never leaves this host.</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
