using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Core.Data;

/// <summary>
/// Moves the revision areas (<see cref="CacheDependencies"/>) of whatever a SaveChanges writes,
/// inside the transaction that writes it: the caller's own transaction if there is one, else one
/// this interceptor opens around the save. After that transaction commits, this process's
/// <see cref="RevisionMonitor"/> is told at once (<see cref="RevisionCommitSignal"/>); other
/// processes see the new revision within their check interval.
/// </summary>
public sealed class RevisionInterceptor : SaveChangesInterceptor
{
    public static readonly RevisionInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AuthServerDbContext db && Areas(db) is { } areas)
        {
            if (db.Database.CurrentTransaction is null) db.OwnRevisionTransaction = db.Database.BeginTransaction();
            Bump(db, areas).ExecuteUpdate(s => s.SetProperty(r => r.Revision, r => r.Revision + 1));
            db.RevisionMoved = true;
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AuthServerDbContext db && Areas(db) is { } areas)
        {
            if (db.Database.CurrentTransaction is null) db.OwnRevisionTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await Bump(db, areas).ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision + 1), cancellationToken);
            db.RevisionMoved = true;
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is AuthServerDbContext { OwnRevisionTransaction: { } tx } db)
        {
            db.OwnRevisionTransaction = null;
            using (tx) tx.Commit();
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AuthServerDbContext { OwnRevisionTransaction: { } tx } db)
        {
            db.OwnRevisionTransaction = null;
            await using (tx) await tx.CommitAsync(cancellationToken);
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Abandon(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Abandon(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The save failed: the transaction opened for it rolls back with the bump (disposing it rolls back).</summary>
    private static void Abandon(DbContext? context)
    {
        if (context is not AuthServerDbContext { OwnRevisionTransaction: { } tx } db) return;
        db.OwnRevisionTransaction = null;
        db.RevisionMoved = false;
        tx.Dispose();
    }

    private static string[]? Areas(AuthServerDbContext db)
    {
        var areas = CacheDependencies.AreasChangedBy(db.ChangeTracker);
        return areas.Count == 0 ? null : [.. areas];
    }

    private static IQueryable<ChangeRevision> Bump(AuthServerDbContext db, string[] areas) =>
        db.ChangeRevisions.Where(r => areas.Contains(r.Area));
}
