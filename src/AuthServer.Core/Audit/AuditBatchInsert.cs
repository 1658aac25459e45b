using System.Data.Common;
using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Core.Audit;

/// <summary>
/// Writes a batch of audit events with one prepared INSERT run once per event inside one
/// transaction, through plain ADO.NET, on any provider. Table, columns and value conversions come
/// from the EF model (<see cref="AuditInsertStatement"/>), so it follows the mapping.
/// </summary>
public sealed class AuditBatchInsert : IAuditBatchWriter
{
    public async Task WriteAsync(AuthServerDbContext db, IReadOnlyList<AuditEvent> batch, CancellationToken ct)
    {
        var statement = AuditInsertStatement.For(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var tx = await connection.BeginTransactionAsync(ct);
            await WriteAdoAsync(connection, tx, statement, batch, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WriteAdoAsync(
        DbConnection connection, DbTransaction tx, AuditInsertStatement statement, IReadOnlyList<AuditEvent> batch, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = statement.Sql;
        var parameters = new DbParameter[statement.ColumnCount];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@p" + i;
            command.Parameters.Add(parameters[i]);
        }
        await command.PrepareAsync(ct);
        foreach (var e in batch)
        {
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = statement.ProviderValue(e, i) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
