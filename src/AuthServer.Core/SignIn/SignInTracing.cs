using System.Diagnostics;

namespace AuthServer.Core.SignIn;

/// <summary>
/// The sign-in's stages as trace spans, children of whatever request asked (a token request, an
/// admin API call). Without a listener (no OTLP endpoint, no test) starting one costs a check.
/// </summary>
public static class SignInTracing
{
    public const string SourceName = "AuthServer.SignIn";
    public const string Lockout = "lockout";
    public const string Authenticate = "authenticate";

    public static readonly ActivitySource Source = new(SourceName);
}
