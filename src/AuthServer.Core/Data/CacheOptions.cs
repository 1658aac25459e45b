namespace AuthServer.Core.Data;

public sealed class CacheOptions
{
    public const string Section = "AuthServer:Cache";

    /// <summary>How long a process trusts its snapshots before asking the database whether
    /// another process changed rules, groups or keys.</summary>
    public TimeSpan RevisionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
