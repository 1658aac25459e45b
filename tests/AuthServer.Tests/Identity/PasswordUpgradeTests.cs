using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Identity;

/// <summary>A server whose work factor was raised to 5 after hashes were made at 4.</summary>
public sealed class RaisedWorkFactorFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["AuthServer:Passwords:WorkFactor"] = "5";
}

public class PasswordUpgradeTests(RaisedWorkFactorFixture server) : IClassFixture<RaisedWorkFactorFixture>
{
    private async Task<(string User, string Password)> UserHashedAtCost4Async()
    {
        var (user, password) = await server.NewUserAsync("olduser");
        var oldHash = BCrypt.Net.BCrypt.EnhancedHashPassword(password, BCrypt.Net.HashType.SHA384, 4);
        await server.ChangeAsync<User>(u => u.Name == user, u => u.PasswordHash = oldHash);
        return (user, password);
    }

    private Task<string> StoredHashAsync(string user) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().Users.Where(u => u.Name == user).Select(u => u.PasswordHash).SingleAsync());

    [Fact]
    public async Task A_successful_login_rehashes_at_the_current_work_factor()
    {
        var (user, password) = await UserHashedAtCost4Async();
        Assert.Contains("$04$", await StoredHashAsync(user));

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        // The rehash is written in the background, off the request path.
        await server.Services.GetRequiredService<PasswordUpgrader>().WhenIdleAsync();

        var upgraded = await StoredHashAsync(user);
        Assert.Contains("$05$", upgraded);
        Assert.False(server.Services.GetRequiredService<PasswordHasher>().NeedsRehash(upgraded));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
    }

    [Fact]
    public async Task An_imported_standard_bcrypt_hash_signs_in_and_is_rehashed_in_the_servers_scheme()
    {
        var (user, password) = await server.NewUserAsync("imported");
        var line = await PasswordSchemeTests.HtpasswdLineAsync(user, password, cost: 4);
        var imported = PasswordHashFormat.FromStandardBcrypt(line[(line.IndexOf(':') + 1)..])!;
        await server.ChangeAsync<User>(u => u.Name == user, u => u.PasswordHash = imported);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password + "x"))).Status);
        Assert.Equal(imported, await StoredHashAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        await server.Services.GetRequiredService<PasswordUpgrader>().WhenIdleAsync();

        var upgraded = await StoredHashAsync(user);
        Assert.StartsWith(PasswordHashFormat.BcryptSha384Prefix + "$2a$05$", upgraded);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password + "x"))).Status);
    }

    [Fact]
    public async Task A_rehash_drops_the_cached_verification_of_the_old_hash()
    {
        var (user, password) = await UserHashedAtCost4Async();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        await server.Services.GetRequiredService<PasswordUpgrader>().WhenIdleAsync();

        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        var before = hasher.Verifications;
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, password))).Status);
        // Verified once against the new hash, then remembered again.
        Assert.Equal(before + 1, hasher.Verifications);
    }

    [Fact]
    public async Task A_failed_login_leaves_the_hash_alone()
    {
        var (user, _) = await UserHashedAtCost4Async();
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetTokenAsync($"service={Service}", Basic(user, "wrong-password"))).Status);
        Assert.Contains("$04$", await StoredHashAsync(user));
    }

    [Fact]
    public async Task Passwords_below_the_minimum_length_are_refused_when_set()
    {
        var (user, _) = await server.NewUserAsync("shorty");
        var error = await Assert.ThrowsAsync<AuthServer.Core.Errors.ValidationFailedException>(() =>
            server.WithServiceAsync(sp => sp.GetRequiredService<UserService>().SetPasswordAsync(user, "short", CancellationToken.None)));
        Assert.Equal("password", error.Field);
        Assert.Contains("at least 8 characters", error.Message);
    }
}
