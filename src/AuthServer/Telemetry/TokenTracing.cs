using System.Diagnostics;

namespace AuthServer.Telemetry;

/// <summary>
/// One span per token request and one per stage of its pipeline (read, then the sign-in's
/// lockout and authenticate from <see cref="Core.SignIn.SignInTracing"/>, resolve, issue). Tags are the
/// metrics' bounded labels: no user, repository or secret leaves the process in a trace either.
/// </summary>
public static class TokenTracing
{
    public const string SourceName = "AuthServer.Tokens";
    public const string Request = "token request";
    public const string Read = "read";
    public const string Resolve = "resolve";
    public const string Issue = "issue";

    public static readonly ActivitySource Source = new(SourceName);
}
