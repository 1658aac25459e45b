using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AuthServer.Data.Postgres;

/// <summary>
/// The audit batch on PostgreSQL: one binary COPY per batch. A row costs no statement, no
/// parameter lookup and no round trip of its own, which is what keeps the audit table from
/// taking the CPU a busy token server needs (the SQLite path binds natively for the same reason).
/// Columns, order and value conversions come from the EF model (<see cref="AuditInsertStatement"/>).
/// </summary>
public sealed class PostgresAuditBatchWriter : IAuditBatchWriter
{
    private readonly AuditBatchInsert _portable = new();

    public async Task WriteAsync(AuthServerDbContext db, IReadOnlyList<AuditEvent> batch, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not NpgsqlConnection)
        {
            await _portable.WriteAsync(db, batch, ct);
            return;
        }
        var statement = AuditInsertStatement.For(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            // COPY is one statement: all of the batch is stored, or none of it.
            await using var copy = await connection.BeginBinaryImportAsync(statement.Copy, ct);
            foreach (var e in batch)
            {
                await copy.StartRowAsync(ct);
                for (var i = 0; i < statement.ColumnCount; i++)
                {
                    // The CLR type EF's provider would bind (after conversion) picks the PostgreSQL type.
                    if (statement.ProviderValue(e, i) is { } value) await copy.WriteAsync(value, ct);
                    else await copy.WriteNullAsync(ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
