using System.Globalization;
using System.Text.Json;

namespace AuthServer.Tokens;

/// <summary>The two answers of the token endpoint; headers forbid caching a credential.</summary>
public static class TokenResults
{
    public static IResult Success(TokenResponse response) => new JsonAnswer(StatusCodes.Status200OK, response, null);

    public static IResult Error(TokenError error, string realm) => new JsonAnswer(error.Status,
        new RegistryErrorBody([new RegistryError(error.Code, error.Message)]),
        error.Status switch
        {
            StatusCodes.Status401Unauthorized => h => h.WWWAuthenticate = $"Basic realm=\"{realm}\", charset=\"UTF-8\"",
            StatusCodes.Status405MethodNotAllowed => h => h.Allow = "GET, POST",
            _ when error.RetryAfterSeconds is { } seconds => h => h.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture),
            _ => null,
        });

    private sealed class JsonAnswer(int status, object body, Action<IHeaderDictionary>? headers) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.StatusCode = status;
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            headers?.Invoke(response.Headers);
            // Serialized whole first: with its Content-Length the answer leaves in one write,
            // where streaming it made a chunked body and a second write for its last chunk.
            var json = body switch
            {
                TokenResponse t => JsonSerializer.SerializeToUtf8Bytes(t, TokenJsonContext.Default.TokenResponse),
                RegistryErrorBody e => JsonSerializer.SerializeToUtf8Bytes(e, TokenJsonContext.Default.RegistryErrorBody),
                _ => throw new InvalidOperationException("unexpected body type"),
            };
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = json.Length;
            return response.Body.WriteAsync(json, 0, json.Length);
        }
    }
}
