using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;
using AuthServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.HotPath;

/// <summary>
/// A verified password spares bcrypt, and the user record spares the database, only while
/// nothing about the user changed: every change takes effect on the very next request.
/// </summary>
public class PasswordCacheTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private PasswordHasher Hasher => server.Services.GetRequiredService<PasswordHasher>();

    private Task<TokenClient.Answer> LoginAsync(string user, string password) =>
        server.Http.GetTokenAsync($"service={Service}", Basic(user, password));

    private async Task<(string User, string Password)> WarmUserAsync()
    {
        var (user, password) = await server.NewUserAsync("warm");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        return (user, password);
    }

    private Task ChangeAsync(Func<UserService, Task> change) =>
        server.WithServiceAsync(sp => change(sp.GetRequiredService<UserService>()));

    [Fact]
    public async Task A_warm_password_costs_no_bcrypt()
    {
        var (user, password) = await WarmUserAsync();
        var before = Hasher.Verifications;
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        Assert.Equal(before, Hasher.Verifications);
    }

    [Fact]
    public async Task A_wrong_password_is_never_remembered_as_right()
    {
        var (user, password) = await WarmUserAsync();
        var before = Hasher.Verifications;
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, password + "x")).Status);
        // Each wrong attempt is checked by bcrypt again.
        Assert.Equal(before + 3, Hasher.Verifications);
    }

    [Fact]
    public async Task The_old_password_is_refused_on_the_next_request_after_a_change()
    {
        var (user, password) = await WarmUserAsync();
        await ChangeAsync(u => u.SetPasswordAsync(user, "a-new-password-1", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, "a-new-password-1")).Status);
    }

    [Fact]
    public async Task A_disabled_user_is_refused_on_the_next_request()
    {
        var (user, password) = await WarmUserAsync();
        await ChangeAsync(u => u.SetDisabledAsync(user, true, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, password)).Status);
        await ChangeAsync(u => u.SetDisabledAsync(user, false, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
    }

    [Fact]
    public async Task A_deleted_user_is_refused_on_the_next_request_and_a_new_one_of_that_name_inherits_nothing()
    {
        var (user, password) = await WarmUserAsync();
        await ChangeAsync(u => u.DeleteAsync(user, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, password)).Status);

        await ChangeAsync(u => u.CreateAsync(user, password, false, CancellationToken.None));
        var before = Hasher.Verifications;
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);
        Assert.Equal(before + 1, Hasher.Verifications);
    }

    [Fact]
    public async Task Losing_admin_takes_effect_on_the_next_request()
    {
        var (user, password) = await server.NewUserAsync("boss", admin: true);
        const string query = $"service={Service}&scope=repository:elsewhere/app:push";
        Assert.Equal(["push"], (await server.Http.GetTokenAsync(query, Basic(user, password))).Token.Access.Single().Actions);
        await ChangeAsync(u => u.SetAdminAsync(user, false, CancellationToken.None));
        Assert.Empty((await server.Http.GetTokenAsync(query, Basic(user, password))).Token.Access.Single().Actions);
    }

    [Fact]
    public async Task A_change_made_by_another_process_is_seen_within_the_revision_check_interval()
    {
        var (user, password) = await WarmUserAsync();
        // Another process's write: through its own connection, nothing in this server's memory.
        await using (var other = new SqliteConnection(server.Services.GetRequiredService<DatabaseFile>().ConnectionString))
        {
            await other.OpenAsync();
            await using var tx = (SqliteTransaction)await other.BeginTransactionAsync();
            await using var write = other.CreateCommand();
            write.Transaction = tx;
            write.CommandText = "UPDATE users SET IsDisabled = 1, SecurityStamp = 'changed-elsewhere' WHERE Name = $name; " +
                                "UPDATE change_revisions SET Revision = Revision + 1 WHERE Area = 'credentials';";
            write.Parameters.AddWithValue("$name", user);
            await write.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpStatusCode status;
        while ((status = (await LoginAsync(user, password)).Status) == HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task The_cache_never_holds_the_password()
    {
        var (_, password) = await WarmUserAsync();
        var keys = server.Services.GetRequiredService<VerifiedPasswords>().Keys.Select(k => k.ToString()!).ToList();
        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => k.Contains(password, StringComparison.Ordinal));
        // 32 bytes of HMAC, base64: nothing of the password's length or text shows.
        Assert.All(keys, k => Assert.Equal(32, Convert.FromBase64String(k).Length));
    }
}
