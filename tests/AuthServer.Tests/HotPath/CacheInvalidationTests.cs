using System.Net;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Policy;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.HotPath;

/// <summary>
/// The caches follow every write made through SaveChanges, whatever code makes it: the writes
/// here go straight to the DbContext, through no service and with no explicit revision bump.
/// </summary>
public class CacheInvalidationTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private Task<TokenClient.Answer> LoginAsync(string user, string password, string scope = "") =>
        server.Http.GetTokenAsync($"service={Service}{scope}", Basic(user, password));

    private Task<Dictionary<string, long>> RevisionsAsync() =>
        server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().ChangeRevisions.AsNoTracking()
            .ToDictionaryAsync(r => r.Area, r => r.Revision));

    [Fact]
    public async Task A_user_disabled_by_a_write_no_service_knows_is_refused_on_the_next_request()
    {
        var (user, password) = await server.NewUserAsync("plain");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user, password)).Status);

        await server.ChangeAsync<User>(u => u.Name == user, u => u.IsDisabled = true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user, password)).Status);
    }

    [Fact]
    public async Task A_rule_inserted_by_a_write_no_service_knows_grants_on_the_next_request()
    {
        var (user, password) = await server.NewUserAsync("ruled");
        var scope = $"&scope=repository:{user}-team/app:pull";
        Assert.Empty((await LoginAsync(user, password, scope)).Token.Access.Single().Actions);

        await server.UpdateDatabaseAsync(async db =>
        {
            db.AccessRules.Add(new AccessRule
            {
                Effect = RuleEffect.Allow,
                SubjectKind = SubjectKind.User,
                Subject = user.ToLowerInvariant(),
                ResourceType = "repository",
                Pattern = $"{user}-team/**",
                Actions = "pull",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        Assert.Equal(["pull"], (await LoginAsync(user, password, scope)).Token.Access.Single().Actions);
    }

    [Fact]
    public async Task A_write_moves_only_the_areas_that_depend_on_it()
    {
        var (user, _) = await server.NewUserAsync("areas");
        var before = await RevisionsAsync();
        await server.ChangeAsync<User>(u => u.Name == user, u => u.IsAdmin = true);
        var after = await RevisionsAsync();

        Assert.Equal(before[ChangeRevision.Credentials] + 1, after[ChangeRevision.Credentials]);
        Assert.Equal(before[ChangeRevision.Policy], after[ChangeRevision.Policy]);
        Assert.Equal(before[ChangeRevision.SigningKeys], after[ChangeRevision.SigningKeys]);
    }

    [Fact]
    public async Task A_failed_write_moves_no_revision()
    {
        var (user, _) = await server.NewUserAsync("failing");
        var (other, _) = await server.NewUserAsync("taken");
        var before = await RevisionsAsync();
        // A second user of the same name breaks the unique index: the save and its bump roll back together.
        await Assert.ThrowsAsync<DbUpdateException>(() => server.ChangeAsync<User>(u => u.Name == user, u => u.NormalizedName = other.ToLowerInvariant()));
        Assert.Equal(before, await RevisionsAsync());
    }

    [Fact]
    public async Task Last_used_times_move_no_revision()
    {
        var (user, password) = await server.NewUserAsync("used");
        var login = await server.Http.GetTokenAsync($"service={Service}&offline_token=true&client_id=test", Basic(user, password));
        Assert.Equal(HttpStatusCode.OK, login.Status);
        var before = await RevisionsAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostTokenAsync(("grant_type", "refresh_token"),
            ("refresh_token", login.RefreshToken!), ("service", Service), ("client_id", "test"))).Status);
        Assert.True(await server.Services.GetRequiredService<LastUsedRecorder>().FlushAsync(CancellationToken.None) > 0);

        Assert.Equal(before, await RevisionsAsync());
    }

    [Fact]
    public async Task A_bulk_write_that_would_bypass_the_caches_is_refused()
    {
        var (user, _) = await server.NewUserAsync("bulk");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => server.UpdateDatabaseAsync(db =>
            db.Users.Where(u => u.Name == user).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true))));
        Assert.Contains("CacheDependencies", refused.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.UpdateDatabaseAsync(db =>
            db.GroupMembers.Where(m => m.User.Name == user).ExecuteDeleteAsync()));
    }
}
