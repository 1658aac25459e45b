using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Core.SignIn;
using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AuthServer.Core.Data;

/// <summary>Which kinds of write to an entity can make a cached copy stale.</summary>
[Flags]
public enum WriteKinds
{
    None = 0,
    Insert = 1,
    Update = 2,
    Delete = 4,
    All = Insert | Update | Delete,
}

/// <summary>The revision areas one entity's writes move, and which writes count.</summary>
/// <param name="Areas">Moved by any write of <paramref name="Writes"/>.</param>
/// <param name="AlsoOnDelete">Moved too when a row goes: what the database removes with it (cascades) lives there.</param>
/// <param name="Ignored">Columns that no cache reads: an update that touches only these moves nothing.</param>
public sealed record CacheDependency(string[] Areas, WriteKinds Writes, string[] AlsoOnDelete, string[] Ignored);

/// <summary>
/// The one place that says which cache depends on which table. The revision interceptor moves the
/// areas of every entity a SaveChanges writes, in the same transaction, so no write path has to
/// remember it; the bulk-write guard refuses ExecuteUpdate/ExecuteDelete on these entities
/// (they bypass SaveChanges) unless they touch nothing a cache reads. A new cached entity is one
/// line here.
/// </summary>
public static class CacheDependencies
{
    /// <summary>
    /// Tag for a bulk update that changes only <see cref="CacheDependency.Ignored"/> columns (the
    /// batched last-used times); the guard lets it through and nothing is bumped.
    /// </summary>
    public const string IgnoredColumnsOnly = "revision-neutral: ignored columns only";

    /// <summary>
    /// Tag for a bulk delete of rows that were already refused before it (ended sessions kept for
    /// the record): whatever a cache holds of them is refused anyway, so nothing is bumped.
    /// </summary>
    public const string EndedRowsOnly = "revision-neutral: ended rows only";

    private static readonly string[] None = [];
    private static readonly string[] LastUsed = ["LastUsedAt"];

    private static readonly Dictionary<Type, CacheDependency> Map = new()
    {
        // Policy snapshot: rules and memberships. A deleted group or user takes its memberships
        // with it (database cascade), so their deletion moves the policy too; a deleted group
        // takes its robots and their sessions too (cascade), which the credential caches hold.
        [typeof(AccessRule)] = new([ChangeRevision.Policy], WriteKinds.All, None, None),
        [typeof(GroupMember)] = new([ChangeRevision.Policy], WriteKinds.All, None, None),
        [typeof(Group)] = new([ChangeRevision.Policy], WriteKinds.All, [ChangeRevision.Credentials], None),

        // Users, verified passwords, robots, access tokens and refresh sessions: a new account,
        // token or session makes nothing cached wrong (unknown names and tokens are never cached),
        // a changed or removed one does.
        [typeof(User)] = new([ChangeRevision.Credentials], WriteKinds.Update | WriteKinds.Delete, [ChangeRevision.Policy], None),
        [typeof(Robot)] = new([ChangeRevision.Credentials], WriteKinds.Update | WriteKinds.Delete, None, LastUsed),
        [typeof(AccessToken)] = new([ChangeRevision.Credentials], WriteKinds.Update | WriteKinds.Delete, None, LastUsed),
        [typeof(RefreshSession)] = new([ChangeRevision.Credentials], WriteKinds.Update | WriteKinds.Delete, None, LastUsed),

        // Keyless CI trusts added at run time: a new one admits ID tokens, so inserts count too.
        [typeof(Federation.StoredTrust)] = new([ChangeRevision.Credentials], WriteKinds.All, None, None),

        // The key ring: a new next key must be published, so inserts count.
        [typeof(SigningKey)] = new([ChangeRevision.SigningKeys], WriteKinds.All, None, None),
        [typeof(SigningCa)] = new([ChangeRevision.SigningKeys], WriteKinds.All, None, None),

        // Unlocks and locks begun are read once by id; pruning old ones changes nothing a process
        // holds, nor does an unlock's or a success's deleting of locks (the unlock row, or the
        // replicas' notice of the success, is what tells the others).
        [typeof(LockoutRelease)] = new([ChangeRevision.Lockouts], WriteKinds.Insert, None, None),
        [typeof(StoredLock)] = new([ChangeRevision.Lockouts], WriteKinds.Insert, None, None),
    };

    public static CacheDependency? Of(Type entity) => Map.GetValueOrDefault(entity);

    /// <summary>The areas the pending changes of a context move, empty when none.</summary>
    public static HashSet<string> AreasChangedBy(ChangeTracker changes)
    {
        var areas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in changes.Entries())
        {
            if (Of(entry.Metadata.ClrType) is not { } dependency) continue;
            var kind = entry.State switch
            {
                EntityState.Added => WriteKinds.Insert,
                EntityState.Modified => WriteKinds.Update,
                EntityState.Deleted => WriteKinds.Delete,
                _ => WriteKinds.None,
            };
            if ((dependency.Writes & kind) == 0) continue;
            if (kind == WriteKinds.Update && !TouchesCachedColumn(entry, dependency)) continue;
            areas.UnionWith(dependency.Areas);
            if (kind == WriteKinds.Delete) areas.UnionWith(dependency.AlsoOnDelete);
        }
        return areas;
    }

    private static bool TouchesCachedColumn(EntityEntry entry, CacheDependency dependency)
    {
        foreach (var property in entry.Properties)
            if (property.IsModified && Array.IndexOf(dependency.Ignored, property.Metadata.Name) < 0) return true;
        return false;
    }
}
