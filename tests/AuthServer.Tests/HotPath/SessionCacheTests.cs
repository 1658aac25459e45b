using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.HotPath;

/// <summary>
/// A refresh grant reads its session, user and credential from memory while nothing changed, and
/// any change to them takes effect on the next request in this process and within the revision
/// check interval when another process makes it.
/// </summary>
public class SessionCacheTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private async Task<(string User, string Password, string RefreshToken)> DockerLoginAsync()
    {
        var (user, password) = await server.NewUserAsync("cached");
        var login = await server.Http.GetTokenAsync($"account={user}&client_id=docker&offline_token=true&service={Service}", Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return (user, password, login.RefreshToken!);
    }

    private async Task<HttpStatusCode> RefreshAsync(string refreshToken) =>
        (await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service),
            ("client_id", "docker"), ("scope", "repository:x/y:pull"))).Status;

    /// <summary>SQL from another process: this server learns of it only through the revision it bumps, if any.</summary>
    private async Task ElsewhereAsync(string sql, string user)
    {
        await using var other = new SqliteConnection(server.Services.GetRequiredService<DatabaseFile>().ConnectionString);
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$user", user);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_warm_refresh_grant_reads_no_database()
    {
        var (user, _, refreshToken) = await DockerLoginAsync();
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(refreshToken));

        // Gone from the database behind the server's back (no revision moved): the cached copy answers.
        await ElsewhereAsync("DELETE FROM refresh_sessions WHERE UserId = (SELECT Id FROM users WHERE Name = $user)", user);
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(refreshToken));
    }

    [Fact]
    public async Task A_user_disabled_by_any_write_ends_a_warm_refresh_on_the_next_request()
    {
        var (user, _, refreshToken) = await DockerLoginAsync();
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(refreshToken));

        // Not through UserService (which also ends the sessions): only the user row changes.
        await server.ChangeAsync<User>(u => u.Name == user, u => u.IsDisabled = true);
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(refreshToken));
    }

    [Fact]
    public async Task A_session_revoked_by_another_process_is_refused_within_the_revision_check_interval()
    {
        var (user, _, refreshToken) = await DockerLoginAsync();
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(refreshToken));

        await ElsewhereAsync(
            "UPDATE refresh_sessions SET RevokedAt = '2026-01-01 00:00:00', RevokedReason = 'elsewhere' " +
            "WHERE UserId = (SELECT Id FROM users WHERE Name = $user); " +
            "UPDATE change_revisions SET Revision = Revision + 1 WHERE Area = 'credentials';", user);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpStatusCode status;
        while ((status = await RefreshAsync(refreshToken)) == HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
