using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AuthServer.Tests.Infrastructure;

/// <summary>The admin API as curl would call it: JSON in, JSON or problem details out.</summary>
public static class AdminApi
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response, string Text)
    {
        /// <summary>The messages problem details give for one field.</summary>
        public string[] FieldErrors(string field) =>
            Body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

        public string Detail => Body.GetProperty("detail").GetString()!;
    }

    public static HttpClient AdminClient(this AuthServerFixture server, AuthenticationHeaderValue? auth = null) =>
        new() { BaseAddress = server.BaseAddress, DefaultRequestHeaders = { Authorization = auth ?? AuthServerFixture.Basic(AuthServerFixture.AdminName, AuthServerFixture.AdminPassword) } };

    public static Task<Answer> ApiGetAsync(this HttpClient http, string path) => http.CallAsync(HttpMethod.Get, path);
    public static Task<Answer> ApiPostAsync(this HttpClient http, string path, object? body = null) => http.CallAsync(HttpMethod.Post, path, body);
    public static Task<Answer> ApiPutAsync(this HttpClient http, string path, object? body) => http.CallAsync(HttpMethod.Put, path, body);
    public static Task<Answer> ApiPatchAsync(this HttpClient http, string path, object? body) => http.CallAsync(HttpMethod.Patch, path, body);
    public static Task<Answer> ApiDeleteAsync(this HttpClient http, string path) => http.CallAsync(HttpMethod.Delete, path);

    public static async Task<Answer> CallAsync(this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        return await ApiSendAsync(http, request);
    }

    public static async Task<Answer> ApiSendAsync(this HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Answer(response.StatusCode, body, response, text);
    }

    public static string Path(string value) => Uri.EscapeDataString(value);
}
