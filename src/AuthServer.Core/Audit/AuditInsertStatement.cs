using AuthServer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AuthServer.Core.Audit;

/// <summary>The INSERT of one audit event, its columns' getters and value converters, read from the EF model.</summary>
public sealed class AuditInsertStatement
{
    private AuditInsertStatement(string sql, string copy, IClrPropertyGetter[] getters, ValueConverter?[] converters)
    {
        Sql = sql;
        Copy = copy;
        Getters = getters;
        Converters = converters;
    }

    /// <summary>INSERT … VALUES (@p0, @p1, …), the parameters in column order.</summary>
    public string Sql { get; }

    /// <summary>COPY … (columns) FROM STDIN (FORMAT BINARY), the columns in the same order (PostgreSQL).</summary>
    public string Copy { get; }

    public int ColumnCount => Getters.Length;

    private IClrPropertyGetter[] Getters { get; }
    private ValueConverter?[] Converters { get; }

    /// <summary>The value of column <paramref name="column"/> as the provider stores it.</summary>
    public object? ProviderValue(AuditEvent e, int column)
    {
        var value = Getters[column].GetClrValueUsingContainingEntity(e);
        return value is not null && Converters[column] is { } converter ? converter.ConvertToProvider(value) : value;
    }

    public static AuditInsertStatement For(AuthServerDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(AuditEvent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var getters = columns.Select(c => c.GetGetter()).ToArray();
        var converters = columns.Select(c => c.GetTypeMapping().Converter).ToArray();
        var target =
            $"{sql.DelimitIdentifier(table.Name, table.Schema)} " +
            $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))})";
        var insert = $"INSERT INTO {target} VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        return new AuditInsertStatement(insert, $"COPY {target} FROM STDIN (FORMAT BINARY)", getters, converters);
    }
}
