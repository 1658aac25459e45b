using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>Token requests shaped as real clients send them, and the parsed answer.</summary>
public static class TokenClient
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers, string Text)
    {
        public Jwt Token => Jwt.Parse(Body.GetProperty("token").GetString()!);
        public string? RefreshToken => Body.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        public string ErrorCode => Body.GetProperty("errors")[0].GetProperty("code").GetString()!;
        public string ErrorMessage => Body.GetProperty("errors")[0].GetProperty("message").GetString()!;
    }

    public static async Task<Answer> GetTokenAsync(this HttpClient http, string query, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?" + query);
        request.Headers.Authorization = auth;
        return await SendForAnswerAsync(http, request);
    }

    public static async Task<Answer> PostTokenAsync(this HttpClient http, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        return await SendForAnswerAsync(http, request);
    }

    public static async Task<Answer> SendForAnswerAsync(this HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Answer(response.StatusCode, body, response.Headers, text);
    }
}
