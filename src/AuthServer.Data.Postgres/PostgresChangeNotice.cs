using System.Data.Common;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Data.Postgres;

/// <summary>
/// Notifies <see cref="PostgresReplicaChannel.ChangesChannel"/> inside each transaction that moved
/// a revision, just before it commits: PostgreSQL delivers a notification when its transaction
/// commits and drops it when it rolls back, so the other replicas hear of exactly the changes
/// that happened, at the moment they became visible.
/// </summary>
public sealed class PostgresChangeNotice : DbTransactionInterceptor
{
    public static readonly PostgresChangeNotice Instance = new();

    private static readonly string Sql = $"NOTIFY {PostgresReplicaChannel.ChangesChannel}";

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Moved(eventData))
        {
            using var command = Command(transaction);
            command.ExecuteNonQuery();
        }
        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Moved(eventData))
        {
            await using var command = Command(transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return result;
    }

    private static bool Moved(TransactionEventData eventData) => eventData.Context is AuthServerDbContext { RevisionMoved: true };

    private static DbCommand Command(DbTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        return command;
    }
}
