using System.Net;
using AuthServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

/// <summary>
/// A token request that needs a database that fails is a 503 with Retry-After (the client may
/// retry in a moment), never a 500, and one log line without a stack trace (issue 12, item 8).
/// Its own server: the test breaks its database on purpose.
/// </summary>
public sealed class DatabaseFailureTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task A_token_request_whose_database_fails_answers_503_with_retry_after_and_logs_one_line()
    {
        // A robot not used yet: its first sign-in reads it from the database (a recently used one
        // would be answered from memory, as during an outage), and without its table that read fails.
        var (login, secret) = await server.NewRobotAsync();
        await ExecuteAsync("ALTER TABLE robots RENAME TO robots_away");
        try
        {
            var answer = await server.Http.GetTokenAsync($"service={Service}", Basic(login, secret));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
            Assert.Equal("UNAVAILABLE", answer.ErrorCode);
            Assert.DoesNotContain("robots", answer.Text);
            var line = Assert.Single(server.Logs.Lines, l => l.Contains("Database unavailable on GET /token"));
            Assert.DoesNotContain("   at ", line);
            Assert.DoesNotContain('\n', line.TrimEnd());
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE robots_away RENAME TO robots");
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(login, secret))).Status);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "authserver.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
