using System.Text.Json;
using AuthServer.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Admin;

/// <summary>
/// The one mapping of domain refusals to problem details (RFC 9457): a validation failure is a
/// 400 naming its field, a missing thing a 404, a taken name or contradicting state a 409. The
/// services throw the same exceptions for the CLI, which prints their messages.
/// </summary>
public sealed class AdminProblems : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ValidationFailedException e)
        {
            return Validation(e.Field, e.Message);
        }
        catch (NotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        catch (ConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (DbUpdateException)
        {
            // A race no service names more precisely: another request changed or deleted the same rows first.
            return TypedResults.Problem(ConcurrentChange, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
    }

    public const string ConcurrentChange = "another request changed or deleted the same thing at the same time; read it again and retry";

    public static IResult Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    /// <summary>
    /// A request the framework could not bind (malformed JSON, a wrong type, a missing body, a
    /// query value that is no number): a 400 problem, never a 500, naming the JSON path where known.
    /// </summary>
    public static Task WriteBindingFailureAsync(HttpContext http, BadHttpRequestException exception)
    {
        http.Response.Headers.CacheControl = "no-store";
        IResult result = exception.InnerException is JsonException { Path: { Length: > 2 } path }
            ? TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [Field(path)] = ["the value is not valid JSON of the expected type"] },
                detail: $"the request body is not valid for this operation at {path}")
            : exception.InnerException is JsonException
                ? TypedResults.Problem("the request body is not valid JSON", statusCode: StatusCodes.Status400BadRequest, title: "Bad request")
                : TypedResults.Problem(BindingFailure(http), statusCode: exception.StatusCode, title: "Bad request");
        return result.ExecuteAsync(http);
    }

    /// <summary>Our words, never the framework's (its messages name parameters and suggest services).</summary>
    private static string BindingFailure(HttpContext http) =>
        http.Request.ContentLength is 0 || (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count == 0)
            ? HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsDelete(http.Request.Method)
                ? "a query or route value is not of the expected type"
                : "the request needs a JSON body"
            : "the request could not be read: check the JSON body and the query";

    private static string Field(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
