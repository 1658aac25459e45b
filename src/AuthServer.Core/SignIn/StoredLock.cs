namespace AuthServer.Core.SignIn;

/// <summary>
/// A lock that began (a <see cref="SmartLockout"/> count that filled), kept in the database so that
/// a restarted server, and a replica that did not count the failures itself, hold it too until it
/// runs out. The count is kept as it was when it filled; whoever reads it lets it leak from then on
/// at the configured pace, as if it had counted the failures itself.
/// </summary>
public sealed class StoredLock
{
    /// <summary>Longest account name kept: longer names cannot reach a sign-in (the token endpoint refuses them).</summary>
    public const int MaxAccountLength = 256;

    /// <summary>Longest source key: an IPv6 /64 is at most 43 characters.</summary>
    public const int MaxSourceLength = 64;

    public long Id { get; set; }

    public LockScope Scope { get; set; }

    /// <summary>The normalized account name; null for a lock on a source.</summary>
    public string? Account { get; set; }

    /// <summary>The source key (<see cref="ClientAddress.Key"/>); null for the unfamiliar-sources lock, and for a client without an address.</summary>
    public string? Source { get; set; }

    /// <summary>Failures not yet leaked at <see cref="At"/>.</summary>
    public double Failures { get; set; }

    public DateTime At { get; set; }

    /// <summary>When the count has leaked empty: read until then, pruned after.</summary>
    public DateTime Until { get; set; }
}
