using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>A Bearer challenge from the registry (WWW-Authenticate), parsed as clients parse it.</summary>
public sealed partial record Challenge(string Realm, string Service, string? Scope, string? Error)
{
    public static Challenge? From(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (header?.Parameter is null) return null;
        var values = ParamRegex().Matches(header.Parameter).ToDictionary(m => m.Groups["name"].Value.ToLowerInvariant(), m => m.Groups["value"].Value);
        return new Challenge(values["realm"], values.GetValueOrDefault("service", ""), values.GetValueOrDefault("scope"), values.GetValueOrDefault("error"));
    }

    [GeneratedRegex("""(?<name>[A-Za-z_]+)="(?<value>[^"]*)"(?:,|$)""")]
    private static partial Regex ParamRegex();
}

/// <summary>
/// The registry's HTTP API, driven as a client would: send, read the 401 challenge, fetch a token
/// for the challenge's scope from its realm, send again with <c>Bearer</c>. The registry alone
/// decides whether the token is good enough.
/// </summary>
public sealed class RegistryApi(RegistryProcess registry) : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    private readonly HttpClient _http = new() { BaseAddress = registry.BaseAddress };

    /// <summary>The answer and, when the registry refused, its challenge.</summary>
    public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, Challenge? Challenge)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    /// <summary>Sends with the given token, no challenge handling.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        // Registry 2.8 answers 404 for an OCI manifest unless the client says it accepts one.
        request.Headers.Accept.ParseAdd(OciManifest);
        request.Headers.Accept.ParseAdd(DockerManifest);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, Challenge.From(response));
    }

    /// <summary>Sends; on a challenge gets a token for its scope (anonymously without an account) and retries once.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, Account? account, HttpClient tokenServer)
    {
        var first = await SendAsync(method, path, token: null);
        if (first.Status != HttpStatusCode.Unauthorized || first.Challenge is not { } challenge) return first;
        var token = await TokenAsync(tokenServer, challenge, account);
        return await SendAsync(method, path, token);
    }

    private static async Task<string> TokenAsync(HttpClient tokenServer, Challenge challenge, Account? account)
    {
        var query = $"service={Uri.EscapeDataString(challenge.Service)}";
        foreach (var scope in (challenge.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            query += "&scope=" + Uri.EscapeDataString(scope);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{challenge.Realm}?{query}");
        if (account is not null) request.Headers.Authorization = account.Basic;
        using var response = await tokenServer.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token request answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public void Dispose() => _http.Dispose();
}
