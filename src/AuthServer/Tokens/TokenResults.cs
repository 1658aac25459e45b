using System.Globalization;

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
            return body switch
            {
                TokenResponse t => response.WriteAsJsonAsync(t, TokenJsonContext.Default.TokenResponse),
                RegistryErrorBody e => response.WriteAsJsonAsync(e, TokenJsonContext.Default.RegistryErrorBody),
                _ => throw new InvalidOperationException("unexpected body type"),
            };
        }
    }

    public static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
