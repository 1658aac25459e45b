namespace AuthServer.Core.Identity;

public sealed class RefreshSessionOptions
{
    public const string Section = "AuthServer:RefreshSessions";

    /// <summary>A session ends this long after it began, however much it is used.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A session ends when it has not been used for this long (a laptop left in a drawer).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Open sessions one credential (a user's password, one access token, one robot) may hold. A
    /// login past it ends that credential's least recently used sessions, so a CI job that runs
    /// docker login thousands of times, or a stolen password replayed, cannot grow the table without
    /// bound; a workstation that refreshes every day keeps its session.
    /// </summary>
    public int MaxPerCredential { get; set; } = 100;

    /// <summary>Ended sessions stay listable (session list --all) this long, then maintenance deletes them.</summary>
    public TimeSpan KeepEndedFor { get; set; } = TimeSpan.FromDays(30);
}
