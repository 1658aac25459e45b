using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthServer.Admin.Auth;

/// <summary>The 401, 403, 429 and 503 answers of the admin API, as problem details.</summary>
public static class AdminChallenge
{
    public const string Realm = "AuthServer admin API";

    /// <summary>Set by the Basic handler when the account or address is locked out.</summary>
    public const string LockedOutItem = "authserver:locked-out";

    /// <summary>Set by the Basic handler when the sign-in could not be decided: how long to wait.</summary>
    public const string UnavailableItem = "authserver:sign-in-unavailable";

    /// <summary>
    /// Two challenges: Basic for a password or access token, and a Bearer challenge in the
    /// registry's style that names our /token, the admin audience and the scope to ask for.
    /// </summary>
    public static Task UnauthorizedAsync(HttpContext http)
    {
        if (http.Items[LockedOutItem] is TimeSpan wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
                $"too many failed sign-in attempts: try again in {seconds} seconds");
        }
        if (http.Items[UnavailableItem] is TimeSpan retry)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Sign-in unavailable",
                $"the sign-in could not be checked now: try again in {seconds} seconds");
        }
        var admin = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        var audience = admin.Audience;
        // The configured public URL, never the Host header: a client must not choose where its token is sought.
        var tokenUrl = admin.TokenUrlFor(http);
        http.Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{Realm}\", charset=\"UTF-8\"");
        http.Response.Headers.Append("WWW-Authenticate", $"Bearer realm=\"{tokenUrl}\",service=\"{audience}\",scope=\"{AdminScope.Text}\"");
        return WriteAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized",
            $"sign in as an administrator: Basic with a password or an access token scoped {AdminScope.Text}, " +
            $"or a Bearer token from /token for service '{audience}' and scope {AdminScope.Text}");
    }

    public static Task ForbiddenAsync(HttpContext http) =>
        WriteAsync(http, StatusCodes.Status403Forbidden, "Forbidden",
            http.User.FindFirst(AdminClaims.Refusal)?.Value ?? "only administrators may use the admin API");

    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.CacheControl = "no-store";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
