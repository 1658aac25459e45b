namespace AuthServer.Core.SignIn;

/// <summary>
/// One sign-in: what was presented, from where. The token endpoint, the admin API's Basic sign-in
/// and the console each build one and hand it to <see cref="SignInService"/>.
/// </summary>
public sealed record SignInAttempt(Credential Credential, ClientSource Source)
{
    /// <summary>The service asked for, or the door used (admin API, console): for the audit trail.</summary>
    public string? Service { get; init; }

    public string? UserAgent { get; init; }
}
