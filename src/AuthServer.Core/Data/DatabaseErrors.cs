using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Core.Data;

/// <summary>
/// Counts what the database refused or could not do, by where it failed: opening a connection, a
/// command, a transaction's begin/commit/rollback. One EF Core interceptor on every context, so
/// no data access code has to remember to count. A command cancelled by its caller is not an error.
/// </summary>
public sealed class DatabaseErrors : DbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
{
    public const string Connection = "connection";
    public const string Command = "command";
    public const string Transaction = "transaction";

    private long _connection;
    private long _command;
    private long _transaction;

    public IEnumerable<(string Operation, long Count)> Counts =>
    [
        (Connection, Interlocked.Read(ref _connection)),
        (Command, Interlocked.Read(ref _command)),
        (Transaction, Interlocked.Read(ref _transaction)),
    ];

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Interlocked.Increment(ref _command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _command);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Interlocked.Increment(ref _connection);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _connection);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Interlocked.Increment(ref _transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _transaction);
        return Task.CompletedTask;
    }
}
