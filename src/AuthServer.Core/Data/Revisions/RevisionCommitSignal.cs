using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Core.Data;

/// <summary>Tells this process's <see cref="RevisionMonitor"/> once a transaction that moved a revision has committed.</summary>
public sealed class RevisionCommitSignal : DbTransactionInterceptor
{
    public static readonly RevisionCommitSignal Instance = new();

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    public override Task TransactionCommittedAsync(
        System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        RolledBack(eventData.Context);

    public override Task TransactionRolledBackAsync(
        System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RolledBack(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Committed(DbContext? context)
    {
        if (context is not AuthServerDbContext { RevisionMoved: true } db) return;
        db.RevisionMoved = false;
        db.LocalChanges?.Committed();
    }

    private static void RolledBack(DbContext? context)
    {
        if (context is AuthServerDbContext db) db.RevisionMoved = false;
    }
}
