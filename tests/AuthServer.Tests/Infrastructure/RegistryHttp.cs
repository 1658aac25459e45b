using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>A registry's answer as a client sees it: status, headers exactly as sent, body.</summary>
public sealed record RegistryAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The raw header value, not .NET's re-formatted parse of it.</summary>
    public string? Header(string name) =>
        Headers.NonValidated.TryGetValues(name, out var v) ? v.ToString()
        : ContentHeaders.NonValidated.TryGetValues(name, out var c) ? c.ToString() : null;

    public string? Challenge => Header("WWW-Authenticate");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string[] ErrorCodes => Json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToArray();

    public string ErrorCode => Assert.Single(ErrorCodes);
}

public static class RegistryHttp
{
    public static async Task<RegistryAnswer> SendAsync(this HttpClient http, HttpMethod method, string path, string? token = null,
        byte[]? body = null, string? contentType = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/octet-stream");
        }
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return new RegistryAnswer(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Pushes config, layer (each in one POST with its digest) and the manifest; returns the manifest answer.</summary>
    public static async Task<RegistryAnswer> PushAsync(this HttpClient http, string token, string repository, string tag, TestImage image)
    {
        foreach (var blob in new[] { image.Config, image.Layer })
        {
            var put = await http.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={TestImage.Digest(blob)}", token, blob);
            Assert.Equal(HttpStatusCode.Created, put.Status);
        }
        var manifest = await http.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", token, image.Manifest, image.MediaType);
        Assert.Equal(HttpStatusCode.Created, manifest.Status);
        return manifest;
    }

    /// <summary>
    /// A refusal exactly as distribution answers it: 401, one challenge naming realm and service,
    /// the needed scope (when any) and the error parameter (when distribution adds one), and the
    /// UNAUTHORIZED body.
    /// </summary>
    public static void AssertChallenge(this RegistryAnswer answer, string realm, string? scope, string? error, string service = AuthServerFixture.Service)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var expected = $"Bearer realm=\"{realm}\",service=\"{service}\"" + (scope is null ? "" : $",scope=\"{scope}\"") + (error is null ? "" : $",error=\"{error}\"");
        Assert.Equal(expected, answer.Challenge);
        Assert.Equal("application/json; charset=utf-8", answer.Header("Content-Type"));
        var e = Assert.Single(answer.Json.GetProperty("errors").EnumerateArray());
        Assert.Equal("UNAUTHORIZED", e.GetProperty("code").GetString());
        Assert.Equal("authentication required", e.GetProperty("message").GetString());
    }
}
