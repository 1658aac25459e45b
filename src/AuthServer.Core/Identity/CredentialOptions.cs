namespace AuthServer.Core.Identity;

public sealed class CredentialOptions
{
    public const string Section = "AuthServer:Credentials";

    /// <summary>How often the last-used times of robots, access tokens and sessions are written.</summary>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
