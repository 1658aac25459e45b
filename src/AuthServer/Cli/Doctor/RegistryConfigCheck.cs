using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthServer.Core.Signing;
using YamlDotNet.RepresentationModel;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor --registry-config FILE</c>: a distribution config.yml (2.8 or 3.x) read
/// against this server, the field's most common failure (a registry whose issuer, service or
/// certificate bundle does not match) found without reading two logs side by side. Each finding
/// says what to change.
/// </summary>
internal sealed class RegistryConfigCheck(TokenOptions tokens, SigningKeyRing keys, TimeProvider time, HttpMessageHandler? handler = null)
{
    /// <summary>Beyond this, a token's iat/nbf/exp seen by a registry on that clock may be refused.</summary>
    private static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(30);

    // The JWK members that make the key (RFC 7517/7518); kid, use, alg and x5c may differ in form.
    private static readonly string[] KeyMembers = ["kty", "crv", "x", "y", "n", "e"];

    private readonly List<SigningFinding> _findings = [];

    /// <summary>The registry's auth.token.realm, once read: where its clients reach this server (the transport check uses it).</summary>
    public string? Realm { get; private set; }

    public async Task<IReadOnlyList<SigningFinding>> CheckAsync(string path, CancellationToken ct)
    {
        YamlMappingNode? token;
        try
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path)) yaml.Load(reader);
            token = Find(yaml.Documents.FirstOrDefault()?.RootNode, "auth", "token") as YamlMappingNode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return [Error($"cannot read the registry configuration {path}: {e.Message}")];
        }
        if (token is null)
            return [Error($"{path} has no auth.token section: the registry does not ask for tokens; add auth.token with realm, service, issuer and rootcertbundle (docs/registry-setup.md)")];

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CheckIssuer(Text(token, "issuer"));
        var service = Text(token, "service");
        CheckService(service);
        Realm = Text(token, "realm");
        await CheckRealmAsync(Realm, service, ct);
        if (Text(token, "autoredirect") is "true")
            Warn("auth.token.autoredirect is true: the registry replaces the realm's host with the one the client used, so clients are sent to the registry's host for tokens; set it to false unless AuthServer answers /token there");
        var trusted = await keys.GetTrustedAsync(ct);
        CheckBundle(Text(token, "rootcertbundle"), dir, trusted);
        CheckJwks(Text(token, "jwks"), dir, trusted);
        return _findings;
    }

    private void CheckIssuer(string? issuer)
    {
        if (issuer is null) Error($"auth.token.issuer is missing: set it to \"{tokens.Issuer}\" (AuthServer:Tokens:Issuer)");
        else if (!string.Equals(issuer, tokens.Issuer, StringComparison.Ordinal))
            Error($"auth.token.issuer \"{issuer}\" differs from AuthServer:Tokens:Issuer \"{tokens.Issuer}\" (they must be equal byte for byte): set one to the other");
        else Ok($"issuer \"{issuer}\" matches");
    }

    private void CheckService(string? service)
    {
        if (service is null) Error("auth.token.service is missing: set it to one of AuthServer:Tokens:Services");
        else if (tokens.FindService(service) is null)
            Error($"auth.token.service \"{service}\" is not a service of this server: add it to AuthServer:Tokens:Services (configured: {string.Join(", ", tokens.Services.Select(s => s.Name))})");
        else Ok($"service \"{service}\" is configured here");
    }

    private async Task CheckRealmAsync(string? realm, string? service, CancellationToken ct)
    {
        if (realm is null || !Uri.TryCreate(realm, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Error($"auth.token.realm \"{realm}\" is not an absolute http(s) URL: set it to this server's /token as clients reach it (https://auth.example.com/token)");
            return;
        }
        if (uri.Scheme == "http" && !uri.IsLoopback)
            Warn($"auth.token.realm {realm} is plain http: clients send passwords to it; serve it over https (AuthServer:Tls or a proxy)");
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(5);
        var query = $"{(string.IsNullOrEmpty(uri.Query) ? "?" : uri.Query + "&")}service={Uri.EscapeDataString(service ?? "")}";
        try
        {
            var sent = time.GetUtcNow();
            using var answer = await http.GetAsync(new Uri(uri, uri.AbsolutePath + query), ct);
            var body = await answer.Content.ReadAsStringAsync(ct);
            var isToken = answer.StatusCode == HttpStatusCode.OK && LooksLikeToken(body);
            var challenges = answer.StatusCode == HttpStatusCode.Unauthorized && answer.Headers.WwwAuthenticate.Any(h => h.Scheme == "Basic");
            if (isToken || challenges) Ok($"realm {realm} answers as a token endpoint ({(int)answer.StatusCode})");
            else Error($"realm {realm} answered {(int)answer.StatusCode} without a token: it is not this server's /token; point auth.token.realm at https://AUTHSERVER/token");
            if (answer.Headers.Date is { } date)
            {
                var skew = date - sent;
                // The Date header has whole seconds: a second either way is no finding.
                if (skew.Duration() > MaxSkew)
                    Warn($"the realm's clock is {skew.TotalSeconds:+0;-0} s from this host's: registries refuse tokens issued or expiring on a skewed clock; run NTP (chrony, systemd-timesyncd) on both");
                else Ok($"clock skew with the realm under {MaxSkew.TotalSeconds:0} s");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Error($"realm {realm} is not reachable from here ({e.Message}): check DNS, the port and the proxy, or that the realm is the address clients use");
        }
    }

    private static bool LooksLikeToken(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("token", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void CheckBundle(string? path, string dir, TrustedKeys trusted)
    {
        if (path is null)
        {
            Error("auth.token.rootcertbundle is missing (registry 2.8 needs it, 3.x needs it or jwks): write it with `authserver keys export --bundle FILE`");
            return;
        }
        var file = Path.IsPathRooted(path) ? path : Path.Combine(dir, path);
        X509Certificate2Collection bundle;
        try
        {
            bundle = [];
            bundle.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Warn($"rootcertbundle {file} cannot be read here ({e.Message}); on the registry's host, compare it with `authserver keys export --bundle FILE`");
            return;
        }
        var thumbprints = bundle.Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        var cas = trusted.CasAt(now);
        if (cas.Count > 0)
        {
            // CA mode: trusting the CA is enough, whatever key signs below it.
            foreach (var ca in cas)
                if (thumbprints.Contains(ca.Certificate.Thumbprint)) Ok($"rootcertbundle holds the signing CA {ca.Kid}");
                else Error($"rootcertbundle {file} lacks the signing CA {ca.Kid} ({ca.State.ToString().ToLowerInvariant()}): run `authserver keys export --bundle {file}` and restart the registry");
            return;
        }
        foreach (var key in trusted.TrustedAt(now).Where(k => k.State is SigningKeyState.Active or SigningKeyState.Next))
        {
            var state = key.State.ToString().ToLowerInvariant();
            if (thumbprints.Contains(key.Certificate.Thumbprint)) Ok($"rootcertbundle holds the {state} key {key.Kid}");
            else if (key.State == SigningKeyState.Active)
                Error($"rootcertbundle {file} lacks the active key {key.Kid}: every token is refused; run `authserver keys export --bundle {file}` and restart the registry");
            else
                Error($"rootcertbundle {file} lacks the next key {key.Kid}: tokens are refused from the rotation on; run `authserver keys export --bundle {file}` and restart the registry before then");
        }
    }

    private void CheckJwks(string? path, string dir, TrustedKeys trusted)
    {
        if (path is null) return;
        var file = Path.IsPathRooted(path) ? path : Path.Combine(dir, path);
        Dictionary<string, JsonElement> published;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            published = json.RootElement.GetProperty("keys").EnumerateArray()
                .Where(k => k.TryGetProperty("kid", out _))
                .ToDictionary(k => k.GetProperty("kid").GetString()!, k => k.Clone(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            Warn($"jwks {file} cannot be read here ({e.Message}); on the registry's host, compare it with `authserver keys export --jwks FILE`");
            return;
        }
        foreach (var key in trusted.TrustedAt(time.GetUtcNow().UtcDateTime).Where(k => k.State is SigningKeyState.Active or SigningKeyState.Next))
        {
            var state = key.State.ToString().ToLowerInvariant();
            var ours = JsonSerializer.SerializeToElement(key.Jwk);
            if (!published.TryGetValue(key.Kid, out var theirs))
                Error($"jwks {file} lacks the {state} key {key.Kid}: run `authserver keys export --jwks {file}` and restart the registry");
            else if (!KeyMembers.All(p => Same(ours, theirs, p)))
                Error($"jwks {file} holds another key under kid {key.Kid}: run `authserver keys export --jwks {file}` and restart the registry");
            else Ok($"jwks holds the {state} key {key.Kid}");
        }
    }

    private static bool Same(JsonElement a, JsonElement b, string property) =>
        a.TryGetProperty(property, out var x) == b.TryGetProperty(property, out var y) && (x.ValueKind == JsonValueKind.Undefined || x.GetString() == y.GetString());

    private static YamlNode? Find(YamlNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out node)) return null;
        }
        return node;
    }

    private static string? Text(YamlMappingNode map, string name) =>
        Find(map, name) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private SigningFinding Error(string message) => Add("error", message);
    private void Warn(string message) => Add("warning", message);
    private void Ok(string message) => Add("ok", message);

    private SigningFinding Add(string severity, string message)
    {
        var finding = new SigningFinding(severity, message);
        _findings.Add(finding);
        return finding;
    }
}
