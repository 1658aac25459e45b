using System.Data.Common;
using AuthServer.Admin;
using AuthServer.Tokens;
using AuthServer.WebConsole;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthServer.Hosting;

/// <summary>
/// The last line: a malformed request Kestrel rejects keeps its 4xx status; a database that fails
/// (locked past its busy timeout, disk full, file gone) is a 503 with Retry-After, since the
/// request may well succeed in a moment, logged in one line without a stack trace; anything else
/// is a 500 with a generic message. No exception text or stack trace ever reaches a client. The
/// admin API answers in problem details, the token endpoint in the registry's error JSON.
/// </summary>
public sealed class ErrorHandling(ILogger<ErrorHandling> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, message) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "the request is malformed or too large"),
            _ when DatabaseFailure(exception) is not null => (StatusCodes.Status503ServiceUnavailable, "the server cannot use its database right now; try again shortly"),
            _ => (StatusCodes.Status500InternalServerError, "internal error; the server log has the details"),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            log.LogError("Database unavailable on {Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, DatabaseFailure(exception)!.Message.ReplaceLineEndings(" "));
        }
        else if (status >= 500) log.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        else log.LogInformation("Rejected malformed request on {Path}: {Message}", httpContext.Request.Path, exception.Message);

        if (httpContext.Request.Path.StartsWithSegments(AdminApi.Prefix))
        {
            if (exception is BadHttpRequestException binding) await AdminProblems.WriteBindingFailureAsync(httpContext, binding);
            else await TypedResults.Problem(message, statusCode: status, title: status == 503 ? "Unavailable" : "Internal error").ExecuteAsync(httpContext);
            return true;
        }

        if (httpContext.Request.Path.StartsWithSegments(ConsoleRoutes.Prefix))
        {
            httpContext.Response.StatusCode = status;
            await ConsoleStatusPage.WriteAsync(httpContext);
            return true;
        }

        httpContext.Response.StatusCode = status;
        var code = status switch
        {
            StatusCodes.Status503ServiceUnavailable => "UNAVAILABLE",
            >= 500 => "UNKNOWN",
            _ => TokenError.InvalidRequestCode,
        };
        await httpContext.Response.WriteAsJsonAsync(
            new RegistryErrorBody([new RegistryError(code, message)]), TokenJsonContext.Default.RegistryErrorBody, cancellationToken: cancellationToken);
        return true;
    }

    private const string RetryAfterSeconds = "5";

    /// <summary>The database's own error, however deep EF Core wrapped it.</summary>
    private static DbException? DatabaseFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException db) return db;
        return null;
    }
}
