using System.Globalization;
using System.Text;
using AuthServer.Core.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AuthServer.Bench;

/// <summary>
/// Bulk inserts straight into the server's SQLite file while it runs (WAL): a bcrypt hash is made
/// once and shared by every seeded user, so 100,000 users take seconds, not hours. The revisions
/// are bumped at the end, as the services do, so the running server reloads what changed.
/// </summary>
public static class Seeder
{
    public const string Password = "bench-password-1";

    private static readonly string Now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    /// <summary>Users used once each by the cold phase; their Basic headers go to a file, one a line, for wrk.</summary>
    public static async Task<int> ColdUsersAsync(string database, int count, string headersFile)
    {
        var hash = DefaultHash();
        await using var connection = await OpenAsync(database);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = UserInsert(connection, tx);
        await using var headers = new StreamWriter(headersFile);
        for (var i = 0; i < count; i++)
        {
            var name = $"cold{i:D6}";
            await InsertUserAsync(insert, name, hash);
            await headers.WriteLineAsync("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{Password}")));
        }
        await BumpAsync(connection, tx, "credentials");
        await tx.CommitAsync();
        return 0;
    }

    /// <summary>
    /// A large installation: users each in two groups, rules spread over users (most), groups and a
    /// few for everyone signed in. <paramref name="member"/> (the warm phase's user) joins three
    /// groups and gets rules of its own, so its requests walk a realistic share of the policy.
    /// </summary>
    public static async Task<int> LargeAsync(string database, int users, int rules, int groups, string member)
    {
        var hash = DefaultHash();
        await using var connection = await OpenAsync(database);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();

        await using (var insertGroup = Command(connection, tx, "INSERT INTO groups (Name, NormalizedName, CreatedAt) VALUES ($n, $n, $t)", "$n", "$t"))
            for (var g = 0; g < groups; g++)
                await RunAsync(insertGroup, GroupName(g), Now);

        await using (var insertUser = UserInsert(connection, tx))
            for (var u = 0; u < users; u++)
                await InsertUserAsync(insertUser, UserName(u), hash);

        var firstGroup = await ScalarAsync(connection, tx, "SELECT MIN(Id) FROM groups WHERE Name = 'team0000'");
        var firstUser = await ScalarAsync(connection, tx, "SELECT MIN(Id) FROM users WHERE Name = 'user000000'");
        var memberId = await ScalarAsync(connection, tx, $"SELECT Id FROM users WHERE NormalizedName = '{member}'");
        await using (var insertMember = Command(connection, tx, "INSERT OR IGNORE INTO group_members (GroupId, UserId, AddedAt) VALUES ($g, $u, $t)", "$g", "$u", "$t"))
        {
            for (var u = 0; u < users; u++)
            {
                await RunAsync(insertMember, firstGroup + u % groups, firstUser + u, Now);
                await RunAsync(insertMember, firstGroup + (u * 7 + 3) % groups, firstUser + u, Now);
            }
            foreach (var g in new[] { 1, 2, 3 }) await RunAsync(insertMember, firstGroup + g, memberId, Now);
        }

        await using (var insertRule = Command(connection, tx,
            "INSERT INTO access_rules (Effect, SubjectKind, Subject, ResourceType, Pattern, Actions, CreatedAt, UpdatedAt) VALUES ($e, $k, $s, 'repository', $p, $a, $t, $t)",
            "$e", "$k", "$s", "$p", "$a", "$t"))
        {
            var forEveryone = 10;
            var forMember = 5;
            var forGroups = rules * 3 / 10;
            var forUsers = rules - forEveryone - forMember - forGroups;
            for (var i = 0; i < forEveryone; i++)
                await RunAsync(insertRule, "Allow", "Authenticated", null, $"public{i}/**", "pull", Now);
            for (var i = 0; i < forMember; i++)
                await RunAsync(insertRule, "Allow", "User", member, $"project{i}/*", "pull,push", Now);
            for (var i = 0; i < forGroups; i++)
            {
                var group = GroupName(i % groups);
                var (effect, pattern, actions) = (i / groups % 4) switch
                {
                    0 => ("Allow", $"{group}/**", "pull"),
                    1 => ("Allow", $"{group}/app{i}", "pull,push"),
                    2 => ("Allow", $"shared/{group}-*", "pull"),
                    _ => ("Deny", $"{group}/secret{i}/**", "push"),
                };
                await RunAsync(insertRule, effect, "Group", group, pattern, actions, Now);
            }
            for (var i = 0; i < forUsers; i++)
            {
                var user = UserName(i % users);
                await RunAsync(insertRule, "Allow", "User", user, i % 2 == 0 ? $"{user}-extra/**" : $"scratch/{user}/*", "delete,pull,push", Now);
            }
        }
        await BumpAsync(connection, tx, "policy");
        await BumpAsync(connection, tx, "credentials");
        await tx.CommitAsync();
        return 0;
    }

    private static string UserName(int i) => $"user{i:D6}";
    private static string GroupName(int i) => $"team{i:D4}";

    private static string DefaultHash()
    {
        var options = Options.Create(new PasswordOptions { HashingConcurrency = 1 });
        using var queue = new HashingWorkers(options, TimeProvider.System);
        return new PasswordHasher(options, queue).Hash(Password);
    }

    private static async Task<SqliteConnection> OpenAsync(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static SqliteCommand UserInsert(SqliteConnection connection, SqliteTransaction tx) => Command(connection, tx,
        "INSERT INTO users (Name, NormalizedName, PasswordHash, IsAdmin, IsDisabled, SecurityStamp, CreatedAt, UpdatedAt) VALUES ($n, $n, $h, 0, 0, $s, $t, $t)",
        "$n", "$h", "$s", "$t");

    private static Task InsertUserAsync(SqliteCommand insert, string name, string hash) =>
        RunAsync(insert, name, hash, Guid.NewGuid().ToString("N"), Now);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new SqliteParameter(p, null));
        command.Prepare();
        return command;
    }

    private static async Task RunAsync(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no result for {sql}"));
    }

    private static async Task BumpAsync(SqliteConnection connection, SqliteTransaction tx, string area)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"UPDATE change_revisions SET Revision = Revision + 1 WHERE Area = '{area}'";
        await command.ExecuteNonQueryAsync();
    }
}
