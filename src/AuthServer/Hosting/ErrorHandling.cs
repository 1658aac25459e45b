using AuthServer.Admin;
using AuthServer.Tokens;
using AuthServer.WebConsole;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthServer.Hosting;

/// <summary>
/// The last line: a malformed request Kestrel rejects keeps its 4xx status, anything else is a
/// 500 with a generic message. No exception text or stack trace ever reaches a client. The
/// admin API answers in problem details, the token endpoint in the registry's error JSON.
/// </summary>
public sealed class ErrorHandling(ILogger<ErrorHandling> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, message) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "the request is malformed or too large"),
            _ => (StatusCodes.Status500InternalServerError, "internal error; the server log has the details"),
        };
        if (status >= 500) log.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        else log.LogInformation("Rejected malformed request on {Path}: {Message}", httpContext.Request.Path, exception.Message);

        if (httpContext.Request.Path.StartsWithSegments(AdminApi.Prefix))
        {
            if (exception is BadHttpRequestException binding) await AdminProblems.WriteBindingFailureAsync(httpContext, binding);
            else await TypedResults.Problem(message, statusCode: status, title: "Internal error").ExecuteAsync(httpContext);
            return true;
        }

        if (httpContext.Request.Path.StartsWithSegments(ConsoleRoutes.Prefix))
        {
            httpContext.Response.StatusCode = status;
            await ConsoleStatusPage.WriteAsync(httpContext);
            return true;
        }

        httpContext.Response.StatusCode = status;
        var code = status >= 500 ? "UNKNOWN" : TokenError.InvalidRequestCode;
        await httpContext.Response.WriteAsJsonAsync(
            new RegistryErrorBody([new RegistryError(code, message)]), TokenJsonContext.Default.RegistryErrorBody, cancellationToken: cancellationToken);
        return true;
    }
}
