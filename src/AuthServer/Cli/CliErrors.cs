using System.Text.Json;
using AuthServer.Core.Errors;

namespace AuthServer.Cli;

/// <summary>
/// A failed command writes one line on stderr, <c>error: why</c>, or with <c>--json</c> one JSON
/// object (<c>{"error":"why","kind":"conflict","exitCode":1}</c>); stdout stays the command's answer.
/// </summary>
internal static class CliErrors
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Write(TextWriter error, bool json, int exitCode, string kind, string message)
    {
        message = message.ReplaceLineEndings(" ").Trim();
        error.WriteLine(json ? JsonSerializer.Serialize(new { error = message, kind, exitCode }, JsonOptions) : $"error: {message}");
        return exitCode;
    }

    public static string Kind(DomainException e) => e switch
    {
        NotFoundException => "not-found",
        ConflictException => "conflict",
        _ => "invalid",
    };
}
