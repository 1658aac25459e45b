namespace AuthServer.Core.Data;

/// <summary>
/// A counter per area, bumped in the same transaction as every change to that area, so each
/// process (server replicas, the CLI) can tell cheaply that its in-memory snapshot is stale.
/// </summary>
public sealed class ChangeRevision
{
    public const string Policy = "policy";
    public const string SigningKeys = "signing-keys";

    /// <summary>Moves when a sign-in lock begins (see StoredLock) and when an administrator unlocks an account or address (see LockoutRelease).</summary>
    public const string Lockouts = "lockouts";

    /// <summary>
    /// Moves when a user, robot, access token or refresh session changes in a way that could
    /// refuse it, and when a keyless CI trust is added or deleted: cached credential records and
    /// the trusts in memory are trusted only while it stands still.
    /// </summary>
    public const string Credentials = "credentials";

    public static readonly string[] Areas = [Policy, SigningKeys, Lockouts, Credentials];

    public required string Area { get; set; }
    public long Revision { get; set; }
}
