namespace AuthServer.Core.Identity;

public sealed class RefreshSessionOptions
{
    public const string Section = "AuthServer:RefreshSessions";

    /// <summary>A session ends this long after it began, however much it is used.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A session ends when it has not been used for this long (a laptop left in a drawer).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromDays(30);
}
